"""Every ordinary shape of history gives the right table, or stops saying why (issue 9).

Each test builds a real repository in a temporary folder: renames of item files and of the
assessment folder, milestones out of history order, ambiguous bindings, merges that write
text of their own, ``Submission`` values, and edits not yet committed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from piakit.cli import cli
from piakit.usecases.sheet import change_sheet
from piakit.usecases.table import comparison_table
from piakit.workspace import Workspace
from tests.conftest import GitRepo, item

SLUG = "test"
MILESTONES = [("current", "現在の評価書"), ("m1", "修正案 (1)"), ("m2", "修正案 (2)")]
R1 = [("Reason-Category", "事務所管課による修正"), ("Reason", "表記の改善")]
R2 = [("Reason-Category", "部会の意見による修正"), ("Reason", "委託先の追加")]
R3 = [("Reason-Category", "部会の意見による修正"), ("Reason", "競合の解消")]


def run(repo: GitRepo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(repo.root), *args])


def table_json(repo: GitRepo, *args: str) -> dict[str, Any]:
    result = run(repo, "table", SLUG, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["item"]: row for row in data["rows"]}


def cells(row: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(cell["status"], cell.get("text")) for cell in row["cells"]]


def reasons(row: dict[str, Any]) -> list[str | None]:
    return [reason["reason"] for reason in row["reasons"]]


def published(repo: GitRepo, *items: tuple[str, str]) -> str:
    """An assessment whose first milestone ``current`` holds ``items``."""
    repo.write_assessment(SLUG, MILESTONES)
    for order, (item_id, text) in enumerate(items):
        repo.write_item(SLUG, item(item_id, text, order=order))
    sha = repo.commit("現在の評価書")
    repo.tag(f"{SLUG}/current")
    return sha


# --- renames -----------------------------------------------------------------------------------


def test_a_pure_rename_of_an_item_file_is_no_change(repo: GitRepo) -> None:
    published(repo, ("old", "甲の記載。"), ("other", "乙。"))
    repo.write_item(SLUG, item("old", "甲の記載を直した。", order=0))
    repo.commit("甲を直す", trailers=R1)
    repo.git("mv", f"assessments/{SLUG}/items/old.yaml", f"assessments/{SLUG}/items/new.yaml")
    repo.commit("ファイル名を変える")  # no reasons: a rename is no revision
    repo.tag(f"{SLUG}/m1")

    data = rows(table_json(repo))
    assert set(data) == {"new"}
    assert cells(data["new"])[0] == ("text", "甲の記載。")
    assert cells(data["new"])[1][1] == "甲の記載を直した。"
    assert reasons(data["new"]) == ["表記の改善"]
    checked = run(repo, "commits", "check")
    assert checked.exit_code == 0, checked.output

    # A rename with nothing else between two milestones gives no row at all.
    repo.git("mv", f"assessments/{SLUG}/items/new.yaml", f"assessments/{SLUG}/items/newer.yaml")
    repo.commit("もう一度名前を変える")
    repo.tag(f"{SLUG}/m2")
    data = rows(table_json(repo, "--milestones", "m1,m2"))
    assert data == {}
    assert set(rows(table_json(repo))) == {"newer"}


def test_log_follows_a_pure_rename_from_either_id(repo: GitRepo) -> None:
    published(repo, ("old", "甲。"))
    repo.write_item(SLUG, item("old", "甲を直した。", order=0))
    repo.commit("甲を直す", trailers=R1)
    repo.git("mv", f"assessments/{SLUG}/items/old.yaml", f"assessments/{SLUG}/items/new.yaml")
    repo.commit("ファイル名を変える")
    for spec in ("new", "old"):
        result = run(repo, "log", spec, "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["item"] == "new" and data["file"].endswith("items/new.yaml")
        entries = data["revisions"]
        assert [e["subject"] for e in entries] == ["ファイル名を変える", "甲を直す", "現在の評価書"]
        assert entries[0]["status"] == "renamed"


def test_a_renamed_assessment_folder_keeps_its_history_and_milestones(repo: GitRepo) -> None:
    repo.write_assessment("a", MILESTONES)
    repo.write_item("a", item("x", "甲。", order=0))
    repo.write_item("a", item("y", "乙。", order=1))
    repo.commit("現在の評価書")
    repo.tag("a/current")
    repo.write_item("a", item("x", "甲を直した。", order=0))
    repo.commit("甲を直す", trailers=[*R1, ("Milestone", "a/m1")])
    repo.git("mv", "assessments/a", "assessments/b")
    repo.commit("評価書の名前を変える")
    repo.write_item("b", item("y", "乙を直した。", order=1))
    repo.commit("乙を直す", trailers=R2)
    repo.tag("b/m2")

    for scoped in (True, False):
        ws = Workspace.open(repo.root, scope="b" if scoped else None)
        assert [s.bound.source if s.bound else None for s in ws.milestones("b")] == [
            "tag",
            "trailer",
            "tag",
        ]
        table = comparison_table(ws, "b")
        assert [r.item for r in table.rows] == ["x", "y"]
        x, y = table.rows
        assert [c.status for c in x.cells] == ["text", "text", "unchanged"]
        assert [r.reason for r in x.reasons] == ["表記の改善"]
        assert [c.status for c in y.cells] == ["text", "unchanged", "text"]
        assert [r.reason for r in y.reasons] == ["委託先の追加"]
    checked = run(repo, "commits", "check")
    assert checked.exit_code == 0, checked.output
    assert rows(table_json_slug(repo, "b"))["x"]["cells"][0]["text"] == "甲。"


def _trailers(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in pairs)


def table_json_slug(repo: GitRepo, slug: str) -> dict[str, Any]:
    result = run(repo, "table", slug, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_a_folder_rename_costs_one_more_log_pass_only(repo: GitRepo) -> None:
    from piakit import history

    repo.write_assessment("a", MILESTONES)
    repo.write_item("a", item("x", "甲。"))
    repo.commit("現在の評価書")
    repo.tag("a/current")
    pass  # each workspace has its own item cache
    before = history.invocations
    comparison_table(Workspace.open(repo.root, scope="a"), "a")
    plain = history.invocations - before
    repo.git("mv", "assessments/a", "assessments/b")
    repo.commit("評価書の名前を変える")
    pass  # each workspace has its own item cache
    before = history.invocations
    comparison_table(Workspace.open(repo.root, scope="b"), "b", ["current", "HEAD"])
    assert history.invocations - before == plain + 1


# --- milestone order ---------------------------------------------------------------------------


def test_milestone_add_refuses_a_commit_older_than_the_previous_milestone(repo: GitRepo) -> None:
    first = published(repo, ("a", "甲。"))
    repo.write_item(SLUG, item("a", "甲を直した。", order=0))
    second = repo.commit("甲を直す", trailers=R1)
    repo.tag(f"{SLUG}/m1")
    yaml = (repo.root / f"assessments/{SLUG}/assessment.yaml").read_bytes()
    result = run(repo, "milestone", "add", SLUG, "m2", first)
    assert result.exit_code == 1
    assert "m2" in result.output and "m1" in result.output
    assert first[:7] in result.output and second[:7] in result.output
    assert "Traceback" not in result.output
    assert "test/m2" not in repo.git("tag", "--list")
    assert (repo.root / f"assessments/{SLUG}/assessment.yaml").read_bytes() == yaml
    # A new milestone (declared last) on an older commit is refused too, and nothing written.
    result = run(repo, "milestone", "add", SLUG, "m9", first, "--label", "後の版")
    assert result.exit_code == 1 and "m9" in result.output
    assert (repo.root / f"assessments/{SLUG}/assessment.yaml").read_bytes() == yaml
    # The same commit as the previous milestone is fine.
    assert run(repo, "milestone", "add", SLUG, "m2", second).exit_code == 0


def test_columns_out_of_order_or_repeated_are_refused(repo: GitRepo) -> None:
    published(repo, ("a", "甲。"))
    repo.write_item(SLUG, item("a", "甲を直した。", order=0))
    repo.commit("甲を直す", trailers=R1)
    repo.tag(f"{SLUG}/m1")
    for spec, words in [
        ("m1,current", ["m1", "current", "out of history order"]),
        ("current,m1,current", ["current", "twice"]),
        ("HEAD,m1", ["HEAD", "last"]),
    ]:
        result = run(repo, "table", SLUG, "--milestones", spec)
        assert result.exit_code == 1, spec
        assert all(word in result.output for word in words), result.output
        assert result.stdout == ""
    assert run(repo, "table", SLUG, "--milestones", "current,m1,HEAD").exit_code == 0


def test_declared_milestones_bound_out_of_history_order_refuse_the_default_table(
    repo: GitRepo,
) -> None:
    first = published(repo, ("a", "甲。"))
    repo.write_item(SLUG, item("a", "甲を直した。", order=0))
    second = repo.commit("甲を直す", trailers=R1)
    repo.git("tag", "-f", f"{SLUG}/current", second)
    repo.tag(f"{SLUG}/m1", first)
    result = run(repo, "table", SLUG, "-o", str(repo.root / "out.md"))
    assert result.exit_code == 1
    assert first[:7] in result.output and second[:7] in result.output
    assert not (repo.root / "out.md").exists()
    listed = run(repo, "milestone", "list", SLUG)
    assert listed.exit_code == 1 and "out of history order" in listed.output
    # Columns that follow the history are still fine, whatever the declaration says.
    assert run(repo, "table", SLUG, "--milestones", "m1,current").exit_code == 0


# --- ambiguous bindings ------------------------------------------------------------------------


def test_a_trailer_on_two_commits_is_an_error_until_a_tag_decides(repo: GitRepo) -> None:
    published(repo, ("a", "甲。"))
    repo.write_item(SLUG, item("a", "甲を直した。", order=0))
    one = repo.commit("一回目", trailers=[*R1, ("Milestone", f"{SLUG}/m1")])
    repo.write_item(SLUG, item("a", "甲をもう一度直した。", order=0))
    two = repo.commit("二回目", trailers=[*R1, ("Milestone", f"{SLUG}/m1")])
    result = run(repo, "table", SLUG)
    assert result.exit_code == 1
    assert one[:7] in result.output and two[:7] in result.output
    assert result.stdout == ""
    listed = run(repo, "milestone", "list", SLUG, "--format", "json")
    assert listed.exit_code == 1
    kinds = [f["kind"] for f in json.loads(listed.stdout)["findings"]]
    assert kinds == ["trailers"]

    repo.tag(f"{SLUG}/m1", one)
    result = run(repo, "table", SLUG, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "the tag wins" in result.stderr and two[:7] in result.stderr
    assert json.loads(result.stdout)["columns"][1]["commit"] == one


def test_a_trailer_naming_an_undeclared_milestone_is_warned(repo: GitRepo) -> None:
    published(repo, ("a", "甲。"))
    repo.write_item(SLUG, item("a", "甲を直した。", order=0))
    sha = repo.commit("甲を直す", trailers=[*R1, ("Milestone", f"{SLUG}/nosuch")])
    result = run(repo, "table", SLUG, "--milestones", "current,HEAD")
    assert result.exit_code == 0, result.output
    assert "nosuch" in result.stderr and sha[:7] in result.stderr
    assert "piakit milestone add" in result.stderr
    listed = run(repo, "milestone", "list", SLUG)
    assert listed.exit_code == 0 and "nosuch" in listed.stderr


def test_a_tag_and_a_trailer_that_disagree_are_warned_and_the_tag_wins(repo: GitRepo) -> None:
    published(repo, ("a", "甲。"))
    repo.write_item(SLUG, item("a", "甲を直した。", order=0))
    by_trailer = repo.commit("甲を直す", trailers=[*R1, ("Milestone", f"{SLUG}/m1")])
    repo.write_item(SLUG, item("a", "甲をさらに直した。", order=0))
    by_tag = repo.commit("さらに直す", trailers=R1)
    repo.tag(f"{SLUG}/m1")
    for command in (["table", SLUG], ["changes", SLUG], ["milestone", "list", SLUG]):
        result = run(repo, *command)
        assert result.exit_code == 0, result.output
        assert by_trailer[:7] in result.stderr and by_tag[:7] in result.stderr, command
    assert rows(table_json(repo))["a"]["cells"][1]["text"] == "甲をさらに直した。"


def test_a_tag_on_a_commit_not_in_heads_history_is_warned(repo: GitRepo) -> None:
    published(repo, ("a", "甲。"))
    repo.git("checkout", "-q", "-b", "side")
    repo.write_item(SLUG, item("a", "脇で直した。", order=0))
    side = repo.commit("脇の修正", trailers=R1)
    repo.tag(f"{SLUG}/m1")
    repo.git("checkout", "-q", "main")
    result = run(repo, "table", SLUG)
    assert result.exit_code == 0, result.output
    assert "not in the history of HEAD" in result.stderr and side[:7] in result.stderr
    assert "not in the history of HEAD" in run(repo, "milestone", "list", SLUG).stderr


# --- merges ------------------------------------------------------------------------------------


def _conflict(repo: GitRepo) -> tuple[str, str]:
    """main and side both rewrite item a; returns (main's commit, side's commit), on main,
    with the merge of side in progress."""
    published(repo, ("a", "甲。"), ("b", "乙。"))
    repo.git("checkout", "-q", "-b", "side")
    repo.write_item(SLUG, item("a", "脇の文。", order=0))
    side = repo.commit("脇で直す", trailers=R2)
    repo.git("checkout", "-q", "main")
    repo.write_item(SLUG, item("a", "本線の文。", order=0))
    main = repo.commit("本線で直す", trailers=R1)
    with pytest.raises(AssertionError, match="merge failed"):  # the conflict
        repo.git("merge", "-q", "side", "-m", "merge")
    assert "UU" in repo.git("status", "--porcelain")
    return main, side


def test_text_written_while_resolving_a_merge_is_a_revision(repo: GitRepo) -> None:
    _conflict(repo)
    repo.write_item(SLUG, item("a", "第三の文。", order=0))
    merge = repo.commit("Merge branch 'side'")  # no reasons yet
    repo.tag(f"{SLUG}/m1")

    checked = run(repo, "commits", "check", "--format", "json")
    assert checked.exit_code == 1
    assert [f["commit"] for f in json.loads(checked.stdout)["findings"]] == [merge]
    logged = json.loads(run(repo, "log", "a", "--format", "json").stdout)["revisions"]
    assert logged[0]["commit"] == merge and logged[0]["status"] == "modified"

    repo.git("commit", "--amend", "-q", "-m", "Merge branch 'side'\n\n" + _trailers(R3))
    repo.git("tag", "-f", f"{SLUG}/m1")
    merge = repo.git("rev-parse", "HEAD")
    assert run(repo, "commits", "check").exit_code == 0
    row = rows(table_json(repo))["a"]
    assert row["cells"][1]["text"] == "第三の文。"
    assert sorted(reasons(row)[:2]) == ["委託先の追加", "表記の改善"]  # side and main
    assert reasons(row)[2:] == ["競合の解消"]  # the merge's own
    diff = run(repo, "diff", f"{SLUG}/current", "--format", "json")
    assert diff.exit_code == 0, diff.output
    (change,) = json.loads(diff.stdout)["items"]
    assert "競合の解消" in [reason["reason"] for reason in change["reasons"]]


def test_a_merge_that_takes_one_side_is_no_revision(repo: GitRepo) -> None:
    _conflict(repo)
    repo.git("checkout", "--theirs", "--", f"assessments/{SLUG}/items/a.yaml")
    merge = repo.commit("Merge branch 'side'")
    assert run(repo, "commits", "check").exit_code == 0
    logged = json.loads(run(repo, "log", "a", "--format", "json").stdout)["revisions"]
    assert merge not in [entry["commit"] for entry in logged]
    repo.tag(f"{SLUG}/m1")
    row = rows(table_json(repo))["a"]
    assert row["cells"][1]["text"] == "脇の文。"
    assert sorted(reasons(row)) == ["委託先の追加", "表記の改善"]


def test_a_clean_merge_of_edits_to_different_lines_is_no_revision(repo: GitRepo) -> None:
    published(repo, ("a", "一行目。\n二行目。\n三行目。\n四行目。\n五行目。"))
    repo.git("checkout", "-q", "-b", "side")
    repo.write_item(SLUG, item("a", "一行目。\n二行目を脇で。\n三行目。\n四行目。\n五行目。"))
    repo.commit("脇で直す", trailers=R2)
    repo.git("checkout", "-q", "main")
    repo.write_item(SLUG, item("a", "一行目。\n二行目。\n三行目。\n四行目。\n五行目を本線で。"))
    repo.commit("本線で直す", trailers=R1)
    repo.git("merge", "-q", "side", "-m", "Merge branch 'side'")
    assert "二行目を脇で" in (repo.root / f"assessments/{SLUG}/items/a.yaml").read_text()
    assert run(repo, "commits", "check").exit_code == 0
    repo.tag(f"{SLUG}/m1")
    assert sorted(reasons(rows(table_json(repo))["a"])) == ["委託先の追加", "表記の改善"]


# --- Submission --------------------------------------------------------------------------------


def test_submission_takes_only_jizen_or_jigo(repo: GitRepo) -> None:
    published(repo, ("a", "甲。"))
    repo.write_item(SLUG, item("a", "甲を直した。", order=0))
    bad = repo.commit("甲を直す", trailers=[*R1, ("Submission", "事中")])
    result = run(repo, "commits", "check")
    assert result.exit_code == 1
    assert bad[:7] in result.output and "事中" in result.output
    fixed = "甲を直す\n\n" + _trailers([*R1, ("Submission", "事後")])
    repo.git("commit", "--amend", "-q", "-m", fixed)
    assert run(repo, "commits", "check").exit_code == 0


def test_an_explicit_jigo_on_an_important_item_is_warned(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, MILESTONES)
    repo.write_item(SLUG, item("a", "甲。", important=True))
    repo.commit("現在の評価書")
    repo.tag(f"{SLUG}/current")
    repo.write_item(SLUG, item("a", "甲を直した。", important=True))
    sha = repo.commit("甲を直す", trailers=[*R1, ("Submission", "事後")])
    result = run(repo, "commits", "check")
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and sha[:7] in result.stderr and "test/a" in result.stderr
    data = json.loads(run(repo, "commits", "check", "--format", "json").stdout)
    assert [w["item"] for w in data["warnings"]] == ["a"]


def test_the_commit_msg_check_refuses_another_submission_value(repo: GitRepo) -> None:
    published(repo, ("a", "甲。"))
    repo.write_item(SLUG, item("a", "甲を直した。", order=0))
    repo.git("add", "-A")
    message = repo.root / "MSG"
    message.write_text("甲を直す\n\n" + _trailers([*R1, ("Submission", "あとで")]))
    result = run(repo, "commits", "check-message", str(message))
    assert result.exit_code == 1 and "あとで" in result.output


# --- uncommitted edits -------------------------------------------------------------------------


def test_uncommitted_item_edits_are_warned_and_worktree_adds_a_column(repo: GitRepo) -> None:
    published(repo, ("a", "甲。"), ("b", "乙。"))
    repo.write_item(SLUG, item("a", "甲を直した。", order=0))
    repo.commit("甲を直す", trailers=R1)
    repo.tag(f"{SLUG}/m1")
    repo.write_item(SLUG, item("b", "乙を手元で直した。", order=1))
    repo.write_item(SLUG, item("c", "新しい項目。", order=2))
    repo.remove_item(SLUG, "a")

    for command in (
        ["table", SLUG],
        ["diff", f"{SLUG}/current"],
        ["changes", SLUG],
    ):
        result = run(repo, *command)
        assert result.exit_code == 0, result.output
        for name in ("items/a.yaml", "items/b.yaml", "items/c.yaml"):
            assert name in result.stderr, (command, result.stderr)
        assert "--worktree" in result.stderr

    data = table_json(repo, "--worktree")
    assert [c["label"] for c in data["columns"]][-1] == "作業中 (未コミット)"
    table = rows(data)
    assert cells(table["a"])[-1] == ("deleted", None)
    assert cells(table["b"])[-1][1] == "乙を手元で直した。"
    assert cells(table["c"])[-1][1] == "新しい項目。"
    assert reasons(table["a"]) == ["表記の改善"]
    assert "uncommitted" not in run(repo, "table", SLUG, "--worktree").stderr


def test_a_broken_work_tree_file_is_located(repo: GitRepo) -> None:
    published(repo, ("a", "甲。"))
    repo.write(f"assessments/{SLUG}/items/a.yaml", "path: [x\ntext: 壊れた\n")
    result = run(repo, "table", SLUG, "--worktree")
    assert result.exit_code == 1
    assert f"assessments/{SLUG}/items/a.yaml:" in result.output
    assert "Traceback" not in result.output


def test_a_clean_work_tree_is_not_warned(repo: GitRepo, tmp_path: Path) -> None:
    published(repo, ("a", "甲。"))
    repo.write("README.md", "not an item\n")
    result = run(repo, "table", SLUG, "--milestones", "current,HEAD")
    assert result.exit_code == 0 and "uncommitted" not in result.stderr


def test_an_edit_on_a_branch_beside_a_rename_lands_on_the_renamed_item(repo: GitRepo) -> None:
    published(repo, ("old", "甲。"), ("b", "乙。"))
    repo.git("checkout", "-q", "-b", "side")
    repo.write_item(SLUG, item("old", "脇で直した甲。", order=0))
    repo.commit("脇で直す", trailers=R2)
    repo.git("checkout", "-q", "main")
    repo.git("mv", f"assessments/{SLUG}/items/old.yaml", f"assessments/{SLUG}/items/new.yaml")
    repo.commit("ファイル名を変える")
    message = "Merge branch 'side'\n\n" + _trailers(R3)
    repo.git("merge", "-q", "side", "-m", message)
    assert (repo.root / f"assessments/{SLUG}/items/new.yaml").is_file()
    repo.tag(f"{SLUG}/m1")
    data = rows(table_json(repo))
    assert set(data) == {"new"}
    assert cells(data["new"]) == [("text", "甲。"), ("text", "脇で直した甲。")]
    assert "委託先の追加" in reasons(data["new"])


def test_a_renamed_folder_is_found_without_tags_of_the_old_name(repo: GitRepo) -> None:
    """b's own tag on a commit from before the rename, and no tag or trailer of the old
    name a: the old folder is discovered from the rename of its assessment.yaml."""
    repo.write_assessment("a", MILESTONES)
    repo.write_item("a", item("x", "甲。"))
    first = repo.commit("現在の評価書")
    repo.git("mv", "assessments/a", "assessments/b")
    repo.commit("評価書の名前を変える")
    repo.write_item("b", item("x", "甲を直した。"))
    repo.commit("甲を直す", trailers=R1)
    repo.tag("b/current", first)
    repo.tag("b/m1")
    data = rows(table_json_slug(repo, "b"))
    assert cells(data["x"]) == [("text", "甲。"), ("text", "甲を直した。")]
    assert reasons(data["x"]) == ["表記の改善"]


def test_the_commit_msg_check_asks_reasons_for_a_merge_that_writes_text(repo: GitRepo) -> None:
    _conflict(repo)
    message = repo.root.parent / "MERGE_MSG"
    message.write_text("Merge branch 'side'\n", encoding="utf-8")
    repo.git("checkout", "--theirs", "--", f"assessments/{SLUG}/items/a.yaml")
    repo.git("add", "-A")
    assert run(repo, "commits", "check-message", str(message)).exit_code == 0
    repo.write_item(SLUG, item("a", "第三の文。", order=0))
    repo.git("add", "-A")
    result = run(repo, "commits", "check-message", str(message))
    assert result.exit_code == 1 and "items/a.yaml" in result.output
    message.write_text("Merge branch 'side'\n\n" + _trailers(R3), encoding="utf-8")
    assert run(repo, "commits", "check-message", str(message)).exit_code == 0


def test_the_change_sheet_shows_no_entry_for_a_pure_rename(repo: GitRepo) -> None:
    published(repo, ("old", "甲。"), ("b", "乙。"))
    repo.git("mv", f"assessments/{SLUG}/items/old.yaml", f"assessments/{SLUG}/items/new.yaml")
    repo.commit("ファイル名を変える")
    repo.write_item(SLUG, item("b", "乙を直した。", order=1))
    repo.commit("乙を直す", trailers=R1)
    sheet = change_sheet(Workspace.open(repo.root, scope=SLUG), SLUG)
    assert [entry.item for entry in sheet.entries] == ["b"]
