"""``piakit log ITEM``: one item's revisions, newest first, with reasons and redlines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from piakit.cli._common import Context, report_errors, text_or_json_option


def _styled(text: str, kind: str) -> str:
    if kind == "delete":
        return click.style(text, fg="red", strikethrough=True)
    return click.style(text, fg="green", underline=True)


@click.command("log")
@click.argument("item")
@text_or_json_option
@click.option(
    "--color/--no-color",
    default=None,
    help="Mark changes with colours instead of [-deleted-] {+inserted+} (default: on a terminal).",
)
@click.pass_obj
@report_errors
def log_command(ctx: Context, item: str, fmt: str, color: bool | None) -> None:
    """Show the revisions of ITEM (its id, SLUG/ID, or its file's path), newest first: date,
    author, reasons and what changed. Follows the item through renames of its file."""
    from piakit.render.review_json import log_json
    from piakit.render.review_text import log_text, plain_marker
    from piakit.usecases.review import item_log

    # As git -C: a file path is read relative to the folder piakit runs in.
    log = item_log(ctx.workspace(), item, Path(ctx.repo).resolve())
    if fmt == "json":
        click.echo(json.dumps(log_json(log), ensure_ascii=False, indent=2))
        return
    use_color = sys.stdout.isatty() if color is None else color
    click.echo(log_text(log, _styled if use_color else plain_marker), nl=False, color=use_color)
