"""`jobboard newsletter`: print the newsletter's jobs section, the same as /newsletter/jobs.*."""

from __future__ import annotations

import re
from typing import Any

import click
import marshmallow as ma

from api.arguments import NOT_UTF8
from api.schemas import NewsletterArgs, to_filters
from models import config, newsletter
from models import normalize as nz
from models.db import make_engine, make_session_factory

# The endpoint's own parameters, read by its own schema: the CLI and /newsletter/jobs.* take
# the same values and refuse the same ones, for the same reasons.
_ARGS = NewsletterArgs()
_SURROGATE = re.compile("[\ud800-\udfff]")


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(values)


@click.command("newsletter")
@click.option(
    "--since",
    metavar="TIME|SPAN",
    help="Only jobs first published since (and every featured one): an ISO time or a span (7d).",
)
@click.option(
    "--limit",
    metavar="N",
    help=f"At most this many jobs, 1-{newsletter.MAX_LIMIT} (default {newsletter.DEFAULT_LIMIT}).",
)
@click.option(
    "--format", "fmt", type=click.Choice(newsletter.FORMATS), default="md", show_default=True
)
@click.option(
    "--tag", "tag", multiple=True, metavar="TAG", help="Only jobs with this tag (repeatable)."
)
@click.option("--q", help="Only jobs whose words match this search, as the board's.")
@click.option("--location", help="Only jobs whose location contains this text.")
@click.option(
    "--country",
    metavar="COUNTRY",
    help="Only jobs in this country (a name or ISO 3166 two-letter code).",
)
@click.option("--remote", help=f"Only jobs of this work setup: {_choices(nz.REMOTE_POLICIES)}.")
@click.option("--type", "type_", help=f"Only jobs of this type: {_choices(nz.EMPLOYMENT_TYPES)}.")
@click.option("--seniority", help=f"Only jobs of this level: {_choices(nz.SENIORITIES)}.")
@click.option("--company", help="Only this company's jobs.")
@click.option("--salary-min", metavar="N", help="Only jobs paying at least this much a year.")
@click.option(
    "--salary-currency",
    metavar="CODE",
    help="The currency of --salary-min (default USD); jobs paid in others are converted.",
)
@click.option(
    "--posted-within", metavar="DAYS", help="Only jobs posted within this many days, 1-365."
)
def newsletter_command(fmt: str, type_: str | None, **options: Any) -> None:
    """Print the "Job opportunities" section, links tracked under via=newsletter.

    It takes the board's filters, as /newsletter/jobs.md does; a bad value is refused
    with its reason. An empty value means any.
    """
    given = options | {"type": type_, "tag": list(options["tag"])}
    undecodable = {name: [NOT_UTF8] for name, value in given.items() if _undecodable(value)}
    if undecodable:
        raise click.UsageError(_reasons(undecodable))
    try:
        args = _ARGS.load({name: value for name, value in given.items() if value is not None})
    except ma.ValidationError as exc:
        raise click.UsageError(_reasons(exc.messages)) from exc
    engine = make_engine()
    try:
        with make_session_factory(engine)() as session:
            asked = newsletter.section_filters(to_filters(args))
            jobs = newsletter.select_jobs(session, asked, limit=args["limit"])
            click.echo(newsletter.render(jobs, config.base_url(), fmt), nl=False)
            if not jobs:  # on stderr: the section itself stays empty for the build to paste
                click.echo("no published job matches these options", err=True)
    finally:
        engine.dispose()


def _undecodable(value: Any) -> bool:
    """Bytes of an argument that are no UTF-8 (a Latin-1 terminal's "M\\xfcnchen") reach
    Python as lone surrogates, which no database takes and no search reads."""
    texts = value if isinstance(value, list) else [value]
    return any(isinstance(text, str) and _SURROGATE.search(text) for text in texts)


def _reasons(messages: dict[str, Any]) -> str:
    """ "--option: reason" for each refused option, as click names them."""
    return " ".join(
        f"--{name.replace('_', '-')}: {' '.join(map(str, _flat(reasons)))}"
        for name, reasons in sorted(messages.items())
    )


def _flat(reasons: Any) -> list[Any]:
    """A list field's reasons come by index ({0: [...]}); the others as a list."""
    if isinstance(reasons, dict):
        return [reason for nested in reasons.values() for reason in _flat(nested)]
    return list(reasons)


def register(main: click.Group) -> None:
    main.add_command(newsletter_command)
