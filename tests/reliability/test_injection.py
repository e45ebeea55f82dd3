"""SQL injection attempts in every query parameter and path segment of every GET endpoint.

Every GET route of the app (the board, job pages, apply links, feeds, the API, the
newsletter, sitemaps, health, the admin with a moderator logged in, a manage page)
gets classic injection strings in each parameter it reads and in each of its path
variables. Nothing may answer 5xx or take long (no `pg_sleep` ran), no stored row
may change, and an answer may only narrow what the endpoint shows: never more job
links than without the parameter, and never a job the public must not see.
"""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from api.schemas import ApiJobQueryArgs, JobQueryArgs, NewsletterArgs
from models import admin_users
from models import sponsor_postings as postings
from models.tables import Base, Click, Job, JobStatus, Sponsor
from tests.reliability.conftest import make_app
from tests.sponsors.conftest import csrf_token
from tests.sponsors.factories import sponsor_fields

PAYLOADS = [
    "' OR '1'='1",
    "1' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE jobs; --",
    "' UNION SELECT id, slug, title FROM jobs WHERE status='pending' --",
    "%' AND 1=0 UNION SELECT NULL --",
    "'; SELECT pg_sleep(3); --",
    "1) OR (1=1",
    "\\'; --",
    "published' OR status <> 'x",
    "x\x00' OR 1=1",  # NUL: PostgreSQL refuses it in text, which must not become a 500
    "2147483648",  # one past INTEGER: PostgreSQL refuses to compare an id column with it
]
PASSWORD = "correct horse battery staple"
NOT_READ = {"static", "api-docs.openapi_json", "docs.docs", "metrics.metrics"}
# The parameters each endpoint reads; the API and feeds read the same as their schemas.
PARAMETERS = {
    "board.index": list(JobQueryArgs().fields),
    "feeds.list_jobs": list(ApiJobQueryArgs().fields),
    "syndication.json_feed": list(ApiJobQueryArgs().fields),
    "syndication.atom_feed": list(ApiJobQueryArgs().fields),
    "newsletter.jobs_markdown": list(NewsletterArgs().fields),
    "newsletter.jobs_html": list(NewsletterArgs().fields),
    "apply.follow": ["via"],
    "admin.jobs": ["status"],
    "admin.login": ["next"],
}
JOB_LINK = re.compile(r"/(?:jobs|j)/([A-Za-z0-9_-]+)")


@pytest.fixture
def app(demo_db: str):
    app = make_app(demo_db)
    yield app
    app.extensions["jobboard.engine"].dispose()


@pytest.fixture
def hidden(app) -> dict[str, str]:
    """A pending job and a moderator; returns the path values of real rows."""
    engine = app.extensions["jobboard.engine"]
    with sa.orm.Session(engine, expire_on_commit=False) as session:
        admin_users.create(session, "mod", PASSWORD)
        posted, token = postings.submit_from_form(
            session, "hiring@orbital.example", sponsor_fields(title="Secret Role")
        )
        session.commit()
        pending = posted.job
        sponsor_id = session.scalar(sa.select(sa.func.max(Sponsor.id)))
        job = session.scalar(sa.select(Job).where(Job.status == JobStatus.PUBLISHED).limit(1))
    assert pending.status == JobStatus.PENDING
    return {
        "slug": job.slug,
        "code": job.code,
        "job_id": str(job.id),
        "sponsor_id": str(sponsor_id),
        "number": "1",
        "token": token,
        "pending_slug": pending.slug,
        "pending_code": pending.code,
    }


def logged_in(app):
    client = app.test_client()
    page = client.get("/admin/login").get_data(as_text=True)
    login = {"username": "mod", "password": PASSWORD, "csrf_token": csrf_token(page)}
    assert client.post("/admin/login", data=login).status_code == 303
    return client


def stored(app) -> str:
    """Every row but the click counters (following an apply link counts, by design)."""
    engine = app.extensions["jobboard.engine"]
    with engine.connect() as conn:
        return repr(
            [
                conn.execute(sa.select(t).order_by(*t.primary_key.columns)).all()
                for t in Base.metadata.sorted_tables
                if t is not Click.__table__
            ]
        )


def get_routes(app) -> list[tuple[str, str]]:
    """(endpoint, rule) of every GET route the app serves."""
    return sorted(
        (rule.endpoint, rule.rule)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in NOT_READ
    )


def fill(rule: str, values: dict[str, str], **override: str) -> str:
    """The rule's path with real values (or the overrides) in its variables."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: override.get(m[1], values[m[1]]), rule)


def links(response) -> set[str]:
    return set(JOB_LINK.findall(response.get_data(as_text=True)))


def check(client, url: str, query: dict[str, str] | None, baseline: set[str], public: bool):
    started = time.perf_counter()
    response = client.get(url, query_string=query)
    seconds = time.perf_counter() - started
    where = f"{url} {query}"
    assert response.status_code < 500, where
    assert seconds < 2.5, f"{where} took {seconds:.1f} s"
    if response.status_code == 200:
        found = links(response)
        assert len(found) <= len(baseline) or not public, where
        return found
    return set()


def test_injection_strings_change_nothing_and_reveal_nothing(app, hidden) -> None:
    client = logged_in(app)
    before = stored(app)
    secret = {hidden["pending_slug"], hidden["pending_code"]}
    routes = get_routes(app)
    assert len(routes) >= 15
    for endpoint, rule in routes:
        url = fill(rule, hidden)
        public = not rule.startswith("/admin")
        baseline = links(client.get(url))
        for name in PARAMETERS.get(endpoint, []):
            for payload in PAYLOADS:
                found = check(client, url, {name: payload}, baseline, public)
                assert not (public and found & secret), (
                    f"{url} ?{name}={payload} shows a hidden job"
                )
        for variable in re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule):
            for payload in PAYLOADS:
                found = check(
                    client, fill(rule, hidden, **{variable: payload}), None, baseline, public
                )
                assert not (public and found & secret), f"{rule} {variable}={payload}"
    assert stored(app) == before


@pytest.mark.parametrize(
    ("path", "field"),
    [("/admin/login", "username"), ("/post", "email"), ("/post", "title")],
)
def test_a_nul_character_in_a_form_field_is_400(app, path: str, field: str) -> None:
    client = app.test_client()
    csrf = csrf_token(client.get(path).get_data(as_text=True))
    form = sponsor_fields() | {"username": "mod", "password": PASSWORD, "email": "a@b.example"}
    form = {k: str(v) for k, v in form.items()} | {field: "x\x00y", "csrf_token": csrf}
    before = stored(app)
    response = client.post(path, data=form)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    assert stored(app) == before
