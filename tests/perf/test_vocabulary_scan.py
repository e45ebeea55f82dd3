"""The fast vocabulary scanner finds exactly what the one big alternation finds."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.normalize.scan import Vocabulary
from models.normalize.tags import TAG_VOCABULARY

SCANNER = Vocabulary(TAG_VOCABULARY)
# Words that start (or nearly start) vocabulary patterns, in odd cases and glued forms,
# plus non-ASCII letters that match ASCII ones case-insensitively (Kelvin sign, long s,
# dotted and dotless i) and others that do not.
PIECES = [
    *(
        re.sub(r"\\|\(\?-i:|\(\?:|[()?*\[\]]|\\s|s-", "", p)
        for ps in TAG_VOCABULARY.values()
        for p in ps
    ),
    "RL",
    "rl",
    "Rl",
    "RAG",
    "Rag",
    "ASR",
    "TTS",
    "ROS2",
    "VLMs",
    "c++",
    "C++x",
    "gpt-4o",
    "gpt-٣",
    "llm agents",
    "LLM-agents",
    "ai agents",
    "trust & safety",
    "data",
    "databricks",
    "robots",
    "researchers",
    "K8s",
    "\u212a8s",
    "\u017fafety",
    "\u0130nfra",
    "\u0131t",
    # Other non-ASCII text, as most real descriptions hold: scanned lower-cased, as ASCII is.
    "it\u2019s",
    "\u2013",
    "Z\u00fcrich",
    "R\u00c9SUM\u00c9",
    "\u00c5I",
    "\u03a3ML",
    "the",
    "x",
    "-",
    "+",
    "\n",
]


def full_alternation(text: str) -> set[str]:
    return {SCANNER.labels[m.lastindex - 1] for m in SCANNER.full.finditer(text)}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10), st.sampled_from([" ", "", "-", "/", "+"]))
def test_scanner_finds_what_the_full_alternation_finds(pieces, glue):
    text = glue.join(pieces)
    assert SCANNER.labels_in(text) == full_alternation(text)


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("LLM agents for RAG", {"llm"}),  # the first pattern at a position wins: not "agents"
        ("Databricks and data pipelines", {"data-engineering"}),
        ("computer vision language models", {"computer-vision", "llm"}),  # no overlaps
        ("rag and Rag are not RAG", {"llm"}),
        ("torchbearer", set()),
    ],
)
def test_scanner_keeps_leftmost_first_pattern_semantics(text, labels):
    assert SCANNER.labels_in(text) == full_alternation(text) == labels


def test_a_pattern_must_start_with_a_literal():
    with pytest.raises(ValueError, match="must start"):
        Vocabulary({"x": [r"[ab]c"]})
