"""Shared fixtures: real git repositories in temporary folders, with identity, dates and
signing pinned so that every run makes the same commits."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from piakit import documents
from piakit.model import Assessment, Item, Milestone

#: The real table from Chiba city (the seed), kept in the repository as the example's source.
SEED = Path(__file__).resolve().parents[1] / "examples" / "chiba-kokumin-nenkin.txt"

PINNED_ENV = {
    "GIT_AUTHOR_NAME": "Test Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.jp",
    "GIT_COMMITTER_NAME": "Test Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.jp",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "TZ": "Asia/Tokyo",
}


def pin_git(home: Path, patch: pytest.MonkeyPatch) -> None:
    """Run git with a pinned identity, dates and a global config of our own in ``home``
    (signing off): for one test, or for a module's history built once."""
    config = home / ".gitconfig"
    config.write_text(
        "[user]\n\tname = Test Editor\n\temail = editor@example.jp\n"
        "[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n"
        "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
        encoding="utf-8",
    )
    patch.setenv("HOME", str(home))
    patch.setenv("GIT_CONFIG_GLOBAL", str(config))
    for key, value in PINNED_ENV.items():
        patch.setenv(key, value)


@pytest.fixture(autouse=True)
def pinned_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs git with a pinned identity and a global config of our own."""
    pin_git(tmp_path_factory.mktemp("home"), monkeypatch)


class GitRepo:
    """A scratch assessments repository and the git moves tests need."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._tick = 0
        self.git("init", "-q")

    def git(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> str:
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        proc = subprocess.run(
            ["git", *args],
            cwd=self.root,
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            check=False,
        )
        if proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout.strip()

    # --- files ---------------------------------------------------------------------------

    def write(self, relpath: str, text: str) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return path

    def write_assessment(
        self, slug: str, milestones: Sequence[tuple[str, str] | Milestone], **extra: Any
    ) -> None:
        """``milestones``: (id, label) pairs, or ``Milestone`` records with a kind and a date."""
        assessment = Assessment(
            slug=slug,
            title=extra.get("title", "テスト事務 全項目評価書"),
            organization=extra.get("organization", "テスト市"),
            milestones=tuple(m if isinstance(m, Milestone) else Milestone(*m) for m in milestones),
            reason_categories=extra.get("reason_categories"),
            **({"opinion_sources": extra["opinion_sources"]} if "opinion_sources" in extra else {}),
        )
        self.write(f"assessments/{slug}/assessment.yaml", documents.dump_assessment(assessment))

    def write_item(self, slug: str, item: Item) -> None:
        self.write(f"assessments/{slug}/items/{item.id}.yaml", documents.dump_item(item))

    def write_opinion(
        self,
        slug: str,
        opinion_id: str,
        *,
        source: str = "第三者点検",
        received: str = "2024-01-15",
        summary: str = "委託先の管理について記載すること。",
        outcome: str = "open",
        response: str | None = None,
        sender: str | None = None,
    ) -> Path:
        """``assessments/<slug>/opinions/<opinion_id>.yaml`` in the canonical form."""
        lines = [f"source: {source}", f"received: {received}"]
        if sender is not None:
            lines.append(f"from: {sender}")
        lines += ["summary: |", *(f"  {line}" for line in summary.splitlines())]
        if response is not None:
            lines += ["response: |", *(f"  {line}" for line in response.splitlines())]
        lines.append(f"outcome: {outcome}")
        return self.write(f"assessments/{slug}/opinions/{opinion_id}.yaml", "\n".join(lines) + "\n")

    def remove_item(self, slug: str, item_id: str) -> None:
        (self.root / f"assessments/{slug}/items/{item_id}.yaml").unlink()

    # --- history -------------------------------------------------------------------------

    def commit(
        self,
        subject: str,
        *,
        trailers: list[tuple[str, str]] | None = None,
        body: str = "",
        allow_empty: bool = False,
    ) -> str:
        self._tick += 1
        stamp = (
            f"2024-01-{self._tick:02d}T10:00:00+09:00"
            if self._tick < 29
            else (f"2024-02-{self._tick - 28:02d}T10:00:00+09:00")
        )
        message = subject
        if body:
            message += "\n\n" + body
        if trailers:
            message += "\n\n" + "\n".join(f"{k}: {v}" for k, v in trailers)
        self.git("add", "-A")
        args = ["commit", "-q", "-F", "-"]
        if allow_empty:
            args.append("--allow-empty")
        self.git(
            *args,
            input=message + "\n",
            env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        )
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, rev: str = "HEAD") -> None:
        self.git("tag", name, rev)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[GitRepo]:
    root = tmp_path / "repo"
    root.mkdir()
    yield GitRepo(root)


def item(
    item_id: str, text: str | None = None, *, page: int = 1, order: int = 10, **kw: Any
) -> Item:
    """A small item with a one-heading path, for building histories."""
    path = kw.pop("path", ("I. 基本情報", item_id))
    return Item(id=item_id, path=tuple(path), page=page, order=order, text=text, **kw)
