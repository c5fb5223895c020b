"""The comparison table from real histories: every cell rule, reasons, milestones bound by
tags and trailers, merges, and the errors for unknown assessments and milestones."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from piakit import history
from piakit.cli import cli
from piakit.compare import build_cells
from piakit.errors import InputError
from piakit.model import Choice, Selection
from piakit.usecases.table import comparison_table
from piakit.versions import item_histories
from piakit.workspace import Workspace

from .conftest import GitRepo, item

SLUG = "test"
MILESTONES = [("current", "現在の評価書"), ("m1", "修正案 (1)"), ("m2", "修正案 (2)")]
R1 = [("Reason-Category", "事務所管課による修正"), ("Reason", "表記の改善")]
R2 = [("Reason-Category", "部会の意見による修正"), ("Reason", "事務の実態に合わせ追加")]


def statuses(row: dict[str, object]) -> list[str]:
    return [c["status"] for c in row["cells"]]  # type: ignore[index,union-attr]


@pytest.fixture
def history_repo(repo: GitRepo) -> GitRepo:
    """Three milestones and one item for each cell rule."""
    repo.write_assessment(SLUG, MILESTONES)
    repo.write_item(SLUG, item("stay", "変わらない。", order=10))
    repo.write_item(
        SLUG,
        item("edit", "システムを利用する職員を限定し、ID及びパスワードによる本人認証。", order=20),
    )
    repo.write_item(SLUG, item("drop", "年金担当課以外で届出を受けたもの。", order=30))
    repo.write_item(SLUG, item("revert", "元の文。", order=50))
    repo.write_item(SLUG, item("lines", "・一行目。\n・二行目を消す。\n・三行目。", order=60))
    repo.commit("現在の評価書", trailers=[("Milestone", f"{SLUG}/current")])
    # m1: edit changed, drop deleted, addrm added, revert changed, lines loses its second line
    repo.write_item(
        SLUG,
        item(
            "edit",
            "システムを利用する職員を限定し、ID・パスワード及び生体認証による本人認証。",
            order=20,
        ),
    )
    repo.remove_item(SLUG, "drop")
    repo.write_item(SLUG, item("addrm", "一時的に追加した文。", order=40))
    repo.write_item(SLUG, item("revert", "変えた文。", order=50))
    repo.write_item(SLUG, item("lines", "・一行目。\n・三行目。", order=60))
    repo.commit("m1 の修正", trailers=R1)
    repo.tag(f"{SLUG}/m1")
    # m2: addrm deleted again, revert back to the old text, edit unchanged, new item added
    repo.remove_item(SLUG, "addrm")
    repo.write_item(SLUG, item("revert", "元の文。", order=50))
    repo.write_item(SLUG, item("new", "データ入力の委託。", order=70))
    repo.commit("m2 の修正", trailers=R2)
    repo.commit("部会後の案", allow_empty=True, trailers=[("Milestone", f"{SLUG}/m2")])
    return repo


def test_every_cell_rule(history_repo: GitRepo) -> None:
    table = comparison_table(Workspace.open(history_repo.root), SLUG).to_json()
    assert [c["id"] for c in table["columns"]] == ["current", "m1", "m2"]
    rows = {row["item"]: row for row in table["rows"]}
    # "stay" never changed: not a row; rows are in document order
    assert list(rows) == ["edit", "drop", "addrm", "revert", "lines", "new"]
    assert statuses(rows["edit"]) == ["text", "text", "unchanged"]
    assert statuses(rows["drop"]) == ["text", "deleted", "unchanged"]
    assert statuses(rows["addrm"]) == ["absent", "text", "deleted"]
    assert statuses(rows["revert"]) == ["text", "text", "text"]
    assert rows["revert"]["cells"][2]["text"] == "元の文。"
    assert statuses(rows["new"]) == ["absent", "absent", "text"]
    lines_cell = rows["lines"]["cells"][1]
    assert lines_cell["text"] == "・一行目。\n(削除)\n・三行目。"
    assert {m["kind"] for m in lines_cell["marks"]} == {"removed"}


def test_changed_characters_are_marked_as_words(history_repo: GitRepo) -> None:
    table = comparison_table(Workspace.open(history_repo.root), SLUG).to_json()
    cell = next(r for r in table["rows"] if r["item"] == "edit")["cells"][1]
    marked = [cell["text"][m["start"] : m["end"]] for m in cell["marks"] if m["kind"] == "changed"]
    assert marked == ["・パスワード及び生体認証"]


def test_reasons_in_commit_order_deduplicated(history_repo: GitRepo) -> None:
    table = comparison_table(Workspace.open(history_repo.root), SLUG).to_json()
    rows = {row["item"]: row for row in table["rows"]}
    pairs = [(r["category"], r["reason"]) for r in rows["revert"]["reasons"]]
    assert pairs == [
        ("事務所管課による修正", "表記の改善"),
        ("部会の意見による修正", "事務の実態に合わせ追加"),
    ]
    assert [(r["category"], r["reason"]) for r in rows["edit"]["reasons"]] == [
        ("事務所管課による修正", "表記の改善")
    ]


def test_tag_wins_over_trailer(history_repo: GitRepo) -> None:
    first = history_repo.git("rev-list", "--max-parents=0", "HEAD")
    history_repo.tag(f"{SLUG}/current", first)  # same commit: source changes, commit not
    history_repo.git("tag", "-f", f"{SLUG}/m2", "HEAD~1")
    ws = Workspace.open(history_repo.root)
    bound = {b.milestone.id: (b.commit, b.source) for b in ws.bound_milestones(SLUG)}
    assert bound["current"] == (first, "tag")
    assert bound["m1"][1] == "tag"
    assert bound["m2"] == (history_repo.git("rev-parse", "HEAD~1"), "tag")


def test_milestone_subset_and_head(history_repo: GitRepo) -> None:
    table = comparison_table(Workspace.open(history_repo.root), SLUG, ["current", "m2"]).to_json()
    rows = {row["item"]: row for row in table["rows"]}
    assert "revert" not in rows  # current == m2 for it
    assert statuses(rows["drop"]) == ["text", "deleted"]
    assert "addrm" not in rows  # absent at both ends
    head_table = comparison_table(Workspace.open(history_repo.root), SLUG, ["m1", "HEAD"]).to_json()
    assert head_table["columns"][1]["id"] == "HEAD"


def test_planned_and_unknown_milestones_are_refused_with_the_known_ones(
    history_repo: GitRepo,
) -> None:
    history_repo.write_assessment(SLUG, [*MILESTONES, ("m3", "修正案 (3)")])
    history_repo.commit("m3 を予定", trailers=R1)
    ws = Workspace.open(history_repo.root)
    assert [s.milestone.id for s in ws.milestones(SLUG) if s.planned] == ["m3"]
    assert [c.id for c in comparison_table(ws, SLUG).columns] == ["current", "m1", "m2"]
    with pytest.raises(InputError, match="planned") as info:
        comparison_table(ws, SLUG, ["current", "m3"])
    assert "current" in str(info.value)
    with pytest.raises(InputError, match="not declared"):
        comparison_table(ws, SLUG, ["nope"])


def test_unknown_assessment_lists_the_known(history_repo: GitRepo) -> None:
    result = CliRunner().invoke(cli, ["-C", str(history_repo.root), "table", "nope"])
    assert result.exit_code == 1
    assert "unknown assessment 'nope'" in result.output
    assert "known assessments: test" in result.output


def test_merge_commits_bring_side_branch_reasons(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, MILESTONES[:2])
    repo.write_item(SLUG, item("a", "甲。", order=10))
    repo.write_item(SLUG, item("b", "乙。", order=20))
    repo.commit("current", trailers=[("Milestone", f"{SLUG}/current")])
    repo.git("checkout", "-q", "-b", "side")
    repo.write_item(SLUG, item("a", "甲を直した。", order=10))
    repo.commit("side edit", trailers=R1)
    repo.git("checkout", "-q", "main")
    repo.write_item(SLUG, item("b", "乙を直した。", order=20))
    repo.commit("main edit", trailers=R2)
    repo.git("merge", "-q", "--no-ff", "side", "-m", "Merge side", "-m", f"Milestone: {SLUG}/m1")
    table = comparison_table(Workspace.open(repo.root), SLUG).to_json()
    rows = {row["item"]: row for row in table["rows"]}
    assert [r["reason"] for r in rows["a"]["reasons"]] == ["表記の改善"]
    assert [r["reason"] for r in rows["b"]["reasons"]] == ["事務の実態に合わせ追加"]


def test_choices_and_select_cells(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, MILESTONES[:2])
    repo.write_item(
        SLUG, item("c", choices=(Choice("紙", True), Choice("その他", False, "")), order=1)
    )
    repo.write_item(SLUG, item("s", select=Selection("委託する", "(2) 件"), order=2))
    repo.commit("current", trailers=[("Milestone", f"{SLUG}/current")])
    repo.write_item(
        SLUG, item("c", choices=(Choice("紙", True), Choice("その他", True, "介護")), order=1)
    )
    repo.write_item(SLUG, item("s", select=Selection("委託する", "(3) 件"), order=2))
    repo.commit("edit", trailers=[*R2, ("Milestone", f"{SLUG}/m1")])
    rows = comparison_table(Workspace.open(repo.root), SLUG).to_json()["rows"]
    assert rows[0]["cells"][0]["text"] == "[○] 紙\n[ ] その他 ()"
    assert rows[0]["cells"][1]["text"] == "[○] 紙\n[○] その他 (介護)"
    assert rows[1]["cells"][1]["text"] == "[委託する] (3) 件"


def test_build_cells_rules_without_git() -> None:
    a, b = item("x", "あ。"), item("x", "い。")
    assert [c.status for c in build_cells([None, None, a, None, None])] == [
        "absent",
        "absent",
        "text",
        "deleted",
        "unchanged",
    ]
    assert [c.status for c in build_cells([a, a, b, a])] == ["text", "unchanged", "text", "text"]


def test_git_calls_do_not_grow_with_items(repo: GitRepo) -> None:
    def calls_for(n: int) -> int:
        repo.write_assessment(SLUG, MILESTONES[:2])
        for i in range(n):
            repo.write_item(SLUG, item(f"i{i}", f"文{i}。", order=i))
        # Bound by tags moved each round: a trailer repeated on two commits is refused.
        repo.commit(f"current {n}")
        repo.git("tag", "-f", f"{SLUG}/current")
        for i in range(n):
            repo.write_item(SLUG, item(f"i{i}", f"文{i}を直す。", order=i))
        repo.commit(f"edit {n}", trailers=R1)
        repo.git("tag", "-f", f"{SLUG}/m1")
        before = history.invocations
        comparison_table(Workspace.open(repo.root), SLUG)
        return history.invocations - before

    assert calls_for(3) == calls_for(40)


def test_cli_table_formats(history_repo: GitRepo) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["-C", str(history_repo.root), "table", SLUG, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["assessment"] == SLUG
    assert "\\u" not in result.output
    md = runner.invoke(cli, ["-C", str(history_repo.root), "table", SLUG])
    assert md.exit_code == 0 and "変更なし" in md.output
    bad = runner.invoke(cli, ["-C", str(history_repo.root), "table", SLUG, "--milestones", "x"])
    assert bad.exit_code == 1 and "known milestones" in bad.output


def test_a_broken_old_version_does_not_break_histories(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, MILESTONES[:2])
    repo.write_item(SLUG, item("a", "甲。", order=10))
    repo.commit("current", trailers=[("Milestone", f"{SLUG}/current")])
    repo.write(f"assessments/{SLUG}/items/a.yaml", "path: [x\ntext: 壊れた\n")
    repo.commit("broken", trailers=R1)
    repo.write_item(SLUG, item("a", "甲を直した。", order=10))
    repo.commit("fixed", trailers=[*R1, ("Milestone", f"{SLUG}/m1")])
    ws = Workspace.open(repo.root)
    revisions = item_histories(ws, SLUG)["a"]
    assert [r.commit.subject for r in revisions] == ["current", "broken", "fixed"]
    broken = revisions[1].item
    assert broken is not None and broken.text is not None
    assert "読み込めない版" in broken.text and "a.yaml@" in broken.text
    assert comparison_table(ws, SLUG).rows[0].cells[1].text == "甲を直した。"
    # at a milestone the broken version is an error with the file and line
    repo.tag(f"{SLUG}/m1", "HEAD~1")
    with pytest.raises(InputError, match=r"a\.yaml:\d+:\d+"):
        comparison_table(Workspace.open(repo.root), SLUG)
