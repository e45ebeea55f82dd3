"""The SSRF guard: which URLs the crawler may fetch when private sources are not allowed."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from models.netsafety import UnsafeURL, check_url, is_public, names_private_host
from scraper.middlewares import PrivateAddressMiddleware


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:10.0.0.1",
    ],
)
def test_non_public_addresses_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/jobs",
        "http://localhost/jobs",
        "https://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.0.0.8/boards",
    ],
)
def test_urls_on_private_hosts_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURL, match="non-public address"):
        check_url(url, allow_private=False)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://93.184.215.14/jobs.json", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("boards.greenhouse.io/acme", "no scheme: write it whole, e.g. https://boards.greenhouse"),
        ("https:///jobs", "no host"),
        ("http://[::1/", "not a valid URL"),
    ],
)
def test_malformed_or_non_http_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURL, match=reason):
        check_url(url, allow_private=True)


def test_public_ip_urls_pass_and_name_their_host() -> None:
    assert check_url("https://93.184.215.14:8443/v1/jobs", allow_private=False) == "93.184.215.14"


def test_allowing_private_sources_skips_the_address_check() -> None:
    assert check_url("http://127.0.0.1:5000/jobs", allow_private=True) == "127.0.0.1"


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/x", "http://169.254.169.254/latest", "http://localhost:8080/redirected"],
)
def test_the_middleware_refuses_requests_to_private_addresses(url: str) -> None:
    middleware = PrivateAddressMiddleware(allow_private=False)
    with pytest.raises(IgnoreRequest, match="non-public address"):
        asyncio.run(middleware.process_request(Request(url)))


def test_the_middleware_lets_public_addresses_through() -> None:
    middleware = PrivateAddressMiddleware(allow_private=False)
    assert asyncio.run(middleware.process_request(Request("https://93.184.215.14/jobs"))) is None


@pytest.mark.parametrize(
    "url",
    ["https://1password.com/careers", "https://123.example/jobs", "https://93.184.215.14/apply"],
)
def test_public_hosts_are_not_private_on_their_face(url: str) -> None:
    """A name beginning with digits is a name, not an address: it must not be refused."""
    assert not names_private_host(url)
