"""``piakit status``: the deadlines of the assessment cycle, the changes since the newest 公表
and the open opinions, judged from real git histories at fixed ``--today`` dates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from piakit.cli import cli
from piakit.model import Milestone
from piakit.usecases.status import add_years

from .conftest import GitRepo, item

SLUG = "test"

#: The keys of one assessment in the JSON, in the contract's order (DESIGN.md).
CONTRACT_KEYS = [
    "slug",
    "title",
    "last_published",
    "reassessment_due",
    "last_reviewed",
    "review_due",
    "changes_since_published",
    "important_changes",
    "requires_reassessment",
    "open_opinions",
    "overdue",
]


def status(repo: GitRepo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(repo.root), "status", *args])


def status_json(repo: GitRepo, today: str, *args: str) -> dict[str, Any]:
    result = status(repo, *args, "--today", today, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def one(repo: GitRepo, today: str) -> dict[str, Any]:
    [found] = status_json(repo, today, SLUG)["assessments"]
    assert isinstance(found, dict)
    return found


def published(repo: GitRepo, *more: Milestone) -> None:
    """An assessment published on 2020-10-01 (milestone R2, kind 公表, tagged): item ``a``
    important, ``b`` not. ``more``: milestones declared after it (not bound)."""
    repo.write_assessment(SLUG, [Milestone("R2", "公表版", dt.date(2020, 10, 1), "公表"), *more])
    repo.write_item(SLUG, item("a", "特定個人情報の入手元", important=True))
    repo.write_item(SLUG, item("b", "事務の内容", order=20))
    repo.commit("公表した評価書")
    repo.tag(f"{SLUG}/R2")


# --- deadlines -----------------------------------------------------------------------------------


def test_a_year_later_is_the_same_day_and_29_february_ends_on_the_28th() -> None:
    assert add_years(dt.date(2020, 10, 1), 5) == dt.date(2025, 10, 1)
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert add_years(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)
    assert add_years(dt.date(2023, 2, 28), 1) == dt.date(2024, 2, 28)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        ("2020-10-01", []),
        ("2021-09-30", []),
        ("2021-10-01", []),  # the review is due on this day: met, not overdue
        ("2021-10-02", ["review"]),
        ("2025-10-01", ["review"]),  # the re-assessment is due on this day
        ("2025-10-02", ["review", "reassessment"]),
    ],
)
def test_deadlines_are_met_on_their_day_and_overdue_the_next(
    repo: GitRepo, today: str, overdue: list[str]
) -> None:
    published(repo)
    found = one(repo, today)
    assert found["last_published"] == {"id": "R2", "date": "2020-10-01"}
    assert found["reassessment_due"] == "2025-10-01"
    assert found["last_reviewed"] == {"id": "R2", "date": "2020-10-01"}
    assert found["review_due"] == "2021-10-01"
    assert found["overdue"] == overdue
    code = status(repo, SLUG, "--today", today, "--fail-overdue").exit_code
    assert code == (1 if overdue else 0)


def test_a_publication_on_29_february(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [Milestone("R6", "公表版", dt.date(2024, 2, 29), "公表")])
    repo.write_item(SLUG, item("a", "一"))
    repo.commit("公表", trailers=[("Milestone", f"{SLUG}/R6")])  # bound by the trailer
    assert one(repo, "2025-02-28")["overdue"] == []
    found = one(repo, "2025-03-01")
    assert (found["review_due"], found["reassessment_due"]) == ("2025-02-28", "2029-02-28")
    assert found["overdue"] == ["review"]
    assert one(repo, "2029-03-01")["overdue"] == ["review", "reassessment"]


def test_the_text_names_each_deadline_and_how_far_it_is(repo: GitRepo) -> None:
    published(repo)
    before = status(repo, "--today", "2021-09-01").stdout
    assert "2021-09-01 時点" in before
    assert "test: テスト市 テスト事務 全項目評価書" in before
    assert "最新の公表: 2020-10-01 公表版 [R2]" in before
    assert "再実施期限: 2025-10-01 (あと 1491 日)" in before
    assert "次回見直し期限: 2021-10-01 (あと 30 日)" in before
    assert "公表後の変更: 0 件" in before
    assert "期限切れ:" not in before
    assert "次回見直し期限: 2021-10-01 (今日まで)" in status(repo, "--today", "2021-10-01").stdout
    after = status(repo, "--today", "2025-10-03").stdout
    assert "次回見直し期限: 2021-10-01 (期限切れ: 1463 日過ぎています)" in after
    assert "  期限切れ: 見直し、再実施" in after
    assert "期限切れ、または再実施が必要な評価書: 1 件 (test)" in after


# --- which milestones count ----------------------------------------------------------------------


def test_the_newest_publication_counts_and_a_review_moves_only_the_review(repo: GitRepo) -> None:
    published(repo)
    milestones = [
        Milestone("R2", "公表版", dt.date(2020, 10, 1), "公表"),
        Milestone("R3", "見直し", dt.date(2021, 9, 1), "見直し"),
        Milestone("R4", "修正 (諮問時)", dt.date(2022, 3, 1), "諮問"),  # not a review
        Milestone("R7", "再実施の公表", dt.date(2025, 6, 1), "公表"),
    ]
    repo.write_assessment(SLUG, milestones[:2])
    repo.commit("見直し")
    repo.tag(f"{SLUG}/R3")
    found = one(repo, "2022-01-01")
    assert found["last_published"] == {"id": "R2", "date": "2020-10-01"}
    assert found["reassessment_due"] == "2025-10-01"
    assert found["last_reviewed"] == {"id": "R3", "date": "2021-09-01"}
    assert found["review_due"] == "2022-09-01"
    assert found["overdue"] == []

    repo.write_assessment(SLUG, milestones)
    repo.commit("諮問")
    repo.tag(f"{SLUG}/R4")
    assert one(repo, "2022-10-01")["last_reviewed"] == {"id": "R3", "date": "2021-09-01"}

    repo.write_item(SLUG, item("b", "事務の内容 (再実施)", order=20))
    repo.commit("再実施", trailers=[("Reason", "再実施")])
    repo.tag(f"{SLUG}/R7")
    found = one(repo, "2026-01-01")
    assert found["last_published"] == {"id": "R7", "date": "2025-06-01"}
    assert found["reassessment_due"] == "2030-06-01"
    assert found["last_reviewed"] == {"id": "R7", "date": "2025-06-01"}
    assert found["review_due"] == "2026-06-01"
    assert found["changes_since_published"] == []  # counted from R7, not R2


def test_the_newest_is_the_latest_date_whatever_the_declared_order(repo: GitRepo) -> None:
    repo.write_assessment(
        SLUG,
        [
            Milestone("late", "後の公表", dt.date(2022, 4, 1), "公表"),
            Milestone("early", "前の公表", dt.date(2021, 4, 1), "公表"),
            Milestone("same", "同じ日の見直し", dt.date(2022, 4, 1), "見直し"),
        ],
    )
    repo.write_item(SLUG, item("a", "一"))
    repo.commit("版")
    for name in ("late", "early", "same"):
        repo.tag(f"{SLUG}/{name}")
    found = one(repo, "2022-05-01")
    assert found["last_published"] == {"id": "late", "date": "2022-04-01"}
    # Two on one day: the one declared later.
    assert found["last_reviewed"] == {"id": "same", "date": "2022-04-01"}


def test_a_planned_publication_is_not_published(repo: GitRepo) -> None:
    """Declared with a date in the past but bound to no commit: not counted."""
    repo.write_assessment(
        SLUG,
        [
            Milestone("draft", "素案", dt.date(2020, 5, 1), "素案"),
            Milestone("R2", "公表版", dt.date(2020, 10, 1), "公表"),
        ],
    )
    repo.write_item(SLUG, item("a", "一", important=True))
    repo.commit("素案")
    repo.tag(f"{SLUG}/draft")
    repo.write_item(SLUG, item("a", "一改", important=True))
    repo.commit("改")
    repo.write_opinion(SLUG, "p1", outcome="open")
    repo.commit("意見")
    found = one(repo, "2030-01-01")
    assert found == {
        "slug": SLUG,
        "title": "テスト事務 全項目評価書",
        "last_published": None,
        "reassessment_due": None,
        "last_reviewed": None,
        "review_due": None,
        "changes_since_published": [],
        "important_changes": [],
        "requires_reassessment": False,
        "open_opinions": ["p1"],
        "overdue": [],
    }
    result = status(repo, SLUG, "--today", "2030-01-01", "--fail-overdue")
    assert result.exit_code == 0, result.output
    assert (
        "未公表: 種類が 公表 の版で、コミットに結び付いたものはまだありません"
        " (予定: 2020-10-01 公表版 [R2])"
    ) in result.stdout
    assert "検討中の意見: 1 件 (p1)" in result.stdout


def test_milestones_without_a_kind_are_never_published(repo: GitRepo) -> None:
    """A repository from before kinds (the Chiba example): every assessment 未公表."""
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "一"))
    repo.commit("取り込み")
    repo.tag(f"{SLUG}/current")
    found = one(repo, "2030-01-01")
    assert found["last_published"] is None and found["overdue"] == []
    text = status(repo, "--today", "2030-01-01").stdout
    assert "未公表: 版に種類 (kind) がありません。公表した版に kind: 公表 と書くと" in text
    assert "期限切れ、または再実施が必要な評価書はありません。" in text


def test_an_undated_milestone_is_dated_by_its_commit(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [Milestone("R2", "公表版", None, "公表")])
    repo.write_item(SLUG, item("a", "一"))
    repo.commit("公表")  # the first commit: 2024-01-01 (conftest)
    repo.commit("後のコミット", allow_empty=True)
    repo.tag(f"{SLUG}/R2", "HEAD~1")
    found = one(repo, "2025-01-02")
    assert found["last_published"] == {"id": "R2", "date": "2024-01-01"}
    assert found["review_due"] == "2025-01-01"
    assert found["overdue"] == ["review"]


# --- changes since the newest publication --------------------------------------------------------


def test_an_important_change_requires_reassessment(repo: GitRepo) -> None:
    published(repo)
    repo.write_item(SLUG, item("a", "特定個人情報の入手元 (変更)", important=True))
    repo.commit("入手元", trailers=[("Reason", "変更")])
    found = one(repo, "2021-01-01")
    assert found["changes_since_published"] == ["a"]
    assert found["important_changes"] == ["a"]
    assert found["requires_reassessment"] is True
    assert found["overdue"] == []
    result = status(repo, SLUG, "--today", "2021-01-01", "--fail-overdue")
    assert result.exit_code == 1
    # the report comes first, then why it failed
    assert "公表後の変更: 1 件 (うち重要な変更 1 件: 再実施が必要)" in result.stdout
    assert "重要な変更の項目: a" in result.stdout
    assert "test (再実施が必要)" in result.stderr
    assert status(repo, SLUG, "--today", "2021-01-01").exit_code == 0


def test_a_change_to_an_item_that_is_not_important_requires_nothing(repo: GitRepo) -> None:
    published(repo)
    repo.write_item(SLUG, item("b", "事務の内容 (変更)", order=20))
    repo.commit("内容", trailers=[("Reason", "変更")])
    repo.write_item(SLUG, item("c", "新しい項目", order=30))
    repo.commit("追加", trailers=[("Reason", "追加")])
    found = one(repo, "2021-01-01")
    assert found["changes_since_published"] == ["b", "c"]
    assert found["important_changes"] == []
    assert found["requires_reassessment"] is False
    assert status(repo, SLUG, "--today", "2021-01-01", "--fail-overdue").exit_code == 0


def test_important_at_either_end(repo: GitRepo) -> None:
    """Made important, no longer important, deleted while important: each is a 重要な変更."""
    published(repo)
    repo.write_item(SLUG, item("b", "事務の内容", order=20, important=True))
    repo.commit("b を重要に", trailers=[("Reason", "変更")])
    assert one(repo, "2021-01-01")["important_changes"] == ["b"]
    repo.write_item(SLUG, item("b", "事務の内容", order=20))
    repo.commit("b を戻す", trailers=[("Reason", "戻す")])
    assert one(repo, "2021-01-01")["changes_since_published"] == []  # changed back: no change
    repo.remove_item(SLUG, "a")
    repo.commit("a を削除", trailers=[("Reason", "削除")])
    assert one(repo, "2021-01-01")["important_changes"] == ["a"]


def test_a_reformat_or_a_rename_is_no_change(repo: GitRepo) -> None:
    published(repo)
    text = (repo.root / f"assessments/{SLUG}/items/b.yaml").read_text(encoding="utf-8")
    repo.write(f"assessments/{SLUG}/items/b.yaml", "# 注釈\n" + text)
    repo.commit("コメント")
    repo.git("mv", f"assessments/{SLUG}/items/a.yaml", f"assessments/{SLUG}/items/a2.yaml")
    repo.commit("名前の変更")
    assert one(repo, "2021-01-01")["changes_since_published"] == []


def test_uncommitted_edits_are_not_counted_but_warned_about(repo: GitRepo) -> None:
    published(repo)
    repo.write_item(SLUG, item("a", "未コミットの変更", important=True))
    result = status(repo, SLUG, "--today", "2021-01-01", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["assessments"][0]["changes_since_published"] == []
    assert "uncommitted edits to item files" in result.stderr


# --- opinions, several assessments, the command line ---------------------------------------------


def test_open_opinions_are_listed_in_the_tables_order(repo: GitRepo) -> None:
    published(repo)
    repo.write_opinion(SLUG, "late", received="2024-03-01", outcome="open")
    repo.write_opinion(SLUG, "early", received="2024-01-01", outcome="open")
    repo.write_opinion(SLUG, "done", received="2024-02-01", outcome="reflected", response="直す")
    repo.write_opinion(SLUG, "no", received="2024-02-02", outcome="not-reflected", response="否")
    repo.commit("意見")
    assert one(repo, "2021-01-01")["open_opinions"] == ["early", "late"]
    assert "検討中の意見: 2 件 (early, late)" in status(repo, "--today", "2021-01-01").stdout


def test_every_assessment_when_no_slug_is_given(repo: GitRepo) -> None:
    published(repo)
    repo.write_assessment("other", [Milestone("v1", "公表", dt.date(2019, 1, 1), "公表")])
    repo.write_item("other", item("x", "一"))
    repo.commit("other")
    repo.tag("other/v1")
    data = status_json(repo, "2021-01-01")
    assert data["today"] == "2021-01-01"
    assert [a["slug"] for a in data["assessments"]] == ["other", SLUG]
    assert [a["overdue"] for a in data["assessments"]] == [["review"], []]
    for found in data["assessments"]:
        assert list(found) == CONTRACT_KEYS
    result = status(repo, "--today", "2021-01-01", "--fail-overdue")
    assert result.exit_code == 1
    assert "other: テスト市 テスト事務 全項目評価書" in result.stdout
    assert "test: テスト市" in result.stdout
    assert "1 assessment overdue or to be assessed again: other (見直しの期限切れ)" in (
        result.stderr
    )


def test_the_json_is_the_contract(repo: GitRepo) -> None:
    published(repo)
    repo.write_item(SLUG, item("a", "変更", important=True))
    repo.commit("a", trailers=[("Reason", "変更")])
    repo.write_opinion(SLUG, "p1")
    repo.commit("意見")
    data = status_json(repo, "2022-01-01")
    assert list(data) == ["today", "assessments"]
    assert data["assessments"] == [
        {
            "slug": SLUG,
            "title": "テスト事務 全項目評価書",
            "last_published": {"id": "R2", "date": "2020-10-01"},
            "reassessment_due": "2025-10-01",
            "last_reviewed": {"id": "R2", "date": "2020-10-01"},
            "review_due": "2021-10-01",
            "changes_since_published": ["a"],
            "important_changes": ["a"],
            "requires_reassessment": True,
            "open_opinions": ["p1"],
            "overdue": ["review"],
        }
    ]


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow", "2026/04/01", "20260401", ""])
def test_a_bad_today_is_a_usage_error(repo: GitRepo, bad: str) -> None:
    published(repo)
    result = status(repo, "--today", bad)
    assert result.exit_code == 2, result.output
    assert "--today" in result.stderr
    assert repr(bad) in result.stderr


def test_an_unknown_assessment_fails_with_the_known_ones(repo: GitRepo) -> None:
    published(repo)
    result = status(repo, "nope")
    assert result.exit_code == 1
    assert "unknown assessment 'nope'" in result.stderr
    assert "known assessments: test" in result.stderr


def test_today_defaults_to_the_local_date(repo: GitRepo) -> None:
    published(repo)
    before = dt.date.today().isoformat()
    result = status(repo, "--format", "json")
    after = dt.date.today().isoformat()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["today"] in {before, after}


def test_a_broken_opinion_file_fails_with_its_path(repo: GitRepo) -> None:
    published(repo)
    repo.write(f"assessments/{SLUG}/opinions/p1.yaml", "source: 第三者点検\nsummary: x\n")
    result = status(repo, SLUG, "--today", "2021-01-01")
    assert result.exit_code == 1
    assert f"assessments/{SLUG}/opinions/p1.yaml" in result.stderr
    assert result.stdout == ""
