"""Topic tags from vocabulary word patterns plus the tags a source gives."""

import pytest

from models.normalize import TAG_VOCABULARY, extract_tags, tag_key


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Senior LLM Engineer", "llm"),
        ("Experience with LLMs", "llm"),
        ("We train large language models", "llm"),
        ("Build RAG pipelines", "llm"),
        ("NLP Scientist", "nlp"),
        ("natural language processing", "nlp"),
        ("Computer Vision Engineer", "computer-vision"),
        ("object detection at scale", "computer-vision"),
        ("MLOps Engineer", "mlops"),
        ("ML Platform team", "mlops"),
        ("Research Scientist", "research"),
        ("Robotics Software Engineer", "robotics"),
        ("RL Researcher", "reinforcement-learning"),
        ("RLHF data", "reinforcement-learning"),
        ("Speech Recognition", "speech"),
        ("ASR models", "speech"),
        ("Generative AI", "generative-ai"),
        ("Data Engineer", "data-engineering"),
        ("Kubernetes and GPU clusters", "infrastructure"),
        ("AI Safety researcher", "safety"),
        ("Golang services", "go"),
        ("Modern C++", "cpp"),
        ("PyTorch", "pytorch"),
        ("python", "python"),
    ],
)
def test_finds_vocabulary_tags(text, tag):
    assert tag in extract_tags(text)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Send your CV to us", "computer-vision"),
        ("Internal tools engineer", "research"),
        ("world-class curl", "reinforcement-learning"),
        ("Crust pizza", "rust"),
        ("Go to market", "go"),
        ("rl", "reinforcement-learning"),
        ("strategic alignment", "safety"),
        ("health and safety", "safety"),
        ("market research", "research"),
        ("company image", "computer-vision"),
        ("cpython internals", "python"),
        ("allmighty", "llm"),
        ("an influencer", "infrastructure"),
        ("Objective-C", "cpp"),
        ("torchbearer", "pytorch"),
    ],
)
def test_matches_whole_words_only(text, tag):
    assert tag not in extract_tags(text)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["Machine Learning"], ["machine-learning"]),
        (["LLMs"], ["llm"]),
        (["C++"], ["cpp"]),
        (["Large Language Models"], ["llm"]),
        (["  Remote Friendly  "], ["remote-friendly"]),
        (["A" * 60], ["a" * 40]),
        (["", "   ", None], []),
        (("pytorch", "PyTorch"), ["pytorch"]),
        (["Zürich AI"], ["zurich-ai"]),
    ],
)
def test_keeps_given_tags_slugified(extra, expected):
    assert extract_tags(extra=extra) == expected


@pytest.mark.parametrize(
    ("spellings", "tag"),
    [
        (["ML", "Machine Learning", "machine-learning"], "machine-learning"),
        (["AI", "Artificial Intelligence"], "ai"),
        (["DL", "Deep Learning"], "deep-learning"),
        (["CV", "Computer Vision"], "computer-vision"),
        (["ReactJS", "React.js", "React"], "react"),
        (["NodeJS", "Node.js"], "node-js"),
        (["Postgres", "PostgreSQL"], "postgresql"),
        (["k8s", "Kubernetes"], "infrastructure"),
    ],
)
def test_given_synonyms_are_one_tag(spellings, tag):
    """A sponsor's "ML" and a source's "Machine Learning" are one filter, not two."""
    assert extract_tags(extra=spellings) == [tag]
    assert {tag_key(spelling) for spelling in spellings} == {tag}


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("LLM Engineer", "PyTorch and Python"), ["llm", "python", "pytorch"]),
        (("Python", "python", "PYTHON"), ["python"]),
        ((None, "", "Robotics"), ["robotics"]),
        ((), []),
    ],
)
def test_returns_sorted_unique_tags(texts, expected):
    assert extract_tags(*texts) == expected


def test_keeps_at_most_twelve_tags_preferring_given_ones():
    text = (
        "LLM, NLP, computer vision, RLHF, generative AI, speech recognition, robotics, multimodal,"
        " agentic, AI safety, research scientist, MLOps, Kubernetes, data engineer, Python, PyTorch"
    )
    tags = extract_tags(text, extra=["sponsor-tag"])
    assert len(tags) == 12
    assert "sponsor-tag" in tags
    assert tags == sorted(tags)


def test_vocabulary_tags_are_slugs():
    assert all(tag == tag.lower() and " " not in tag for tag in TAG_VOCABULARY)


@pytest.mark.parametrize(
    ("label", "tag"),
    [("C#", "csharp"), (" c# ", "csharp"), ("F#", "fsharp"), (".NET", "dotnet"), ("C", "c")],
)
def test_a_given_tag_keeps_what_tells_it_apart(label, tag):
    """A slug would drop the sign that names them: "C#" is no "c", and ".NET" no "net"."""
    assert extract_tags(extra=[label]) == [tag]
    assert tag_key(label) == tag
