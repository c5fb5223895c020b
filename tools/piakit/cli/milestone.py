"""``piakit milestone list SLUG`` and ``piakit milestone add SLUG ID [REV]``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from piakit.cli._common import Context, fail, report_errors, text_or_json_option
from piakit.conventions import MILESTONE_KINDS

if TYPE_CHECKING:
    from piakit.reports import MilestoneListing


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
    from piakit.render.milestones import listing_json, listing_text
    from piakit.usecases.milestone import list_milestones

    listing = list_milestones(ctx.workspace(), slug)
    if fmt == "json":
        click.echo(listing_json(listing))
    else:
        out, err = listing_text(listing)
        for line in out:
            click.echo(line)
        for line in err:
            click.echo(line, err=True)
    _fail_on_errors(listing)


def _fail_on_errors(listing: MilestoneListing) -> None:
    errors = [f for f in listing.findings if f.severity == "error"]
    if errors:
        fail(
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
@click.option(
    "--kind",
    type=click.Choice(MILESTONE_KINDS),
    help="The stage of the assessment cycle it marks (公表: the published assessment, from "
    "which status counts the deadlines).",
)
@click.pass_obj
@report_errors
def add_command(
    ctx: Context,
    slug: str,
    milestone_id: str,
    rev: str | None,
    label: str | None,
    date: dt.date | None,
    kind: str | None,
) -> None:
    """Declare milestone ID in SLUG's assessment.yaml (keeping its comments) and bind it to
    REV (default: HEAD) with the tag SLUG/ID."""
    from piakit.usecases.milestone import add_milestone

    added = add_milestone(
        ctx.workspace(), slug, milestone_id, rev, label=label, date=date, kind=kind
    )
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
        verb = "を宣言" if added.declared else "の記載を更新"
        steps.append(f"git commit -m 'マイルストーン {added.milestone.id} {verb}' {added.file}")
    if added.tagged:
        steps.append(f"git push origin {added.tag}")
    if steps:
        click.echo("next: " + "; then ".join(steps))
    if added.tagged:
        # The site workflow runs on pushes to the main branch: a tag alone publishes nothing.
        click.echo(
            "the site shows the milestone after the next push to the main branch; to publish "
            "it now, run the site workflow by hand (Actions → site → Run workflow)"
        )
