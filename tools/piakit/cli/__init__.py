"""piakit's command line: a root group that only registers the commands.

Each command lives in its own module, parses its arguments, calls one function of
``piakit.services`` and prints the result. No logic lives here.
"""

from __future__ import annotations

import os

import click

from piakit import __version__
from piakit.cli._common import Context, run_main
from piakit.cli.changes import changes_command
from piakit.cli.check import check_command
from piakit.cli.commits import commits_group
from piakit.cli.diff import diff_command
from piakit.cli.fmt import fmt_command
from piakit.cli.import_table import import_table_command
from piakit.cli.log import log_command
from piakit.cli.milestone import milestone_group
from piakit.cli.schema import schema_command
from piakit.cli.table import table_command


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="piakit")
@click.option(
    "-C",
    "--repo",
    "repo",
    type=click.Path(exists=True, file_okay=False, path_type=str),
    default=".",
    show_default=True,
    help="Run as if piakit was started in this folder (the assessments repository).",
)
@click.option(
    "--assessments-dir",
    default="assessments",
    show_default=True,
    help="Folder of the repository that holds the assessments.",
)
@click.pass_context
def cli(ctx: click.Context, repo: str, assessments_dir: str) -> None:
    """特定個人情報保護評価書 as code: items in YAML, revisions in git, tables from history."""
    root = os.path.abspath(repo)
    previous = os.getcwd()
    if root != previous:
        # As git -C: the commands' own paths (FILE, -o) are relative to this folder too. The
        # subcommand's arguments are checked after this callback, so they see the new folder;
        # the old one is restored when the command ends (tests run many in one process).
        os.chdir(root)
        ctx.call_on_close(lambda: os.chdir(previous))
    ctx.obj = Context(repo=root, assessments_dir=assessments_dir)


cli.add_command(table_command)
cli.add_command(import_table_command)
cli.add_command(changes_command)
cli.add_command(check_command)
cli.add_command(fmt_command)
cli.add_command(diff_command)
cli.add_command(commits_group)
cli.add_command(log_command)
cli.add_command(milestone_group)
cli.add_command(schema_command)


def main() -> None:
    run_main(cli)
