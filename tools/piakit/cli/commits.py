"""``piakit commits check [RANGE]`` and ``piakit commits check-message FILE``: reason trailers."""

from __future__ import annotations

import json
from pathlib import Path

import click

from piakit.cli._common import Context, fail, report_errors, text_or_json_option


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
    important item is warned about."""
    from piakit.render.review_json import commits_json
    from piakit.render.review_text import commits_text
    from piakit.usecases.review import check_commits

    report = check_commits(ctx.workspace(), spec)
    for warning in report.warnings:
        click.echo(f"piakit: warning: {warning}", err=True)
    if fmt == "json":
        click.echo(json.dumps(commits_json(report), ensure_ascii=False, indent=2))
    elif report.findings:
        click.echo(commits_text(report))
    summary = (
        f"{report.checked} commit{'s' if report.checked != 1 else ''} in {report.spec}, "
        f"{report.needing} needing reasons"
    )
    if report.findings:
        count = len(report.findings)
        fail(f"{summary}: {count} without valid reasons", hint="see how to fix them above")
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
    with Reason-Category and Reason trailers."""
    from piakit.render.review_text import message_text
    from piakit.usecases.review import check_message

    message = message_file.read_bytes().decode("utf-8", errors="replace")
    report = check_message(ctx.workspace(), message, require=require, range_spec=range_spec)
    if not report.ok:
        click.echo(message_text(report), err=True)
        fail("the commit message has no valid reason trailers")
