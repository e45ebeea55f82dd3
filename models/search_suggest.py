"""Another spelling of a search that found nothing: "machien lerning" -> "machine learning".

Neither database's full-text search forgives a typo, so a misspelt word finds nothing. Each
word of the query that is no word seekers search for is replaced by the nearest one that is,
if one is near enough; the caller offers the result only if it finds jobs. The words are
those the board knows the field by (its tags, spellings, levels, places and the words of job
titles) and those of the catalog's companies, places and tags (`FacetIndex.words`), so a
suggestion is the same on SQLite and PostgreSQL and costs no query to make. No English word
list ships with the project, so the caller asks the search index which doubtful words jobs use
(`doubtful`): those are spelt right and stay.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from models.normalize.classify import EMPLOYMENT_TYPES, SENIORITIES
from models.normalize.places import CITY_COUNTRIES
from models.normalize.remote import REMOTE_POLICIES
from models.normalize.tags import TAG_SYNONYMS, TAG_VOCABULARY
from models.search_terms import SPELLINGS, STOP_WORDS, fold_accents

# The words of job titles and fields that the vocabularies above do not hold.
_TITLE_WORDS = """
    engineer engineering scientist science research researcher developer development
    manager management designer design analyst analytics architect architecture lead head
    director principal staff senior junior intern internship graduate founding member
    technical product program project software hardware backend frontend fullstack
    platform infrastructure security applied machine learning deep data vision language
    robotics reinforcement models model training inference evaluation alignment safety
    interpretability pretraining compute kernels distributed systems cloud devops
    reliability site mobile android ios web recruiter recruiting talent marketing sales
    operations support solutions customer success account executive partnerships policy
    legal finance counsel writer content community advocate specialist consultant
    coordinator administrator assistant associate officer generalist strategy growth
    python rust golang java javascript typescript kotlin swift scala cuda pytorch
    tensorflow jax kubernetes docker terraform postgresql react remote hybrid onsite
    europe america asia africa contract temporary fulltime parttime
"""
_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\S+")
SHORTEST = 4  # letters: a shorter word is too often the intended one ("rust", "jax")
CLOSENESS = 0.8  # difflib's ratio: one letter wrong, missing or swapped in a word of 5+


def words_in(texts: Iterable[str | None]) -> frozenset[str]:
    """The lower-case runs of letters of these texts, the words a respelling may offer
    ("computer-vision": "computer", "vision"); only a word of letters is ever respelt."""
    return frozenset(word for text in texts if text for word in _LETTERS.findall(text.lower()))


VOCABULARY = words_in(
    [
        _TITLE_WORDS,
        *SPELLINGS,
        *TAG_VOCABULARY,
        *TAG_SYNONYMS.values(),
        *CITY_COUNTRIES,
        *SENIORITIES,
        *EMPLOYMENT_TYPES,
        *REMOTE_POLICIES,
    ]
)
_CHOICES = sorted(VOCABULARY)
_KNOWN = VOCABULARY | STOP_WORDS


def respelled(q: str, catalog: frozenset[str] = frozenset()) -> str | None:
    """q with each unknown word of SHORTEST letters or more replaced by the nearest known
    word, keeping quotes, a leading `-` and `or`; None when no word changes. `catalog`: more
    known words, those of the jobs on the board (their companies, places and tags, and the
    words of q that the search index finds, see `doubtful`)."""
    changed = False
    choices = _choices(catalog)

    def replace(token: re.Match[str]) -> str:
        nonlocal changed
        text = token.group()
        for word in _WORD.findall(text):
            better = _nearest(word, catalog, choices)
            if better:
                text = text.replace(word, better, 1)
                changed = True
        return text

    suggestion = _TOKEN.sub(replace, q.strip())
    return suggestion if changed else None


def doubtful(q: str, catalog: frozenset[str] = frozenset()) -> list[str]:
    """The words of q that `respelled` would replace, as it compares them (lower case, no
    accents). Only a typo should be replaced, and no word list tells a typo from a real word
    the board does not know ("search", one letter from "research"); a word that jobs on the
    board use is no typo, so the caller asks the search index about these."""
    choices = _choices(catalog)
    words = (fold_accents(word.lower()) for word in _WORD.findall(q))
    return sorted({word for word in words if _nearest(word, catalog, choices)})


def _choices(catalog: frozenset[str]) -> list[str]:
    return sorted(catalog - _KNOWN) + _CHOICES if catalog else _CHOICES


def _nearest(word: str, catalog: frozenset[str], choices: list[str]) -> str | None:
    plain = fold_accents(word.lower())
    if len(plain) < SHORTEST or not plain.isalpha() or plain in _KNOWN or plain in catalog:
        return None
    matches = difflib.get_close_matches(plain, choices, n=1, cutoff=CLOSENESS)
    return matches[0] if matches else None
