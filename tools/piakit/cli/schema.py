"""``piakit schema [item|assessment|opinion]``: the JSON Schema of the files, for editors."""

from __future__ import annotations

import click

from piakit.cli._common import report_errors, write_output


@click.command("schema")
@click.argument("kind", type=click.Choice(["item", "assessment", "opinion"]), default="item")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
@report_errors
def schema_command(kind: str, output: str | None) -> None:
    """Print the JSON Schema of an item file (default), of assessment.yaml or of an opinion
    file (opinions/<id>.yaml).

    Point your editor's YAML extension at it for completion and checks as you type, e.g. with
    the first line  # yaml-language-server: $schema=<path to the file>"""
    from piakit.usecases.schema import schema_text

    write_output(schema_text(kind).encode("utf-8"), output)
