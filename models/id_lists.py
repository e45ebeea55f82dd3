"""Lists of ids in SQL: `column IN (...)` that stays one parameter however long the list,
and a select's ids that come back as one value."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql

from models.db import dialect_of


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


def id_set(session: so.Session, stmt: sa.Select) -> set[int]:
    """The ids a one-column select returns; on PostgreSQL as one array, not a row each.

    A search asks which of ~2,000 candidates its words match: fetching and converting
    2,000 one-integer rows took a third of that query's time.
    """
    if dialect_of(session) != "postgresql":
        return set(session.scalars(stmt))
    column = stmt.subquery().c[0]
    return set(session.scalar(sa.select(sa.func.array_agg(column))) or ())
