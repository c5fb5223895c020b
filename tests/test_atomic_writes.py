"""Writes that are all or nothing: ``import-table`` and ``milestone add`` killed at random
moments leave the refs, HEAD, the index and the work tree exactly as before or exactly as
after, whatever the signal (SIGKILL, SIGTERM, SIGINT, SIGHUP).

Each run starts from a fresh copy of the same repository, starts piakit in a child process,
signals it after a random delay within the time a whole run takes, and compares what git
shows with the two allowed states. The state is read with git itself, not with piakit."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SEED, GitRepo

SLUG = "chiba-kokumin-nenkin"
SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
RUNS = 24
PARTS = ("refs", "HEAD", "index", "status", "work tree")


def state(root: Path) -> tuple[str, ...]:
    """What a person sees of a repository: refs, HEAD, index, status and work-tree files."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False
        ).stdout

    files = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == ".git":
            continue
        digest = hashlib.sha1(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        files.append(f"{relative.as_posix()} {digest}")
    return (
        git("for-each-ref", "--format=%(refname) %(objectname)"),
        git("symbolic-ref", "-q", "HEAD") + git("rev-parse", "-q", "--verify", "HEAD"),
        git("ls-files", "--stage"),
        git("status", "--porcelain", "--untracked-files=all", "--ignored"),
        "\n".join(files),
    )


def piakit(root: Path, *args: str) -> subprocess.Popen[bytes]:
    # The tagger's date is pinned so that every run writes the same tag object.
    env = {**os.environ, "GIT_COMMITTER_DATE": "2024-03-01T10:00:00+09:00"}
    return subprocess.Popen(
        [sys.executable, "-c", "from piakit.cli import main; main()", "-C", str(root), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def run_to_end(root: Path, *args: str) -> float:
    started = time.monotonic()
    proc = piakit(root, *args)
    _, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    return time.monotonic() - started


def interrupted_runs(template: Path, tmp_path: Path, args: tuple[str, ...], seed: int) -> None:
    """Copy ``template``, run piakit with ``args`` to the end once to learn the state after
    and how long it takes, then interrupt it RUNS times and compare."""
    before = state(template)
    complete = tmp_path / "complete"
    shutil.copytree(template, complete, symlinks=True)
    duration = run_to_end(complete, *args)
    after = state(complete)
    assert after != before
    chances = random.Random(seed)
    outcomes = {"before": 0, "after": 0}
    for run in range(RUNS):
        root = tmp_path / f"run{run}"
        shutil.copytree(template, root, symlinks=True)
        sig = SIGNALS[run % len(SIGNALS)]
        proc = piakit(root, *args)
        time.sleep(chances.uniform(0.0, duration))
        proc.send_signal(sig)
        proc.communicate()
        seen = state(root)
        assert seen in (before, after), (
            f"run {run}: {signal.Signals(sig).name} after a delay left a state that is "
            "neither before nor after:\n"
            + "\n".join(
                f"{part}\n  seen:   {now!r}\n  before: {was!r}\n  after:  {will!r}"
                for part, now, was, will in zip(PARTS, seen, before, after, strict=True)
                if now not in (was, will) or was != will
            )
        )
        outcomes["before" if seen == before else "after"] += 1
        # No lock or half-written file is left for git to trip over.
        assert not (root / ".git" / "index.lock").exists()
        assert subprocess.run(["git", "fsck", "--no-dangling"], cwd=root).returncode == 0
        shutil.rmtree(root)
    # The delays spread over the whole run: some runs must have been stopped early.
    assert outcomes["before"] > 0, outcomes


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_import_killed_at_any_moment_is_all_or_nothing(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("README.md", "readme\n")
    repo.commit("start")
    interrupted_runs(repo.root, tmp_path, ("import-table", str(SEED), "--assessment", SLUG), seed=9)


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_milestone_add_killed_at_any_moment_is_all_or_nothing(
    repo: GitRepo, tmp_path: Path
) -> None:
    repo.write_assessment("t", [("current", "現在の評価書")])
    repo.commit("start")
    repo.tag("t/current")
    repo.write("README.md", "draft\n")
    repo.commit("draft")
    interrupted_runs(
        repo.root,
        tmp_path,
        ("milestone", "add", "t", "R6.1.15", "--label", "修正案 (R6.1.15諮問時)"),
        seed=10,
    )


def test_import_leaves_index_and_work_tree_matching_head(repo: GitRepo) -> None:
    """The import never builds its trees on the user's index, and after it `git status` is
    clean: the index and the work tree hold exactly what HEAD holds."""
    repo.write("README.md", "readme\n")
    repo.commit("start")
    index_before = (repo.root / ".git" / "index").read_bytes()
    proc = piakit(repo.root, "import-table", str(SEED), "--assessment", SLUG)
    _, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert (repo.root / ".git" / "index").read_bytes() != index_before
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""
    assert repo.git("diff", "--cached", "--name-only") == ""
    listed = repo.git("ls-files", f"assessments/{SLUG}").splitlines()
    assert len(listed) == 37 and all((repo.root / path).is_file() for path in listed)
    # no scratch folder is left in the git directory
    assert not list((repo.root / ".git").glob("piakit-*"))
    # the reflog says who moved the branch
    assert "piakit import-table" in repo.git("reflog", "-1", "--format=%gs")
