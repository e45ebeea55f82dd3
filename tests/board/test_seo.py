"""robots.txt and the sitemaps: every open job is listed, closed ones are not."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from api import seo
from models import lifecycle

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_robots_keeps_crawlers_off_tracked_links_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /j/" in lines
    assert "Sitemap: http://jobs.test/sitemap.xml" in lines


def test_the_sitemap_index_points_at_job_sitemaps_that_list_open_jobs(client, session, post):
    open_job, closed_job = post(), post()
    lifecycle.close(closed_job)
    session.commit()
    index = ET.fromstring(client.get("/sitemap.xml").data)
    (part_url,) = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert part_url == "http://jobs.test/sitemap-jobs-0.xml"
    part = client.get(part_url.removeprefix("http://jobs.test"))
    assert part.mimetype == "application/xml"
    urls = ET.fromstring(part.data).findall("s:url", NS)
    locs = [url.find("s:loc", NS).text for url in urls]
    assert locs == ["http://jobs.test/", f"http://jobs.test/jobs/{open_job.slug}"]
    assert urls[1].find("s:lastmod", NS).text == open_job.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_empty_board_still_has_a_valid_sitemap(client):
    index = ET.fromstring(client.get("/sitemap.xml").data)
    assert len(index.findall("s:sitemap", NS)) == 1
    part = ET.fromstring(client.get("/sitemap-jobs-0.xml").data)
    assert [loc.text for loc in part.findall("s:url/s:loc", NS)] == ["http://jobs.test/"]


def test_sitemap_parts_beyond_any_job_id_are_404(client):
    assert client.get("/sitemap-jobs-99999999999999999999.xml").status_code == 404


def test_a_sitemap_answers_at_its_own_address_only(client):
    assert client.get("/sitemap-jobs-0.xml").status_code == 200
    assert client.get("/sitemap-jobs-00.xml").status_code == 404


def listed_parts(client) -> list[str]:
    """The paths of the job sitemaps the sitemap index lists."""
    index = ET.fromstring(client.get("/sitemap.xml").data)
    locs = index.findall("s:sitemap/s:loc", NS)
    return [loc.text.removeprefix("http://jobs.test") for loc in locs]


@pytest.mark.parametrize("number", [1, 2])
def test_sitemap_parts_the_index_does_not_list_are_404(client, post, number):
    post()
    assert f"/sitemap-jobs-{number}.xml" not in listed_parts(client)
    assert client.get(f"/sitemap-jobs-{number}.xml").status_code == 404


def test_the_index_lists_the_part_with_the_home_page_even_without_jobs_in_it(
    client, post, monkeypatch
):
    job = post()
    monkeypatch.setattr(seo, "PART_SIZE", job.id)  # the job is alone in part 1
    assert listed_parts(client) == ["/sitemap-jobs-0.xml", "/sitemap-jobs-1.xml"]
    part = ET.fromstring(client.get("/sitemap-jobs-0.xml").data)
    assert [loc.text for loc in part.findall("s:url/s:loc", NS)] == ["http://jobs.test/"]


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("", "http://jobs.test/"),
        ("?utm_source=newsletter&fbclid=x", "http://jobs.test/"),
        ("?q=&tag=rust&location=&remote=remote", "http://jobs.test/?remote=remote&amp;tag=rust"),
    ],
)
def test_board_pages_name_their_one_address_without_tracking_or_blank_parameters(
    client, query, canonical
):
    """Newsletter and social links add parameters; each spelling was a page of its own."""
    page = client.get(f"/{query}").get_data(as_text=True)
    assert f'<link rel="canonical" href="{canonical}">' in page


def test_a_job_page_names_itself_to_link_previews(client, post):
    """A job link pasted in Slack or a social post shows its title and place."""
    job = post(title="ML Engineer <Inference>", company="Acme AI", location="Berlin, Germany")
    page = client.get(f"/jobs/{job.slug}").get_data(as_text=True)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)
    title = "ML Engineer &lt;Inference&gt; at Acme AI"
    assert f'<meta property="og:title" content="{title}">' in page
    assert f'<meta property="og:description" content="{title}, Berlin, Germany">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
