"""``piakit status [SLUG]``: where each assessment stands in the cycle (deadlines, changes since
publication, open opinions); ``--fail-overdue`` for a scheduled job."""

from __future__ import annotations

import datetime as dt
import re

import click

from piakit.cli._common import (
    Context,
    fail,
    report_errors,
    text_or_json_option,
    warn_about_history,
)


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise click.BadParameter(f"{value!r}: write the date as YYYY-MM-DD, e.g. 2026-04-01")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: there is no such day") from None


@click.command("status")
@click.argument("slug", required=False)
@click.option(
    "--today",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="The day to judge the deadlines on (default: today's local date).",
)
@text_or_json_option
@click.option(
    "--fail-overdue",
    is_flag=True,
    help="Exit 1 (after the report) when a deadline has passed or an assessment must be done "
    "again (a 重要な変更 since its newest 公表).",
)
@click.pass_obj
@report_errors
def status_command(
    ctx: Context, slug: str | None, today: dt.date | None, fmt: str, fail_overdue: bool
) -> None:
    """Show where SLUG (default: every assessment) stands: its newest 公表 and the
    re-assessment deadline (5 years), its newest 公表/見直し/修正 and the review deadline
    (1 year), the items changed since the 公表 and whether one is a 重要な変更 (再実施が必要),
    and its open opinions. Milestones count when bound to a commit and have a kind."""
    ws = ctx.workspace_reading(slug) if slug is not None else ctx.workspace()
    from piakit.render.status import OVERDUE_WORDS, status_json, status_text
    from piakit.usecases.status import status_report

    report = status_report(ws, slug, today or dt.date.today())
    warn_about_history(ws, slug)
    if slug is None:
        for status in report.assessments:
            warn_about_history(ws, status.slug, uncommitted=False)
    click.echo(status_json(report) if fmt == "json" else status_text(report), nl=fmt == "json")
    attention = report.needs_attention
    if fail_overdue and attention:
        said = []
        for status in attention:
            what = [f"{OVERDUE_WORDS[o]}の期限切れ" for o in status.overdue]
            if status.requires_reassessment:
                what.insert(0, "再実施が必要")
            said.append(f"{status.slug} ({'、'.join(what)})")
        fail(
            f"{len(attention)} assessment{'s' if len(attention) > 1 else ''} overdue or to be "
            f"assessed again: {', '.join(said)}",
            hint="see docs/guide-publishers.md, 評価の周期: review, publish again (kind: 公表), "
            "or bind the milestone that records it",
        )
