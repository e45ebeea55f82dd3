"""Salaries are filtered and sorted in US dollars, whatever currency a job pays in.

Revision ID: 0018_salary_in_usd
Revises: 0017_cpp_and_csharp_in_search
Create Date: 2026-12-05 07:00:00

`salary_annual_min`/`_max` held a year's pay in the job's own currency, so `salary_min=100000`
matched a job paying ¥5,000,000 (about $33,000) and `sort=salary` put such jobs first. They now
hold it in US dollars, converted at the rates ingest uses (`models.normalize.exchange`); a job
in a currency without a rate, or in none, drops out of the salary filter and sort, as a job
without pay does. The columns keep their names, so code of the release before runs on against
an upgraded database while a deploy rolls out (its filters compare in dollars meanwhile, and
what it ingests is converted at the next crawl, which re-reads every posting after this
release's normalizing changes). A downgrade converts back, but pay in a currency without a
rate, or in none, stays unknown until its source is read again.
"""

from collections.abc import Sequence

from alembic import op

from models.normalize.exchange import UNITS_PER_USD

revision: str = "0018_salary_in_usd"
down_revision: str | None = "0017_cpp_and_csharp_in_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BOUNDS = ("min", "max")
# Pay without a currency too: no rate converts it (NULL), as ingest stores it now.
_PAID = "salary_annual_min IS NOT NULL OR salary_annual_max IS NOT NULL"


def _rate() -> str:
    """The job's units per US dollar, or NULL for a currency without a rate.

    Written as decimals ("150.0"): SQLite divides one integer by another whole, so yen,
    rupees or won came out truncated, a dollar below what ingest stores (`in_usd` rounds).
    """
    cases = " ".join(f"WHEN '{code}' THEN {float(rate)}" for code, rate in UNITS_PER_USD.items())
    return f"(CASE salary_currency {cases} END)"


def upgrade() -> None:
    _convert("/")


def downgrade() -> None:
    _convert("*")


def _convert(operator: str) -> None:
    bounds = (f"salary_annual_{b} = round(salary_annual_{b} {operator} {_rate()})" for b in _BOUNDS)
    op.execute(f"UPDATE jobs SET {', '.join(bounds)} WHERE {_PAID}")
