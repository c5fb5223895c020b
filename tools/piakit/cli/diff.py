"""``piakit diff BASE [HEAD]``: the per-item redline of a pull request, for its comment."""

from __future__ import annotations

import json

import click

from piakit.cli._common import Context, report_errors, warn_about_history, write_output


@click.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json"]),
    default="md",
    show_default=True,
    help="md: the pull request comment (Japanese); json: the same as data.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
@click.option(
    "--max-length",
    type=int,
    metavar="CHARS",
    help="md only: the longest the comment may be; what does not fit is left out whole and "
    "counted (a GitHub comment holds 65,536; at least 500).",
)
@click.pass_obj
@report_errors
def diff_command(
    ctx: Context, base: str, head: str | None, fmt: str, output: str | None, max_length: int | None
) -> None:
    """Show what HEAD (default: the current commit) changes in the items since BASE (e.g.
    origin/main): each changed item with its path and page, the old and new text with the
    changed characters marked, the reasons of the commits, and warnings."""
    from piakit.render.review_json import diff_json
    from piakit.render.review_markdown import MIN_MAX_CHARS, diff_markdown
    from piakit.usecases.review import review_diff

    if max_length is not None and max_length < MIN_MAX_CHARS:
        raise click.BadParameter(
            f"{max_length} is too short: the comment's heading and the note of what was left "
            f"out need {MIN_MAX_CHARS} characters",
            param_hint="'--max-length'",
        )
    ws = ctx.workspace()
    diff = review_diff(ws, base, head)
    if head is None:
        warn_about_history(ws, None)
    if fmt == "json":
        text = json.dumps(diff_json(diff), ensure_ascii=False, indent=2) + "\n"
    else:
        text = diff_markdown(diff, max_chars=max_length)
    write_output(text.encode("utf-8"), output)
