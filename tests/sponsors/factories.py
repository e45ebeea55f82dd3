"""Sponsor posting fields as the form and the API hand them in."""

from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count(1)


def sponsor_fields(**overrides: Any) -> dict[str, Any]:
    """Valid sponsor fields; each call a new opening unless title/company/location are given."""
    n = next(_ids)
    fields = {
        "title": f"Staff Research Engineer {n}",
        "company": "Orbital Labs",
        "company_website": "https://orbital.example",
        "location": "Berlin, Germany",
        "remote": "hybrid",
        "remote_note": "CET +/- 3 hours",
        "employment_type": "full_time",
        "seniority": "staff",
        "salary_min": 120000,
        "salary_max": 150000,
        "salary_currency": "EUR",
        "salary_period": "year",
        "tags": ["LLM", "PyTorch"],
        "description": "Build **evaluation** tooling for our models.\n\n- Python\n- PyTorch",
        "apply_url": f"https://orbital.example/careers/{n}?utm_source=newsletter&ref=jb",
    }
    fields.update(overrides)
    return fields


def form_data(**overrides: Any) -> dict[str, str]:
    """Sponsor fields as a browser sends the posting form, with the poster's e-mail."""
    fields = sponsor_fields(**({"email": "hiring@orbital.example"} | overrides))
    fields["tags"] = ", ".join(fields["tags"])
    return {name: str(value) for name, value in fields.items()}
