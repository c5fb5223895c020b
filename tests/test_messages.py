"""Messages for what went wrong (issue 9, part 5): each bad input a person can plausibly give
ends with exit 1 (2 for a usage error), a message naming the file and line or the commit, a
hint, no internal error, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from piakit import documents
from piakit.cli import cli
from piakit.errors import DocumentError

from .conftest import GitRepo, item
from .test_site import failed_build

SLUG = "test"
ASSESSMENT = f"assessments/{SLUG}/assessment.yaml"


def invoke(repo: GitRepo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(repo.root), *args])


def snapshot(repo: GitRepo) -> tuple[str, str, dict[str, bytes]]:
    """What a failed command must leave as it was: refs, index state and every file."""
    files = {
        str(path.relative_to(repo.root)): path.read_bytes()
        for path in sorted(repo.root.rglob("*"))
        if ".git" not in path.relative_to(repo.root).parts and path.is_file()
    }
    return repo.git("show-ref"), repo.git("status", "--porcelain"), files


def assert_input_error(result: Result, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    for text in expected:
        assert text in result.output, (text, result.output)


# --- an impossible date ------------------------------------------------------------------------


def assessment_text(date: str, *, second: str = "") -> str:
    return (
        "title: テスト事務 全項目評価書\n"
        "milestones:\n"
        "  - id: current\n"
        "    label: 現在の評価書\n"
        f"    date: {date}\n" + second
    )


@pytest.mark.parametrize(
    ("date", "why"),
    [
        ("2020-02-30", "2020-02-30 is not a date: 2020-02 has 29 days"),
        ("2020-13-01", "2020-13-01 is not a date: there is no month 13"),
        ("2021-04-31", "2021-04-31 is not a date: 2021-04 has 30 days"),
    ],
)
def test_an_impossible_date_in_assessment_yaml(repo: GitRepo, date: str, why: str) -> None:
    repo.write(ASSESSMENT, assessment_text("2020-02-01"))
    repo.write_item(SLUG, item("a", "本文"))
    repo.commit("現在の評価書")
    repo.tag(f"{SLUG}/current")
    repo.write(ASSESSMENT, assessment_text(date))
    repo.commit("日付")
    before = snapshot(repo)
    for args in (
        ["table", SLUG],
        ["milestone", "list", SLUG],
        ["milestone", "add", SLUG, "next", "--label", "次"],
        ["changes", SLUG],
        ["diff", "HEAD~1"],
        ["log", "a"],
        ["commits", "check"],
    ):
        result = invoke(repo, *args)
        assert_input_error(result, f"{ASSESSMENT}:5:11: {why}", "hint: write a real day")
    checked = invoke(repo, "check")
    assert_input_error(checked, f"{ASSESSMENT}:5:11: {why}; write a real day as YYYY-MM-DD")
    assert snapshot(repo) == before


def test_an_impossible_date_stops_mkdocs_with_its_line(tmp_path: Path, repo: GitRepo) -> None:
    repo.write(ASSESSMENT, assessment_text("2020-02-30"))
    repo.write_item(SLUG, item("a", "本文"))
    repo.commit("現在の評価書")
    output = failed_build(repo.root, tmp_path / "out")
    assert f"{ASSESSMENT}:5:11: 2020-02-30 is not a date" in output
    assert not (tmp_path / "out" / SLUG).exists()


@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        ("path:\n  - 見出し\n  - 2020-02-30\ntext: a\n", "x.yaml:3:5", "2020-02-30 is not a date"),
        ("path: [a]\nselect:\n  value: 2020-13-01\n", "x.yaml:3:10", "there is no month 13"),
        ("d: 2020-01-01 25:00:00\n", "x.yaml:1:4", "is not a date and time: hour must be"),
        ("page: " + "1" * 5000 + "\n", "x.yaml:1:7", "a number of 5,000 digits, too long"),
    ],
)
def test_a_value_yaml_cannot_build_is_located(text: str, where: str, why: str) -> None:
    for load in (documents.load_yaml, documents.load_round_trip):
        with pytest.raises(DocumentError) as caught:
            load(text.encode("utf-8"), "x.yaml")
        assert str(caught.value.location) == where
        assert why in caught.value.detail and caught.value.hint


def test_check_reports_dates_and_long_numbers_in_item_files(repo: GitRepo) -> None:
    repo.write(ASSESSMENT, assessment_text("2020-02-29"))
    repo.write(
        f"assessments/{SLUG}/items/a.yaml",
        "path:\n  - 2020-02-30\npage: " + "1" * 5000 + "\norder: 1\ntext: a\n",
    )
    result = invoke(repo, "check")
    assert_input_error(
        result,
        f"assessments/{SLUG}/items/a.yaml:2:5: a heading of path must be text, but "
        "'2020-02-30' reads as a date",
        f"assessments/{SLUG}/items/a.yaml:3:7: page must be a small whole number, "
        "not one of 5,000 digits",
    )
