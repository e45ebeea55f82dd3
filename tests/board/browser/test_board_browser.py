"""The board in Debian's chromium: filters, search, pages, a job, applying, keyboard, phone, axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from models import clicks
from models.tables import Job
from tests.board.browser.conftest import ONSITE_JOBS, REMOTE_JOBS

pytestmark = pytest.mark.browser

JOB_TITLES = "#results .job-title a"
# Each htmx request leaves half a second late, as over a slow connection.
SLOW_ANSWERS = """
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (...args) {
  setTimeout(() => send.apply(this, args), 500);
};
"""


def test_choosing_remote_updates_the_results_and_the_address(page: Page):
    page.goto("/")
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS + ONSITE_JOBS} jobs")
    page.select_option("#remote", "remote")
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS} jobs")
    expect(page).to_have_url(re.compile(r"/\?remote=remote$"))
    titles = page.locator(JOB_TITLES).all_inner_texts()
    assert len(titles) == REMOTE_JOBS
    assert all(title.startswith("Remote ML Engineer") for title in titles)
    expect(page.locator("#facets a[aria-current=true]")).to_contain_text("Remote")


def test_the_address_leaves_out_defaults_as_the_boards_own_links_do(page: Page):
    """sort=newest, the default, stayed in the address after every change: two addresses for
    one view, one of them not the one the server's links and canonical URL give."""
    page.goto("/")
    page.select_option("#sort", "salary")
    expect(page).to_have_url(re.compile(r"/\?sort=salary$"))
    page.select_option("#sort", "newest")
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_label("Salary currency").select_option("EUR")  # says nothing without a salary
    page.select_option("#remote", "remote")
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS} jobs")
    expect(page).to_have_url(re.compile(r"/\?remote=remote$"))


def test_typing_a_word_of_a_description_finds_the_job(page: Page):
    page.goto("/")
    page.fill("#q", "qdrant")
    expect(page.locator("#result-count")).to_contain_text("1 job matching “qdrant”")
    expect(page.locator(JOB_TITLES)).to_have_text(["Onsite Data Scientist 7"])
    expect(page).to_have_url(re.compile(r"q=qdrant"))


def test_a_misspelt_search_offers_the_spelling_that_finds_jobs(page: Page):
    page.goto("/")
    page.fill("#q", "scientst")
    expect(page.locator("#result-count")).to_contain_text("0 jobs matching “scientst”")
    page.get_by_role("link", name="scientist", exact=True).click()
    expect(page.locator("#result-count")).to_contain_text("matching “scientist”")
    expect(page.locator(JOB_TITLES).first).to_contain_text("Data Scientist")
    expect(page).to_have_url(re.compile(r"q=scientist"))


def test_a_search_names_the_tab_as_a_reload_would(page: Page):
    page.goto("/")
    page.fill("#q", "qdrant")
    expect(page).to_have_title("“qdrant” · AI jobs · jobboard")
    page.fill("#q", "")
    expect(page).to_have_title("AI jobs · jobboard")
    page.reload()
    expect(page).to_have_title("AI jobs · jobboard")


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_pages_name_an_icon_so_browsers_do_not_ask_for_a_missing_favicon(page: Page, path):
    page.goto(path)
    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(icon)
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")


def test_leaving_the_search_box_does_not_ask_for_the_results_again(page: Page):
    page.goto("/")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.fill("#q", "qdrant")
    expect(page.locator("#result-count")).to_contain_text("1 job matching")
    page.keyboard.press("Tab")
    page.wait_for_timeout(600)
    assert len([url for url in requests if "q=qdrant" in url]) == 1


def test_next_jobs_pages_through_all_jobs(page: Page):
    page.goto("/")
    expect(page.locator(JOB_TITLES)).to_have_count(25)
    first_page = set(page.locator(JOB_TITLES).all_inner_texts())
    page.click("text=Next jobs")
    expect(page).to_have_url(re.compile(r"cursor="))
    second_page = set(page.locator(JOB_TITLES).all_inner_texts())
    assert len(second_page) == REMOTE_JOBS + ONSITE_JOBS - 25
    assert not first_page & second_page


def test_opening_a_job_and_applying_lands_on_the_employer_and_counts(page: Page, board):
    page.goto("/?remote=remote")
    page.click("text=Remote ML Engineer 0")
    expect(page.locator("h1")).to_have_text("Remote ML Engineer 0")
    page.locator("a.apply").first.click()
    expect(page).to_have_url(f"{board.url}/landing?job=remote-0")
    expect(page.locator("h1")).to_have_text("Employer application form")
    with board.sessions() as session:
        job = session.query(Job).filter_by(title="Remote ML Engineer 0").one()
        assert clicks.totals_by_via(session, job.id)["board"] >= 1


def test_the_board_works_with_the_keyboard_alone(page: Page):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-to-jobs")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#q")).to_be_focused()
    outline = page.locator("#q").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.type("qdrant")
    expect(page.locator("#result-count")).to_contain_text("1 job matching")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator(JOB_TITLES).first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Onsite Data Scientist 7")


def test_filters_work_without_javascript(chromium, board):
    context = chromium.new_context(base_url=board.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.select_option("#remote", "onsite")
    page.click("button[type=submit]")
    expect(page.locator("#result-count")).to_contain_text(f"{ONSITE_JOBS} jobs")
    assert "remote=onsite" in page.url
    context.close()


def test_a_phone_sees_the_filters_above_the_results_without_sideways_scrolling(chromium, board):
    context = chromium.new_context(
        base_url=board.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    for path in ("/", f"/jobs/{_a_slug(board)}"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, path
    page.goto("/")
    page.get_by_text("Filters", exact=True).click()
    filters = page.locator("#filters").bounding_box()
    results = page.locator("#results").bounding_box()
    assert filters["y"] + filters["height"] <= results["y"]
    assert filters["width"] > 300
    context.close()


def test_a_phone_sees_jobs_on_its_first_screen_with_the_filters_folded(chromium, board):
    """Filters and facets above the results pushed the first job three screens down."""
    context = chromium.new_context(
        base_url=board.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto("/?remote=remote")
    expect(page.locator("#filter-panel > summary")).to_have_text("Filters (1 on)")
    expect(page.locator("#remote")).to_be_hidden()
    first_job = page.locator(JOB_TITLES).first.bounding_box()
    assert first_job["y"] + first_job["height"] <= 740
    page.locator("#filter-panel > summary").click()
    page.select_option("#remote", "onsite")
    expect(page.locator("#result-count")).to_contain_text(f"{ONSITE_JOBS} jobs")
    page.select_option("#type", "full_time")
    expect(page.locator("#filter-panel > summary")).to_have_text("Filters (2 on)")
    page.select_option("#remote", "")
    page.select_option("#type", "")
    expect(page.locator("#filter-panel > summary")).to_have_text("Filters")
    context.close()


def test_a_desktop_shows_the_filters_without_a_fold(page: Page):
    page.goto("/")
    expect(page.locator("#filter-panel > summary")).to_be_hidden()
    expect(page.locator("#q")).to_be_visible()
    expect(page.locator("#facets")).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/?q=qdrant&remote=onsite", "/?salary_min=lots", "job"])
def test_pages_have_no_serious_accessibility_violations(chromium, board, axe_script, path):
    # axe is injected as an inline script, which the page's CSP rightly refuses: bypass it here.
    context = chromium.new_context(base_url=board.url, bypass_csp=True)
    page = context.new_page()
    page.goto(f"/jobs/{_a_slug(board)}" if path == "job" else path)
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def _a_slug(board) -> str:
    with board.sessions() as session:
        return session.query(Job.slug).order_by(Job.id).limit(1).scalar()


def test_a_phone_without_javascript_keeps_the_filters_open(chromium, board):
    context = chromium.new_context(
        base_url=board.url, viewport={"width": 375, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    expect(page.locator("#remote")).to_be_visible()
    context.close()


def test_enter_in_a_changed_filter_asks_once_so_back_is_one_step(page: Page):
    """Enter fires "change" and then "submit": two requests made two equal history entries."""
    page.goto("/")
    asked = []
    page.on("request", lambda r: asked.append(r.url) if r.headers.get("hx-request") else None)
    page.fill("#location", "Berlin")
    page.press("#location", "Enter")
    expect(page.locator("#result-count")).to_contain_text(f"{ONSITE_JOBS} jobs")
    page.wait_for_timeout(300)
    assert len(asked) == 1
    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS + ONSITE_JOBS} jobs")


def test_a_second_tag_typed_narrows_within_the_first(page: Page):
    """The tag box kept the first tag after the results changed, so a second one replaced it."""
    page.goto("/")
    page.fill("#tag-new", "llm")
    page.press("#tag-new", "Enter")
    expect(page.get_by_role("checkbox", name="llm")).to_be_checked()
    expect(page.locator("#tag-new")).to_have_value("")
    expect(page.locator("#tag-new")).to_be_focused()
    page.keyboard.type("pytorch")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"tag=llm&tag=pytorch"))
    expect(page.get_by_role("checkbox", name="pytorch")).to_be_checked()
    page.get_by_role("checkbox", name="pytorch").click()
    expect(page.get_by_role("checkbox")).to_have_count(1)
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS + ONSITE_JOBS} jobs")


@pytest.mark.parametrize("javascript", [True, False])
def test_a_salary_between_the_arrow_steps_still_filters(chromium, board, javascript):
    """55500 broke the input's step of 1000: the browser refused the form, and with script every
    later filter change was dropped without a word."""
    context = chromium.new_context(base_url=board.url, java_script_enabled=javascript)
    page = context.new_page()
    page.goto("/")
    page.fill("#salary_min", "55500")
    page.select_option("#remote", "remote")
    if not javascript:
        page.click("button[type=submit]")
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS} jobs")
    expect(page).to_have_url(re.compile(r"salary_min=55500"))
    context.close()


def test_a_salary_floor_is_read_in_the_currency_chosen_beside_it(page: Page):
    """Every job pays £90k-£120k, about $160,000 at the top: over $150,000, under £150,000."""
    page.goto("/")
    page.fill("#salary_min", "150000")
    page.locator("#salary_min").press("Enter")
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS + ONSITE_JOBS} jobs")
    page.get_by_label("Salary currency").select_option("GBP")
    expect(page.locator("#results")).to_contain_text("No jobs match these filters.")
    expect(page).to_have_url(re.compile(r"salary_min=150000&salary_currency=GBP"))
    page.get_by_label("Salary currency").select_option("USD")
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS + ONSITE_JOBS} jobs")
    expect(page).not_to_have_url(re.compile(r"salary_currency"))


def test_a_chosen_facets_count_lines_up_with_the_others(page: Page):
    """Name, count and "(remove)" were spread apart, so the chosen count sat mid-column."""
    page.goto("/?remote=remote")
    counts = page.locator("#facets ul").first.locator(".n")
    edges = {
        round(counts.nth(n).bounding_box()["x"] + counts.nth(n).bounding_box()["width"])
        for n in range(counts.count())
    }
    assert counts.count() == 2 and len(edges) == 1


def test_unticking_a_tag_with_the_keyboard_keeps_the_focus_in_the_tags_field(page: Page):
    """The answer takes the unticked box away, and the focus fell back to the top of the page."""
    page.goto("/?tag=llm&tag=pytorch")
    page.get_by_role("checkbox", name="pytorch").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox")).to_have_count(1)
    expect(page.locator("#tag-new")).to_be_focused()


def test_a_failed_answer_says_so_instead_of_leaving_the_old_results(chromium, board):
    """A 503 (database down) or a dropped connection changed nothing on the page, silently."""
    context = chromium.new_context(base_url=board.url)  # htmx logs the 503 as a console error
    page = context.new_page()
    page.goto("/")
    page.route(
        re.compile(r"remote=remote"),
        lambda route: route.fulfill(status=503, body="The database is unreachable"),
    )
    page.select_option("#remote", "remote")
    expect(page.locator("#result-count")).to_contain_text("could not be loaded")
    page.unroute(re.compile(r"remote=remote"))
    page.select_option("#type", "full_time")
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS} jobs")
    context.close()


def test_a_change_undone_during_a_failing_answer_adds_no_history_entry(chromium, board):
    """Remote chosen and unchosen while its slow answer was on the way: the answer failed, the
    board asked for the jobs on show, and pushed their address again: Back showed them twice."""
    context = chromium.new_context(base_url=board.url)  # htmx logs the 503 as a console error
    page = context.new_page()
    page.add_init_script(SLOW_ANSWERS)
    page.goto("/")
    entries = page.evaluate("history.length")
    page.route(re.compile(r"remote=remote"), lambda route: route.fulfill(status=503))
    page.select_option("#remote", "remote")
    page.select_option("#remote", "")
    expect(page.locator("#result-count")).to_contain_text("could not be loaded")
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS + ONSITE_JOBS} jobs")
    expect(page).to_have_url(re.compile(r"/$"))
    assert page.evaluate("history.length") == entries
    context.close()


def test_show_jobs_on_a_phone_folds_the_filters_and_shows_the_jobs(chromium, board):
    """The results changed below a screen-filling filter panel: tapping "Show jobs" seemed to
    do nothing."""
    context = chromium.new_context(
        base_url=board.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto("/")
    page.locator("#filter-panel > summary").click()
    page.select_option("#remote", "remote")
    page.get_by_role("button", name="Show jobs").click()
    expect(page.locator("#remote")).to_be_hidden()
    expect(page.locator(JOB_TITLES).first).to_be_in_viewport()
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS} jobs")
    context.close()


def test_show_jobs_on_a_phone_without_javascript_lands_on_the_jobs(chromium, board):
    """The new page opened at its top, the jobs a screenful of open filters below."""
    context = chromium.new_context(
        base_url=board.url, viewport={"width": 375, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    page.select_option("#remote", "remote")
    page.get_by_role("button", name="Show jobs").click()
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS} jobs")
    expect(page.locator(JOB_TITLES).first).to_be_in_viewport()
    context.close()


def test_back_to_a_refused_filter_shows_its_reasons_not_the_last_results(page: Page):
    """htmx restores history only from a 2xx or 3xx answer: Back to a salary the board refused
    (400) changed the address and left the next filter's jobs and fields on show."""
    page.goto("/")
    page.fill("#salary_min", "-5")
    page.press("#salary_min", "Enter")
    expect(page.locator(".errors")).to_contain_text("Minimum yearly salary")
    page.fill("#salary_min", "150000")
    page.press("#salary_min", "Enter")
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS + ONSITE_JOBS} jobs")
    page.go_back()
    expect(page).to_have_url(re.compile(r"salary_min=-5"))
    expect(page.locator(".errors")).to_contain_text("Minimum yearly salary")
    expect(page.locator("#salary_min")).to_have_value("-5")
    page.go_forward()
    expect(page.locator("#result-count")).to_contain_text(f"{REMOTE_JOBS + ONSITE_JOBS} jobs")
    expect(page.locator("#salary_min")).to_have_value("150000")
