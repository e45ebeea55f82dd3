"""SSRF: the crawler never reaches a private, loopback, link-local or metadata address.

JOBBOARD_ALLOW_PRIVATE_SOURCES is off in every test here (the suite turns it on for
the fixture servers). Addresses are refused however they are spelled (decimal, hex,
octal, short IPv4, IPv6 forms that carry an IPv4 address), when a host name resolves
to one, when a public board redirects to one, and when a name that passed the check
resolves privately by the time the crawler connects (DNS rebinding). A company logo
URL is stored as text and never fetched by the server. The crawler and the netsafety
rules do not depend on the database, so this module runs on SQLite only.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from models import netsafety, sources
from models.netsafety import UnsafeURL, check_url
from scraper.runner import crawl
from tests.reliability.conftest import make_app, scraped_job
from tests.scraper.conftest import FAST_CRAWL

REFUSED = [
    "http://2130706433/",  # 127.0.0.1 in decimal
    "http://0x7f000001/",  # in hex
    "http://0177.0.0.1/",  # in octal
    "http://017700000001/",
    "http://127.1/",  # short form
    "http://0/",
    "http://0x7f.0.0.1/",
    "http://2852039166/latest/meta-data/",  # 169.254.169.254 in decimal
    "http://0xa9fea9fe/latest/meta-data/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6
    "http://192.0.0.192/",  # Oracle Cloud metadata
    "http://100.100.100.200/",  # Alibaba Cloud metadata (carrier-grade NAT range)
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",
    "http://[0:0:0:0:0:ffff:169.254.169.254]/",
    "http://[::127.0.0.1]/",  # IPv4-compatible IPv6
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://[64:ff9b:1::a00:1]/",  # local-use NAT64
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[::1]/",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://localhost/",
    "http://LOCALHOST:8080/",
    "http://evil.example@127.0.0.1/",  # user info before the real host
    "http://127.0.0.1#@evil.example/",
    "http://10.0.0.8/",
    "http://172.31.255.255/",
    "http://192.168.0.1/",
    "http://198.18.0.1/",
    "http://224.0.0.1/",
]


@pytest.fixture
def db_url(sqlite_db_url: str) -> str:
    return sqlite_db_url


@pytest.fixture(autouse=True)
def private_addresses_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBBOARD_ALLOW_PRIVATE_SOURCES", "0")


@pytest.mark.parametrize("url", REFUSED)
def test_private_addresses_are_refused_however_spelled(url: str) -> None:
    with pytest.raises(UnsafeURL):
        check_url(url)
    with pytest.raises(sources.SourceError, match="url refused"):
        sources.validate("greenhouse", url, "Internal")


@pytest.mark.parametrize(
    "url", ["http://[64:ff9b::808:808]/", "http://[2002:808:808::]/", "https://93.184.215.14/"]
)
def test_ipv6_forms_of_public_ipv4_addresses_pass(url: str) -> None:
    assert check_url(url)


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch):
    """Answer chosen names with chosen addresses, as a hostile DNS server would."""
    answers = {
        "internal.example": ["10.1.2.3"],
        "metadata.example": ["169.254.169.254"],
        "mixed.example": ["93.184.215.14", "127.0.0.1"],
        "v6.example": ["::ffff:192.168.1.1"],
        "public.example": ["93.184.215.14", "2606:4700:4700::1111"],
    }

    def getaddrinfo(host: str, port: int, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers[host]]

    monkeypatch.setattr(netsafety.socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "host", ["internal.example", "metadata.example", "mixed.example", "v6.example"]
)
def test_names_resolving_to_any_private_address_are_refused(fake_dns, host: str) -> None:
    with pytest.raises(UnsafeURL, match="non-public address"):
        check_url(f"https://{host}/jobs")


def test_names_resolving_only_to_public_addresses_pass(fake_dns) -> None:
    assert check_url("https://public.example/jobs") == "public.example"


class Recorder(BaseHTTPRequestHandler):
    """A forward proxy or plain server that records requests and answers with `reply`."""

    seen: list[str]
    reply: tuple[int, dict[str, str], bytes]
    routes: dict[str, str]  # as a proxy: the Location to answer for each path

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status, headers, body = self.reply
        if self.path.startswith("http://") and urlsplit(self.path).path in self.routes:
            headers = {**headers, "Location": self.routes[urlsplit(self.path).path]}
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator:
    """Start recording servers on 127.0.0.1; returns (url, seen requests)."""
    started = []

    def start(status=200, headers: dict | None = None, body=b"{}", routes: dict | None = None):
        seen: list[str] = []
        reply = (status, headers or {}, body)
        handler = type(
            "Handler", (Recorder,), {"seen": seen, "reply": reply, "routes": routes or {}}
        )
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}", seen

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


def add_public_source(db_url: str, url: str) -> int:
    engine = sa.create_engine(db_url)
    with sa.orm.Session(engine) as session:
        source = sources.add(session, sources.validate("greenhouse", url, "Acme AI"))
        session.commit()
        source_id = source.id
    engine.dispose()
    return source_id


def test_redirects_to_private_addresses_are_refused(
    db_url: str, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Public boards (public IPs, reached through a local proxy) answer 302 to private URLs."""
    internal, internal_seen = server(body=json.dumps({"jobs": []}).encode())
    targets = {
        "/v1/boards/a/jobs": internal + "/secret",
        "/v1/boards/b/jobs": "http://169.254.169.254/latest/meta-data/",
        "/v1/boards/c/jobs": "http://2130706433/",
        "/v1/boards/d/jobs": "http://[::ffff:127.0.0.1]/",
    }
    proxy, proxied = server(302, {"Location": "unused"}, routes=targets)
    monkeypatch.setenv("http_proxy", proxy)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("JOBBOARD_CRAWL_SETTINGS", json.dumps(FAST_CRAWL))
    ids = [add_public_source(db_url, f"http://93.184.215.14{path}") for path in targets]
    summaries = crawl(ids, database_url=db_url, timeout=60)
    assert [s.status for s in summaries] == ["failed"] * len(targets)
    assert all("non-public address" in " ".join(s.errors) for s in summaries)
    # The spider asks Greenhouse for descriptions (content=true), whatever URL was added.
    asked = (f"http://93.184.215.14{path}?content=true" for path in targets)
    assert sorted(proxied) == sorted(asked)
    assert internal_seen == []


def test_a_name_that_resolves_privately_when_the_crawler_connects_is_refused(
    db_url: str, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name passed the request check, then answers 127.0.0.1 at connect time.

    The request check is switched off here to stand for the first, public answer.
    """
    internal, seen = server(body=json.dumps({"jobs": []}).encode())
    settings = FAST_CRAWL | {
        "DOWNLOADER_MIDDLEWARES": {"scraper.middlewares.PrivateAddressMiddleware": None}
    }
    monkeypatch.setenv("JOBBOARD_CRAWL_SETTINGS", json.dumps(settings))
    port = internal.rsplit(":", 1)[1]
    monkeypatch.setenv("JOBBOARD_ALLOW_PRIVATE_SOURCES", "1")  # only to store the source
    source = add_public_source(db_url, f"http://localhost:{port}/v1/boards/acme/jobs")
    monkeypatch.setenv("JOBBOARD_ALLOW_PRIVATE_SOURCES", "0")
    [summary] = crawl([source], database_url=db_url, timeout=60)
    assert summary.status == "failed"
    asked = f"http://localhost:{port}/v1/boards/acme/jobs?content=true"
    assert summary.errors == [f"DNS lookup failed for {asked}"]
    assert seen == []


def test_a_logo_url_is_never_fetched_by_the_server(db_url: str, server) -> None:
    logo, seen = server(headers={"Content-Type": "image/png"}, body=b"\x89PNG")
    app = make_app(db_url)
    scraped_job(app, company_logo_url=logo + "/logo.png")
    client = app.test_client()
    job = client.get("/api/v1/jobs").get_json()["items"][0]
    assert job["company"]["logo_url"] == logo + "/logo.png"
    for path in ["/", f"/jobs/{job['url'].rsplit('/', 1)[1]}", "/feed.json", "/feed.atom"]:
        assert client.get(path).status_code == 200
    app.extensions["jobboard.engine"].dispose()
    assert seen == []
