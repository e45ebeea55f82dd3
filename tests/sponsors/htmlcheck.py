"""Find markup that would run script in a page: the XSS tests' oracle, built on html5lib.

html5lib parses exactly as a browser does (the HTML5 algorithm), so broken
markup and entity tricks are judged the way chromium would see them.
"""

from __future__ import annotations

import re

import html5lib

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
_IGNORED = re.compile(r"[\x00-\x20]+")
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
ALLOWED_SCRIPT_SRC = "/static/"


def dangers(markup: str) -> list[str]:
    """Every element or attribute in `markup` that could execute script, described."""
    tree = html5lib.parse(markup, namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        found += _element_dangers(tag.rsplit("}", 1)[-1].lower(), element)
    return found


def _element_dangers(tag: str, element) -> list[str]:
    found = []
    if tag == "script" and not _harmless_script(element):
        found.append(f"<script> {element.attrib} {(element.text or '')[:80]!r}")
    if tag in {"iframe", "object", "embed", "frame", "base", "style"}:
        found.append(f"<{tag}>")
    if tag == "meta" and element.attrib.get("http-equiv", "").lower() == "refresh":
        found.append(f"<meta refresh {element.attrib.get('content')!r}>")
    for name, value in element.attrib.items():
        name = name.rsplit("}", 1)[-1].lower()
        if name.startswith(("on", "hx-on", "data-hx-on")):  # htmx runs hx-on:* as script
            found.append(f"<{tag} {name}={value!r}>")
        if name in URL_ATTRIBUTES and _IGNORED.sub("", value).lower().startswith(SCRIPT_SCHEMES):
            found.append(f"<{tag} {name}={value!r}>")
        if name == "style" and "expression" in value.lower():
            found.append(f"<{tag} style={value!r}>")
    return found


def _harmless_script(element) -> bool:
    """JSON-LD data, or a script file served by the app itself."""
    kind = element.attrib.get("type", "").lower()
    if kind == "application/ld+json":
        return "</script" not in (element.text or "").lower()
    src = element.attrib.get("src", "")
    return src.startswith(ALLOWED_SCRIPT_SRC) and not (element.text or "").strip()
