"""HTML descriptions: sanitizing for display and flattening to text for search."""

import html
import re
import unicodedata
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "br",
        "code",
        "div",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# Dropped together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "head",
        "svg",
        "math",
        "noscript",
        "template",
        "textarea",
        "select",
        "title",  # of a whole page pasted as a description
        "xml",  # Word's document properties
    }
)
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)

# A tag and its name; no "<" inside, and the name never given back: linear on "<a<a<a..."
# and on "<aaaa...", with no ">" to end them.
_REAL_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*+)[^<>]*>")
_ESCAPED_TAG = re.compile(r"&lt;\s*/?\s*[a-zA-Z]", re.IGNORECASE)
# A tag as nh3 serializes it: lower-case name, attribute values in double quotes.
_SANITIZED_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")


def unescape_if_escaped(markup: str) -> str:
    """Undo one level of entity-escaping when a source (Greenhouse) serves its HTML escaped."""
    if _ESCAPED_TAG.search(markup) and not _REAL_TAG.search(markup):
        return html.unescape(markup)
    return markup


# Block elements outside ALLOWED_TAGS, renamed to an allowed one rather than unwrapped:
# unwrapping "<h1>About</h1><section>We build</section>" glued the words ("AboutWe build")
# on the page and in the search text.
_RENAMED_BLOCKS = {
    "h1": "h2",
    "h5": "h4",
    "h6": "h4",
    **dict.fromkeys(
        (
            "address",
            "article",
            "aside",
            "center",
            "dd",
            "dl",
            "dt",
            "figcaption",
            "figure",
            "footer",
            "header",
            "main",
            "nav",
            "section",
        ),
        "div",
    ),
}
_RENAMED_TAG = re.compile(rf"<(/?)\s*({'|'.join(_RENAMED_BLOCKS)})(?=[\s/>])", re.IGNORECASE)


def _rename_blocks(markup: str) -> str:
    """Rename the tags of _RENAMED_BLOCKS, leaving their attributes to the sanitizer."""
    return _RENAMED_TAG.sub(
        lambda match: f"<{match.group(1)}{_RENAMED_BLOCKS[match.group(2).lower()]}", markup
    )


def _lines_kept(text: str) -> str:
    """Plain text (a JSON-LD description without markup) as paragraphs and line breaks,
    which HTML would otherwise run together ("Requirements - Python - 5 years")."""
    if "\n" not in text.strip() or _REAL_TAG.search(text):
        return text
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(f"<p>{'<br>'.join(paragraph.splitlines())}</p>" for paragraph in paragraphs)


# Built once: nh3.clean(html, **options) rebuilds the sanitizer's rules on every call.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
    url_relative="deny",
)


# Control characters but tab and line breaks, as typed or as entities (&#1;): invisible on a
# page, they are not allowed in XML at all (the Atom feed) and break some mail clients.
# A pattern, not str.translate, which looks up each character of a text that is not all ASCII.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sanitize_html(html_text: str | None) -> str:
    """Keep only harmless formatting and http(s)/mailto links from untrusted HTML."""
    if not isinstance(html_text, str) or not html_text.strip():
        return ""
    cleaned = _CLEANER.clean(_rename_blocks(_lines_kept(unescape_if_escaped(html_text))))
    if not cleaned.isascii():  # a letter and its accent sent apart ("Zu\u0308rich") composed
        cleaned = unicodedata.normalize("NFC", cleaned)
    return _CONTROLS.sub("", cleaned).strip()


class _TextCollector(HTMLParser):
    """Collect text nodes, turning block boundaries into line breaks."""

    def __init__(self) -> None:
        """Start with no text and outside any dropped element."""
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Break lines at block elements and start skipping script-like content."""
        if tag in DROPPED_WITH_CONTENT:
            self.skip_depth += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Close a block with a line break, or stop skipping dropped content."""
        if tag in DROPPED_WITH_CONTENT:
            self.skip_depth = max(self.skip_depth - 1, 0)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep visible text only."""
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(html_text: str | None) -> str:
    """Flatten HTML to plain text: one line per block, single spaces, entities decoded."""
    if not isinstance(html_text, str) or not html_text.strip():
        return ""
    markup = unescape_if_escaped(html_text)
    collector = _TextCollector()
    try:
        collector.feed(markup)
        collector.close()
    except AssertionError:
        # Python's parser gives up on a malformed "<![" declaration ("expected name
        # token"), which a sponsor's or a board's text can hold: what lies between tags.
        return _text_between(_REAL_TAG, markup)
    return _tidy("".join(collector.parts))


def sanitized_to_text(sanitized: str) -> str:
    """`html_to_text` of `sanitize_html`'s output, 5x faster: its tags are well-formed.

    nh3 escapes every `<` and `&` in text and drops script-like elements, so the text
    is exactly what lies between tags, entity-decoded, with block tags as line breaks.
    """
    if unescape_if_escaped(sanitized) is not sanitized:
        return html_to_text(sanitized)  # escaped markup only: html_to_text decodes it first
    return _text_between(_SANITIZED_TAG, sanitized)


def _text_between(tag: re.Pattern[str], markup: str) -> str:
    """The text between the `tag` matches (whose last group is the tag's name), each piece
    entity-decoded, with block tags as line breaks."""
    # Split, the pieces are: text, the tag's groups, text, the tag's groups, ..., text.
    pieces, step = tag.split(markup), tag.groups + 1
    parts = [html.unescape(pieces[0])]
    for name in range(tag.groups, len(pieces), step):
        if pieces[name].lower() in BLOCK_TAGS:
            parts.append("\n")
        parts.append(html.unescape(pieces[name + 1]))
    return _tidy("".join(parts))


def _tidy(text: str) -> str:
    """Single spaces, one line per block, no blank lines (str.split: no regex backtracking)."""
    return "\n".join(filter(None, (" ".join(line.split()) for line in text.split("\n"))))
