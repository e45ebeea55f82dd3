"""The error summary above the posting form: each problem named, linked to its field."""

from __future__ import annotations

import html
import re

from tests.sponsors.conftest import submit_form
from tests.sponsors.factories import form_data


def test_the_summary_links_each_problem_to_its_field(client):
    """It said only "Please correct 2 problems below." over a form four screens long on a phone."""
    data = form_data(action="preview", description="", apply_url="ftp://files.example/job")
    page = submit_form(client, "/post", data).get_data(as_text=True)
    summary = re.search(r'id="form-errors"[^>]*>(.*?)</div>', page, re.S)
    links = re.findall(r'<li><a href="#([\w-]+)">(.*?)</a></li>', summary.group(1))
    assert [(field, html.unescape(text)) for field, text in links] == [
        ("description", "Description: This field is required."),
        ("apply_url", "Apply URL or e-mail: Must be an http(s) URL or an e-mail address."),
    ]
