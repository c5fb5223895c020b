"""``piakit fmt [--check] [PATH…]``: the canonical form of item and assessment files."""

from __future__ import annotations

from pathlib import Path

import click

from piakit.cli._common import Context, fail, report_errors


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
    from piakit.usecases.fmt import format_files

    # As git -C: paths are read and shown relative to the folder piakit runs in.
    result = format_files(
        Path(ctx.repo).resolve(), paths, ctx.assessments_dir, check_only=check_only
    )
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
        fail(
            f"{summary}; {len(result.problems)} could not be formatted",
            hint="fix the lines above (piakit check says more), then run piakit fmt again",
        )
    if check_only and result.changed:
        fail(summary, hint="run piakit fmt to rewrite them")
    click.echo(summary, err=True)
