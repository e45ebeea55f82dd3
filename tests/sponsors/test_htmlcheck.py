"""The XSS oracle itself: it must flag what a browser would run and pass what it would not."""

from __future__ import annotations

import pytest

from tests.sponsors.htmlcheck import dangers


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=' java\tscript:alert(1)'>x</a>",
        "<svg><animate onbegin=alert(1)>",
        "<iframe src=//evil.example></iframe>",
        "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
        '<script type="application/ld+json">{}</script><script>alert(1)</script>',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        "<div hx-on:click=alert(1)>x</div>",
        "<style>@import 'x';</style>",
    ],
)
def test_the_oracle_flags_markup_that_runs_script(markup):
    assert dangers(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        "<a href='https://x.example/?q=javascript:'>javascript:alert(1)</a>",
        '<script type="application/ld+json">{"title": "\\u003cscript\\u003e"}</script>',
        '<script src="/static/htmx.min.js"></script>',
        "<p title='onerror=alert(1)'>on click</p>",
    ],
)
def test_the_oracle_passes_harmless_markup(markup):
    assert dangers(markup) == []
