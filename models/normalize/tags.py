"""Topic tags found in titles and descriptions, plus the tags a source or sponsor gives."""

import re

from .scan import Vocabulary
from .text import slugify

MAX_TAGS = 12
MAX_TAG_LENGTH = 40

# tag -> word patterns, matched case-insensitively between word boundaries; (?-i:...) marks
# acronyms that only count in capitals ("RL", "ASR"). Earlier tags win when more than
# MAX_TAGS match.
# Bare "CV" (also a résumé) and bare "vision"/"image" are deliberately absent.
TAG_VOCABULARY: dict[str, tuple[str, ...]] = {
    "llm": (
        r"llms?",
        r"large[\s-]+language[\s-]+models?",
        r"gpt(?:-?\d\w*)?",
        r"(?-i:RAG)",
        r"retrieval[\s-]+augmented[\s-]+generation",
        r"prompt[\s-]+engineering",
        r"language[\s-]+models?",
    ),
    "nlp": (
        r"nlp",
        r"nlu",
        r"natural[\s-]+language[\s-]+(?:processing|understanding)",
        r"computational[\s-]+linguistics",
    ),
    "computer-vision": (
        r"computer[\s-]+vision",
        r"image[\s-]+(?:recognition|segmentation|classification|processing)",
        r"object[\s-]+detection",
        r"video[\s-]+understanding",
        r"opencv",
        r"visual[\s-]+perception",
    ),
    "reinforcement-learning": (
        r"reinforcement[\s-]+learning",
        r"(?-i:RL)",
        r"rlhf",
        r"deep[\s-]+rl",
    ),
    "generative-ai": (
        r"generative[\s-]+(?:ai|models?)",
        r"gen[\s-]?ai",
        r"diffusion[\s-]+models?",
        r"stable[\s-]+diffusion",
        r"foundation[\s-]+models?",
        r"text[\s-]+to[\s-]+image",
    ),
    "speech": (
        r"speech[\s-]+(?:recognition|synthesis|processing|models?|technology)",
        r"text[\s-]+to[\s-]+speech",
        r"speech[\s-]+to[\s-]+text",
        r"(?-i:ASR|TTS)",
        r"voice[\s-]+ai",
    ),
    "robotics": (
        r"robotics?",
        r"robots?",
        r"self[\s-]+driving",
        r"autonomous[\s-]+(?:vehicles?|driving|systems)",
        r"(?-i:ROS2?)",
    ),
    "multimodal": (
        r"multi[\s-]?modal(?:ity)?",
        r"vision[\s-]+language(?:[\s-]+models?)?",
        r"(?-i:VLMs?)",
    ),
    "agents": (r"ai[\s-]+agents?", r"llm[\s-]+agents?", r"agentic"),
    "safety": (
        r"ai[\s-]+safety",
        r"safety[\s-]+research",
        r"ai[\s-]+alignment",
        r"alignment[\s-]+(?:research|team|science)",
        r"interpretability",
        r"red[\s-]+team(?:ing)?",
        r"responsible[\s-]+ai",
        r"trust[\s-]+(?:and|&)[\s-]+safety",
    ),
    "research": (
        r"research[\s-]+(?:scientists?|engineers?|lab|team|interns?)",
        r"researchers?",
        r"applied[\s-]+research",
        r"fundamental[\s-]+research",
    ),
    "mlops": (
        r"ml[\s-]?ops",
        r"ml[\s-]+platform",
        r"ml[\s-]+infrastructure",
        r"model[\s-]+(?:serving|deployment)",
        r"feature[\s-]+stores?",
        r"kubeflow",
        r"mlflow",
    ),
    "infrastructure": (
        r"infrastructure",
        r"infra",
        r"kubernetes",
        r"k8s",
        r"distributed[\s-]+systems?",
        r"gpu[\s-]+clusters?",
        r"(?-i:HPC)",
        r"high[\s-]+performance[\s-]+computing",
        r"site[\s-]+reliability",
    ),
    "data-engineering": (
        r"data[\s-]+engineer(?:ing|s)?",
        r"(?-i:ETL|ELT)",
        r"data[\s-]+pipelines?",
        r"airflow",
        r"apache[\s-]+spark",
        r"pyspark",
        r"kafka",
        r"dbt",
        r"data[\s-]+warehous(?:e|ing)",
        r"databricks",
    ),
    "data-science": (r"data[\s-]+scien(?:ce|tists?)",),
    "recommender-systems": (
        r"recommend(?:er|ation)[\s-]+systems?",
        r"recsys",
        r"personali[sz]ation",
    ),
    "python": (r"python",),
    "pytorch": (r"pytorch", r"torch", r"libtorch"),
    "tensorflow": (r"tensorflow", r"keras"),
    "jax": (r"jax",),
    "cuda": (r"cuda", r"gpu[\s-]+kernels?", r"triton"),
    "rust": (r"rust",),
    "cpp": (r"c\+\+", r"cpp"),
    "go": (r"golang",),
}


# Scanned in one pass for the whole vocabulary (see scan.py): tagging stays cheap on
# 300-word descriptions at ingest rates.
_SCANNER = Vocabulary(TAG_VOCABULARY)
_WHOLE_TAG_PATTERNS = {
    tag: re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    for tag, patterns in TAG_VOCABULARY.items()
}


def vocabulary_tag(label: str) -> str | None:
    """The vocabulary tag a given label spells ("LLMs", "C++", "pytorch"), or None."""
    stripped = label.strip()
    if stripped.casefold() in TAG_VOCABULARY:
        return stripped.casefold()
    return next(
        (tag for tag, pattern in _WHOLE_TAG_PATTERNS.items() if pattern.fullmatch(stripped)), None
    )


# Given tags outside the vocabulary that sources spell two ways: one stored tag each, so
# a sponsor's "ML" and a source's "Machine Learning" are one filter, not two.
TAG_SYNONYMS = {
    "ml": "machine-learning",
    "artificial-intelligence": "ai",
    "dl": "deep-learning",
    "cv": "computer-vision",
    "js": "javascript",
    "ts": "typescript",
    "reactjs": "react",
    "react-js": "react",
    "nodejs": "node-js",
    "postgres": "postgresql",
}


# Labels whose slug would drop what tells them apart: "C#" is no "c", ".NET" no "net".
SPELLED_OUT = {"c#": "csharp", "f#": "fsharp", ".net": "dotnet"}


def tag_key(label: str) -> str:
    """The stored tag a label stands for, so a filter spelled "C++", "LLMs" or "ML" finds its
    jobs."""
    spelled = SPELLED_OUT.get(label.strip().casefold())
    tag = spelled or vocabulary_tag(label) or slugify(label, max_length=MAX_TAG_LENGTH)
    return TAG_SYNONYMS.get(tag, tag)


def _given_tags(extra: list[str] | tuple[str, ...]) -> list[str]:
    """Tags given by the source or sponsor: vocabulary spellings unified, others slugified."""
    tags = []
    for label in extra if isinstance(extra, list | tuple) else ():
        if isinstance(label, str) and label.strip():
            tag = tag_key(label)
            if tag:
                tags.append(tag)
    return tags


def extract_tags(*texts: str | None, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Tag a posting from its texts; given tags come first when there are more than MAX_TAGS."""
    joined = "\n".join(text for text in texts if isinstance(text, str))
    hits = _SCANNER.labels_in(joined)
    found = [tag for tag in TAG_VOCABULARY if tag in hits]
    unique = list(dict.fromkeys([*_given_tags(extra), *found]))
    return sorted(unique[:MAX_TAGS])
