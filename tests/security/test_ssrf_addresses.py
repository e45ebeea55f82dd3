"""SSRF: IPv6 spellings the crawler must not reach, beyond those in reliability/test_ssrf.py.

An SIIT translator (RFC 2765) turns ::ffff:0:a.b.c.d into the IPv4 address a.b.c.d,
and IPv6 space outside 2000::/3 holds no public host, though this Python calls some
of it global.
"""

from __future__ import annotations

import pytest

from models.netsafety import UnsafeURL, check_url


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:0:127.0.0.1]/",  # IPv4-translated loopback
        "http://[::ffff:0:a9fe:a9fe]/latest/meta-data/",  # IPv4-translated 169.254.169.254
        "http://[0:0:0:0:ffff:0:10.0.0.1]/",
        "http://[5f00::1]/",  # SRv6 segment identifiers (RFC 9602), reserved space
        "http://[4000::1]/",
    ],
)
def test_ipv4_translated_and_reserved_ipv6_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURL, match="non-public address"):
        check_url(url, allow_private=False)


def test_an_ipv4_translated_public_address_passes() -> None:
    assert check_url("http://[::ffff:0:8.8.8.8]/", allow_private=False) == "::ffff:0:8.8.8.8"
