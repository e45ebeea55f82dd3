"""A seeker's search words, read once and written as each database's query.

"quoted words" are a phrase, `or` between terms is OR, a leading `-` excludes a term,
every other term is required; a stop word standing alone is left out. Both databases
get the same terms, so they agree on what a query means, and a term seekers spell
two ways ("k8s", "kubernetes") is searched as either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def _accented_letters() -> tuple[str, str]:
    """Latin letters that carry diacritics, and the plain letters under them ("ü", "u")."""
    accented = [
        char
        for char in map(chr, range(0xC0, 0x250))
        if (parts := unicodedata.normalize("NFKD", char))[0].isascii()
        and len(parts) > 1
        and all(unicodedata.combining(mark) for mark in parts[1:])
    ]
    return "".join(accented), "".join(unicodedata.normalize("NFKD", c)[0] for c in accented)


# SQLite's tokenizer (unicode61) drops these diacritics, so "zurich" finds "Zürich" there;
# PostgreSQL's 'english' keeps them, so both its document and its query fold them.
ACCENTED, UNACCENTED = _accented_letters()
_ACCENTED_LETTER = re.compile(f"[{ACCENTED}]")
_UNACCENTED = dict(zip(ACCENTED, UNACCENTED, strict=True))

_WORD = re.compile(r"\w+", re.UNICODE)
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
MAX_WORDS = 16
# PostgreSQL's english stop words (tsearch_data/english.stop): its parser drops them from a
# query, so SQLite's must too, and a query of nothing else searches for nothing.
# fmt: off
STOP_WORDS = frozenset({
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
    "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
    "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
    "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
    "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an",
    "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
    "for", "with", "about", "against", "between", "into", "through", "during", "before",
    "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
    "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
    "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no",
    "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will",
    "just", "don", "should", "now",
})
# fmt: on

# Terms searched as any of their spellings. The parsers read "C++" and "C#" as "c", so the
# search documents spell them "cpp" and "csharp" (models/search.py), and so does the query.
_SPELLINGS = (
    ("c++", "cpp"),
    ("c#", "csharp"),
    ("k8s", "kubernetes"),
    ("llm", "llms", "large language model"),
    ("ml", "machine learning"),
    ("nlp", "natural language processing"),
    ("rl", "reinforcement learning"),
    ("genai", "generative ai"),
    ("sre", "site reliability"),
    ("fullstack", "full stack"),
    ("frontend", "front end"),
    ("backend", "back end"),
    ("huggingface", "hugging face"),
)
SPELLINGS = {
    **{
        written: tuple(s for s in group if s not in ("c++", "c#"))
        for group in _SPELLINGS
        for written in group
    },
    # "intern" stems as "internal" and "international" do, in most descriptions and in
    # titles such as "Internal Tools Engineer": it is searched as the word the search
    # documents give every internship's title (models/search.py), and a description's.
    **{written: ("internship",) for written in ("intern", "interns")},
}
# "C++" and "C#" within a phrase ("c++ performance", "c/c++") as the documents spell them.
_CPP = re.compile(r"(?<!\w)c\+\+(?![\w+#])", re.IGNORECASE)
_CSHARP = re.compile(r"(?<!\w)c#(?![\w+#])", re.IGNORECASE)
# Terms also searched as a tag alone: the word "go" is in most descriptions ("go-to-market").
TAGGED = {"golang": ("go",)}
# A spelling of several words written unquoted ("machine learning engineer") is one term.
_SEVERAL_WORDS = re.compile(
    r"(?<![-\w])("
    + "|".join(s.replace(" ", r"\s+") + "s?" for s in SPELLINGS if " " in s)
    + r")(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Term:
    """One term of a query: the spellings that satisfy it, as written (a word or a phrase),
    and the tags that satisfy it where they are tags."""

    spellings: tuple[str, ...]
    tags: tuple[str, ...] = ()

    def fts(self) -> str:
        phrases = ['"' + " ".join(_WORD.findall(s)) + '"' for s in self.spellings]
        phrases += [f'tags : "{tag}"' for tag in self.tags]
        return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"

    def tsquery(self) -> str:
        # In quotes the parser reads the text as words; only a quote or backslash could end it.
        # A slash or hyphen parts words, as SQLite's tokenizer does: the parser would read
        # "ai/ml" as a file path and ask "full-stack" for the compound beside its parts, which
        # the documents of "AI/ML" (see search._pg_respelled) and "Full Stack" do not hold.
        operands = ["'" + re.sub(r"['\\/-]", " ", s) + "'" for s in self.spellings]
        operands += [f"'{tag}':B" for tag in self.tags]  # tags (and the place) weigh B
        return operands[0] if len(operands) == 1 else "(" + " | ".join(operands) + ")"


Group = tuple[list[Term], list[Term]]  # (required, excluded), OR-ed with the other groups


def fold_accents(text: str) -> str:
    """text without the diacritics the search ignores: "Zürich" is "Zurich".

    Replaced letter by letter where they are: str.translate looks up every character of a
    text that is not all ASCII, ~120 us for a 300-word description with one dash in it."""
    if text.isascii():
        return text
    composed = unicodedata.normalize("NFC", text)  # "Zu\u0308rich" typed apart, as "Zürich"
    return _ACCENTED_LETTER.sub(lambda letter: _UNACCENTED[letter.group()], composed)


def has_terms(q: str) -> bool:
    """Whether q holds a word the search can look for: one that is no stop word.

    A query of stop words only ("the", "IT") would match nothing on PostgreSQL and
    nearly everything on SQLite; the board treats it as no search at all instead.
    """
    return any(word.lower() not in STOP_WORDS for word in _WORD.findall(q))


def groups(q: str) -> list[Group]:
    """The OR-ed groups of q's terms, each (required, excluded)."""
    found: list[Group] = [([], [])]
    budget = MAX_WORDS
    for match in _TERM.finditer(_quoted_spellings(_respelled(fold_accents(q)))):
        minus, quoted, bare = match.groups()
        if quoted is None and not minus and bare.lower() == "or":
            found.append(([], []))
            continue
        text = quoted if quoted is not None else bare
        words = _WORD.findall(text)[:budget]
        if not words or (quoted is None and len(words) == 1 and words[0].lower() in STOP_WORDS):
            continue
        budget -= len(words)
        as_read = text if len(words) == len(_WORD.findall(text)) else " ".join(words)
        written = " ".join(words).lower()
        singular = written.removesuffix("s") if len(words) > 1 else written  # "... models"
        spellings = SPELLINGS.get(text.lower()) or SPELLINGS.get(singular)
        term = Term(spellings or (as_read,), TAGGED.get(singular, ()))
        found[-1][1 if minus else 0].append(term)
    return found


def _respelled(q: str) -> str:
    """q with "C++" and "C#" written as the search documents hold them, "cpp" and "csharp"
    (models/search.py): the parsers read either as "c", also within a phrase."""
    return _CSHARP.sub("csharp", _CPP.sub("cpp", q))


def _quoted_spellings(q: str) -> str:
    """q with each known spelling of several words outside quotes quoted, as one term."""
    parts = q.split('"')
    for outside in range(0, len(parts), 2):
        parts[outside] = _SEVERAL_WORDS.sub(r'"\1"', parts[outside])
    return '"'.join(parts)


def fts_query(q: str) -> str:
    """q as an FTS5 query: only quoted runs of word characters reach FTS5, so no syntax can be
    injected. FTS5 cannot match "everything but": an exclusion with nothing required beside
    it is left out here (see `fts_exclusions`), and an empty query matches nothing."""
    return " OR ".join(
        " AND ".join(t.fts() for t in required) + "".join(f" NOT {t.fts()}" for t in excluded)
        for required, excluded in groups(q)
        if required
    )


def fts_exclusions(q: str) -> str:
    """The FTS5 query of the terms a query of exclusions only ("-python -java") leaves out,
    or "" for any other query: such a query means every job but those that match this."""
    parsed = groups(q)
    if len(parsed) != 1 or parsed[0][0]:
        return ""
    return " OR ".join(t.fts() for t in parsed[0][1])


def tsquery(q: str) -> str:
    """q as the text of PostgreSQL's to_tsquery, which stems it and drops its stop words."""
    ands = [
        " & ".join([t.tsquery() for t in required] + [f"!{t.tsquery()}" for t in excluded])
        for required, excluded in groups(q)
        if required or excluded
    ]
    return " | ".join(f"( {a} )" for a in ands)
