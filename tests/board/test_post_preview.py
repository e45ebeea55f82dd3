"""The posting form's preview: the facts a seeker will read, not only the title and text."""

from __future__ import annotations

import html
import re

from tests.sponsors.conftest import submit_form
from tests.sponsors.factories import form_data


def test_the_preview_shows_the_facts_as_the_job_page_will(client):
    """It showed the place and the description only: a salary typed 120000 or 12000, the type
    and the seniority went in unseen."""
    page = submit_form(client, "/post", form_data(action="preview")).get_data(as_text=True)
    preview = re.search(r'<section class="preview".*?</section>', page, re.S)[0]
    facts = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", preview)
    assert [(name, html.unescape(value)) for name, value in facts] == [
        ("Location", "Berlin, Germany"),
        ("Work setup", "Hybrid: CET +/- 3 hours"),
        ("Job type", "Full-time"),
        ("Seniority", "Staff"),
        ("Salary", "€120,000\u2013€150,000 a year"),
        ("Tags", "LLM, PyTorch"),
    ]
