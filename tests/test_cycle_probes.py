"""Unusual but legitimate histories, and bad input, for the assessment cycle's commands
(``opinions``, ``status``, ``check``, ``table``, ``diff``): each test is a shape that once gave a
wrong answer silently, built as a real git history."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from piakit.cli import cli
from piakit.errors import InputError
from piakit.model import Milestone
from piakit.resolutions import resolving_commits
from piakit.usecases.opinions import opinions_table
from piakit.usecases.status import assessment_status
from piakit.usecases.table import comparison_table
from piakit.workspace import Workspace

from .conftest import GitRepo, item

REASONS = [("Reason-Category", "その他"), ("Reason", "意見による修正")]


def invoke(repo: GitRepo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(repo.root), *args])


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def published(repo: GitRepo, slug: str) -> str:
    """``slug`` published (R1, kind 公表, tagged) with one important item ``x``, and an
    opinion ``o1`` received after it; returns the commit of the 公表."""
    repo.write_assessment(
        slug,
        [
            Milestone("R1", "公表版", dt.date(2020, 10, 1), "公表"),
            Milestone("R2", "修正版", None, "修正"),
        ],
    )
    repo.write_item(slug, item("x", "元の記載", important=True))
    sha = repo.commit("公表した評価書")
    repo.tag(f"{slug}/R1")
    return sha


# --- a renamed assessment folder keeps the commits that resolved its opinions -----------------


def renamed_after_resolving(repo: GitRepo) -> str:
    """Opinion ``o1`` of ``a`` resolved by a commit, then the folder renamed to ``b`` (the tags
    stay ``a/…``, the trailer says ``a/o1``). Returns the resolving commit."""
    published(repo, "a")
    repo.write_opinion("a", "o1", outcome="reflected", response="追記する。")
    repo.commit("意見の記録")
    repo.write_item("a", item("x", "直した記載", important=True))
    fix = repo.commit("意見を反映", trailers=[*REASONS, ("Resolves", "a/o1")])
    repo.git("mv", "assessments/a", "assessments/b")
    repo.commit("評価書のフォルダの名前を変更")
    return fix


def test_a_renamed_folder_keeps_the_commits_that_resolved_its_opinions(repo: GitRepo) -> None:
    fix = renamed_after_resolving(repo)
    [entry] = as_json(invoke(repo, "opinions", "b", "--format", "json"))["opinions"]
    assert entry["commits"] == [fix]
    assert entry["items"] == [{"item": "x", "path": ["I. 基本情報", "x"], "commits": [fix]}]


def test_check_does_not_call_an_opinion_resolved_before_a_folder_rename_unresolved(
    repo: GitRepo,
) -> None:
    renamed_after_resolving(repo)
    result = invoke(repo, "check")
    assert result.exit_code == 0, result.output
    assert "no commit says so" not in result.output


def test_the_table_names_the_opinion_resolved_before_a_folder_rename(repo: GitRepo) -> None:
    renamed_after_resolving(repo)
    repo.tag("a/R2")
    table = as_json(invoke(repo, "table", "b", "--format", "json"))
    [row] = table["rows"]
    assert row["opinions"] == ["o1"]


def test_a_trailer_naming_the_old_folder_after_the_rename_resolves_nothing(
    repo: GitRepo,
) -> None:
    """Only commits made before the rename speak of the assessment by its old name."""
    renamed_after_resolving(repo)
    repo.write_opinion("b", "o2", outcome="reflected", response="追記する。")
    repo.commit("二つ目の意見")
    repo.write_item("b", item("x", "もう一度直した記載", important=True))
    repo.commit("古い名前で書いた", trailers=[*REASONS, ("Resolves", "a/o2")])
    entries = as_json(invoke(repo, "opinions", "b", "--format", "json"))["opinions"]
    assert [e["id"] for e in entries] == ["o1", "o2"]
    assert entries[1]["commits"] == []


def test_the_pr_diff_names_the_opinion_resolved_before_a_folder_rename(repo: GitRepo) -> None:
    published(repo, "a")
    repo.write_opinion("a", "o1", outcome="open")
    base = repo.commit("意見の記録")
    repo.write_opinion("a", "o1", outcome="reflected", response="追記する。")
    repo.write_item("a", item("x", "直した記載", important=True))
    fix = repo.commit("意見を反映", trailers=[*REASONS, ("Resolves", "a/o1")])
    repo.git("mv", "assessments/a", "assessments/b")
    repo.commit("評価書のフォルダの名前を変更")
    report = as_json(invoke(repo, "diff", base, "--format", "json"))["opinions"]
    [resolved] = report["resolved"]
    assert (resolved["assessment"], resolved["id"], resolved["number"]) == ("b", "o1", 1)
    assert resolved["commits"] == [fix]
    markdown = invoke(repo, "diff", base).output
    assert "記録にない意見" not in markdown


# --- an opinion file that check refuses is refused by the commands, never shown mangled -------

OPINION = "source: 第三者点検\nreceived: 2024-01-15\nsummary: |\n  意見\noutcome: open\n"


@pytest.mark.parametrize(
    ("text", "place", "words"),
    [
        # A source the assessment does not know would be printed as if it were one.
        (OPINION.replace("第三者点検", "パブコメ"), "1:9", "opinion_sources"),
        # The city's answer under a misspelt key would silently vanish from the table.
        (
            OPINION + "respones: |\n  答え\n",
            "6:1",
            "respones",
        ),
        # '+81' read as the number 81 would be printed as '81'.
        (OPINION + "from: +81\n", "6:7", "from must be text"),
        # A decided opinion without the city's answer.
        (OPINION.replace("open", "reflected"), "5:10", "response"),
        # A missing key is named with a place, like every other problem.
        (OPINION.replace("received: 2024-01-15\n", ""), "1:1", "received"),
    ],
    ids=["unknown-source", "unknown-key", "number-as-from", "no-response", "missing-key"],
)
@pytest.mark.parametrize("command", [("opinions", "a"), ("status", "a"), ("table", "a")])
def test_an_opinion_file_that_check_refuses_is_refused_with_its_place(
    repo: GitRepo, text: str, place: str, words: str, command: tuple[str, ...]
) -> None:
    published(repo, "a")
    repo.write_item("a", item("x", "直した記載", important=True))
    repo.commit("修正", trailers=REASONS)
    repo.tag("a/R2")
    repo.write("assessments/a/opinions/o1.yaml", text)
    checked = invoke(repo, "check")
    assert checked.exit_code == 1 and words in checked.output
    result = invoke(repo, *command)
    assert result.exit_code == 1, result.output
    assert f"assessments/a/opinions/o1.yaml:{place}: " in result.output
    assert words in result.output
    assert result.stdout == ""


def test_an_opinion_file_with_a_bom_and_crlf_line_endings_is_read(repo: GitRepo) -> None:
    """As an item file is: check asks for the BOM to go; the commands read the file."""
    published(repo, "a")
    text = OPINION.replace("\n", "\r\n").replace("意見", "一行目\r\n  二行目")
    (repo.root / "assessments/a/opinions").mkdir()
    (repo.root / "assessments/a/opinions/o1.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    [entry] = as_json(invoke(repo, "opinions", "a", "--format", "json"))["opinions"]
    assert entry["summary"] == "一行目\n二行目\n"
    assert entry["source"] == "第三者点検"
    assert as_json(invoke(repo, "status", "a", "--format", "json"))["assessments"][0][
        "open_opinions"
    ] == ["o1"]


def _published_then_reviewed(repo: GitRepo) -> None:
    """公表 on 2024-10-01 and 見直し on 2025-10-01, both tagged; a 公表 dated 2026-12-01 is
    tagged ahead of its day."""
    repo.write_assessment(
        "t",
        [
            Milestone("pub", "公表", dt.date(2024, 10, 1), "公表"),
            Milestone("rev", "見直し", dt.date(2025, 10, 1), "見直し"),
            Milestone("next", "次の公表", dt.date(2026, 12, 1), "公表"),
        ],
    )
    repo.write_item("t", item("a", "一"))
    repo.commit("base")
    for tag in ("pub", "rev", "next"):
        repo.tag(f"t/{tag}")


def test_a_milestone_dated_after_today_does_not_count_yet(repo: GitRepo) -> None:
    _published_then_reviewed(repo)
    ws = Workspace.open(repo.root)
    before = assessment_status(ws, "t", dt.date(2025, 6, 1))
    assert before.last_published is not None and before.last_published.milestone.id == "pub"
    assert before.last_reviewed is not None and before.last_reviewed.milestone.id == "pub"
    assert before.review_due == dt.date(2025, 10, 1)
    after = assessment_status(ws, "t", dt.date(2026, 12, 1))
    assert after.last_published is not None and after.last_published.milestone.id == "next"
    assert after.reassessment_due == dt.date(2031, 12, 1)


def test_a_publication_bound_to_a_commit_without_the_assessment_is_refused(
    repo: GitRepo,
) -> None:
    repo.write("README.md", "x\n")
    first = repo.commit("readme")
    repo.write_assessment("t", [Milestone("pub", "公表", dt.date(2024, 10, 1), "公表")])
    repo.write_item("t", item("a", "一"))
    repo.commit("base")
    repo.tag("t/pub", first)
    with pytest.raises(InputError, match=f"bound to commit {first[:7]}, which holds no item"):
        assessment_status(Workspace.open(repo.root), "t", dt.date(2025, 1, 1))


def test_a_renamed_opinion_keeps_the_commits_that_resolved_it_under_its_old_id(
    repo: GitRepo,
) -> None:
    repo.write_assessment("t", [("v1", "公表"), ("v2", "案")])
    repo.write_item("t", item("a", "一"))
    repo.commit("base")
    repo.tag("t/v1")
    repo.write_opinion("t", "old", outcome="reflected", response="直す")
    repo.write_item("t", item("a", "一改"))
    first = repo.commit("a", trailers=[("Reason", "直す"), ("Resolves", "t/old")])
    repo.git("mv", "assessments/t/opinions/old.yaml", "assessments/t/opinions/new.yaml")
    repo.commit("rename the opinion", trailers=[("Reason", "ID の変更")])
    repo.write_opinion("t", "old", received="2024-02-01", summary="別の意見です。")
    repo.write_item("t", item("b", "二"))
    second = repo.commit("b", trailers=[("Reason", "追加"), ("Resolves", "t/old")])
    repo.tag("t/v2")
    ws = Workspace.open(repo.root)
    resolving = resolving_commits(ws, "t")
    # before the rename "old" was the opinion now called "new"; after it, a new "old"
    assert {k: [c.sha for c in v] for k, v in resolving.items()} == {
        "new": [first],
        "old": [second],
    }
    table = comparison_table(ws, "t", ["v1", "v2"])
    assert {row.item: row.opinions for row in table.rows} == {"a": ("new",), "b": ("old",)}


def test_a_merge_that_resolves_an_opinion_answers_it_with_the_commits_it_brought_in(
    repo: GitRepo,
) -> None:
    repo.write_assessment("t", [("v1", "公表"), ("v2", "案")])
    repo.write_item("t", item("a", "一"))
    repo.write_item("t", item("b", "二", order=20))
    repo.write_opinion("t", "p1", outcome="reflected", response="直す")
    repo.commit("base")
    repo.tag("t/v1")
    repo.git("switch", "-q", "-c", "pr")
    repo.write_item("t", item("a", "一改"))
    branch = repo.commit("a", trailers=[("Reason", "意見への対応")])
    repo.git("switch", "-q", "-")
    repo.write_item("t", item("b", "二改", order=20))
    beside = repo.commit("b", trailers=[("Reason", "別の修正")])
    repo.git("merge", "-q", "--no-ff", "pr", "-m", "Merge pull request #1\n\nResolves: t/p1")
    merge = repo.git("rev-parse", "HEAD")
    repo.tag("t/v2")
    ws = Workspace.open(repo.root)
    entry = opinions_table(ws, "t").entries[0]
    assert [c.sha for c in entry.commits] == [merge]
    assert [(i.item, i.commits) for i in entry.items] == [("a", (branch,))]
    table = comparison_table(ws, "t", ["v1", "v2"])
    assert {row.item: row.opinions for row in table.rows} == {"a": ("p1",), "b": ()}
    assert beside not in {sha for i in entry.items for sha in i.commits}
