"""The fictional example of the whole assessment cycle (examples/cycle/build.py): the
repository it builds passes ``piakit check``, ``piakit commits check`` and ``mkdocs build
--strict``, holds what the docs walk through, and is the same, commit for commit, every time.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config

from piakit.cli import cli
from piakit.conventions import OUTCOMES
from piakit.resolutions import read_opinions, resolving_commits
from piakit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "cycle" / "build.py"
CYCLE_SLUG = "kakuu-jidou-teate"


def build_cycle(target: Path) -> Path:
    """Run the example's script, as its README says, into ``target``."""
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(target)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return target


def refs(root: Path) -> str:
    """Every ref and the commit it names."""
    return subprocess.run(
        ["git", "show-ref", "--head"], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def piakit(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cycle(tmp_path_factory.mktemp("cycle") / "repo")


def test_the_example_passes_check_commits_check_and_fmt(cycle: Path) -> None:
    for command in (["check"], ["commits", "check"], ["fmt", "--check"]):
        code, output = piakit(cycle, *command)
        assert code == 0, (command, output)
        assert "warning" not in output.lower(), (command, output)


def test_the_example_site_builds_strictly(cycle: Path, tmp_path: Path) -> None:
    site = tmp_path / "out"
    build(load_config(config_file=str(cycle / "mkdocs.yml"), site_dir=str(site), strict=True))
    assert (site / CYCLE_SLUG / "table" / "index.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "架空の例" in home


def test_every_build_makes_the_same_commits(cycle: Path, tmp_path: Path) -> None:
    again = build_cycle(tmp_path / "again")
    assert refs(again) == refs(cycle)
    assert "refs/tags/kakuu-jidou-teate/kouhyou" in refs(cycle)


def test_the_example_has_what_the_walkthrough_shows(cycle: Path) -> None:
    ws = Workspace.open(cycle)
    assessment = ws.assessment(CYCLE_SLUG)
    assert "架空" in assessment.title and assessment.organization == "架空市"
    kinds = [milestone.kind for milestone in assessment.milestones]
    assert kinds == ["素案", "意見募集", "諮問", "答申", "公表", "見直し"]
    opinions = read_opinions(ws, CYCLE_SLUG)
    assert {opinion.source for opinion in opinions} == {"意見募集", "第三者点検"}
    assert {opinion.outcome for opinion in opinions} == set(OUTCOMES)
    resolving = resolving_commits(ws, CYCLE_SLUG)
    # one opinion answered by two commits, one commit answering two opinions
    assert len(resolving["pc-2024-05-28"]) == 2
    shas = [commit.sha for commits in resolving.values() for commit in commits]
    assert any(shas.count(sha) == 2 for sha in shas)
    # every reflected opinion has its commit; no other has one
    for opinion in opinions:
        assert (opinion.id in resolving) == (opinion.outcome == "reflected"), opinion.id
    # a 重要な変更 after publication, in the working draft
    published = ws.tags()[f"{CYCLE_SLUG}/kouhyou"]
    changed = subprocess.run(
        ["git", "diff", "--name-only", published, "HEAD", "--", f"assessments/{CYCLE_SLUG}/items"],
        cwd=cycle,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert f"assessments/{CYCLE_SLUG}/items/2-2-4-kiroku-koumoku.yaml" in changed


def test_the_example_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "is not empty" in proc.stderr
    assert not (tmp_path / ".git").exists()


def test_status_on_the_example_says_it_must_be_done_again(cycle: Path) -> None:
    code, output = piakit(cycle, "status", "--today", "2026-01-15", "--format", "json")
    assert code == 0, output
    (status,) = json.loads(output)["assessments"]
    assert status["last_published"] == {"id": "kouhyou", "date": "2024-10-31"}
    assert status["last_reviewed"] == {"id": "minaoshi", "date": "2025-10-20"}
    assert (status["review_due"], status["reassessment_due"]) == ("2026-10-20", "2029-10-31")
    assert status["important_changes"] == ["2-2-4-kiroku-koumoku", "2-3-1-nyuushumoto"]
    assert status["requires_reassessment"] is True
    assert status["open_opinions"] == ["bukai-2025-11-10"] and status["overdue"] == []
    code, output = piakit(cycle, "status", "--today", "2026-11-01", "--fail-overdue")
    assert code == 1
    assert "再実施が必要" in output and "期限切れ: 見直し" in output


def test_opinions_on_the_example_number_every_opinion(cycle: Path) -> None:
    code, output = piakit(cycle, "opinions", CYCLE_SLUG, "--format", "json")
    assert code == 0, output
    opinions = json.loads(output)["opinions"]
    assert [o["number"] for o in opinions] == list(range(1, 9))
    twice = next(o for o in opinions if o["id"] == "pc-2024-05-28")
    assert len(twice["commits"]) == 2 and [i["item"] for i in twice["items"]] == [
        "3-4-shoukyo-ruuru"
    ]
    rejected = next(o for o in opinions if o["id"] == "pc-2024-05-20")
    assert rejected["outcome"] == "not-reflected" and rejected["commits"] == []


#: In docs/cycle.md: a one-line command in a ```sh block, then what it prints in a text block.
SHOWN_RE = re.compile(r"```sh\n((?:piakit|git log) [^\n]*)\n```\n\n(`{3,4})text\n(.*?)\n\2\n", re.S)


def test_the_walkthrough_shows_what_the_commands_print(cycle: Path) -> None:
    """docs/cycle.md cannot drift from the example: each output it shows is run again."""
    text = (ROOT / "docs" / "cycle.md").read_text(encoding="utf-8")
    shown = SHOWN_RE.findall(text)
    assert len(shown) >= 4, shown
    for command, _, expected in shown:
        args = shlex.split(command)
        if args[0] == "git":
            proc = subprocess.run(args, cwd=cycle, capture_output=True, text=True, check=True)
            output = proc.stdout
        else:
            output = CliRunner().invoke(cli, ["-C", str(cycle), *args[1:]]).output
        # The commit ids too: they change with the files piakit init writes (the example starts
        # from them), and then the doc is brought up to date with what the command prints.
        assert output.rstrip("\n") == expected, f"docs/cycle.md is out of date: {command}"
