"""Lists of ids in SQL: `column IN (...)` that stays one parameter however long the list."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


def one_of(
    column: sa.ColumnElement[int], ids: Sequence[int], *, dialect: str
) -> sa.ColumnElement[bool]:
    """`column IN ids`: on PostgreSQL `= ANY` of one array parameter.

    A thousand ids as a thousand bound parameters cost more to send and plan than the
    query they narrow; one array lets the planner still use an index on `column`.
    """
    if dialect == "postgresql":
        listed = sa.bindparam(None, "{" + ",".join(map(str, ids)) + "}", type_=sa.Text)
        return column == sa.any_(sa.cast(listed, postgresql.ARRAY(sa.Integer)))
    return column.in_(ids)
