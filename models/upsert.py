"""INSERT ... ON CONFLICT for whichever backend the session is bound to, one statement a batch."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite

from models.db import dialect_of

# A column computed in SQL from the incoming row (e.g. a search document), by column name.
Computed = Mapping[str, Callable[[Any], sa.ColumnElement[Any]]]


def insert_rows(
    session: so.Session,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    computed: Computed | None = None,
    inputs: Sequence[str] = (),
) -> tuple[Any, Any]:
    """An INSERT of many rows and the parameters to execute it with.

    On PostgreSQL the rows travel as one JSON parameter and the statement is
    INSERT ... SELECT FROM jsonb_to_recordset(...): one round trip and one bind
    parameter per batch instead of one per value, in the rows' order. `computed`
    columns are SQL expressions over the incoming row (`r.<column>`), whose `inputs` are
    text fields for them to read, not columns. SQLite gets a plain executemany of the same
    rows (computed columns are not supported there).
    Add ON CONFLICT or RETURNING (of `stmt.table.c`) to the statement as usual.
    """
    if dialect_of(session) != "postgresql":
        if computed:
            raise ValueError("computed columns need PostgreSQL")
        return sqlite.insert(table), list(rows)
    fields = list(rows[0])
    names = [name for name in fields if name not in inputs]
    incoming = (
        sa.func.jsonb_to_recordset(sa.cast(sa.bindparam("rows", type_=sa.Text), postgresql.JSONB))
        .table_valued(
            *(sa.column(name, sa.Text if name in inputs else table.c[name].type) for name in fields)
        )
        .render_derived(name="r", with_types=True)
    )
    extra = dict(computed or {})
    select = sa.select(
        *(incoming.c[name] for name in names),
        *(build(incoming).label(name) for name, build in extra.items()),
    )
    if extra:  # columns the mapped table leaves out (e.g. a PostgreSQL-only tsvector)
        table = sa.table(
            table.name,
            *(sa.column(c.name, c.type) for c in table.c),
            *(sa.column(name) for name in extra),
        )
    stmt = postgresql.insert(table).from_select([*names, *extra], select)
    return stmt, {"rows": json.dumps(list(rows), default=_json_value)}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
