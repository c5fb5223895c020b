"""The review commands (``diff``, ``commits check``, ``log``) agree with the table on the
shapes of history it handles: renamed assessment folders, renamed item files (an old id used
again, two renames with an edit between), and commits that leave every item's value as it
was (a comment, ``piakit fmt``'s reformatting, line endings).

Each test builds a real repository in a temporary folder and runs the CLI.
"""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from piakit.cli import cli
from piakit.usecases.review import check_message
from piakit.workspace import Workspace
from tests.conftest import GitRepo, item

SLUG = "a"
MILESTONES = [("m0", "現在"), ("m1", "案1"), ("m2", "案2")]
R1 = [("Reason-Category", "事務所管課による修正"), ("Reason", "新x")]
R2 = [("Reason-Category", "事務所管課による修正"), ("Reason", "改")]


def run(repo: GitRepo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(repo.root), *args])


def as_json(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def published(repo: GitRepo, *items: tuple[str, str]) -> None:
    repo.write_assessment(SLUG, MILESTONES)
    for order, (item_id, text) in enumerate(items):
        repo.write_item(SLUG, item(item_id, text, order=order))
    repo.commit("現在の評価書")
    repo.tag(f"{SLUG}/m0")


def items_path(item_id: str, slug: str = SLUG) -> str:
    return f"assessments/{slug}/items/{item_id}.yaml"


# --- a renamed assessment folder ---------------------------------------------------------------


def test_commits_check_follows_a_renamed_assessment_folder(repo: GitRepo) -> None:
    published(repo, ("x", "元の文"))
    repo.write_item(SLUG, item("x", "元の文を直す", order=0))
    edit = repo.commit("edit x no reason")
    repo.tag(f"{SLUG}/m1")
    before = run(repo, "commits", "check")
    assert before.exit_code == 1, before.output

    repo.git("mv", "assessments/a", "assessments/b")
    repo.commit("rename folder")  # a pure rename of the folder needs no reasons
    after = run(repo, "commits", "check")
    assert after.exit_code == 1, after.output
    assert edit[:7] in after.output and "changes items of b" in after.output
    data = json.loads(run(repo, "commits", "check", "--format", "json").stdout)
    assert [f["commit"] for f in data["findings"]] == [edit]
    assert data["needing_reasons"] == 1

    repo.tag("b/m2")  # b's own later milestone changes nothing
    tagged = run(repo, "commits", "check")
    assert tagged.exit_code == 1 and edit[:7] in tagged.output, tagged.output


# --- renamed item files ------------------------------------------------------------------------


def test_diff_keys_a_renamed_item_by_its_new_id_when_the_old_id_is_used_again(
    repo: GitRepo,
) -> None:
    published(repo, ("x", "元のx"))
    repo.git("mv", items_path("x"), items_path("z"))
    repo.commit("rename")
    repo.tag(f"{SLUG}/m1")
    repo.write_item(SLUG, item("x", "新しいx", order=15))
    repo.commit("new x", trailers=R1)

    table = as_json(run(repo, "table", SLUG, "--milestones", "m0,HEAD", "--format", "json"))
    assert [row["item"] for row in table["rows"]] == ["x"]

    data = as_json(run(repo, "diff", "a/m0", "--format", "json"))
    by_id = {i["item"]: i for i in data["items"]}
    assert list(by_id) == ["x"]  # z is x renamed, its value the same: no row, as in the table
    assert by_id["x"]["status"] == "added" and by_id["x"]["old"] is None
    assert by_id["x"]["new"]["text"] == "新しいx"
    assert [r["reason"] for r in by_id["x"]["reasons"]] == ["新x"]
    renamed = [w for w in data["warnings"] if w["kind"] == "renamed"]
    assert [(w["item"], w["detail"]) for w in renamed] == [("z", "x")]
    assert not [w for w in data["warnings"] if w["kind"] == "no-reasons"]

    md = run(repo, "diff", "a/m0")
    assert md.exit_code == 0, md.output
    assert "変更された項目 1 件" in md.output and "| (記載なし) | <ins>新しいx</ins> |" in md.output


def test_diff_keeps_the_reasons_through_two_renames_with_an_edit_between(repo: GitRepo) -> None:
    published(repo, ("x", "X"))
    repo.git("mv", items_path("x"), items_path("y"))
    repo.commit("r1")
    repo.write_item(SLUG, item("y", "X改", order=0, path=("I. 基本情報", "x")))
    repo.commit("e1", trailers=R2)
    repo.git("mv", items_path("y"), items_path("z"))
    repo.commit("r2")
    repo.tag(f"{SLUG}/m1")

    table = as_json(run(repo, "table", SLUG, "--format", "json"))
    assert [(r["item"], [x["reason"] for x in r["reasons"]]) for r in table["rows"]] == [
        ("z", ["改"])
    ]
    data = as_json(run(repo, "diff", "a/m0", "--format", "json"))
    (change,) = data["items"]
    assert change["item"] == "z" and change["status"] == "renamed"
    assert (change["old"]["text"], change["new"]["text"]) == ("X", "X改")
    assert [r["reason"] for r in change["reasons"]] == ["改"]
    md = run(repo, "diff", "a/m0").output
    assert "**理由**: (なし)" not in md and "- 【事務所管課による修正】\n  - 改" in md
    assert run(repo, "commits", "check").exit_code == 0


# --- commits that change no item's value -------------------------------------------------------


def reformatting_history(repo: GitRepo) -> list[str]:
    """x published, then a comment, a flow→block reformat and CRLF line endings: no value
    changes. Returns the three commits."""
    published(repo, ("x", "X"))
    path = repo.root / items_path("x")
    text = path.read_text(encoding="utf-8")
    assert "page: 1\n" in text
    shas = []
    path.write_text(text.replace("page: 1\n", "page: 1  # 印刷\n"), encoding="utf-8")
    shas.append(repo.commit("comment only"))
    repo.write(items_path("x"), 'order: 0\npath: [I. 基本情報, x]\npage: 1\ntext: "X"\n')
    shas.append(repo.commit("reformat"))
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    shas.append(repo.commit("crlf"))
    return shas


def test_commits_that_change_no_value_are_no_revision(repo: GitRepo) -> None:
    shas = reformatting_history(repo)
    assert len(set(shas)) == 3

    checked = run(repo, "commits", "check", "--format", "json")
    data = as_json(checked)
    assert data["needing_reasons"] == 0 and data["findings"] == [] and data["ok"]

    log = as_json(run(repo, "log", "x", "--format", "json"))
    assert [r["status"] for r in log["revisions"]] == ["added"]  # only the first commit

    diff = as_json(run(repo, "diff", "a/m0", "--format", "json"))
    assert diff["items"] == [] and diff["warnings"] == []

    table = as_json(run(repo, "table", SLUG, "--milestones", "m0,HEAD", "--format", "json"))
    assert table["rows"] == []


def test_a_change_of_heading_or_page_is_a_revision(repo: GitRepo) -> None:
    published(repo, ("x", "X"))
    repo.write_item(SLUG, item("x", "X", order=0, page=2))
    moved = repo.commit("page")
    checked = run(repo, "commits", "check")
    assert checked.exit_code == 1 and moved[:7] in checked.output, checked.output
    log = as_json(run(repo, "log", "x", "--format", "json"))
    assert log["revisions"][0]["commit"] == moved


def test_the_commit_msg_hook_asks_no_reasons_for_reformatting(repo: GitRepo) -> None:
    published(repo, ("x", "X"))
    repo.write(items_path("x"), 'order: 0\npath: [I. 基本情報, x]\npage: 1\ntext: "X"\n')
    repo.git("add", "-A")
    report = check_message(Workspace.open(repo.root), "piakit fmt\n")
    assert report.ok and report.skipped is not None and report.files == ()

    repo.write_item(SLUG, item("x", "Y", order=0))
    repo.git("add", "-A")
    report = check_message(Workspace.open(repo.root), "edit\n")
    assert not report.ok and report.files == (items_path("x"),)


# --- Submission and the changes hint -----------------------------------------------------------


def test_a_commit_submitted_both_before_and_after_is_refused(repo: GitRepo) -> None:
    published(repo, ("x", "X"))
    repo.write_item(SLUG, item("x", "Y", order=0))
    both = repo.commit("both", trailers=[*R1, ("Submission", "事前"), ("Submission", "事後")])
    result = run(repo, "commits", "check")
    assert result.exit_code == 1, result.output
    assert (
        both[:7] in result.output and "both Submission: 事前 and Submission: 事後" in result.output
    )


def test_changes_without_a_bound_milestone_hints_the_first_declared_id(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, MILESTONES)
    repo.write_item(SLUG, item("x", "X"))
    repo.commit("draft")
    result = run(repo, "changes", SLUG)
    assert result.exit_code == 1, result.output
    assert "git tag a/m0 <commit>" in result.output and "a/current" not in result.output
