"""The table against a model, over generated histories (issue 9).

Hypothesis draws a sequence of history operations (edit, add, delete, rename with ``git mv``,
revert, branch + edit + merge with or without a conflict, bind a milestone) and plays it on a
real repository. The expected table is computed here, independently of piakit's history code:
the item files at each milestone are read with ``git ls-tree`` and ``git show`` and parsed as
plain YAML, the renames and the commits that revised each item come from the operations
themselves. ``Workspace.table`` must agree on the rows, their order, every cell's status and
text, and every row's reasons.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from piakit.usecases.table import comparison_table
from piakit.workspace import Workspace
from tests.conftest import GitRepo, item

SLUG = "test"
ITEMS = f"assessments/{SLUG}/items"
MILESTONE_IDS = [f"m{i}" for i in range(12)]

KINDS = ["edit", "add", "delete", "rename", "revert", "merge", "milestone"]
operations = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 30), st.integers(0, 4)),
    min_size=1,
    max_size=9,
)


@dataclass
class Played:
    """What the operations did, as the model needs it."""

    repo: GitRepo
    files: dict[str, str] = field(default_factory=dict)  # name -> text on main
    orders: dict[str, int] = field(default_factory=dict)  # name -> its order
    position: dict[str, float] = field(default_factory=dict)  # commit -> place in history
    states: dict[str, dict[str, str]] = field(default_factory=dict)  # commit -> files
    revised: dict[str, set[str]] = field(default_factory=dict)  # commit -> names it revised
    renamed: dict[str, tuple[str, str]] = field(default_factory=dict)  # commit -> (old, new)
    reason: dict[str, str] = field(default_factory=dict)  # commit -> its one reason
    milestones: list[tuple[str, str]] = field(default_factory=list)  # (id, commit)
    counter: int = 0
    head_is_merge: bool = False

    def fresh(self) -> int:
        self.counter += 1
        return self.counter

    def write(self, name: str, text: str) -> None:
        self.repo.write_item(SLUG, item(name, text, order=self.orders[name]))
        self.files[name] = text

    def commit(self, subject: str, revised: set[str], place: float | None = None) -> str:
        label = f"r{self.fresh()}"
        sha = self.repo.commit(subject, trailers=[("Reason-Category", "テスト"), ("Reason", label)])
        self.position[sha] = place if place is not None else float(len(self.position))
        self.states[sha] = dict(self.files)
        self.revised[sha] = revised
        self.reason[sha] = label
        return sha

    def head(self) -> str:
        return self.repo.git("rev-parse", "HEAD")


def play(repo: GitRepo, ops: list[tuple[str, int, int]]) -> Played:
    played = Played(repo)
    repo.write_assessment(SLUG, [(mid, f"版 {mid}") for mid in MILESTONE_IDS])
    for _ in range(2):
        name = f"i{played.fresh()}"
        played.orders[name] = played.counter
        played.write(name, f"文{played.counter}。")
    first = played.commit("最初の版", set(played.files))
    bind(played, first)
    last_commit_op = "first"
    for kind, pick, variant in ops:
        names = sorted(played.files)
        chosen = names[pick % len(names)] if names else None
        if kind == "edit" and chosen:
            played.write(chosen, f"直した文{played.fresh()}。")
            played.commit(f"{chosen} を直す", {chosen})
        elif kind == "add":
            name = f"i{played.fresh()}"
            played.orders[name] = played.counter
            played.write(name, f"新しい文{played.counter}。")
            played.commit(f"{name} を足す", {name})
        elif kind == "delete" and chosen:
            repo.remove_item(SLUG, chosen)
            del played.files[chosen]
            played.commit(f"{chosen} を消す", {chosen})
        elif kind == "rename" and chosen:
            new = f"i{played.fresh()}"
            played.orders[new] = played.orders[chosen]
            repo.git("mv", f"{ITEMS}/{chosen}.yaml", f"{ITEMS}/{new}.yaml")
            played.files[new] = played.files.pop(chosen)
            sha = played.commit(f"{chosen} を {new} に", set())
            played.renamed[sha] = (chosen, new)
        elif kind == "revert" and last_commit_op not in ("first", "merge"):
            head = played.head()
            parent = repo.git("rev-parse", "HEAD^")
            repo.git("revert", "--no-commit", "HEAD")
            before, after = played.states[head], played.states[parent]
            played.files = dict(after)
            if head in played.renamed:
                old, new = played.renamed[head]
                sha = played.commit("名前を戻す", set())
                played.renamed[sha] = (new, old)
            else:
                changed = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
                played.commit("元に戻す", changed)
        elif kind == "merge" and chosen:
            merge(played, chosen, variant, names)
        elif kind == "milestone":
            bind(played, played.head())
            continue
        else:
            continue
        last_commit_op = kind
    bind(played, played.head())
    return played


def merge(played: Played, chosen: str, variant: int, names: list[str]) -> None:
    """A branch edits ``chosen``; main leaves it (0), edits it too and the conflict is
    resolved with a third text (1) or with the branch's text (2), edits another item (3), or
    edits another line of it, which git merges cleanly (4)."""
    repo = played.repo
    lines = [f"上{played.fresh()}。", "中。", f"下{played.counter}。"]
    if variant == 4:
        played.write(chosen, "\n".join(lines))
        played.commit(f"{chosen} を三行にする", {chosen})
    branch = f"side{played.fresh()}"
    place = float(len(played.position))  # the branch's commits sit just before the merge
    repo.git("checkout", "-q", "-b", branch)
    main_files = dict(played.files)
    side_text = f"脇の文{played.fresh()}。"
    if variant == 4:
        side_text = "\n".join([f"脇の上{played.counter}。", *lines[1:]])
    played.write(chosen, side_text)
    played.commit(f"脇で {chosen} を直す", {chosen}, place + 0.1)
    side_files = dict(played.files)
    repo.git("checkout", "-q", "main")
    played.files = main_files
    others = [n for n in names if n != chosen]
    if variant in (1, 2):
        played.write(chosen, f"本線の文{played.fresh()}。")
        played.commit(f"本線で {chosen} を直す", {chosen}, place + 0.2)
    elif variant == 3 and others:
        played.write(others[0], f"本線の別の文{played.fresh()}。")
        played.commit(f"本線で {others[0]} を直す", {others[0]}, place + 0.2)
    elif variant == 4:
        played.write(chosen, "\n".join([*lines[:2], f"本線の下{played.fresh()}。"]))
        played.commit(f"本線で {chosen} の下を直す", {chosen}, place + 0.2)
        side_text = "\n".join([side_text.split("\n")[0], *played.files[chosen].split("\n")[1:]])
    merged = {**played.files, chosen: side_text}
    message = ["merge", "--no-ff", "--no-commit", branch]
    if variant in (1, 2):
        with pytest.raises(AssertionError, match="git merge"):  # the conflict
            repo.git(*message)
    else:
        repo.git(*message)
    revised: set[str] = set()
    if variant == 1:
        played.files = merged
        played.write(chosen, f"解いた文{played.fresh()}。")
        revised = {chosen}
    else:
        played.files = merged
        path = repo.root / f"{ITEMS}/{chosen}.yaml"
        written_by_git = path.read_text(encoding="utf-8")
        played.write(chosen, side_text)
        if variant != 2:  # git merged cleanly, taking each line from one side as modelled
            assert path.read_text(encoding="utf-8") == written_by_git
    assert side_files[chosen].split("\n")[0] == side_text.split("\n")[0]
    played.commit(f"{branch} をマージ", revised, place + 0.3)


def bind(played: Played, commit: str) -> None:
    if len(played.milestones) < len(MILESTONE_IDS):
        milestone_id = MILESTONE_IDS[len(played.milestones)]
        played.repo.tag(f"{SLUG}/{milestone_id}", commit)
        played.milestones.append((milestone_id, commit))


# --- the model ---------------------------------------------------------------------------------

_YAML = YAML(typ="safe")


def files_at(repo: GitRepo, commit: str) -> dict[str, dict[str, Any]]:
    """The item files at ``commit``, read with git and parsed as plain YAML."""
    listed = repo.git("ls-tree", "--name-only", commit, f"{ITEMS}/")
    files = {}
    for path in listed.splitlines():
        data = _YAML.load(repo.git("show", f"{commit}:{path}"))
        files[Path(path).stem] = data
    return files


def follow(name: str, renames: list[tuple[str, str]]) -> str:
    for old, new in renames:
        if name == old:
            name = new
    return name


def expected_table(played: Played) -> list[tuple[str, list[tuple[str, str | None]], set[str]]]:
    """(item, [(status, text)] per column, reasons) for every row, in document order."""
    columns = played.milestones
    last = played.position[columns[-1][1]]
    first = played.position[columns[0][1]]
    ordered_renames = sorted((played.position[sha], pair) for sha, pair in played.renamed.items())

    def renames_after(place: float) -> list[tuple[str, str]]:
        return [pair for at, pair in ordered_renames if place < at <= last]

    versions: list[dict[str, dict[str, Any]]] = []
    for _, commit in columns:
        later = renames_after(played.position[commit])
        versions.append(
            {follow(name, later): data for name, data in files_at(played.repo, commit).items()}
        )
    keys = set().union(*versions)
    rows = []
    for key in keys:
        texts = [v[key]["text"].strip() if key in v else None for v in versions]
        if all(a == b for a, b in pairwise(texts)):
            continue
        cells: list[tuple[str, str | None]] = [
            ("text", texts[0]) if texts[0] is not None else ("absent", None)
        ]
        for i in range(1, len(texts)):
            previous, current = texts[i - 1], texts[i]
            if current is None and previous is None:
                existed = any(t is not None for t in texts[: i - 1])
                cells.append(("unchanged", None) if existed else ("absent", None))
            elif current is None:
                cells.append(("deleted", None))
            elif current == previous:
                cells.append(("unchanged", None))
            else:
                cells.append(("text", current))
        reasons = {
            played.reason[sha]
            for sha, names in played.revised.items()
            if first < played.position[sha] <= last
            and key in {follow(n, renames_after(played.position[sha])) for n in names}
        }
        order = next(v[key]["order"] for v in versions if key in v)
        rows.append((order, key, cells, reasons))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [(key, cells, reasons) for _, key, cells, reasons in rows]


def actual_table(
    root: Path, scope: str | None
) -> list[tuple[str, list[tuple[str, str | None]], set[str]]]:
    table = comparison_table(Workspace.open(root, scope=scope), SLUG)
    return [
        (
            row.item,
            [(cell.status, cell.text if cell.status == "text" else None) for cell in row.cells],
            {reason.reason for reason in row.reasons if reason.reason},
        )
        for row in table.rows
    ]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_the_table_agrees_with_the_model_of_the_history(ops: list[tuple[str, int, int]]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="piakit-model-"))
    try:
        repo = GitRepo(folder)
        played = play(repo, ops)
        expected = expected_table(played)
        # Scoped as piakit table reads it, and over the whole repository as the site does.
        assert actual_table(folder, SLUG) == expected
        assert actual_table(folder, None) == expected
    finally:
        shutil.rmtree(folder, ignore_errors=True)
