"""``piakit new SLUG --title TITLE``: start an assessment in the repository."""

from __future__ import annotations

import click

from piakit.cli._common import Context, report_errors


@click.command("new")
@click.argument("slug")
@click.option(
    "--title",
    required=True,
    help="Title of the assessment (e.g. 国民年金に関する事務 全項目評価書).",
)
@click.option("--form", help="The form version the document follows (e.g. 平成30年5月 様式4).")
@click.option(
    "--organization", help="The organization (e.g. 千葉市); leave it out to add it later."
)
@click.pass_obj
@report_errors
def new_command(
    ctx: Context, slug: str, title: str, form: str | None, organization: str | None
) -> None:
    """Start the assessment SLUG: assessment.yaml with its first milestone (current, the
    published document) declared, and an empty items/ folder. Makes no commit."""
    from piakit.usecases.new import new_assessment

    result = new_assessment(
        ctx.repo,
        slug,
        title,
        form=form,
        organization=organization,
        assessments_dir=ctx.assessments_dir,
    )
    click.echo(f"started {result.folder}:")
    for name in result.written:
        click.echo(f"  {name}")
    click.echo("next:")
    click.echo(f"  write the items as {result.folder}/items/<id>.yaml, then piakit check")
    click.echo(f"  git add {result.folder} && git commit -m '{result.slug}: 現在の評価書'")
    click.echo(
        f"  piakit milestone add {result.slug} {result.milestone}   "
        "# binds the published document to that commit"
    )
