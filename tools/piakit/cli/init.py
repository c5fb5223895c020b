"""``piakit init [DIR] --organization NAME``: a new repository of assessments, ready to publish."""

from __future__ import annotations

from pathlib import Path

import click

from piakit.cli._common import report_errors


@click.command("init")
@click.argument("directory", metavar="[DIR]", default=".", type=click.Path(path_type=Path))
@click.option(
    "--organization",
    required=True,
    help="The organization that publishes the assessments (e.g. 千葉市): the site's name.",
)
@click.option(
    "--piakit",
    "piakit_spec",
    metavar="SPEC",
    help="What requirements.txt installs piakit from (default: this version, "
    "piakit==VERSION), e.g. 'piakit @ git+https://github.com/<owner>/piakit@v0.1.0'.",
)
@report_errors
def init_command(directory: Path, organization: str, piakit_spec: str | None) -> None:
    """Write a repository of assessments into DIR (default: here; created when missing): the
    site (mkdocs.yml, docs/index.md), the GitHub workflows, the pre-commit hooks, the settings
    for Windows clients, requirements.txt and a README for editors, in Japanese. Never
    overwrites: when any of these files exists, lists them and writes nothing. Makes no commit."""
    from piakit.usecases.init import init_repository

    result = init_repository(directory, organization, piakit=piakit_spec)
    click.echo(f"wrote {len(result.written)} files in {result.root}:")
    for name in result.written:
        click.echo(f"  {name}")
    click.echo(f"requirements.txt installs {result.requirement}")
    if piakit_spec is None:
        click.echo(
            "  (where your package index has no piakit, run init again in a new folder with "
            "--piakit 'piakit @ git+https://github.com/<owner>/piakit@<tag>', or edit that line)"
        )
    moving = (
        []
        if result.root.resolve() == Path.cwd().resolve()
        else [f"cd {_shell_word(str(result.root))}"]
    )
    steps = [
        *moving,
        "git init",
        "git add -A && git commit -m 'piakit init: 評価書のリポジトリ'",
        "python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt",
        "pre-commit install",
        "piakit import-table TABLE --assessment SLUG --organization "
        f"{_shell_word(organization.strip())}   # a table kept by hand, or:",
        f"piakit new SLUG --title TITLE --organization {_shell_word(organization.strip())}",
        "git push, then Settings → Pages → Source: GitHub Actions (README.md says more)",
    ]
    click.echo("next:")
    for step in steps:
        click.echo(f"  {step}")


def _shell_word(text: str) -> str:
    """``text`` as one word of a shell command: quoted only when it needs to be (a Japanese
    name reads better bare than in quotes)."""
    import shlex

    return shlex.quote(text) if any(ch in _SHELL_SPECIAL for ch in text) else text


_SHELL_SPECIAL = frozenset(" \t\n'\"\\$`;&|<>()*?[]{}#~!\u3000")
