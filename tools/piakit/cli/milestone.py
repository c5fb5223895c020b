"""``piakit milestone list SLUG`` and ``piakit milestone add SLUG ID [REV]``."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import TYPE_CHECKING

import click

from piakit.cli._common import Context, report_errors, text_or_json_option
from piakit.errors import InputError

if TYPE_CHECKING:
    from piakit.milestones import MilestoneListing


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


@click.group("milestone")
def milestone_group() -> None:
    """List and add the milestones of an assessment (the stages of the document)."""


@milestone_group.command("list")
@click.argument("slug")
@text_or_json_option
@click.pass_obj
@report_errors
def list_command(ctx: Context, slug: str, fmt: str) -> None:
    """List the milestones declared in SLUG's assessment.yaml, the commits they are bound to
    (by tag or Milestone trailer), and the planned ones (bound to nothing yet)."""
    from piakit.milestones import list_milestones

    listing = list_milestones(ctx.workspace(), slug)
    if fmt == "json":
        data = {
            "assessment": slug,
            "milestones": [
                {
                    "id": row.milestone.id,
                    "label": row.milestone.label,
                    "date": row.milestone.date.isoformat() if row.milestone.date else None,
                    "commit": row.bound.commit if row.bound else None,
                    "source": row.bound.source if row.bound else None,
                    "subject": row.subject,
                    "planned": row.bound is None,
                }
                for row in listing.rows
            ],
            "undeclared_tags": [
                {"tag": name, "commit": sha} for name, sha in listing.undeclared_tags
            ],
            "findings": [
                {
                    "kind": f.kind,
                    "severity": f.severity,
                    "milestone": f.milestone,
                    "message": f.message,
                    "hint": f.hint,
                    "commits": list(f.commits),
                }
                for f in listing.findings
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        _fail_on_errors(listing)
        return
    click.echo(f"{slug}: {listing.title}")
    table = []
    for row in listing.rows:
        date = row.milestone.date.isoformat() if row.milestone.date else "-"
        bound = f"{row.bound.commit[:7]} ({row.bound.source})" if row.bound else "planned"
        table.append([row.milestone.id, row.milestone.label, date, bound, row.subject or ""])
    if not table:
        click.echo("  no milestone declared yet: piakit milestone add SLUG ID --label …")
    widths = [max((_width(r[i]) for r in table), default=0) for i in range(4)]
    for cells in table:
        click.echo(
            "  "
            + "  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=False))
            + "  "
            + cells[4]
        )
    for name, sha in listing.undeclared_tags:
        click.echo(f"  warning: tag {name} ({sha[:7]}) names no declared milestone", err=True)
    for finding in listing.findings:
        click.echo(f"  {finding.severity}: {finding}", err=True)
    _fail_on_errors(listing)


def _fail_on_errors(listing: MilestoneListing) -> None:
    errors = [f for f in listing.findings if f.severity == "error"]
    if errors:
        raise InputError(
            f"{len(errors)} milestone binding{'s' if len(errors) > 1 else ''} of "
            f"{listing.slug} would make a wrong table",
            hint=errors[0].hint,
        )


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected YYYY-MM-DD, e.g. 2020-06-30") from None


@milestone_group.command("add")
@click.argument("slug")
@click.argument("milestone_id", metavar="ID")
@click.argument("rev", required=False)
@click.option(
    "--label", help="The milestone's label, e.g. '修正案 (R2.6.30諮問時)' (needed to declare it)."
)
@click.option("--date", callback=_date, metavar="YYYY-MM-DD", help="The milestone's date.")
@click.pass_obj
@report_errors
def add_command(
    ctx: Context,
    slug: str,
    milestone_id: str,
    rev: str | None,
    label: str | None,
    date: dt.date | None,
) -> None:
    """Declare milestone ID in SLUG's assessment.yaml (keeping its comments) and bind it to
    REV (default: HEAD) with the tag SLUG/ID."""
    from piakit.milestones import add_milestone

    added = add_milestone(ctx.workspace(), slug, milestone_id, rev, label=label, date=date)
    if added.declared:
        click.echo(f"declared {added.milestone.id} ({added.milestone.label}) in {added.file}")
    elif added.updated:
        click.echo(f"updated {added.milestone.id} in {added.file}")
    if added.tagged:
        click.echo(f"tagged {added.tag} at {added.commit[:7]} {added.subject}")
    else:
        click.echo(f"{added.tag} already points at {added.commit[:7]} {added.subject}")
    steps = []
    if added.declared or added.updated:
        steps.append(f"git commit -m 'マイルストーン {added.milestone.id} を宣言' {added.file}")
    if added.tagged:
        steps.append(f"git push origin {added.tag}")
    if steps:
        click.echo("next: " + "; then ".join(steps))
