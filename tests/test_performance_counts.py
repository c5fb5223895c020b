"""The cost of a table and of a site build must not grow with the number of items, pages or
commits: counted in git processes, which is what made other tools' builds slow (one ``git
log`` per page). Not timed: the timing is ``benchmarks/run.py``'s job (docs/performance.md).

The repositories come from the benchmark's own generator at tiny sizes, so what is counted
here is what the benchmark measures at city size.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git.cmd
import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config

from piakit import history
from piakit.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks/generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate", module)
    spec.loader.exec_module(module)
    return module


generate = _generator()

#: Two assessments; the first commit of each adds its items, then revisions; two milestone
#: tags on every assessment whatever the number of commits (so the columns stay the same).
ASSESSMENTS = 2
SLUG = generate.AFFAIRS[0][0]


def city(tmp_path: Path, items: int, commits: int) -> Path:
    root = tmp_path / f"city-{items}-{commits}"
    sizes = generate.Sizes(
        assessments=ASSESSMENTS, items=items, commits=commits, tag_every=commits // 2
    )
    return generate.generate(root, sizes)


class GitCounter:
    """Counts the git processes started, however they are started."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = subprocess.Popen
        counter = self

        class CountingPopen(original):  # type: ignore[misc, valid-type]
            def __init__(self, args: Any, *rest: Any, **kwargs: Any) -> None:
                program = args[0] if isinstance(args, list | tuple) else str(args).split()[0]
                if Path(str(program)).name == "git":
                    counter.count += 1
                super().__init__(args, *rest, **kwargs)

        monkeypatch.setattr(subprocess, "Popen", CountingPopen)
        # GitPython starts its processes through its own reference to Popen.
        monkeypatch.setattr(git.cmd, "safer_popen", CountingPopen)

    def during(self, action: Callable[[], object]) -> int:
        pass  # each workspace has its own item cache  # a fresh process: nothing parsed yet
        before, before_history = self.count, history.invocations
        action()
        counted = self.count - before
        assert counted == history.invocations - before_history, "git run outside piakit.history"
        return counted


def table(root: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(root), "table", SLUG, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"rows": [' in result.output


def site(root: Path, out: Path) -> None:
    build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(out)))
    assert (out / SLUG / "index.html").is_file()


#: A table: the top level, shallow?, HEAD, the tags, one log, one listing of the milestones'
#: items, one read of their blobs, and one ``git status`` of the items (uncommitted edits are
#: warned about). A renamed assessment folder costs one more log pass, not counted here.
TABLE_GIT = 8
#: A site: the first five, then per assessment one listing and at most two reads of blobs
#: (the milestones' items, then the versions between them; a read is skipped when every blob
#: it would read was read already, so two builds may differ by one).
SITE_GIT = 5 + 3 * ASSESSMENTS


def test_a_table_costs_the_same_git_processes_for_5_or_50_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, large = city(tmp_path, 5, 20), city(tmp_path, 50, 20)
    git = GitCounter(monkeypatch)
    assert git.during(lambda: table(small)) == git.during(lambda: table(large)) <= TABLE_GIT


def test_a_table_costs_the_same_git_processes_for_10_or_100_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    short, long = city(tmp_path, 10, 10), city(tmp_path, 10, 100)
    git = GitCounter(monkeypatch)
    assert git.during(lambda: table(short)) == git.during(lambda: table(long)) <= TABLE_GIT


def test_a_site_build_costs_the_same_git_processes_for_5_or_50_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, large = city(tmp_path, 5, 20), city(tmp_path, 50, 20)
    git = GitCounter(monkeypatch)
    few = git.during(lambda: site(small, tmp_path / "site-small"))
    many = git.during(lambda: site(large, tmp_path / "site-large"))
    assert abs(few - many) <= 1
    assert max(few, many) <= SITE_GIT
    assert sum(1 for _ in (tmp_path / "site-large").rglob("*.html")) > 100


def test_a_site_build_costs_the_same_git_processes_for_10_or_100_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    short, long = city(tmp_path, 10, 10), city(tmp_path, 10, 100)
    git = GitCounter(monkeypatch)
    few = git.during(lambda: site(short, tmp_path / "site-short"))
    many = git.during(lambda: site(long, tmp_path / "site-long"))
    assert abs(few - many) <= 1
    assert max(few, many) <= SITE_GIT


def test_the_generator_is_deterministic_and_writes_the_canonical_form(tmp_path: Path) -> None:
    from piakit import documents

    one, two = city(tmp_path / "a", 8, 30), city(tmp_path / "b", 8, 30)
    heads = [
        subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout
        for root in (one, two)
    ]
    assert heads[0] == heads[1]
    files = sorted(one.glob("assessments/*/items/*.yaml"))
    assert len(files) >= ASSESSMENTS * 8
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert documents.dump_item(documents.load_item(text, path.stem, str(path))) == text
    for path in one.glob("assessments/*/assessment.yaml"):
        text = path.read_text(encoding="utf-8")
        slug = path.parent.name
        assert documents.dump_assessment(documents.load_assessment(text, slug, str(path))) == text
