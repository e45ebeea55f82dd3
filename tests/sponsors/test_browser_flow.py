"""The whole sponsor flow in Debian's chromium against a real server on 127.0.0.1.

A sponsor fills the form (with script in the title and the description),
previews, submits and keeps the manage link; a moderator logs in, approves
and features the job; it then leads the board, the JSON API and the
newsletter section. No alert dialog may open and no page may break its CSP.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from models import lifecycle
from models.ingest import upsert_postings
from models.tables import Job, Source
from tests.factories import raw_posting
from tests.sponsors.conftest import ADMIN_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

TITLE = 'Staff ML Engineer "><img src=x onerror=alert(1)>'
DESCRIPTION = (
    "We build **evaluation** tooling.\n\n<script>alert(1)</script>\n\n[apply](javascript:alert(1))"
)


@pytest.fixture
def page(chromium: Browser, live_url: str) -> Iterator[Page]:
    """A tab recording dialogs, script errors and CSP violations; all must stay empty."""
    context = chromium.new_context(base_url=live_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda exc: problems.append(f"error: {exc}"))
    page.on(
        "console",
        lambda m: (
            problems.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield page
    context.close()
    assert problems == []


def fill_posting(page: Page) -> None:
    page.goto("/post")
    page.get_by_role("textbox", name="Company", exact=True).fill("Orbital Labs")
    page.get_by_label("Company website").fill("https://orbital.example")
    page.get_by_label("Job title").fill(TITLE)
    page.get_by_label("Location").fill("Berlin, Germany")
    page.get_by_label("Remote policy").select_option("hybrid")
    page.get_by_label("Remote note").fill("CET +/- 3 hours")
    page.get_by_label("Salary from").fill("120000")
    page.get_by_label("Salary to").fill("150000")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Per", exact=True).select_option("year")
    page.get_by_label("Tags").fill("LLM, PyTorch")
    page.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_label("Apply URL or e-mail").fill("https://orbital.example/jobs/1?utm_source=x")
    page.get_by_label("Your e-mail").fill("hiring@orbital.example")


def submit_posting(page: Page) -> str:
    """Preview, then submit; returns the manage link shown once."""
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".preview")
    expect(preview.locator(".description strong")).to_have_text("evaluation")
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your posting is in")
    return page.locator(".manage-link a").get_attribute("href")


def moderate(page: Page) -> None:
    """Log in through the redirect, approve the job and feature it for a week."""
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login\?next="))
    page.get_by_label("User name").fill("mod")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pending jobs")
    page.get_by_role("button", name=f"Approve {TITLE}").click()
    expect(page.get_by_role("status")).to_contain_text("published")
    page.goto("/admin/?status=published")
    page.get_by_role("link", name=TITLE).click()
    until = (date.today() + timedelta(days=7)).isoformat()
    page.get_by_label("Featured until (inclusive)").fill(until)
    page.get_by_role("button", name="Feature", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Featured until {until}")


def add_newer_scraped_job(session) -> None:
    """A job newer than the sponsor's: only featuring can put the sponsor's job first."""
    source = Source(kind="greenhouse", url="https://boards.example.com/acme", company="Acme")
    session.add(source)
    session.commit()
    upsert_postings(session, [raw_posting(title="Newer Scraped Job")], source=source)


def test_a_sponsor_posts_a_moderator_approves_and_features_it_leads_everywhere(
    page: Page, session, moderator
):
    fill_posting(page)
    manage_link = submit_posting(page)
    page.goto(manage_link)
    expect(page.locator(".status")).to_have_text("pending")
    add_newer_scraped_job(session)
    page.goto("/")
    expect(page.get_by_role("link", name=re.compile("Staff ML Engineer"))).to_have_count(0)

    moderate(page)

    page.goto("/")
    first = page.locator(".jobs .job").first
    expect(first).to_contain_text(TITLE)
    first.get_by_role("link", name=re.compile("Staff ML Engineer")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".description strong")).to_have_text("evaluation")

    items = page.request.get("/api/v1/jobs").json()["items"]
    assert items[0]["title"] == TITLE and items[0]["featured"] is True
    section = page.request.get("/newsletter/jobs.md").text()
    first_line = next(line for line in section.splitlines() if line.startswith("["))
    assert "Staff ML Engineer" in first_line and "Orbital Labs" in first_line

    page.goto(manage_link)
    expect(page.locator(".status")).to_have_text("published")
    expect(page.locator("#views")).not_to_have_text("0")

    close = page.get_by_role("button", name="Close this posting")
    close.click()  # the browser asks for the tick first: nothing is sent
    expect(page.locator(".status")).to_have_text("published")
    page.get_by_label("Yes, close it for good").check()
    close.click()
    expect(page.locator(".status")).to_have_text("closed")


def focused_element(page: Page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_a_failed_send_moves_focus_to_the_error_summary_whose_links_reach_the_fields(
    page: Page, moderator
):
    """A keyboard or screen-reader user lands on the list of problems, not back at the top of
    the page, and each problem's link takes them to its field."""
    page.goto("/post")
    page.get_by_role("button", name="Submit for review").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct 5 problems")
    assert focused_element(page) == "form-errors"
    summary.get_by_role("link", name=re.compile("^Job title")).press("Enter")
    expect(page.get_by_label("Job title")).to_be_focused()
    expect(page.get_by_label("Job title")).to_have_attribute("aria-invalid", "true")

    fill_posting(page)
    manage_link = submit_posting(page)
    page.goto(manage_link)
    page.get_by_label("Apply URL or e-mail").fill("not a link")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Apply URL or e-mail")
    assert focused_element(page) == "form-errors"

    page.goto("/admin/login")
    page.get_by_label("User name").fill("mod")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong user name or password.")
    assert focused_element(page) == "form-errors"


LONG_TITLE = "Engineer_" + "x" * 70


def test_long_words_wrap_on_a_phone_in_the_preview_manage_and_admin_pages(
    chromium: Browser, live_url: str, session, moderator
):
    """A title or link wider than a phone pushed the preview, the manage page (its board link)
    and the moderator's pages sideways, hiding the end of every line."""
    context = chromium.new_context(
        base_url=live_url, viewport={"width": 320, "height": 640}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)

    def fits() -> bool:
        return page.evaluate("document.documentElement.scrollWidth") <= 320

    fill_posting(page)
    page.get_by_label("Job title").fill(LONG_TITLE)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview-title")).to_contain_text(LONG_TITLE)
    assert fits(), "preview"
    page.get_by_role("button", name="Submit for review").click()
    manage_link = page.locator(".manage-link a").get_attribute("href")
    job = session.scalar(sa.select(Job))
    lifecycle.publish(job)
    session.add(Source(kind="jsonld", url="https://careers.example.com/" + "a" * 90, company="A"))
    session.commit()
    page.goto(manage_link)
    expect(page.locator(".status")).to_have_text("published")
    assert fits(), "manage page"

    page.goto("/admin/login")
    page.get_by_label("User name").fill("mod")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for path in ("/admin/?status=published", f"/admin/jobs/{job.id}", "/admin/sources"):
        page.goto(path)
        assert fits(), path
    context.close()
