"""``piakit import-table FILE --assessment SLUG``: a hand-kept table into items and history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from piakit.cli._common import Context, report_errors


def _parse_dates(values: tuple[str, ...]) -> dict[str, dt.date]:
    dates: dict[str, dt.date] = {}
    for value in values:
        milestone_id, _, date = value.partition("=")
        try:
            dates[milestone_id] = dt.date.fromisoformat(date)
        except ValueError:
            raise click.BadParameter(
                f"{value!r}: expected ID=YYYY-MM-DD, e.g. current=2019-04-01", param_hint="--date"
            ) from None
    return dates


@click.command("import-table")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--assessment", "slug", required=True, help="Name (slug) of the new assessment.")
@click.option("--title", help="Title of the assessment (default: from the table's affair).")
@click.option("--organization", help="The organization (e.g. 千葉市).")
@click.option("--form", help="The form version the document follows (e.g. 平成30年5月 様式4).")
@click.option(
    "--date",
    "dates",
    multiple=True,
    metavar="ID=YYYY-MM-DD",
    help="Date of a milestone whose label has none, e.g. current=2019-04-01 (repeatable).",
)
@click.pass_obj
@report_errors
def import_table_command(
    ctx: Context,
    file: Path,
    slug: str,
    title: str | None,
    organization: str | None,
    form: str | None,
    dates: tuple[str, ...],
) -> None:
    """Import a comparison table (tab-separated text like the seed, csv or xlsx) as a new
    assessment: one item file per row, one commit per milestone and reason, milestone tags
    and trailers."""
    from piakit.services import import_table

    result = import_table(
        ctx.repo,
        file,
        slug,
        title=title,
        organization=organization,
        form=form,
        dates=_parse_dates(dates),
        assessments_dir=ctx.assessments_dir,
    )
    for warning in result.warnings:
        click.echo(f"piakit: warning: {warning}", err=True)
    click.echo(
        f"imported {result.items} items of {result.slug} in {len(result.commits)} commits; "
        f"milestones: {', '.join(result.milestones)}"
    )
