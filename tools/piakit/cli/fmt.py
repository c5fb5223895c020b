"""``piakit fmt [--check] [PATH…]``: the canonical form of item and assessment files."""

from __future__ import annotations

from pathlib import Path

import click

from piakit.cli._common import Context, report_errors
from piakit.errors import InputError


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Change nothing; list the files that are not in the canonical form and exit 1 if any.",
)
@click.pass_obj
@report_errors
def fmt_command(ctx: Context, paths: tuple[str, ...], check_only: bool) -> None:
    """Rewrite item and assessment files in the canonical form (default: every assessment):
    key order, block text, no line wrapping, LF, final newline. Comments and meaning are kept."""
    from piakit import worktree

    # As git -C: paths are read and shown relative to the folder piakit runs in.
    here = Path(ctx.repo).resolve()
    default = worktree.default_folder(here, ctx.assessments_dir) if not paths else here
    selection = worktree.select(paths, default, here)
    result = worktree.format_files(selection, check_only=check_only)
    for problem in result.problems:
        click.echo(str(problem))
    for shown in result.changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {shown}")
    count = f"{len(result.changed)} file{'s' if len(result.changed) != 1 else ''}"
    summary = (
        f"{count} {'would be reformatted' if check_only else 'reformatted'}, "
        f"{result.unchanged} already canonical"
    )
    if result.problems:
        raise InputError(
            f"{summary}; {len(result.problems)} could not be formatted",
            hint="fix the lines above (piakit check says more), then run piakit fmt again",
        )
    if check_only and result.changed:
        raise InputError(summary, hint="run piakit fmt to rewrite them")
    click.echo(summary, err=True)
