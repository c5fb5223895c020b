"""``piakit table SLUG``: the comparison table between milestones."""

from __future__ import annotations

import click

from piakit import render
from piakit.cli._common import Context, report_errors, warn_about_history, write_output


@click.command("table")
@click.argument("slug")
@click.option(
    "--milestones",
    metavar="A,B,C",
    help="Columns, comma-separated milestone ids in order (default: every bound milestone). "
    "HEAD names the newest commit.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(render.FORMATS)),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
@click.option(
    "--track-changes",
    is_flag=True,
    help="docx only: write the newest column as Word tracked changes against the previous one.",
)
@click.option(
    "--worktree",
    is_flag=True,
    help="Add the item files on disk, committed or not, as a last column (作業中 (未コミット)).",
)
@click.pass_obj
@report_errors
def table_command(
    ctx: Context,
    slug: str,
    milestones: str | None,
    fmt: str,
    output: str | None,
    track_changes: bool,
    worktree: bool,
) -> None:
    """Print the comparison table (修正等を要する部分とその内容) of assessment SLUG.
    Refused (exit 1) when the columns are out of history order or a milestone's binding is
    ambiguous; warns on stderr about uncommitted edits and doubtful bindings."""
    ids = [m.strip() for m in milestones.split(",")] if milestones else None
    if ids is not None and "" in ids:
        raise click.BadParameter(
            f"{milestones!r} has an empty milestone name: write ids separated by single commas, "
            "e.g. current,R2.6.30,HEAD",
            param_hint="'--milestones'",
        )
    if track_changes and fmt != "docx":
        raise click.UsageError("--track-changes needs --format docx")
    ws = ctx.workspace_reading(scope=slug)
    # The use case, the read model and the documents load while git reads the history.
    from piakit.usecases.table import table_file

    data = table_file(ws, slug, ids, fmt, track_changes=track_changes, worktree=worktree)
    warn_about_history(ws, slug, uncommitted=not worktree)
    write_output(data, output, binary=fmt in render.BINARY_FORMATS)
