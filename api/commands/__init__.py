"""CLI command groups, each module exposing register(main); ROW_ID is how they take a row id."""

import click

from models.tables import MAX_ID

# Ids are INTEGER columns: a larger number is a usage error, not the driver's overflow.
ROW_ID = click.IntRange(1, MAX_ID)
