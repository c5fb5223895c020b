"""``piakit changes SLUG``: the 別添3 変更箇所 rows since a milestone."""

from __future__ import annotations

import click

from piakit.cli._common import Context, report_errors, warn_about_history, write_output
from piakit.usecases.sheet import BINARY_FORMATS, FORMATS, sheet_file


@click.command("changes")
@click.argument("slug")
@click.option(
    "--since",
    metavar="MILESTONE",
    help="Compare from this milestone (default: the first bound one, the published document).",
)
@click.option(
    "--until",
    metavar="MILESTONE",
    help="Compare up to this milestone (default: HEAD, the working draft).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
@click.pass_obj
@report_errors
def changes_command(
    ctx: Context, slug: str, since: str | None, until: str | None, fmt: str, output: str | None
) -> None:
    """Print the 別添3 変更箇所 of assessment SLUG: 変更日, 項目, 変更前の記載, 変更後の記載,
    提出時期 (事前 / 事後, from the Submission trailer; 事前 by default for an important
    item) and 提出時期に係る説明 (from Submission-Note)."""
    ws = ctx.workspace(scope=slug)
    data = sheet_file(ws, slug, since, until, fmt)
    warn_about_history(ws, slug)
    write_output(data, output, binary=fmt in BINARY_FORMATS)
