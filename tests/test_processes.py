"""How piakit runs as a process: git reads started ahead (``Repository.start``), and the exit
that skips the interpreter's teardown but keeps every byte of output and every exit code."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from piakit.errors import GitError
from piakit.history import Repository

from .conftest import GitRepo, item


def _one_item_history(repo: GitRepo, text: str = "委託先を追加する。") -> None:
    repo.write_assessment("t", [("current", "現在の評価書"), ("R1", "第1版")])
    repo.write_item("t", item("a", text))
    repo.commit("start")
    repo.tag("t/current")


def test_a_started_read_answers_what_the_blocking_read_answers(repo: GitRepo) -> None:
    _one_item_history(repo)
    git = Repository.discover(repo.root)
    pending = git.start_log([git.require_history()], paths=["assessments/t/"])
    started = pending.result()
    assert started == git.log([git.require_history()], paths=["assessments/t/"])
    assert [change.path for change in started[0].changes] == [
        "assessments/t/assessment.yaml",
        "assessments/t/items/a.yaml",
    ]
    assert pending.result() is started  # git ran once; the answer is kept


def test_a_started_read_that_fails_raises_where_its_answer_is_asked_for(repo: GitRepo) -> None:
    _one_item_history(repo)
    git = Repository.discover(repo.root)
    pending = git.start("log", "no-such-branch", "--", parse=bytes.decode)
    with pytest.raises(GitError, match="git log no-such-branch -- failed") as info:
        pending.result()
    assert "bad revision 'no-such-branch'" in str(info.value)


def test_git_finishes_a_long_answer_before_anyone_asks_for_it(repo: GitRepo) -> None:
    """The answer is drained as git writes it: git never waits on a full pipe (64 KiB) for
    this process to finish its own work."""
    big = "\n".join(f"{n}行目の記載。" for n in range(40_000))  # about 0.8 MB
    _one_item_history(repo, big)
    git = Repository.discover(repo.root)
    pending = git.start("show", "HEAD:assessments/t/items/a.yaml", parse=len)
    pending._process.proc.wait(timeout=120)  # would wait forever on a full pipe
    assert pending.result() > 64 * 1024


def _piakit(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", "from piakit.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        check=False,
    )


def test_the_process_ends_with_the_commands_exit_code_and_all_its_output(repo: GitRepo) -> None:
    from click.testing import CliRunner

    from piakit.cli import cli

    _one_item_history(repo)
    repo.write_item("t", item("a", "委託先を変更する。"))
    repo.commit("edit", trailers=[("Reason", "表記の改善")])
    repo.tag("t/R1")

    done = _piakit(repo.root, "table", "t", "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    in_process = CliRunner().invoke(cli, ["-C", str(repo.root), "table", "t", "--format", "json"])
    assert done.stdout == in_process.stdout_bytes  # nothing lost by skipping the teardown
    assert "委託先を変更する。" in done.stdout.decode()

    wrong = _piakit(repo.root, "table", "nosuch")
    assert wrong.returncode == 1
    assert b"unknown assessment 'nosuch'" in wrong.stderr

    usage = _piakit(repo.root, "table")
    assert usage.returncode == 2
    assert b"Missing argument 'SLUG'" in usage.stderr


def test_uncommitted_edits_are_still_reported_when_git_status_runs_ahead(repo: GitRepo) -> None:
    _one_item_history(repo)
    repo.write_item("t", item("a", "委託先を変更する。"))
    repo.commit("edit", trailers=[("Reason", "表記の改善")])
    repo.tag("t/R1")
    repo.write_item("t", item("a", "まだコミットしていない。"))
    done = _piakit(repo.root, "table", "t")
    assert done.returncode == 0
    assert b"uncommitted edits to item files (assessments/t/items/a.yaml)" in done.stderr


def test_table_starts_reading_the_history_before_piakit_loads_the_rest(repo: GitRepo) -> None:
    """``piakit table`` opens the repository and starts ``git log`` first; the records, the
    read model, the documents (and ruamel.yaml) and the text diff load while git reads."""
    _one_item_history(repo)
    repo.write_item("t", item("a", "委託先を変更する。"))
    repo.commit("edit", trailers=[("Reason", "表記の改善")])
    repo.tag("t/R1")
    probe = (
        "import sys\n"
        "from piakit.history import Repository\n"
        "start = Repository.start\n"
        "def watched(self, *args, parse):\n"
        "    if args[0] == 'log':\n"
        "        heavy = ('piakit.model', 'piakit.workspace', 'piakit.documents', 'ruamel.yaml',\n"
        "                 'piakit.textdiff', 'piakit.usecases.table')\n"
        "        loaded = [m for m in heavy if m in sys.modules]\n"
        "        print('loaded when git log started:', loaded, file=sys.stderr)\n"
        "    return start(self, *args, parse=parse)\n"
        "Repository.start = watched\n"
        "from piakit.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "table", "t", "--format", "json"],
        cwd=repo.root,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "loaded when git log started: []" in done.stderr.decode()
    assert "委託先を変更する。" in done.stdout.decode()


def test_a_history_pass_started_on_a_guess_is_stopped_when_other_tags_are_needed(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``piakit table`` starts its log from the assessment's own tags before it has read
    the tags; a tag of another name with a ``/`` (a renamed folder, or just ``release/…``)
    means the pass must start from it too: the guess is stopped, not read to the end."""
    from piakit.history import Pending
    from piakit.opening import open_repository

    _one_item_history(repo)
    repo.tag("release/2024")
    stopped: list[Sequence[str]] = []
    cancel = Pending.cancel

    def watched(self: Pending[Any]) -> None:
        stopped.append(self._args)
        cancel(self)

    monkeypatch.setattr(Pending, "cancel", watched)
    opening = open_repository(repo.root, scope="t", history=True)
    assert [args[0] for args in stopped] == ["log"]
    assert "--glob=refs/tags/t/*" in stopped[0]
    assert opening.history is not None
    assert not any(arg.startswith("--glob") for arg in opening.history._args)
    assert [c.subject for c in opening.history.result()] == ["start"]

    repo.git("tag", "-d", "release/2024")
    stopped.clear()
    own_only = open_repository(repo.root, scope="t", history=True)
    assert stopped == []  # its own tags only: the pass started first is the one read
    assert own_only.history is not None and "--glob=refs/tags/t/*" in own_only.history._args
    assert [c.subject for c in own_only.history.result()] == ["start"]
