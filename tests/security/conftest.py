"""Security tests reuse the sponsor area's moderator, tokens and CSRF-carrying form posts."""

from tests.sponsors.conftest import (  # noqa: F401 (fixtures)
    admin_client,
    app_config,
    moderator,
    sponsor_token,
)
