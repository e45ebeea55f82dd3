"""Canonical URLs: one spelling per link so the same posting dedups and clicks go to one place."""

import re
from urllib.parse import unquote, unquote_plus, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "dclid",
        "fbclid",
        "gbraid",
        "gclid",
        "gh_src",
        "igshid",
        "lever-origin",
        "lever-source",
        "lever-via",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "msclkid",
        "oly_anon_id",
        "oly_enc_id",
        "ref",
        "ref_src",
        "referer",
        "referrer",
        "source",
        "src",
        "trk",
        "trackingid",
        "ttclid",
        "twclid",
        "vero_id",
        "wbraid",
        "yclid",
    }
)
TRACKING_PREFIXES = ("utm_", "mc_", "hsa_", "pk_")
DEFAULT_PORTS = {"http": 80, "https": 443}

_HOST = re.compile(r"^[\w.-]+$")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")
# No control character either: an address is shown in `jobboard sponsors list`, where an
# escape sequence (ESC c) would act on the operator's terminal.
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"/\x00-\x1f\x7f]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}$")


def is_tracking_param(name: str) -> bool:
    """Tell analytics and referral parameters from ones that select the page."""
    key = unquote_plus(name).strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _clean_query(query: str) -> str:
    """Drop tracking and empty parameters; keep the rest in order and in their own encoding."""
    kept = [
        part for part in query.split("&") if part and not is_tracking_param(part.split("=", 1)[0])
    ]
    return "&".join(kept)


def _netloc(host: str, port: int | None, scheme: str) -> str:
    """Rebuild the host part without credentials and without the scheme's default port."""
    host = f"[{host}]" if ":" in host else host
    return host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"


def _keeps_fragment(fragment: str) -> bool:
    """Keep hash-routes ("#/jobs/42", "#!/jobs/42"): on single-page sites they name the page."""
    return fragment.startswith(("/", "!/"))


def canonical_url(url: str | None) -> str | None:
    """Return the one spelling of an absolute http(s) URL, or None when it is not one."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url.replace(" ", "%20"))
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    host = host.rstrip(".")
    if not host or not (_HOST.match(host) or ":" in host):
        return None
    fragment = parts.fragment if _keeps_fragment(parts.fragment) else ""
    return urlunsplit(
        (
            scheme,
            _netloc(host, port, scheme),
            parts.path or "/",
            _clean_query(parts.query),
            fragment,
        )
    )


def canonical_email(address: str | None) -> str | None:
    """Return a plausible e-mail address with its domain lower-cased, or None.

    Plausible includes SMTP's limits: 64 characters before the @, 254 in all.
    """
    if not isinstance(address, str):
        return None
    address = unquote(address.strip())
    if not _EMAIL.match(address) or len(address) > 254:
        return None
    local, domain = address.rsplit("@", 1)
    if len(local) > 64:
        return None
    return f"{local}@{domain.lower()}"


def canonical_apply_target(url: str | None) -> str | None:
    """Canonicalize where an applicant is sent: an http(s) page or a mailto: address."""
    if not isinstance(url, str):
        return None
    target = url.strip()
    if target[:7].lower() == "mailto:":
        email = canonical_email(target[7:].split("?", 1)[0])
        return f"mailto:{email}" if email else None
    if "@" in target and "/" not in target:
        email = canonical_email(target)
        return f"mailto:{email}" if email else None
    return canonical_url(target)
