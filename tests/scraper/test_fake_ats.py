"""The fake ATS that spider tests crawl pages its listings as README's "Adding a spider" says."""

from __future__ import annotations

import json
from urllib.request import urlopen


def test_an_object_listing_is_paged_by_offset_and_limit_whatever_its_key(ats) -> None:
    ats.max_page_size = 2
    ats.replace_json("/v2/boards/nebula/openings", {"openings": [1, 2, 3, 4, 5]}, paged=True)
    with urlopen(ats.url("/v2/boards/nebula/openings?offset=1&limit=3")) as response:
        assert json.load(response)["openings"] == [2, 3]
