"""A seeded, realistic data set of raw postings: varied companies, titles, 300-word texts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

COMPANIES = [
    "Lumina Labs",
    "Vectorial",
    "Captur",
    "Halcyon AI",
    "Northwind Robotics",
    "Glasswing",
    "Tessellate",
    "Parlance",
    "Ferrous",
    "Mosaic Grid",
    "Orbital Forge",
    "Kestrel Systems",
    "Quillstone",
    "Mediscan Health",
    "Brightpath Analytics",
    "Arbor Quant",
    "Synthwave Bio",
    "Cobalt Docs",
    "Meridian Mobility",
    "Sable & Finch",
]
ROLES = [
    "Machine Learning Engineer",
    "Research Scientist",
    "Data Scientist",
    "MLOps Engineer",
    "Backend Engineer",
    "Research Engineer",
    "Applied Scientist",
    "Data Engineer",
    "Computer Vision Engineer",
    "NLP Engineer",
    "Robotics Software Engineer",
    "Infrastructure Engineer",
    "Product Manager, AI",
    "Developer Advocate",
    "Site Reliability Engineer",
    "Frontend Engineer",
    "Solutions Engineer",
    "Inference Engineer",
]
LEVELS = ["", "Senior ", "Staff ", "Principal ", "Junior ", "Lead ", "Sr. ", ""]
TEAMS = [
    "",
    ", LLM Platform",
    ", Alignment",
    ", Inference",
    ", Evaluation",
    ", Pretraining",
    ", Agents",
    ", Search",
    ", Speech",
    ", Perception",
    ", Data Platform",
]
LOCATIONS = [
    ("London, UK", "hybrid"),
    ("Remote (UK time +/- 2 hours)", "remote"),
    ("San Francisco, CA", "onsite"),
    ("New York, NY", "hybrid"),
    ("Berlin, Germany", "hybrid"),
    ("Paris, France", "onsite"),
    ("Remote - Europe", "remote"),
    ("Remote, US timezones", "remote"),
    ("Toronto, Canada", "onsite"),
    ("Zürich, Switzerland", "onsite"),
    ("Bengaluru, India", "hybrid"),
    ("Amsterdam, Netherlands", "hybrid"),
    ("Seattle, WA", "onsite"),
    ("Austin, TX", "remote"),
    ("Singapore", "onsite"),
    ("Tokyo, Japan", "onsite"),
]
SALARIES = [
    "$150k\u2013$200k per year",
    "USD 180,000-220,000 per year",
    "€70.000 \u2013 €90.000 per year",
    "£60k - £80k per year",
    "CHF 140'000 - 170'000 per year",
    "$45/hr",
    "$8,000/month",
    "£500 per day",
    "₹25 LPA",
    None,
    None,
]
TAGS = ["LLM", "PyTorch", "Python", "Kubernetes", "JAX", "CUDA", "RAG", "Rust", "NLP", "Robotics"]
WORDS = [
    "model",
    "training",
    "evaluation",
    "pipeline",
    "data",
    "distributed",
    "inference",
    "latency",
    "throughput",
    "research",
    "product",
    "customers",
    "retrieval",
    "embeddings",
    "fine-tuning",
    "agents",
    "tooling",
    "reliability",
    "observability",
    "kernels",
    "GPUs",
    "experiments",
    "datasets",
    "annotation",
    "safety",
    "alignment",
    "benchmarks",
    "deployment",
    "serving",
    "scaling",
    "clusters",
    "architecture",
    "design",
    "review",
    "mentoring",
    "collaboration",
    "roadmap",
    "quality",
    "metrics",
    "monitoring",
    "features",
    "transformers",
    "diffusion",
    "multimodal",
    "speech",
    "vision",
    "language",
    "reinforcement",
    "learning",
    "optimization",
]
RARE_WORD = "zanzibarite"  # appears in ~0.1% of descriptions: the benchmark's rare search term
# Real descriptions carry typographic punctuation (curly quotes, dashes), and often accented
# words ("résumé", "Zürich"), which the search folds: every description here ends with the one,
# one in ACCENTED_EVERY with the other. Added by position, they leave every other field as it was.
CLOSING_NOTE = "<p>We\u2019re an equal-opportunity employer \u2013 everyone is welcome.</p>"
ACCENTED_NOTE = "<p>Send us your résumé, from Zürich, München or São Paulo.</p>"
ACCENTED_EVERY = 5


def description(rng: random.Random, words: int = 300) -> str:
    """About `words` words in a few paragraphs and a list, like a real ATS description."""
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if rng.random() < 0.001:
        chosen[rng.randrange(words)] = RARE_WORD
    paragraphs = [" ".join(chosen[i : i + 60]).capitalize() + "." for i in range(0, words - 60, 60)]
    bullets = "".join(f"<li>{' '.join(chosen[words - 60 + i * 10 :][:10])}</li>" for i in range(6))
    return "".join(f"<p>{p}</p>" for p in paragraphs) + f"<ul>{bullets}</ul>"


def postings(count: int, *, seed: int = 7, prefix: str = "bench") -> Iterator[dict[str, Any]]:
    """`count` raw postings shaped as spiders hand them to ingest; same seed, same data."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for n in range(count):
        company = f"{rng.choice(COMPANIES)} {n % 997}" if n % 3 else rng.choice(COMPANIES)
        location, remote = rng.choice(LOCATIONS)
        title = f"{rng.choice(LEVELS)}{rng.choice(ROLES)}{rng.choice(TEAMS)} {n}"
        yield {
            "external_id": f"{prefix}-{n}",
            "url": f"https://boards.example.com/{prefix}/jobs/{n}",
            "apply_url": f"https://boards.example.com/{prefix}/jobs/{n}?gh_jid={n}&utm_source=bench",
            "title": title,
            "company": company,
            "location": location,
            "remote": remote,
            "employment_type": rng.choice(
                ["Full-time", "Full-time", "Contract", "Part-time", "Internship"]
            ),
            "salary": rng.choice(SALARIES),
            "description_html": description(rng)
            + CLOSING_NOTE
            + ("" if n % ACCENTED_EVERY else ACCENTED_NOTE),
            "tags": rng.sample(TAGS, rng.randint(0, 3)),
            "posted_at": (start - timedelta(minutes=rng.randrange(60 * 24 * 40))).isoformat(),
        }
