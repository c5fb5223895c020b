"""Opinion files (``opinions/<id>.yaml``) under ``piakit check``, ``fmt`` and ``schema``: every
problem with path:line:col, the warnings about open and unresolved opinions (with a real git
history), ``kind`` and ``opinion_sources`` in ``assessment.yaml``, and ``milestone add --kind``."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from piakit import checks
from piakit.cli import cli
from piakit.model import Milestone
from piakit.usecases.schema import schema_text

from .conftest import GitRepo, item

SLUG = "test"
FOLDER = f"assessments/{SLUG}"
OPINIONS = f"{FOLDER}/opinions"
ASSESSMENT = """\
title: テスト事務 全項目評価書
milestones:
  - id: R2
    label: 答申
    kind: 答申
    date: 2024-02-01
"""
GOOD = """\
source: 第三者点検
received: 2024-01-15
from: 審議会 第2部会
summary: |
  委託先の管理の視点について記載すること。
response: |
  委託先の管理の視点を追記する。
outcome: not-reflected
"""


def write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A plain folder (no git) with one assessment and one good opinion."""
    root = tmp_path / "work"
    write(root, f"{FOLDER}/assessment.yaml", ASSESSMENT)
    write(root, f"{FOLDER}/items/a.yaml", "path:\n  - I\npage: 1\norder: 1\ntext: 一\n")
    write(root, f"{OPINIONS}/bukai-1.yaml", GOOD)
    return root


def problems_of(
    text: str, opinion_id: str = "p1", sources: tuple[str, ...] | None = None
) -> list[str]:
    report = checks.check_opinion(text.encode(), "o.yaml", opinion_id, sources)
    return [str(p) for p in report.problems]


def test_a_good_opinion_passes(folder: Path) -> None:
    code, output = run(folder, "check")
    assert code == 0, output
    assert "3 files checked, no problems" in output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("summary:", "sumary:"), "o.yaml:4:1: unknown key 'sumary' (did you mean"),
        (GOOD.replace("source: 第三者点検\n", ""), "o.yaml:1:1: missing key 'source'"),
        (GOOD.replace("received: 2024-01-15\n", ""), "o.yaml:1:1: missing key 'received'"),
        (GOOD.replace("outcome: not-reflected\n", ""), "o.yaml:1:1: missing key 'outcome'"),
        (
            GOOD.replace("source: 第三者点検", "source: 第三者検査"),
            "o.yaml:1:9: source '第三者検査' is not one of the assessment's opinion_sources "
            "(意見募集, 第三者点検) (did you mean '第三者点検'?)",
        ),
        (
            GOOD.replace("not-reflected", "done"),
            "o.yaml:8:10: outcome 'done' is not one of reflected (反映する), not-reflected "
            "(反映しない), open (検討中)",
        ),
        (
            GOOD.replace("2024-01-15", "2020-02-30"),
            "o.yaml:2:11: 2020-02-30 is not a date: 2020-02 has 29 days",
        ),
        (
            GOOD.replace("2024-01-15", "2024-01-15 10:00:00"),
            "o.yaml:2:11: received must be a day, YYYY-MM-DD, without a time",
        ),
        (
            GOOD.replace("2024-01-15", "令和6年1月15日"),
            "o.yaml:2:11: received must be written YYYY-MM-DD (e.g. 2020-06-30), "
            "not '令和6年1月15日'",
        ),
        (
            GOOD.replace("received: 2024-01-15", "received:"),
            "o.yaml:2:10: received is empty",
        ),
        (
            GOOD.replace("summary: |\n  委託先の管理の視点について記載すること。", "summary: ''"),
            "o.yaml:4:10: summary is empty",
        ),
        (
            GOOD.replace("response: |\n  委託先の管理の視点を追記する。\n", ""),
            "o.yaml:6:10: an opinion that is not-reflected (反映しない) needs the city's answer "
            "(市の考え方): write it under response:",
        ),
        (
            GOOD.replace("response: |\n  委託先の管理の視点を追記する。", "response:").replace(
                "not-reflected", "reflected"
            ),
            "o.yaml:7:10: an opinion that is reflected (反映する) needs the city's answer",
        ),
        ("- a\n", "o.yaml:1:1: an opinion must be a mapping of keys, not a list"),
    ],
)
def test_each_problem_of_an_opinion_is_named_with_its_line(text: str, expected: str) -> None:
    found = problems_of(text)
    assert any(p.startswith(expected) for p in found), found


def test_an_open_opinion_needs_no_response_and_a_declared_source_is_allowed() -> None:
    text = GOOD.replace("response: |\n  委託先の管理の視点を追記する。\n", "").replace(
        "not-reflected", "open"
    )
    assert problems_of(text) == []
    assert problems_of(text.replace("第三者点検", "部会"), sources=("部会",)) == []
    assert problems_of(text, sources=("部会",)) != []


@pytest.mark.parametrize("name", ["Bukai-1", "bukai_1", "意見1", "-p1", "p1-"])
def test_an_opinion_id_is_lower_case_ascii_with_inner_hyphens(name: str) -> None:
    found = problems_of(GOOD, name)
    assert len(found) == 1 and found[0].startswith(f"o.yaml:1:1: {name!r} cannot be an opinion id")


def test_the_folder_of_opinions_holds_only_opinion_files(folder: Path) -> None:
    write(folder, f"{OPINIONS}/notes.txt", "メモ")
    write(folder, f"{OPINIONS}/old/p2.yaml", GOOD)
    write(folder, f"{OPINIONS}/p3.yml", GOOD)
    write(folder, f"{OPINIONS}/Bad_Id.yaml", GOOD)
    os.symlink("bukai-1.yaml", folder / OPINIONS / "linked.yaml")
    code, output = run(folder, "check")
    assert code == 1
    assert f"{OPINIONS}/notes.txt:1:1: not an opinion file: opinions/ holds only" in output
    assert f"{OPINIONS}/old/p2.yaml:1:1: opinions/ has no subfolders" in output
    assert f"{OPINIONS}/p3.yml:1:1: opinion files end in .yaml: rename it to p3.yaml" in output
    assert f"{OPINIONS}/Bad_Id.yaml:1:1: 'Bad_Id' cannot be an opinion id" in output
    assert f"{OPINIONS}/linked.yaml:1:1: is a symbolic link; piakit reads an opinion file" in output
    assert "piakit: error: 5 problems in 5 files" in output


def test_one_named_opinion_file_is_checked_against_its_assessment(folder: Path) -> None:
    write(folder, f"{FOLDER}/assessment.yaml", ASSESSMENT + "opinion_sources:\n  - 部会\n")
    code, output = run(folder, "check", f"{OPINIONS}/bukai-1.yaml")
    assert code == 1
    assert f"{OPINIONS}/bukai-1.yaml:1:9: source '第三者点検' is not one of" in output
    assert "(部会)" in output


def test_opinions_without_an_assessment_are_reported(tmp_path: Path) -> None:
    write(tmp_path, f"{OPINIONS}/p1.yaml", GOOD)
    code, output = run(tmp_path, "check")
    assert code == 1
    assert f"{OPINIONS}: {FOLDER} has opinions but no assessment.yaml" in output


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (
            "    kind: 発表\n",
            "5:11: kind '発表' is not a stage of the assessment cycle: write one of "
            "素案, 意見募集, 諮問, 答申, 提出, 公表, 見直し, 修正",
        ),
        ("    kind: 公表する\n", "(did you mean '公表'?)"),
        ("opinion_sources:\n  - 部会\n  - 部会\n", "7:5: opinion source '部会' is listed twice"),
        ("opinion_sources:\n  - ''\n", "6:5: an opinion source is empty"),
        ("opinion_sources: []\n", "5:18: opinion_sources is an empty list"),
        ("opinion_sources: 部会\n", "5:18: opinion_sources must be a list"),
    ],
)
def test_kind_and_opinion_sources_of_an_assessment(tail: str, expected: str) -> None:
    text = "title: T\nmilestones:\n  - id: a\n    label: A\n" + tail
    report = checks.check_assessment(text.encode(), "a.yaml", "t")
    found = [str(p) for p in report.problems]
    assert any(expected in p for p in found), found


def test_a_good_kind_and_sources_pass() -> None:
    text = ASSESSMENT + "opinion_sources:\n  - 意見募集\n  - 部会\n"
    report = checks.check_assessment(text.encode(), "a.yaml", "t")
    assert report.problems == ()
    assert report.opinion_sources == ("意見募集", "部会")
    assert report.milestone_kinds[0][:2] == ("R2", "答申")


# --- the warning about an open opinion at a 答申 or 公表 ------------------------------------------


def open_opinion(received: str) -> str:
    return f"source: 意見募集\nreceived: {received}\nsummary: |\n  見直すこと。\noutcome: open\n"


@pytest.mark.parametrize(
    ("received", "kind", "warned"),
    [
        ("2024-01-15", "答申", True),  # the answer came after the opinion
        ("2024-02-01", "公表", True),  # on the same day counts
        ("2024-02-02", "答申", False),  # the opinion came after the answer
        ("2024-01-15", "諮問", False),  # a 諮問 is no answer
    ],
)
def test_an_open_opinion_is_warned_about_at_a_later_answer(
    folder: Path, received: str, kind: str, warned: bool
) -> None:
    write(folder, f"{FOLDER}/assessment.yaml", ASSESSMENT.replace("kind: 答申", f"kind: {kind}"))
    write(folder, f"{OPINIONS}/p1.yaml", open_opinion(received))
    code, output = run(folder, "check")
    assert code == 0, output
    warning = (
        f"{OPINIONS}/p1.yaml:5:10: warning: the opinion is still open (検討中) at milestone R2"
    )
    assert (warning in output) is warned, output
    assert ("(1 warning)" in output) is warned


def test_a_milestone_without_a_date_is_not_weighed(folder: Path) -> None:
    write(folder, f"{FOLDER}/assessment.yaml", ASSESSMENT.replace("    date: 2024-02-01\n", ""))
    write(folder, f"{OPINIONS}/p1.yaml", open_opinion("2024-01-15"))
    code, output = run(folder, "check")
    assert code == 0 and "warning" not in output, output


# --- the warning about a reflected opinion that no commit resolves --------------------------------


def reflected_history(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [Milestone("v1", "公表", kind="公表")])
    repo.write_item(SLUG, item("a", "一"))
    repo.write_opinion(SLUG, "p1", outcome="reflected", response="直す")
    repo.write_opinion(SLUG, "p2", outcome="reflected", response="直す")
    repo.commit("base")


def test_a_reflected_opinion_that_no_commit_resolves_is_warned_about(repo: GitRepo) -> None:
    reflected_history(repo)
    repo.write_item(SLUG, item("a", "一改"))
    repo.commit("a", trailers=[("Reason", "直す"), ("Resolves", f"{SLUG}/p1")])
    code, output = run(repo.root, "check")
    assert code == 0, output
    assert (
        f"{OPINIONS}/p2.yaml:7:10: warning: the opinion is reflected (反映する) but no commit says "
        f"so: the commit that makes the change carries the trailer 'Resolves: {SLUG}/p2'"
    ) in output
    assert "p1.yaml" not in output
    assert "(1 warning)" in output


def test_outside_git_the_reflected_warning_is_left_out(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    write(root, f"{FOLDER}/assessment.yaml", ASSESSMENT)
    write(root, f"{OPINIONS}/p1.yaml", GOOD.replace("not-reflected", "reflected"))
    code, output = run(root, "check")
    assert code == 0, output
    assert "warning" not in output


def test_a_broken_opinion_is_an_error_and_no_reflected_warning(repo: GitRepo) -> None:
    reflected_history(repo)
    repo.write(f"{OPINIONS}/p1.yaml", GOOD.replace("not-reflected", "reflected") + "extra: 1\n")
    code, output = run(repo.root, "check", f"{OPINIONS}/p1.yaml")
    assert code == 1
    assert f"{OPINIONS}/p1.yaml:9:1: unknown key 'extra'" in output
    assert "warning" not in output


# --- fmt ---------------------------------------------------------------------------------------


def test_fmt_writes_an_opinion_in_the_canonical_form(folder: Path) -> None:
    messy = (
        "# 第2部会の意見\noutcome: reflected  # 反映\nresponse: 追記する。\n"
        'summary: "一行目\\n二行目"\nreceived: 2024-01-15\nsource: 第三者点検\n'
    )
    path = write(folder, f"{OPINIONS}/p1.yaml", messy)
    code, output = run(folder, "fmt", "--check")
    assert code == 1 and f"would reformat {OPINIONS}/p1.yaml" in output
    assert path.read_text(encoding="utf-8") == messy
    code, output = run(folder, "fmt")
    assert code == 0, output
    assert path.read_text(encoding="utf-8") == (
        "# 第2部会の意見\nsource: 第三者点検\nreceived: 2024-01-15\n"
        "summary: |-\n  一行目\n  二行目\n"
        "response: |-\n  追記する。\noutcome: reflected  # 反映\n"
    )
    assert run(folder, "fmt", "--check")[0] == 0
    assert run(folder, "check")[0] == 0


def test_fmt_leaves_a_canonical_opinion_alone_and_refuses_a_broken_one(folder: Path) -> None:
    good = folder / OPINIONS / "bukai-1.yaml"
    broken = write(folder, f"{OPINIONS}/p2.yaml", "- source: 意見募集\n")
    unreadable = write(folder, f"{OPINIONS}/p3.yaml", "source: [\n")
    code, output = run(folder, "fmt")
    assert code == 1
    assert f"{OPINIONS}/p2.yaml:1:1: expected a mapping of keys" in output
    assert f"{OPINIONS}/p3.yaml:2:1:" in output
    assert good.read_text(encoding="utf-8") == GOOD
    assert broken.read_text(encoding="utf-8") == "- source: 意見募集\n"
    assert unreadable.read_text(encoding="utf-8") == "source: [\n"


# --- schema ------------------------------------------------------------------------------------


def test_the_opinion_schema_accepts_a_good_file_and_refuses_bad_ones(folder: Path) -> None:
    code, output = run(folder, "schema", "opinion")
    assert code == 0
    validator = jsonschema.Draft7Validator(json.loads(output))
    yaml = YAML(typ="safe")

    def errors(text: str) -> list[str]:
        data = yaml.load(text)
        data["received"] = str(data.get("received"))  # a YAML day is a string in JSON
        return [error.message for error in validator.iter_errors(data)]

    assert errors(GOOD) == []
    assert (
        errors(
            GOOD.replace("not-reflected", "open").replace(
                "response: |\n  委託先の管理の視点を追記する。\n", ""
            )
        )
        == []
    )
    assert any("'done' is not one of" in e for e in errors(GOOD.replace("not-reflected", "done")))
    assert any("'sumary'" in e for e in errors(GOOD.replace("summary:", "sumary:")))
    no_answer = GOOD.replace("response: |\n  委託先の管理の視点を追記する。\n", "")
    assert any("'response' is a required property" in e for e in errors(no_answer))
    assert schema_text("opinion") == output


def test_the_assessment_schema_knows_kind_and_opinion_sources() -> None:
    validator = jsonschema.Draft7Validator(json.loads(schema_text("assessment")))
    good = {
        "title": "T",
        "milestones": [{"id": "R2", "label": "公表", "kind": "公表", "date": "2024-02-01"}],
        "opinion_sources": ["意見募集", "部会"],
    }
    assert list(validator.iter_errors(good)) == []
    bad = {**good, "milestones": [{"id": "R2", "label": "公表", "kind": "発表"}]}
    assert list(validator.iter_errors(bad)) != []
    assert list(validator.iter_errors({**good, "opinion_sources": ["部会", "部会"]})) != []


# --- milestone add --kind ----------------------------------------------------------------------


def test_milestone_add_writes_the_kind_in_canonical_order(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("v1", "素案")])
    repo.write_item(SLUG, item("a", "一"))
    repo.commit("base")
    code, output = run(
        repo.root,
        "milestone",
        "add",
        SLUG,
        "R6",
        "--label",
        "公表",
        "--date",
        "2024-03-01",
        "--kind",
        "公表",
    )
    assert code == 0, output
    text = (repo.root / FOLDER / "assessment.yaml").read_text(encoding="utf-8")
    assert "  - id: R6\n    label: 公表\n    kind: 公表\n    date: 2024-03-01\n" in text
    assert run(repo.root, "check")[0] == 0
    assert "git commit -m 'マイルストーン R6 を宣言'" in output
    # Giving a declared milestone its kind updates the declaration, and says so.
    code, output = run(repo.root, "milestone", "add", SLUG, "v1", "--kind", "素案")
    assert code == 0, output
    assert "    label: 素案\n    kind: 素案\n" in (
        repo.root / FOLDER / "assessment.yaml"
    ).read_text(encoding="utf-8")
    assert "git commit -m 'マイルストーン v1 の記載を更新'" in output


def test_milestone_add_refuses_an_unknown_kind(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("v1", "素案")])
    repo.commit("base")
    before = (repo.root / FOLDER / "assessment.yaml").read_bytes()
    code, output = run(repo.root, "milestone", "add", SLUG, "R6", "--label", "x", "--kind", "発表")
    assert code == 2
    assert "'発表' is not one of '素案', '意見募集'" in output
    assert (repo.root / FOLDER / "assessment.yaml").read_bytes() == before
    assert repo.git("tag", "-l") == ""


def test_the_opinion_example_of_the_format_doc_is_canonical_and_valid(folder: Path) -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "format.md").read_text(encoding="utf-8")
    section = doc[doc.index("## 意見ファイル") :]
    example = section[section.index("```text\n") + 8 : section.index("```\n", 8)]
    assert example.startswith("source:")
    write(folder, f"{OPINIONS}/bukai-2020-07-15.yaml", example)
    assert run(folder, "fmt", "--check")[0] == 0
    code, output = run(folder, "check")
    assert code == 0 and "warning" not in output, output


def test_an_opinion_received_after_today_is_a_warning(folder: Path) -> None:
    future = GOOD.replace("received: 2024-01-15", "received: 2204-01-15")
    report = checks.check_opinion(future.encode(), "o.yaml", "p1", None, dt.date(2026, 11, 29))
    assert [(str(p), p.warning) for p in report.problems] == [
        (
            "o.yaml:2:11: warning: received 2204-01-15 is after today (2026-11-29): "
            "is the year right?",
            True,
        )
    ]
    today = checks.check_opinion(GOOD.encode(), "o.yaml", "p1", None, dt.date(2024, 1, 15))
    assert today.problems == ()
    write(folder, f"{OPINIONS}/bukai-1.yaml", future)
    code, output = run(folder, "check")
    assert code == 0
    assert "bukai-1.yaml:2:11: warning: received 2204-01-15 is after today" in output


def test_an_answer_still_to_come_is_not_weighed() -> None:
    # A 答申 planned for a day after today has not happened: the opinion may still be open.
    report = checks.check_opinion(
        open_opinion("2024-01-15").encode(), "o.yaml", "p1", None, dt.date(2024, 1, 20)
    )
    kinds = [("R2", "答申", dt.date(2024, 2, 1))]
    assert checks.check_open_opinions([report], kinds, dt.date(2024, 1, 31)) == []
    warned = checks.check_open_opinions([report], kinds, dt.date(2024, 2, 1))
    assert [p.warning for p in warned] == [True]
