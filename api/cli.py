"""The `jobboard` command: one click group, each area's commands in api/commands/."""

from __future__ import annotations

import click

from api.commands import admin, clock, crawl, db, demo, newsletter, serve, sources, sponsors


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """jobboard: the jobs microservice behind an AI newsletter."""


for module in (clock, db, demo, newsletter, serve, sponsors, admin, sources, crawl):
    module.register(main)
if __name__ == "__main__":
    main()
