"""Unusual but legitimate histories, and bad input, for the assessment cycle's commands
(``opinions``, ``status``, ``check``, ``table``, ``diff``): each test is a shape that once gave a
wrong answer silently, built as a real git history."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from click.testing import CliRunner, Result

from piakit.cli import cli
from piakit.model import Milestone

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
