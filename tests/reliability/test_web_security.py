"""No one let in: CSRF on every form, no open redirect, rate limits, slowed password guessing.

The forms are found from the app's routes (every POST outside the token API), so a
new form is covered without touching this file. These are rules of the web layer, the
same on either database, so they run on SQLite only (the injection and fuzz tests
cover both backends).
"""

from __future__ import annotations

import io
import re
import statistics
import time
from urllib.parse import urljoin

import pytest
import sqlalchemy as sa

from models import admin_users
from models import sponsor_postings as postings
from models.tables import Base
from tests.reliability.conftest import make_app, scraped_job
from tests.sponsors.conftest import csrf_token
from tests.sponsors.factories import form_data, sponsor_fields

PASSWORD = "correct horse battery staple"
SITE = "http://jobs.test"
EVIL = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "javascript:alert(1)",
    "http:evil.example",
    "https:/evil.example",
    "///evil.example/",
    " //evil.example/",
    "/\t/evil.example/",
    "/%2F%2Fevil.example/",
    "//evil.example@jobs.test/",
    "data:text/html,<script>alert(1)</script>",
]
REDIRECT_PARAMS = [
    "url",
    "next",
    "redirect",
    "redirect_uri",
    "return_to",
    "goto",
    "target",
    "dest",
    "continue",
    "apply_url",
    "to",
    "via",
]


def browser_target(location: str, base: str) -> str:
    """Where a browser goes for this Location: it drops tabs and newlines and reads \\ as /."""
    cleaned = location.strip(" \x00").replace("\t", "").replace("\n", "").replace("\r", "")
    return urljoin(base, cleaned.replace("\\", "/"))


def stays_on_site(location: str) -> bool:
    return browser_target(location, SITE + "/admin/login").startswith(SITE + "/")


@pytest.fixture
def db_url(sqlite_db_url: str) -> str:
    return sqlite_db_url


@pytest.fixture
def app(db_url: str):
    app = make_app(
        db_url,
        ADMIN_LOGIN_RATE_LIMIT="1000/minute",
        SPONSOR_POST_RATE_LIMIT="1000/minute",
        SPONSOR_FORM_RATE_LIMIT="1000/minute",
    )
    yield app
    app.extensions["jobboard.engine"].dispose()


@pytest.fixture
def rows(app) -> dict[str, str]:
    """A moderator, a pending form posting with its manage token, and a published job."""
    with sa.orm.Session(app.extensions["jobboard.engine"], expire_on_commit=False) as session:
        admin_users.create(session, "mod", PASSWORD)
        posted, token = postings.submit_from_form(session, "a@orbital.example", sponsor_fields())
        session.commit()
        listing = session.scalar(
            sa.select(postings.Listing).where(postings.Listing.job_id == posted.job.id)
        )
    return {
        "job_id": str(posted.job.id),
        "sponsor_id": str(listing.sponsor_id),
        "token": token,
        "verb": "publish",
        "action": "trust",
    }


def login(client) -> None:
    page = client.get("/admin/login").get_data(as_text=True)
    form = {"username": "mod", "password": PASSWORD, "csrf_token": csrf_token(page)}
    assert client.post("/admin/login", data=form).status_code == 303


def stored(app) -> str:
    with app.extensions["jobboard.engine"].connect() as conn:
        return repr([conn.execute(sa.select(t)).all() for t in Base.metadata.sorted_tables])


def form_routes(app) -> list[str]:
    """Every POST route of a form (the token API is exempt: a bearer token, no cookie)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith("/api/")
    )


def route_path(rule: str, rows: dict[str, str]) -> str:
    """The path of a form route for the rows of the `rows` fixture, whatever its converters."""
    return re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda part: rows[part.group(1)], rule)


@pytest.mark.parametrize("token", [None, "forged", "from-another-session"])
def test_every_form_refuses_a_post_without_its_csrf_token(app, rows, token) -> None:
    client = app.test_client()
    login(client)
    if token == "from-another-session":
        token = csrf_token(app.test_client().get("/post").get_data(as_text=True))
    data = form_data(action="submit") | {
        "username": "mod",
        "password": PASSWORD,
        "until": "2099-01-01",
    }
    if token:
        data["csrf_token"] = token
    routes = form_routes(app)
    assert len(routes) >= 9
    before = stored(app)
    for rule in routes:
        path = route_path(rule, rows)
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "CSRF" in response.get_data(as_text=True), path
    assert stored(app) == before


FIELDS = [*form_data(), "username", "password", "until", "confirm", "next", "homepage"]


def odd_body(kind: str, token: str) -> dict:
    """Keyword arguments of a POST whose fields come as files, or as a JSON body."""
    if kind == "files":
        files = {name: (io.BytesIO(b"x"), "x.txt") for name in FIELDS}
        return {"data": files | {"csrf_token": token}}
    return {"json": {"numbers": dict.fromkeys(FIELDS, 5), "text": "text", "list": [1, 2]}[kind]}


@pytest.mark.parametrize("kind", ["files", "numbers", "text", "list"])
def test_every_form_answers_files_or_json_in_place_of_its_fields_without_a_500(
    app, rows, kind
) -> None:
    """A form reads the fields a browser posts: an uploaded file or a JSON body (with a valid
    CSRF token) is no value of them, not a TypeError on `len(FileStorage)` or on an int."""
    client = app.test_client()
    login(client)
    token = csrf_token(client.get("/post").get_data(as_text=True))
    for rule in form_routes(app):
        path = route_path(rule, rows)
        if path == "/admin/logout":
            continue  # it would end the session the other forms need
        response = client.post(path, headers={"X-CSRFToken": token}, **odd_body(kind, token))
        assert response.status_code < 500, path


def test_no_parameter_turns_the_apply_link_into_an_open_redirect(app) -> None:
    code = scraped_job(app).code
    client = app.test_client()
    for param in REDIRECT_PARAMS:
        for evil in EVIL:
            response = client.get(f"/j/{code}", query_string={param: evil})
            assert response.status_code == 302
            assert response.headers["Location"] == "https://jobs.acme.example/1", (param, evil)


def test_login_never_redirects_off_site(app, rows) -> None:
    for evil in EVIL:
        client = app.test_client()
        page = client.get("/admin/login", query_string={"next": evil}).get_data(as_text=True)
        form = {"username": "mod", "password": PASSWORD, "next": evil}
        response = client.post("/admin/login", data=form | {"csrf_token": csrf_token(page)})
        assert response.status_code == 303
        assert stays_on_site(response.headers["Location"]), (evil, response.headers["Location"])


def test_moderator_actions_never_redirect_off_site(app, rows) -> None:
    client = app.test_client()
    login(client)
    token = csrf_token(client.get(f"/admin/jobs/{rows['job_id']}").get_data(as_text=True))
    for evil in EVIL:
        response = client.post(
            f"/admin/jobs/{rows['job_id']}/close", data={"csrf_token": token, "next": evil}
        )
        assert response.status_code in (303, 409)
        if response.status_code == 303:
            assert stays_on_site(response.headers["Location"]), (evil, response.headers["Location"])


@pytest.mark.parametrize(
    "path", ["//evil.example/", "/\\evil.example/", "//evil.example/admin", "/admin//evil.example"]
)
def test_odd_paths_never_redirect_off_site(app, path: str) -> None:
    """A request line like `GET //evil.example/admin` (slash merging must not go off site)."""
    response = app.test_client().get("/", environ_overrides={"PATH_INFO": path})
    assert response.status_code < 500
    if 300 <= response.status_code < 400:
        assert stays_on_site(response.headers["Location"]), response.headers["Location"]


def test_password_guessing_on_one_user_is_limited_across_addresses(db_url: str) -> None:
    app = make_app(db_url, ADMIN_LOGIN_USER_RATE_LIMIT="3/hour")
    with sa.orm.Session(app.extensions["jobboard.engine"]) as session:
        admin_users.create(session, "mod", PASSWORD)
        session.commit()
    statuses = []
    for n in range(5):
        client = app.test_client()
        page = client.get("/admin/login").get_data(as_text=True)
        form = {"username": "MOD ", "password": f"guess {n}", "csrf_token": csrf_token(page)}
        response = client.post(
            "/admin/login", data=form, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}
        )
        statuses.append(response.status_code)
    app.extensions["jobboard.engine"].dispose()
    assert statuses == [401, 401, 401, 429, 429]


def test_a_wrong_password_costs_as_much_for_unknown_as_for_real_users(app, rows) -> None:
    """The password hash is checked even for a user name that does not exist (no user probing)."""

    def seconds(username: str) -> float:
        samples = []
        with sa.orm.Session(app.extensions["jobboard.engine"]) as session:
            for _ in range(5):
                started = time.perf_counter()
                assert admin_users.authenticate(session, username, "wrong password!!") is None
                samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    known, unknown = seconds("mod"), seconds("nobody")
    assert known > 0.01  # a slow hash (scrypt), not a fast digest
    assert 1 / 3 < unknown / known < 3


def test_sponsor_api_writes_are_rate_limited_per_sponsor(db_url: str, sponsor_token: str) -> None:
    app = make_app(db_url, SPONSOR_API_RATE_LIMIT="3/minute")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {sponsor_token}"}
    statuses = [
        client.post("/api/v1/sponsor/jobs", headers=headers, json=sponsor_fields()).status_code
        for _ in range(4)
    ]
    limited = client.post("/api/v1/sponsor/jobs", headers=headers, json=sponsor_fields())
    reads = client.get("/api/v1/sponsor/jobs", headers=headers)
    app.extensions["jobboard.engine"].dispose()
    assert statuses == [201, 201, 201, 429]
    assert limited.status_code == 429 and limited.is_json and "Retry-After" in limited.headers
    assert reads.status_code == 200 and len(reads.get_json()) == 3
