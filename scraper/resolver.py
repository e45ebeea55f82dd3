"""Refuse non-public addresses again when the crawler connects (DNS rebinding).

PrivateAddressMiddleware checks a request's host before it is sent, but the
downloader resolves the name again to connect, and a hostile DNS server can answer
a public address to the first lookup and 127.0.0.1 to the second. This resolver
checks the address the connection will really use. IP literals were checked by the
middleware already and cannot change; the configured HTTP(S) proxies are trusted.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy.crawler import Crawler
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from models import config
from models.netsafety import NON_PUBLIC, is_public

logger = logging.getLogger(__name__)


class PublicOnlyResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing names that resolve to non-public addresses."""

    allow_private = False
    trusted: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> PublicOnlyResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = config.allow_private_sources()
        resolver.trusted = frozenset(
            host for proxy in getproxies().values() if (host := urlsplit(proxy).hostname)
        )
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        resolved = super().getHostByName(name, timeout)
        if not (self.allow_private or name in self.trusted or _is_ip_literal(name)):
            resolved.addCallback(_public_only, name)
        return resolved


def _public_only(address: str, name: str) -> str:
    """The address, or a failed lookup (Twisted reports it as "no results for <name>")."""
    if not is_public(ipaddress.ip_address(address)):
        logger.warning("refused %s: it resolves to the %s %s", name, NON_PUBLIC, address)
        raise DNSLookupError(f"{name} resolves to the {NON_PUBLIC} {address}")
    return address


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True
