"""Refuse URLs that would make the crawler reach into our own network (SSRF guard).

Pure: no Scrapy, no database. `sources add` checks a URL before storing it and the
crawler's downloader middleware checks every request (redirects included) before
sending it. Every address the host resolves to must be public; one private answer
refuses the whole URL, so a DNS name cannot smuggle an internal address in beside a
public one.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from models import config

ALLOWED_SCHEMES = ("http", "https")
NON_PUBLIC = "non-public address"  # in every refusal of an address, so callers can tell
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURL(ValueError):
    """A URL the crawler must not fetch; the message says why, for the CLI and the run's errors."""


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"cannot resolve host {host!r}: {exc}") from exc
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


# Ranges this Python still calls global: Oracle Cloud's metadata service (192.0.0.192 in the
# IETF protocol block) and the local-use NAT64 prefix (RFC 8215).
NOT_GLOBAL = (ipaddress.ip_network("192.0.0.0/24"), ipaddress.ip_network("64:ff9b:1::/48"))
# IPv6 ranges whose last 32 bits are an IPv4 address a gateway would reach: NAT64,
# IPv4-compatible, and SIIT's IPv4-translated ::ffff:0:a.b.c.d (RFC 2765).
CARRY_IPV4 = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("::/96"),
    ipaddress.ip_network("::ffff:0:0:0/96"),
)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, compatible, NAT64, 6to4), if any."""
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if any(address in network for network in CARRY_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast: not private, loopback, link-local, multicast or reserved.

    An IPv6 address that carries an IPv4 one is judged by the IPv4 address it reaches.
    Reserved is checked apart: this Python calls IPv6 space outside 2000::/3 (5f00::1)
    global although no public host lives there.
    """
    if isinstance(address, ipaddress.IPv6Address) and (ipv4 := embedded_ipv4(address)):
        address = ipv4
    if any(address in network for network in NOT_GLOBAL):
        return False
    return address.is_global and not (address.is_multicast or address.is_reserved)


def check_url(url: str, *, allow_private: bool | None = None) -> str:
    """Return the host of an http(s) URL that is safe to fetch, or raise UnsafeURL.

    `allow_private` defaults to JOBBOARD_ALLOW_PRIVATE_SOURCES; when allowed, the
    scheme and host are still checked but the host is not resolved.
    """
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise UnsafeURL(f"not a valid URL: {exc}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        if not parts.scheme:
            raise UnsafeURL(f"the URL has no scheme: write it whole, e.g. https://{url.strip()}")
        raise UnsafeURL(f"only http and https URLs are allowed, not {parts.scheme!r}")
    if not host:
        raise UnsafeURL("the URL has no host")
    if allow_private is None:
        allow_private = config.allow_private_sources()
    if allow_private:
        return host
    default_port = 443 if parts.scheme.lower() == "https" else 80
    for address in resolve(host, port or default_port):
        if not is_public(address):
            raise UnsafeURL(
                f"{host} resolves to the {NON_PUBLIC} {address} "
                "(set JOBBOARD_ALLOW_PRIVATE_SOURCES=1 to allow it for local testing)"
            )
    return host


# Names that reach the visitor's own machine or network, never a company's careers page.
_LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".home.arpa", ".lan")


def names_private_host(url: str) -> bool:
    """Whether an http(s) URL's host is, on its face, a loopback, private or reserved
    address or a local name: an apply link there would send a seeker's browser into their
    own network (their router's admin page). Checked without DNS: a public name that
    resolves to a private address is not caught, but nor is a posting refused because a
    resolver was slow."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return False
    if host == _LOCAL_NAMES[0] or host.endswith(_LOCAL_NAMES[1:]):
        return True
    address = _ip_literal(host)
    return address is not None and not is_public(address)


def _ip_literal(host: str) -> IPAddress | None:
    """The address a host written as an IP literal stands for, in any form a browser reads:
    "10.0.0.1", "[::1]", and IPv4 as one number or in hex or octal parts ("3232235777",
    "0x7f.1")."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or host.strip("0123456789abcdefx.") or not host[0].isdigit():
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None
