"""A real board served on 127.0.0.1 from a migrated SQLite database, for the shared `chromium`.

The apply URLs of the seeded jobs point at a landing route of the same server, so
following an apply link never leaves the machine.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from werkzeug.serving import make_server

from api import create_app
from models.db import make_engine, make_session_factory
from models.ingest import upsert_postings
from models.tables import Source
from models.types import utcnow
from tests.factories import raw_posting

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# The policy the app's security headers set; the test server sends it too, so every
# browser test proves the pages work without inline script or style.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' https: data:; frame-ancestors 'none'"
)
REMOTE_JOBS = 12
ONSITE_JOBS = 20


@dataclass(frozen=True)
class Board:
    url: str
    sessions: object


@pytest.fixture(scope="module")
def board(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Board]:
    """The app under a real WSGI server in a thread, with 32 ingested jobs."""
    path = tmp_path_factory.mktemp("browser") / "board.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "BASE_URL": "http://127.0.0.1"})
    app.add_url_rule("/landing", "landing", lambda: "<h1>Employer application form</h1>")
    app.after_request(_with_csp)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    _seed(sessions, base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Board(base, sessions)
    server.shutdown()
    engine.dispose()
    app.extensions["jobboard.engine"].dispose()


def _with_csp(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    return response


def _seed(sessions, base: str) -> None:
    """Remote and on-site jobs of different ages; one mentions Qdrant in its description."""
    postings = [
        raw_posting(
            title=f"Remote ML Engineer {n}",
            remote="remote",
            location="Remote, UK",
            posted_at=(utcnow() - timedelta(hours=n)).isoformat(),
            apply_url=f"{base}/landing?job=remote-{n}",
        )
        for n in range(REMOTE_JOBS)
    ]
    postings += [
        raw_posting(
            title=f"Onsite Data Scientist {n}",
            remote="onsite",
            location="Berlin, Germany",
            posted_at=(utcnow() - timedelta(days=1, hours=n)).isoformat(),
            apply_url=f"{base}/landing?job=onsite-{n}",
            description_html=(
                "<p>Own our Qdrant vector search.</p>" if n == 7 else "<p>Forecasting.</p>"
            ),
        )
        for n in range(ONSITE_JOBS)
    ]
    with sessions() as session:
        source = Source(kind="greenhouse", url="https://boards.example.com/b", company="Acme")
        session.add(source)
        session.commit()
        upsert_postings(session, postings, source=source)


@pytest.fixture
def page(chromium: Browser, board: Board) -> Iterator[Page]:
    """A fresh desktop tab; fails the test if the page breaks its CSP or throws."""
    context = chromium.new_context(base_url=board.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if _is_problem(m) else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.set_default_timeout(5000)
    yield page
    context.close()
    assert problems == []


def _is_problem(message) -> bool:
    """Console errors, except the HTTP status of a page that answers 4xx on purpose."""
    return message.type == "error" and not message.text.startswith("Failed to load resource")


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run `npm ci` in {AXE.parents[2]} (bin/test does)")
    return AXE
