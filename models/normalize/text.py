"""Plain-text helpers: cleaning, comparison keys and slugs."""

import html
import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

# ASCII control characters that are not whitespace (str.isspace counts \x1c-\x1f as space).
_ASCII_STRAY_CONTROLS = dict.fromkeys([*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F])
_NON_ALNUM = re.compile(r"[\W_]+")
DOTTED_ABBREVIATION = re.compile(r"\b(?:[A-Za-z]\.){2,}")

# Legal forms only: brand words such as "Labs", "AI" or "Group" stay in the slug.
LEGAL_SUFFIXES = frozenset(
    {
        "ab",
        "ag",
        "as",
        "asa",
        "bv",
        "co",
        "corp",
        "corporation",
        "gmbh",
        "inc",
        "incorporated",
        "kg",
        "kk",
        "limited",
        "llc",
        "llp",
        "lp",
        "ltd",
        "nv",
        "oy",
        "oyj",
        "pbc",
        "plc",
        "pte",
        "pty",
        "sa",
        "sarl",
        "sas",
        "se",
        "spa",
        "sl",
        "srl",
        "ug",
    }
)


# Zero width joiner and non-joiner: format characters, but part of the text they sit in
# (emoji sequences such as 👩‍💻, Persian and Indic spellings), so kept inside a word.
JOINERS = "\u200c\u200d"


def _is_stray_control(char: str) -> bool:
    """Tell control and invisible format characters (bidi overrides, zero width spaces...)
    from real text; joiners are text."""
    return (
        unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co")
        and not char.isspace()
        and char not in JOINERS
    )


def clean_text(text: str | None, max_length: int | None = None) -> str | None:
    """Make a one-line field safe to store: no control characters, single spaces, no blanks,
    letters composed (NFC), so a letter and its accent sent apart read as the letter.

    HTML character references are decoded, once: boards send "R&amp;D &#8211; LLMs" in
    plain-text fields, which stored as written showed "&amp;" and kept the posting from
    matching the same opening elsewhere; "&amp;lt;" becomes a literal "&lt;". A joiner that
    joins nothing (at a word's edge) goes too, so no field is only invisible.
    """
    if not isinstance(text, str):
        return None
    text = html.unescape(text)
    if text.isascii():
        cleaned = " ".join(text.translate(_ASCII_STRAY_CONTROLS).split())
    else:
        text = unicodedata.normalize("NFC", text)  # "Zu\u0308rich" is "Zürich", as typed
        visible = "".join(char for char in text if not _is_stray_control(char))
        cleaned = " ".join(filter(None, (word.strip(JOINERS) for word in visible.split())))
    if max_length is not None and len(cleaned) > max_length:
        cleaned = cleaned[: max(max_length, 0)].rstrip(" " + JOINERS)
    return cleaned or None


# Tags of the markup sources leave in titles; "Robotics <Engineer>" is a title's own text.
_MARKUP_TAG = re.compile(
    r"</?(?:a|b|br|div|em|font|h[1-6]|i|li|ol|p|small|span|strong|sub|sup|u|ul)\b[^<>]*>",
    re.IGNORECASE,
)
_TITLE_EDGES = " ,;:|/-\u2013\u2014"


def clean_title(text: str | None, max_length: int | None = None) -> str | None:
    """A title as clean_text makes it, without markup ("<p>Senior Engineer</p>") or a
    separator left dangling where a source cut a part off ("Senior ML Engineer -")."""
    cleaned = clean_text(text)
    if cleaned is None:
        return None
    return clean_text(_MARKUP_TAG.sub(" ", cleaned).strip(_TITLE_EDGES), max_length)


def strip_accents(text: str) -> str:
    """Fold accented letters to their base letters so spellings compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalize_key(text: str | None) -> str:
    """Reduce text to lower-case alphanumeric words so near-identical spellings compare equal."""
    if not isinstance(text, str):
        return ""
    folded = strip_accents(text.casefold()).replace("&", " and ")
    return _NON_ALNUM.sub(" ", folded).strip()


# A work mode standing alone ("Remote", "Remote - US", "Hybrid)"), not a topic ("Remote Sensing").
_WORK_MODE = (
    r"(?:fully\s+|100%\s*)?(?:remote|hybrid|on[\s-]?site)\b"
    r"(?=\s*(?:[()\[\],;:/|\u2013\u2014-]|$))"
)
# Marks no two openings differ by: gender tags ("(m/w/d)", "H/F", "(all genders)"; one names
# m or f, so "H/W Engineer" keeps its hardware), a work mode in brackets or after a
# separator ("(Remote)", "- Hybrid"; the policy is keyed apart).
_TITLE_NOISE = re.compile(
    r"\(?(?<![\w/])(?=(?:[mwfdhx]\s*[/|]\s*)*[mf])[mwfdhx](?:\s*[/|]\s*[mwfdhx]){1,3}(?![\w/])\)?"
    r"|\(\s*all\s+genders?\s*\)"
    rf"|[(\[]\s*{_WORK_MODE}[^)\]]*[)\]]|(?:\s[-\u2013\u2014|]\s|,)\s*{_WORK_MODE}.*$",
    re.IGNORECASE,
)
_TITLE_ABBREVIATIONS = {"sr": "senior", "snr": "senior", "jr": "junior", "jnr": "junior"}
# One level written after the title, in brackets or after a separator: "Software Engineer
# (Senior)", "ML Engineer - Staff", "Data Scientist, Sr." are the openings other boards call
# "Senior Software Engineer"... Two levels ("(Senior/Staff)") or other words ("(Platform)",
# ", Tech Lead") are part of the title where they are.
_TRAILING_LEVEL = re.compile(
    r"(?:[(\[]|\s[-\u2013\u2014|]\s|,)\s*"
    r"(?P<level>senior|sr|snr|junior|jr|jnr|staff|principal|lead)\.?(?:\s*[)\]])?\s*$",
    re.IGNORECASE,
)
# Languages named by a symbol that the key's letters and digits would lose, making a
# "C++ Engineer" and a "C# Engineer" one opening.
_SYMBOL_LANGUAGE = re.compile(r"(?<![\w.+#])([a-z])(\+\+|#)(?![\w+#])|(?<![\w.])\.net\b", re.I)
_SYMBOL_WORDS = {"++": "pp", "#": "sharp"}


def _spell_symbol_language(match: re.Match[str]) -> str:
    """Spell "C++", "C#" or ".NET" in words the key keeps: "cpp", "csharp", "dotnet"."""
    letter, symbol = match.group(1, 2)
    return f" {letter}{_SYMBOL_WORDS[symbol]} " if letter else " dotnet "


def _level_first(title: str) -> str:
    """The title with a level written after it moved before it: "Senior Software Engineer"."""
    trailing = _TRAILING_LEVEL.search(title)
    return f"{trailing['level']} {title[: trailing.start()]}" if trailing else title


def title_key(title: str | None) -> str:
    """A title as a comparison key: "Sr. ML Engineer (Remote)", "ML Engineer (Senior)" and
    "Senior ML Engineer" match."""
    if not isinstance(title, str):
        return ""
    plain = _level_first(_TITLE_NOISE.sub(" ", title))
    spelled = _SYMBOL_LANGUAGE.sub(_spell_symbol_language, plain)
    words = normalize_key(spelled).split()
    return " ".join(_TITLE_ABBREVIATIONS.get(word, word) for word in words)


def slugify(text: str, max_length: int = 80) -> str:
    """Turn text into a URL-safe lower-case hyphenated slug, cut on a word boundary."""
    if not isinstance(text, str):
        return ""
    return _slugify(text, max_length=max_length, word_boundary=True, save_order=True)


@lru_cache(maxsize=4096)
def company_slug(name: str) -> str:
    """Slug a company name without its legal form, so "Anthropic, PBC" and "Anthropic" match.

    Cached: a board's postings all name one company, and validation asks once more.
    """
    if not isinstance(name, str):
        return ""
    undotted = DOTTED_ABBREVIATION.sub(lambda match: match.group().replace(".", ""), name)
    words = normalize_key(undotted.replace(".", " ")).split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return slugify(" ".join(words))
