"""``piakit opinions SLUG``: the 意見対応表 (opinions, 市の考え方, what became of each)."""

from __future__ import annotations

import click

from piakit.cli._common import Context, report_errors, write_output
from piakit.render.opinions import BINARY_FORMATS, FORMATS


@click.command("opinions")
@click.argument("slug")
@click.option(
    "--source",
    metavar="SOURCE",
    help="Only the opinions from SOURCE (one of the assessment's opinion_sources, e.g. "
    "第三者点検); the numbers stay those of the whole table.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
@click.pass_obj
@report_errors
def opinions_command(
    ctx: Context, slug: str, source: str | None, fmt: str, output: str | None
) -> None:
    """Print the 意見対応表 of assessment SLUG: each opinion (意見) numbered in the order
    received, its source and date, its summary, the city's response (市の考え方), whether
    it is reflected, the items the commits resolving it (Resolves: SLUG/ID) changed, and
    those commits. An unknown source or an opinion file that cannot be read is exit 1,
    with nothing written."""
    ws = ctx.workspace_reading(scope=slug)
    # The use case and the read model load while git reads the history.
    from piakit.usecases.opinions import opinions_file

    data = opinions_file(ws, slug, source, fmt)
    write_output(data, output, binary=fmt in BINARY_FORMATS)
