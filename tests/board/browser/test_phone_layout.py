"""Phones: text wider than the screen (a company, a place, a command) wraps, not the page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser

from models.ingest import upsert_postings
from models.tables import Job, Source
from tests.factories import raw_posting

pytestmark = pytest.mark.browser

COMPANY = "Averyveryverylongcompanynamewithoutanyspaces Incorporated"
PLACE = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch, UK"
COMMAND = (
    "<pre>pip install torch==2.3.0 transformers==4.41.0 accelerate==0.30.0 --pre --upgrade</pre>"
)


@pytest.fixture(scope="module")
def long_words_job(board) -> str:
    """The slug of a job whose company, location and description are wider than a phone."""
    posting = raw_posting(
        company=COMPANY,
        location=PLACE,
        description_html=f"<p>Set up:</p>{COMMAND}",
        apply_url=f"{board.url}/landing",
    )
    with board.sessions() as session:
        counts = upsert_postings(session, [posting], source=session.scalar(sa.select(Source)))
        return session.get(Job, counts.outcomes[0].job_id).slug


@pytest.mark.parametrize("path", ["job", f"/?company={COMPANY}"])
def test_long_words_wrap_on_a_phone_instead_of_scrolling_sideways(
    chromium: Browser, board, long_words_job, path
):
    context = chromium.new_context(
        base_url=board.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"/jobs/{long_words_job}" if path == "job" else path)
    assert page.locator("main").inner_text().count("Averyveryverylong") >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_a_job_pages_tags_are_big_enough_to_tap(chromium: Browser, board, long_words_job):
    """Each tag link was 16 px tall inside its pill, under the 24 px a finger needs."""
    context = chromium.new_context(
        base_url=board.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"/jobs/{long_words_job}")
    tags = page.locator(".job-detail .tags a")
    boxes = [tags.nth(n).bounding_box() for n in range(tags.count())]
    context.close()
    assert boxes and all(box["height"] >= 24 and box["width"] >= 24 for box in boxes)
