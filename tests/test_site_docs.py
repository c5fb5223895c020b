"""The user documentation cannot drift from the command line: every command has a section of
docs/cli.md and every option of it is named there, and the site's own docs exist."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from piakit.cli import all_commands, cli

DOCS = Path(__file__).resolve().parents[1] / "docs"


def sections(text: str) -> dict[str, str]:
    """``## piakit <name>`` → the text up to the next level-2 heading."""
    found: dict[str, str] = {}
    for match in re.finditer(r"^## piakit (\S+)\n(.*?)(?=^## |\Z)", text, re.M | re.S):
        found[match.group(1)] = match.group(2)
    return found


def long_options(command: click.Command) -> set[str]:
    return {
        name
        for param in command.params
        if isinstance(param, click.Option)
        for name in param.opts
        if name.startswith("--") and name != "--help"
    }


def test_every_command_is_documented_with_its_options() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    documented = sections(text)
    assert set(all_commands()) <= set(documented), (
        f"add a '## piakit <name>' section to docs/cli.md for: "
        f"{sorted(set(all_commands()) - set(documented))}"
    )
    for name, command in all_commands().items():
        missing = {opt for opt in long_options(command) if f"`{opt}" not in documented[name]}
        assert not missing, f"docs/cli.md, piakit {name}: document {sorted(missing)}"
    intro = text.split("\n## ", 1)[0]
    assert all(f"`{opt}" in intro for opt in long_options(cli))


def test_no_section_documents_a_command_that_does_not_exist() -> None:
    documented = sections((DOCS / "cli.md").read_text(encoding="utf-8"))
    assert set(documented) <= set(all_commands())


@pytest.mark.parametrize("page", ["index.md", "format.md", "cli.md", "site.md"])
def test_the_documentation_pages_exist(page: str) -> None:
    assert (DOCS / page).read_text(encoding="utf-8").startswith("# ")
