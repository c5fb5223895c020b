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
@click.option(
    "--encoding",
    metavar="NAME",
    help="Encoding of a text table (default: UTF-8 with or without BOM, else cp932 = "
    "Shift_JIS as Japanese Excel saves CSV), e.g. cp932, euc_jp, utf-16.",
)
@click.option(
    "--sheet", metavar="NAME", help="The sheet of an .xlsx workbook to read (default: the first)."
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
    encoding: str | None,
    sheet: str | None,
) -> None:
    """Import a comparison table (tab-separated text like the seed, csv or xlsx) as a new
    assessment: one item file per row, one commit per milestone and reason, milestone tags
    and trailers. Text in UTF-8 or cp932 (Shift_JIS) is detected; --encoding names another."""
    from piakit.usecases.import_table import import_table, known_encoding

    is_workbook = file.suffix.lower() == ".xlsx"
    if encoding is not None:
        if is_workbook:
            raise click.UsageError("--encoding applies to text tables (.txt, .tsv, .csv) only")
        if not known_encoding(encoding):
            raise click.BadParameter(
                f"{encoding!r} is not a text encoding Python knows, e.g. cp932, euc_jp, utf-8",
                param_hint="--encoding",
            ) from None
    if sheet is not None and not is_workbook:
        raise click.UsageError("--sheet applies to .xlsx workbooks only")
    result = import_table(
        ctx.repo,
        file,
        slug,
        title=title,
        organization=organization,
        form=form,
        dates=_parse_dates(dates),
        assessments_dir=ctx.assessments_dir,
        encoding=encoding,
        sheet=sheet,
    )
    for warning in result.warnings:
        click.echo(f"piakit: warning: {warning}", err=True)
    click.echo(
        f"imported {result.items} items of {result.slug} in {len(result.commits)} commits; "
        f"milestones: {', '.join(result.milestones)}"
    )
