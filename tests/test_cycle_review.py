"""Fixes from the review of the assessment cycle (issue 14): each test is a case the first
version answered wrongly."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from piakit.cli import cli
from piakit.model import Opinion
from piakit.resolutions import opinion_numbers

from .conftest import GitRepo, item


def _opinion(opinion_id: str) -> Opinion:
    return Opinion(
        id=opinion_id,
        source="意見募集",
        received=dt.date(2024, 5, 10),
        summary="意見",
        outcome="open",
    )


def test_ids_that_read_as_the_same_number_are_numbered_in_one_order_whatever_the_input() -> None:
    # pc-01 and pc-1 both read as ("pc-", 1, ""): without a last tie-break their numbers
    # followed the order of the list given.
    one, two = _opinion("pc-01"), _opinion("pc-1")
    assert opinion_numbers([one, two]) == opinion_numbers([two, one]) == {"pc-01": 1, "pc-1": 2}


def test_a_misnamed_opinion_file_is_refused_by_the_commands_with_its_line(repo: GitRepo) -> None:
    repo.write_assessment("t", [("v1", "公表")])
    repo.write_item("t", item("a", "一"))
    repo.write_opinion("t", "Bad_1")
    repo.commit("base")
    result = CliRunner().invoke(cli, ["-C", str(repo.root), "opinions", "t"])
    assert result.exit_code == 1
    assert "assessments/t/opinions/Bad_1.yaml:1:1: 'Bad_1' is no opinion id" in result.output
