"""Raw posting dicts as spiders and sponsors hand them in, one builder per shape."""

from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count(1)


def raw_posting(**overrides: Any) -> dict[str, Any]:
    """A valid raw posting; each call a new opening unless title/company/location are given."""
    n = next(_ids)
    posting = {
        "external_id": f"ext-{n}",
        "url": f"https://boards.example.com/acme/jobs/{n}",
        "apply_url": f"https://boards.example.com/acme/jobs/{n}?utm_source=newsletter&gh_jid={n}",
        "title": f"Senior Machine Learning Engineer {n}",
        "company": "Acme AI",
        "company_website": "https://acme.example",
        "location": "London, UK",
        "remote": "hybrid",
        "employment_type": "Full-time",
        "salary": "£90k - £120k per year",
        "description_html": (
            "<p>Train <strong>LLMs</strong> with PyTorch.</p><script>alert(1)</script>"
        ),
        "tags": ["LLM"],
        "posted_at": "2026-11-20T09:00:00Z",
    }
    posting.update(overrides)
    return posting
