"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of jobs, as marshmallow schemas built once.

Each item carries a `_jobboard` extension with the job's board data and the tracked
/j/<code>?via=feed apply link, so feed clicks are counted apart from the board's.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app

from api.schemas import JobOut, job_page_url
from models import newsletter
from models.tables import Job

VERSION = "https://jsonfeed.org/version/1.1"
VIA = "feed"
_URL = {"type": "string", "format": "uri"}
_AUTHOR = {"type": "object", "properties": {"name": {"type": "string"}, "url": _URL}}


class _Itself(ma.fields.Nested):
    """Nests a second view of the object being dumped (for the `_jobboard` extension)."""

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = ma.missing):
        return obj


def tracked_apply_url(job: Job) -> str:
    return newsletter.tracked_url(current_app.config["BASE_URL"], job, VIA)


def _docs_url(_job: Job) -> str:
    return f"{current_app.config['BASE_URL']}/docs"


def _authors(job: Job) -> list[dict[str, str]]:
    company = job.company
    return [{"name": company.name} | ({"url": company.website} if company.website else {})]


class JobboardExtension(JobOut):
    """The job's board data; `apply_url` is the board's tracked link, never the employer's."""

    about = ma.fields.Function(
        _docs_url, metadata={**_URL, "description": "Where this extension is documented."}
    )
    apply_url = ma.fields.Function(
        tracked_apply_url,
        metadata={**_URL, "description": "The board's /j/<code> link; it counts the click."},
    )

    class Meta:
        fields = (
            "about",
            "company",
            "location",
            "country",
            "remote",
            "remote_note",
            "employment_type",
            "seniority",
            "salary",
            "apply_url",
            "featured",
        )


class JsonFeedItem(ma.Schema):
    id = ma.fields.Function(job_page_url, metadata={"type": "string"})
    url = ma.fields.Function(job_page_url, metadata=_URL)
    title = ma.fields.Function(
        lambda job: f"{job.title} @ {job.company.name}",
        metadata={"type": "string", "description": "Title @ Company"},
    )
    content_html = ma.fields.String(attribute="description_html")
    date_published = ma.fields.AwareDateTime(attribute="posted_at")
    date_modified = ma.fields.AwareDateTime(attribute="updated_at")
    tags = ma.fields.List(ma.fields.String())
    authors = ma.fields.Function(_authors, metadata={"type": "array", "items": _AUTHOR})
    jobboard = _Itself(JobboardExtension, data_key="_jobboard")


class JsonFeedOut(ma.Schema):
    version = ma.fields.Constant(VERSION)
    title = ma.fields.String()
    home_page_url = ma.fields.String()
    feed_url = ma.fields.String()
    description = ma.fields.String()
    next_url = ma.fields.String(metadata={"description": "The next page; absent on the last."})
    items = ma.fields.List(ma.fields.Nested(JsonFeedItem))


json_feed_out = JsonFeedOut()
