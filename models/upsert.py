"""INSERT ... ON CONFLICT for whichever backend the session is bound to."""

from __future__ import annotations

from typing import Any

import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite


def insert_for(session: so.Session, model: type[Any]) -> Any:
    """A dialect insert that offers on_conflict_do_nothing/do_update on both backends."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model)
