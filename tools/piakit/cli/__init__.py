"""piakit's command line: a root group that only registers the commands.

Each command lives in its own module, parses its arguments, calls one use case
(``piakit.usecases``) and writes what it returns. No logic lives here (docs/architecture.md).
"""

from __future__ import annotations

import importlib
import os

import click

from piakit import __version__
from piakit.cli._common import Context, run_main
from piakit.conventions import ASSESSMENTS_DIR

#: Command name → the module (under ``piakit.cli``) and the click command in it. A command's
#: module, and what it needs, is imported only when that command runs (or help lists it):
#: ``piakit check`` never loads git, and ``piakit table`` never loads the importer.
COMMANDS = {
    "table": ("table", "table_command"),
    "import-table": ("import_table", "import_table_command"),
    "changes": ("changes", "changes_command"),
    "check": ("check", "check_command"),
    "fmt": ("fmt", "fmt_command"),
    "diff": ("diff", "diff_command"),
    "commits": ("commits", "commits_group"),
    "log": ("log", "log_command"),
    "milestone": ("milestone", "milestone_group"),
    "schema": ("schema", "schema_command"),
    "init": ("init", "init_command"),
    "new": ("new", "new_command"),
    "opinions": ("opinions", "opinions_command"),
    "status": ("status", "status_command"),
}


class _LazyGroup(click.Group):
    """A group whose commands are imported when they are asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"piakit.cli.{module}"), name)
        assert isinstance(command, click.Command)
        return command


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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
    default=ASSESSMENTS_DIR,
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


def all_commands() -> dict[str, click.Command]:
    """Every command, imported: for help checks and the documentation test."""
    with click.Context(cli) as ctx:
        return {name: command for name in COMMANDS if (command := cli.get_command(ctx, name))}


def main() -> None:
    run_main(cli)
