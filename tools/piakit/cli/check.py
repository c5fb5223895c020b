"""``piakit check [PATH…]``: validate item and assessment files, every problem with its line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from piakit.cli._common import Context, fail, report_errors

if TYPE_CHECKING:
    from piakit.errors import Problem


def github_annotation(problem: Problem) -> str:
    """A problem as a GitHub Actions workflow command, so that it shows on the PR's lines."""

    def escape(text: str, *, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={escape(problem.location.path, prop=True)}"
    if problem.location.line is not None:
        where += f",line={problem.location.line}"
        if problem.location.column is not None:
            where += f",col={problem.location.column}"
    kind = "warning" if problem.warning else "error"
    return f"::{kind} {where}::{escape(problem.message)}"


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text: path:line:col: message; github: annotations on the pull request's lines.",
)
@click.pass_obj
@report_errors
def check_command(ctx: Context, paths: tuple[str, ...], fmt: str) -> None:
    """Validate assessment.yaml and item files (default: every assessment of the repository).

    Reports every problem as path:line:col: message, then exits 1 once. Warnings
    (path:line:col: warning: message) are reported and fail nothing."""
    from piakit.usecases.check import check_files

    # As git -C: paths are read and shown relative to the folder piakit runs in.
    report = check_files(Path(ctx.repo).resolve(), paths, ctx.assessments_dir)
    checked = report.checked
    for problem in report.problems:
        click.echo(github_annotation(problem) if fmt == "github" else str(problem))
    problems = [problem for problem in report.problems if not problem.warning]
    warnings = len(report.problems) - len(problems)
    if problems:
        files = len({p.location.path for p in problems})
        fail(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} "
            f"file{'s' if files != 1 else ''} ({checked} checked)",
            hint="fix each line above; piakit fmt puts keys and text into the canonical form",
        )
    summary = f"{checked} file{'s' if checked != 1 else ''} checked, no problems"
    if warnings:
        summary += f" ({warnings} warning{'s' if warnings != 1 else ''})"
    click.echo(summary, err=True)
