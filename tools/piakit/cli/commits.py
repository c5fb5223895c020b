"""``piakit commits check [RANGE]`` and ``piakit commits check-message FILE``: reason and
``Resolves:`` trailers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from piakit.cli._common import Context, fail, report_errors, text_or_json_option

if TYPE_CHECKING:
    from piakit.reports import CommitFinding

#: How a commit's Resolves trailer is fixed, after the commits that have a wrong one.
_RESOLVES_FIX = (
    "Each Resolves: trailer names one opinion as <slug>/<id>, the file "
    "assessments/<slug>/opinions/<id>.yaml; fix the trailer (git commit --amend, or "
    "git rebase -i <base> and 'reword') or add the opinion's file to the pull request."
)


def _resolves_lines(findings: tuple[CommitFinding, ...]) -> list[str]:
    lines = []
    for finding in findings:
        lines.append(f"{finding.commit.short} {finding.commit.subject}")
        lines += [f"    {problem}" for problem in finding.problems]
    return [*lines, "", _RESOLVES_FIX]


def _resolves_json(findings: tuple[CommitFinding, ...]) -> list[dict[str, Any]]:
    return [
        {
            "commit": f.commit.sha,
            "short": f.commit.short,
            "subject": f.commit.subject,
            "assessments": list(f.slugs),
            "problems": list(f.problems),
        }
        for f in findings
    ]


@click.group("commits")
def commits_group() -> None:
    """Check that commits carry their reasons (Reason-Category and Reason trailers)."""


@commits_group.command("check")
@click.argument("spec", metavar="[RANGE]", required=False)
@text_or_json_option
@click.pass_obj
@report_errors
def check_commits_command(ctx: Context, spec: str | None, fmt: str) -> None:
    """Check every commit in RANGE (e.g. origin/main..HEAD; default: every commit reachable
    from HEAD) that changes an assessment's items after its first milestone: it must carry
    Reason-Category and Reason trailers, with a category the assessment allows. A merge needs
    them only for text it wrote itself (a conflict resolved with new text); a pure rename of a
    file needs none. A Submission trailer must be 事前 or 事後; 事後 on a commit that changes an
    important item is warned about. Every Resolves: <slug>/<id> trailer must name an opinion
    file that is in the commit or at the tip of RANGE."""
    from piakit.render.review_json import commits_json
    from piakit.render.review_text import commits_text
    from piakit.usecases.review import check_commits

    report = check_commits(ctx.workspace(), spec)
    for warning in report.warnings:
        click.echo(f"piakit: warning: {warning}", err=True)
    if fmt == "json":
        data = commits_json(report)
        data["resolves"] = _resolves_json(report.resolves)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if report.findings:
            click.echo(commits_text(report))
        if report.resolves:
            if report.findings:
                click.echo("")
            click.echo("\n".join(_resolves_lines(report.resolves)))
    summary = (
        f"{report.checked} commit{'s' if report.checked != 1 else ''} in {report.spec}, "
        f"{report.needing} needing reasons"
    )
    failures = []
    if report.findings:
        failures.append(f"{len(report.findings)} without valid reasons")
    if report.resolves:
        count = len(report.resolves)
        failures.append(f"{count} with a wrong Resolves trailer")
    if failures:
        fail(f"{summary}: {'; '.join(failures)}", hint="see how to fix them above")
    click.echo(f"{summary}: all have them", err=True)


@commits_group.command("check-message")
@click.argument("message_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--require",
    is_flag=True,
    help="Require the reasons whatever is staged (e.g. to check a pull request's description).",
)
@click.option(
    "--range",
    "range_spec",
    metavar="RANGE",
    help="Judge by the changes of the commits in RANGE instead of the staged ones: the message "
    "is what a squash merge of them carries (a pull request's description).",
)
@click.pass_obj
@report_errors
def check_message_command(
    ctx: Context, message_file: Path, require: bool, range_spec: str | None
) -> None:
    """Check the message of the commit being made (the commit-msg hook): when the staged
    changes touch items of an assessment after its first milestone, the message must end
    with Reason-Category and Reason trailers. Each Resolves: trailer must be <slug>/<id> and
    name an opinion file in the work tree."""
    from piakit.render.review_text import message_text
    from piakit.usecases.review import check_message

    message = message_file.read_bytes().decode("utf-8", errors="replace")
    report = check_message(ctx.workspace(), message, require=require, range_spec=range_spec)
    if report.problems:
        click.echo(message_text(report), err=True)
    if report.resolves:
        click.echo("the message's Resolves: trailers are wrong:", err=True)
        for problem in report.resolves:
            click.echo(f"    {problem}", err=True)
        click.echo(
            "Your message is kept in .git/COMMIT_EDITMSG; to edit it again:\n"
            "    git commit -e -F .git/COMMIT_EDITMSG",
            err=True,
        )
    if report.problems:
        fail("the commit message has no valid reason trailers")
    if report.resolves:
        fail("the commit message has wrong Resolves: trailers")
