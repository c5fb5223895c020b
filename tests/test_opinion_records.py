"""The records of the assessment cycle: opinion files, milestone kinds, ``Resolves:`` trailers
read from a real history, and the opinions a comparison table's rows name."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from piakit import documents
from piakit.conventions import split_resolves
from piakit.errors import DocumentError
from piakit.model import Milestone, Opinion
from piakit.resolutions import opinion_numbers, read_opinions, resolving_commits
from piakit.usecases.table import comparison_table
from piakit.workspace import Workspace

from .conftest import GitRepo, item

SLUG = "test"


def test_a_resolves_value_is_a_slug_and_an_ascii_opinion_id() -> None:
    assert split_resolves("test/bukai-2020-07-01") == ("test", "bukai-2020-07-01")
    assert split_resolves(" test/p1 ") == ("test", "p1")
    for bad in (
        "test",
        "test/",
        "/p1",
        "test/../p1",
        "test/a/b",
        "test/意見1",
        "test/P1",
        "te st/p1",
    ):
        assert split_resolves(bad) is None, bad


def test_an_opinion_file_reads_into_a_record() -> None:
    text = (
        "source: 第三者点検\nreceived: 2020-07-15\nfrom: 審議会 第2部会\n"
        "summary: |\n  委託先の管理の視点について記載すること。\n"
        "response: |\n  委託先の管理の視点を追記する。\noutcome: reflected\n"
    )
    opinion = documents.load_opinion(text.encode(), "bukai-1", "x/opinions/bukai-1.yaml")
    assert opinion.source == "第三者点検"
    assert opinion.received == dt.date(2020, 7, 15)
    assert opinion.sender == "審議会 第2部会"
    assert opinion.summary == "委託先の管理の視点について記載すること。\n"
    assert opinion.response == "委託先の管理の視点を追記する。\n"
    assert opinion.outcome == "reflected"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("source: 第三者点検\nsummary: x\noutcome: open\n", "received"),
        ("source: 第三者点検\nreceived: 2020-02-30\nsummary: x\noutcome: open\n", "2:11"),
        ("source: 第三者点検\nreceived: 2020-02-03\nsummary: x\noutcome: done\n", "outcome"),
        ("received: 2020-02-03\nsummary: x\noutcome: open\n", "source"),
    ],
)
def test_a_broken_opinion_file_is_refused_with_its_path(text: str, words: str) -> None:
    with pytest.raises(DocumentError) as caught:
        documents.load_opinion(text.encode(), "p1", "a/opinions/p1.yaml")
    assert "a/opinions/p1.yaml" in str(caught.value)
    assert words in str(caught.value)


def test_a_milestone_kind_and_opinion_sources_read_and_write_back() -> None:
    text = (
        "title: T\nmilestones:\n- id: R2\n  label: 公表\n  kind: 公表\n  date: 2020-10-01\n"
        "opinion_sources:\n- 意見募集\n- 部会\n"
    )
    assessment = documents.load_assessment(text, "t", "t/assessment.yaml")
    assert assessment.milestones[0] == Milestone("R2", "公表", dt.date(2020, 10, 1), "公表")
    assert assessment.opinion_sources == ("意見募集", "部会")
    written = documents.dump_assessment(assessment)
    assert "kind: 公表" in written
    assert documents.load_assessment(written, "t", "t/assessment.yaml") == assessment
    with pytest.raises(DocumentError, match="kind must be one of"):
        documents.load_assessment(text.replace("kind: 公表", "kind: 発表"), "t", "t/a.yaml")


def _history(repo: GitRepo) -> dict[str, str]:
    """Two opinions; one commit resolves both, and a second one resolves p1 again."""
    repo.write_assessment(SLUG, [("v1", "公表"), ("v2", "案")])
    repo.write_item(SLUG, item("a", "一"))
    repo.write_item(SLUG, item("b", "二", order=20))
    shas = {"base": repo.commit("base")}
    repo.tag(f"{SLUG}/v1")
    repo.write_opinion(SLUG, "p2", received="2024-01-10", outcome="reflected", response="直す")
    repo.write_opinion(SLUG, "p1", received="2024-01-20", outcome="reflected", response="直す")
    repo.write_opinion(SLUG, "p3", received="2024-01-05", outcome="not-reflected", response="否")
    repo.commit("opinions")
    repo.write_item(SLUG, item("a", "一改"))
    shas["both"] = repo.commit(
        "a",
        trailers=[
            ("Reason-Category", "【部会の意見による修正】"),
            ("Reason", "表記の改善"),
            ("Resolves", f"{SLUG}/p1"),
            ("Resolves", f"{SLUG}/p2"),
        ],
    )
    repo.write_item(SLUG, item("b", "二改", order=20))
    shas["again"] = repo.commit(
        "b", trailers=[("Reason", "追記"), ("Resolves", f"{SLUG}/p1"), ("Resolves", "other/p9")]
    )
    repo.tag(f"{SLUG}/v2")
    return shas


def test_resolves_trailers_are_read_from_the_history(repo: GitRepo) -> None:
    shas = _history(repo)
    ws = Workspace.open(repo.root)
    resolving = resolving_commits(ws, SLUG)
    assert {key: [c.sha for c in commits] for key, commits in resolving.items()} == {
        "p1": [shas["both"], shas["again"]],
        "p2": [shas["both"]],
    }
    opinions = read_opinions(ws, SLUG)
    assert [o.id for o in opinions] == ["p3", "p2", "p1"]
    assert opinion_numbers(opinions) == {"p3": 1, "p2": 2, "p1": 3}


def test_table_rows_name_the_opinions_their_commits_resolve(repo: GitRepo) -> None:
    _history(repo)
    table = comparison_table(Workspace.open(repo.root), SLUG, ["v1", "v2"])
    assert {row.item: row.opinions for row in table.rows} == {"a": ("p1", "p2"), "b": ("p1",)}
    assert table.opinion_label("p1") == "（意見3）"
    assert table.opinion_label("gone") == "（意見 gone）"
    rows = json.loads(json.dumps(table.to_json(), ensure_ascii=False))["rows"]
    assert [row["opinions"] for row in rows] == [["p1", "p2"], ["p1"]]


def test_opinions_of_one_day_are_numbered_by_their_ids_read_as_people_read_them() -> None:
    day = dt.date(2024, 7, 25)
    ids = ["bukai-10", "bukai-2", "bukai-1", "a", "bukai-2-1"]
    opinions = [Opinion(i, "第三者点検", day, "x", "open") for i in ids]
    later = Opinion("a-1", "第三者点検", dt.date(2024, 7, 26), "x", "open")
    assert opinion_numbers([*opinions, later]) == {
        "a": 1,
        "bukai-1": 2,
        "bukai-2": 3,
        "bukai-2-1": 4,
        "bukai-10": 5,
        "a-1": 6,
    }
