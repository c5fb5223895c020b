"""The reviewer's loop on real repositories: ``piakit diff``, ``piakit commits check``, the
commit-msg check, ``piakit log`` and ``piakit milestone``, on a branch with a reasonless
commit, an amended one, a merge, a renamed item file and an unknown category."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from piakit.cli import cli
from piakit.model import Selection
from piakit.render.review_markdown import MARKER
from piakit.usecases.review import check_commits, message_hints, reason_problems, review_diff
from piakit.workspace import Workspace

from .conftest import GitRepo, item

ROOT = Path(__file__).resolve().parents[1]
SLUG = "test"
CATEGORIES = ["事務所管課による修正", "部会の意見による修正"]
R1 = [("Reason-Category", "事務所管課による修正"), ("Reason", "表記の改善")]
R2 = [("Reason-Category", "部会の意見による修正"), ("Reason", "委託先の追加")]
D_PATH = ("II. 特定個人情報ファイルの概要", "3. 特定個人情報の入手・使用", "⑨使用開始日")
D2_PATH = ("II. 特定個人情報ファイルの概要", "4. 特定個人情報の入手・使用", "⑨使用開始日")


def invoke(repo: GitRepo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(repo.root), *args])


class Story:
    """The shas of the scenario, by name."""

    def __init__(self) -> None:
        self.shas: dict[str, str] = {}

    def short(self, name: str) -> str:
        return self.shas[name][:7]


@pytest.fixture
def story(repo: GitRepo) -> Story:
    """main: a draft, then the published document (milestone ``current``), then one more
    reasoned commit. Branch ``feature``: every kind of commit a reviewer meets."""
    s = Story()
    repo.write_assessment(
        SLUG,
        [("current", "現在の評価書"), ("m1", "修正案 (1)")],
        reason_categories=tuple(CATEGORIES),
    )
    repo.write_item(SLUG, item("a", "委託先は株式会社パソナ。", order=10, page=11))
    s.shas["draft"] = repo.commit("下書き")  # before the first milestone: needs no reasons
    repo.write_item(
        SLUG, item("b", "・システムを利用する職員を限定する。", order=20, page=12, important=True)
    )
    repo.write_item(SLUG, item("c", select=Selection("委託する", "(2) 件"), order=30, page=9))
    repo.write_item(SLUG, item("d", "平成29年1月1日", order=40, page=8, path=D_PATH))
    s.shas["current"] = repo.commit("現在の評価書", trailers=[("Milestone", f"{SLUG}/current")])
    repo.git("checkout", "-q", "-b", "feature")

    repo.write_item(SLUG, item("a", "委託先は株式会社パソナ及び事務センター。", order=10, page=11))
    s.shas["reasoned"] = repo.commit("委託先を追加", trailers=R2)
    repo.write_item(
        SLUG,
        item(
            "b",
            "・システムを利用する職員を限定し、ID及びパスワードで認証する。",
            order=20,
            page=12,
            important=True,
        ),
    )
    s.shas["reasonless"] = repo.commit("認証方法を追記")
    repo.write_item(SLUG, item("c", select=Selection("委託する", "(3) 件"), order=30, page=9))
    s.shas["unknown"] = repo.commit(
        "件数を更新", trailers=[("Reason-Category", "部会の意見"), ("Reason", "委託先の追加")]
    )
    repo.write_item(
        SLUG, item("a", "委託先は株式会社パソナ及び事務センター（千葉市）。", order=10, page=11)
    )
    s.shas["glued"] = repo.commit(
        "所在地を追記",
        body="事務センターの所在地を書いた。\n"
        "Reason-Category: 事務所管課による修正\nReason: 表記の改善",
    )
    repo.write_item(SLUG, item("c", select=Selection("委託する", "(4) 件"), order=30, page=9))
    repo.commit("あとで直す")
    repo.git(
        "commit",
        "--amend",
        "-q",
        "-F",
        "-",
        input="件数を直す\n\nReason-Category: 事務所管課による修正\nReason: 件数の訂正\n",
    )
    s.shas["amended"] = repo.git("rev-parse", "HEAD")
    repo.git("mv", f"assessments/{SLUG}/items/d.yaml", f"assessments/{SLUG}/items/d2.yaml")
    repo.write_item(SLUG, item("d2", "平成29年4月1日", order=40, page=8, path=D2_PATH))
    s.shas["renamed"] = repo.commit("番号を振り直す", trailers=R1)

    repo.git("checkout", "-q", "main")
    repo.write_item(SLUG, item("e", "新しい項目。", order=50, page=13))
    s.shas["main"] = repo.commit("項目 e を追加", trailers=R1)
    repo.git("checkout", "-q", "feature")
    repo.git("merge", "-q", "--no-ff", "main", "-m", "Merge main into feature")
    s.shas["merge"] = repo.git("rev-parse", "HEAD")
    return s


# --- the rules -----------------------------------------------------------------------------------


def test_reason_rules() -> None:
    from piakit.model import Reason

    allowed = {SLUG: tuple(CATEGORIES)}
    assert reason_problems([], allowed) == ["no Reason-Category and Reason trailers"]
    assert reason_problems([Reason("事務所管課による修正", None)], allowed) == ["no Reason trailer"]
    assert reason_problems([Reason(None, "理由")], allowed) == ["no Reason-Category trailer"]
    assert reason_problems([Reason("部会の意見", "x")], allowed) == [
        "Reason-Category '部会の意見' is not one of test's reason_categories "
        "(事務所管課による修正, 部会の意見による修正) (did you mean '部会の意見による修正'?)"
    ]
    # a category standing alone next to a reasoned one is fine (the seed has such cells)
    assert (
        reason_problems(
            [Reason("部会の意見による修正", None), Reason("事務所管課による修正", "x")], allowed
        )
        == []
    )
    assert reason_problems([Reason("何でも", "x")], {SLUG: None}) == []


@pytest.mark.parametrize(
    ("message", "hint"),
    [
        ("件名\n\n本文。\nReason-Category: a\nReason: b\n", "put a blank line before the trailers"),
        ("件名\nReason: b\n", "put a blank line before the trailers"),
        ("件名\n\nReason：b\n", "write an ASCII colon ':' after Reason, not '：'"),
        ("件名\n\nReasons: b\n", "the key is Reason, not Reasons"),
        (
            "件名\n\nReason-Catgory: a\nReason: b\n",
            "the key is Reason-Category, not Reason-Catgory",
        ),
        ("件名\n\n理由: b\n", "git reads only ASCII keys"),
        ("件名\n\nReason: b\n\n追記。\n", "the trailers must be the last paragraph"),
        (
            "件名\n\nReason-Category: a\n補足の文\nReason: b\n",
            "every line of the trailer paragraph must be Key: value",
        ),
    ],
)
def test_message_hints(message: str, hint: str) -> None:
    assert any(hint in found for found in message_hints(message)), message_hints(message)


def test_no_hint_for_a_message_without_trailer_lines() -> None:
    assert message_hints("件名\n\n本文だけ。\n注: これは trailer ではない\n") == []


# --- commits check -------------------------------------------------------------------------------


def test_commits_check_names_each_failing_commit(repo: GitRepo, story: Story) -> None:
    result = invoke(repo, "commits", "check", "main..feature")
    assert result.exit_code == 1
    out = result.output
    assert f"{story.short('reasonless')} 認証方法を追記 (changes items of test)" in out
    assert "    no Reason-Category and Reason trailers" in out
    assert f"{story.short('unknown')} 件数を更新" in out
    assert "(did you mean '部会の意見による修正'?)" in out
    assert f"{story.short('glued')} 所在地を追記" in out
    assert "hint: put a blank line before the trailers" in out
    for fine in ("reasoned", "amended", "renamed", "merge", "main"):
        assert story.short(fine) not in out, fine
    assert "git commit --amend" in out and "git rebase -i" in out
    assert "allowed categories: 事務所管課による修正, 部会の意見による修正" in out
    assert "3 without valid reasons" in out


def test_commits_check_json(repo: GitRepo, story: Story) -> None:
    result = invoke(repo, "commits", "check", "main..feature", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output[: result.output.rindex("}") + 1])
    assert [f["subject"] for f in data["findings"]] == [
        "認証方法を追記",
        "件数を更新",
        "所在地を追記",
    ]
    assert data["checked"] == 7  # six on the branch and the merge


def test_commits_before_the_first_milestone_and_merges_are_exempt(
    repo: GitRepo, story: Story
) -> None:
    report = check_commits(Workspace.open(repo.root))  # the whole history (the audit)
    failing = {f.commit.sha for f in report.findings}
    assert failing == {story.shas[n] for n in ("reasonless", "unknown", "glued")}
    assert story.shas["draft"] not in failing and story.shas["current"] not in failing
    # on main alone every commit is fine
    ok = invoke(repo, "commits", "check", "main")
    assert ok.exit_code == 0, ok.output
    assert "all have them" in ok.output


def test_an_amended_commit_is_judged_by_its_new_message(repo: GitRepo, story: Story) -> None:
    repo.git("checkout", "-q", "-b", "fix", story.shas["reasoned"])
    repo.write_item(SLUG, item("b", "・別の文。", order=20, page=12, important=True))
    repo.commit("理由を書き忘れた")
    assert invoke(repo, "commits", "check", "main..fix").exit_code == 1
    repo.git(
        "commit",
        "--amend",
        "-q",
        "-F",
        "-",
        input="理由を書いた\n\nReason-Category: 事務所管課による修正\nReason: 表記の改善\n",
    )
    assert invoke(repo, "commits", "check", "main..fix").exit_code == 0


def test_no_milestone_bound_means_no_reasons_required(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "文。"))
    repo.commit("最初")
    repo.write_item(SLUG, item("a", "文を直す。"))
    repo.commit("理由なし")
    result = invoke(repo, "commits", "check")
    assert result.exit_code == 0, result.output


def test_unknown_range_says_what_to_do(repo: GitRepo, story: Story) -> None:
    result = invoke(repo, "commits", "check", "origin/main..HEAD")
    assert result.exit_code == 1
    assert "unknown revision or range 'origin/main..HEAD'" in result.output
    assert "git fetch origin" in result.output


# --- diff ----------------------------------------------------------------------------------------


def test_diff_json_items_reasons_and_warnings(repo: GitRepo, story: Story) -> None:
    diff = review_diff(Workspace.open(repo.root), "main", "feature")
    assert diff.merge_base == story.shas["main"]
    changes = {c.item_id: c for c in diff.changes}
    # Document order; e is main's, not the PR's. d renamed with an edit is, as in the table,
    # a deletion and an addition (a rename is followed only when the file is unchanged).
    assert sorted(changes) == ["a", "b", "c", "d", "d2"]
    assert changes["d"].status == "deleted" and changes["d2"].status == "added"
    assert changes["b"].important
    assert [r.pair() for r in changes["a"].reasons] == [("部会の意見による修正", "委託先の追加")]
    assert ("事務所管課による修正", "件数の訂正") in [r.pair() for r in changes["c"].reasons]
    kinds = sorted(
        (w.kind, w.item or (w.commit.subject if w.commit else "")) for w in diff.warnings
    )
    assert (
        ("important", "b") in kinds
        and ("renamed", "d2") in kinds
        and ("renumbered", "d2") not in kinds
    )
    assert sum(1 for kind, _ in kinds if kind == "no-reasons") == 3

    result = invoke(repo, "diff", "main", "feature", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_id = {i["item"]: i for i in data["items"]}
    assert by_id["d"]["old"]["text"] == "平成29年1月1日" and by_id["d"]["new"] is None
    assert by_id["d2"]["old"] is None and by_id["d2"]["new"]["text"] == "平成29年4月1日"
    assert by_id["b"]["page"] == 12 and by_id["b"]["path"] == ["I. 基本情報", "b"]


def test_diff_markdown_for_the_pr_comment(repo: GitRepo, story: Story) -> None:
    result = invoke(repo, "diff", "main", "feature")
    assert result.exit_code == 0, result.output
    md = result.output
    assert md.startswith(MARKER + "\n")
    assert "変更された項目 5 件" in md
    assert (
        "### II. 特定個人情報ファイルの概要 › 4. 特定個人情報の入手・使用 › ⑨使用開始日 (p. 8)"
        in md
    )
    assert "| <del>平成29年1月1日</del> | (削除) |" in md
    assert "| (記載なし) | <ins>平成29年4月1日</ins> |" in md
    assert "\\[委託する\\] (<del>2</del>) 件" in md and "(<ins>4</ins>) 件" in md
    assert "**重要な変更**" in md and "評価の再実施が必要です" in md
    assert "**ファイル名の変更**: `d` → `d2`" in md
    assert f"**理由のないコミット**: `{story.short('reasonless')}` 認証方法を追記" in md
    assert "- 【部会の意見による修正】\n  - 委託先の追加" in md
    assert f"- `{story.short('merge')}` Merge main into feature — (マージ)" in md


def test_diff_with_head_defaulting_to_the_current_commit(repo: GitRepo, story: Story) -> None:
    assert invoke(repo, "diff", "main").output == invoke(
        repo, "diff", "main", "HEAD"
    ).output.replace("`HEAD`", "`HEAD`")


def test_diff_escapes_text_and_keeps_to_the_length(repo: GitRepo, story: Story) -> None:
    repo.write_item(SLUG, item("a", "<script>alert(1)</script> | *太字*", order=10, page=11))
    repo.commit("記号", trailers=R1)
    md = invoke(repo, "diff", "main").output
    assert "<script>" not in md and "&lt;script&gt;" in md and "\\|" in md and "\\*太字\\*" in md
    for n in range(60):
        repo.write_item(SLUG, item(f"z{n}", "長い文。" * 40, order=100 + n))
    repo.commit("たくさん", trailers=R1)
    short = invoke(repo, "diff", "main", "--max-length", "5000").output
    assert len(short) <= 5000
    assert re.search(r"ほか \d+ 項目(、[^は]+)?はコメントの長さの上限のため省略しました", short)


def test_diff_of_nothing_and_unknown_base(repo: GitRepo, story: Story) -> None:
    same = invoke(repo, "diff", "feature", "feature")
    assert same.exit_code == 0 and "評価書の項目に変更はありません。" in same.output
    bad = invoke(repo, "diff", "origin/main")
    assert bad.exit_code == 1
    assert "unknown revision 'origin/main'" in bad.output and "git fetch origin" in bad.output


# --- log -----------------------------------------------------------------------------------------


def test_log_follows_the_item_through_its_renamed_file(repo: GitRepo, story: Story) -> None:
    result = invoke(repo, "log", "d2", "--no-color")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"{SLUG}/d2  " + " › ".join(D2_PATH) + " (p. 8)")
    renamed = out.index(story.short("renamed"))
    added = out.index(story.short("current"))
    assert renamed < added  # newest first
    assert "renamed from d; path was: " + " › ".join(D_PATH) in out
    assert "    | 平成29年[-1-]{+4+}月1日" in out
    assert "    | {+平成29年1月1日+}" in out
    assert "milestone current; added" in out
    assert "【事務所管課による修正】\n    ・表記の改善" in out


def test_log_json_and_ways_to_name_an_item(repo: GitRepo, story: Story) -> None:
    by_id = json.loads(invoke(repo, "log", "a", "--format", "json").output)
    assert [r["subject"] for r in by_id["revisions"]] == ["所在地を追記", "委託先を追加", "下書き"]
    assert by_id["revisions"][0]["reasons"] == []
    by_slug = json.loads(invoke(repo, "log", f"{SLUG}/a", "--format", "json").output)
    by_path = json.loads(
        invoke(
            repo, "log", str(repo.root / f"assessments/{SLUG}/items/a.yaml"), "--format", "json"
        ).output
    )
    assert by_id == by_slug == by_path


def test_log_of_a_deleted_item_and_unknown_items(repo: GitRepo, story: Story) -> None:
    deleted = invoke(repo, "log", "d", "--no-color")
    assert deleted.exit_code == 0
    assert "(deleted: the item has no file at HEAD)" in deleted.output
    unknown = invoke(repo, "log", "d3")
    assert unknown.exit_code == 1
    assert "no item 'd3' in the current files or the history (did you mean" in unknown.output
    repo.write_assessment("other", [("current", "現在")])
    repo.write_item("other", item("a", "別の評価書の a。"))
    repo.commit("別の評価書", trailers=R1)
    both = invoke(repo, "log", "a")
    assert both.exit_code == 1
    assert (
        "several assessments have an item 'a'" in both.output and "other/a, test/a" in both.output
    )


# --- the commit-msg check ------------------------------------------------------------------------


def message_file(repo: GitRepo, text: str) -> str:
    path = repo.root / ".git" / "COMMIT_EDITMSG"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_commit_message_needs_reasons_when_items_are_staged(repo: GitRepo, story: Story) -> None:
    repo.write_item(SLUG, item("a", "また変える。", order=10, page=11))
    repo.git("add", "-A")
    bare = invoke(repo, "commits", "check-message", message_file(repo, "件名\n\n# コメント行\n"))
    assert bare.exit_code == 1
    assert f"this commit changes items of test (assessments/{SLUG}/items/a.yaml)" in bare.output
    assert "Reason-Category: 事務所管課による修正" in bare.output
    glued = invoke(
        repo,
        "commits",
        "check-message",
        message_file(repo, "件名\n\n本文\nReason-Category: 事務所管課による修正\nReason: x\n"),
    )
    assert glued.exit_code == 1 and "put a blank line before the trailers" in glued.output
    good = invoke(
        repo,
        "commits",
        "check-message",
        message_file(
            repo,
            "件名\n\n本文\n\nReason-Category: 事務所管課による修正\nReason: x\n"
            "# Please enter the commit message\n",
        ),
    )
    assert good.exit_code == 0, good.output


def test_commit_message_without_items_or_in_a_merge_needs_nothing(
    repo: GitRepo, story: Story
) -> None:
    repo.write("README.md", "説明\n")
    repo.git("add", "-A")
    assert invoke(repo, "commits", "check-message", message_file(repo, "件名\n")).exit_code == 0
    assert (
        invoke(
            repo, "commits", "check-message", "--require", message_file(repo, "件名\n")
        ).exit_code
        == 1
    )


def test_pr_description_is_checked_against_the_range(repo: GitRepo, story: Story) -> None:
    body = message_file(
        repo, "PR のタイトル\n\n説明。\n\nReason-Category: 事務所管課による修正\nReason: x\n"
    )
    assert invoke(repo, "commits", "check-message", "--range", "main..feature", body).exit_code == 0
    empty = message_file(repo, "PR のタイトル\n\n説明。\n\nReason-Category:\nReason:\n")
    result = invoke(repo, "commits", "check-message", "--range", "main..feature", empty)
    assert result.exit_code == 1 and "no Reason-Category trailer" in result.output


def test_commit_msg_hook_stops_a_real_commit(repo: GitRepo, story: Story) -> None:
    hook = repo.root / ".git" / "hooks" / "commit-msg"
    piakit = Path(sys.executable).with_name("piakit")
    hook.write_text(f'#!/bin/sh\nexec "{piakit}" commits check-message "$1"\n', encoding="utf-8")
    hook.chmod(0o755)
    repo.write_item(SLUG, item("a", "フックの試験。", order=10, page=11))
    repo.git("add", "-A")
    proc = subprocess.run(
        ["git", "commit", "-q", "-m", "理由なし"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert "needs reason trailers" in proc.stderr
    repo.git(
        "commit",
        "-q",
        "-F",
        "-",
        input="理由あり\n\nReason-Category: 事務所管課による修正\nReason: 試験\n",
    )


# --- milestones ----------------------------------------------------------------------------------


def test_milestone_list_shows_bindings_and_planned(repo: GitRepo, story: Story) -> None:
    result = invoke(repo, "milestone", "list", SLUG)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{SLUG}: テスト事務 全項目評価書"
    assert lines[1].split()[:4] == ["current", "現在の評価書", "-", story.short("current")]
    assert "(trailer)" in lines[1]
    assert lines[2].split()[:4] == ["m1", "修正案", "(1)", "-"] and lines[2].rstrip().endswith(
        "planned"
    )
    data = json.loads(invoke(repo, "milestone", "list", SLUG, "--format", "json").output)
    assert [m["planned"] for m in data["milestones"]] == [False, True]


def test_milestone_add_declares_keeping_comments_and_tags(repo: GitRepo, story: Story) -> None:
    path = repo.root / f"assessments/{SLUG}/assessment.yaml"
    path.write_text(
        "# 評価書の情報\n"
        + path.read_text(encoding="utf-8").replace("milestones:", "milestones:  # 順に並べる"),
        encoding="utf-8",
    )
    repo.commit("コメントを追加")
    planned = invoke(repo, "milestone", "add", SLUG, "m1", story.shas["renamed"])
    assert planned.exit_code == 0, planned.output
    assert f"tagged {SLUG}/m1 at {story.short('renamed')} 番号を振り直す" in planned.output
    assert repo.git("rev-parse", f"{SLUG}/m1^{{commit}}") == story.shas["renamed"]

    added = invoke(
        repo,
        "milestone",
        "add",
        SLUG,
        "R6.2.1",
        "--label",
        "修正案 (R6.2.1諮問時)",
        "--date",
        "2024-02-01",
    )
    assert added.exit_code == 0, added.output
    assert (
        f"declared R6.2.1 (修正案 (R6.2.1諮問時)) in assessments/{SLUG}/assessment.yaml"
        in added.output
    )
    assert f"git push origin {SLUG}/R6.2.1" in added.output
    assert "run the site workflow by hand" in added.output  # a tag alone publishes nothing
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 評価書の情報\n")
    assert "milestones:  # 順に並べる\n" in text
    assert text.endswith(
        "  - id: R6.2.1\n    label: 修正案 (R6.2.1諮問時)\n    date: 2024-02-01\n"
        "reason_categories:\n  - 事務所管課による修正\n  - 部会の意見による修正\n"
    )
    assert invoke(repo, "check").exit_code == 0
    assert invoke(repo, "fmt", "--check").exit_code == 0
    ids = [m.milestone.id for m in Workspace.open(repo.root).bound_milestones(SLUG)]
    assert ids == ["current", "m1", "R6.2.1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["current"], "milestone current of test is already bound to"),
        (["bad..id", "--label", "x"], "'bad..id' cannot be a milestone id"),
        (["m9"], "milestone m9 is not declared in assessments/test/assessment.yaml"),
        (["m1", "no-such-rev"], "unknown revision 'no-such-rev'"),
    ],
)
def test_milestone_add_refuses(repo: GitRepo, story: Story, args: list[str], message: str) -> None:
    before = (repo.root / f"assessments/{SLUG}/assessment.yaml").read_bytes()
    result = invoke(repo, "milestone", "add", SLUG, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert (repo.root / f"assessments/{SLUG}/assessment.yaml").read_bytes() == before
    assert f"{SLUG}/m9" not in repo.git("tag")


def test_milestone_add_unknown_assessment(repo: GitRepo, story: Story) -> None:
    result = invoke(repo, "milestone", "add", "nope", "x", "--label", "x")
    assert result.exit_code == 1 and "unknown assessment 'nope'" in result.output


# --- the console script, once, in a subprocess ---------------------------------------------------


def test_console_script_end_to_end(repo: GitRepo, story: Story) -> None:
    piakit = Path(sys.executable).with_name("piakit")
    assert piakit.exists(), "the package is not installed (pip install -e .)"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(piakit), *args], cwd=repo.root, capture_output=True, text=True, check=False
        )

    assert run("--version").stdout.startswith("piakit, version")
    checked = run("commits", "check", "main..feature")
    assert checked.returncode == 1
    assert f"{story.short('reasonless')} 認証方法を追記" in checked.stdout
    assert "piakit: error:" in checked.stderr and "Traceback" not in checked.stderr
    (repo.root / f"assessments/{SLUG}/items/bad.yaml").write_text(
        "path: [a]\npgae: 1\norder: 77\ntext: x\n", encoding="utf-8"
    )
    bad = run("check")
    assert bad.returncode == 1
    assert bad.stdout.startswith(
        f"assessments/{SLUG}/items/bad.yaml:2:1: unknown key 'pgae' (did you mean 'page'?)"
    )
    assert run("diff", "main").stdout.startswith(MARKER)
    assert run("log", "a").returncode == 0
    assert run("milestone", "list", SLUG).returncode == 0
    assert run("schema").returncode == 0
    assert run("fmt", "--check").returncode == 1  # bad.yaml is no canonical item either


# --- the repository itself -----------------------------------------------------------------------


def test_the_repository_passes_commits_check() -> None:
    shallow = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if shallow.returncode != 0 or shallow.stdout.strip() != "false":
        pytest.skip("not a full clone of piakit")
    result = CliRunner().invoke(cli, ["-C", str(ROOT), "commits", "check"])
    assert result.exit_code == 0, result.output
