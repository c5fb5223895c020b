"""``Resolves: <slug>/<id>`` trailers under ``piakit commits check`` and the commit-msg check
(``commits check-message``): malformed values and values naming no opinion are refused with
the commit, an opinion added later in the range counts, several per commit are fine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from piakit.cli import cli
from piakit.model import Milestone
from piakit.usecases.review import resolves_problems

from .conftest import GitRepo, item

SLUG = "test"


def run(repo: GitRepo, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(repo.root), *args])
    return result.exit_code, result.output


def base(repo: GitRepo) -> str:
    repo.write_assessment(SLUG, [Milestone("v1", "素案", kind="素案")])
    repo.write_item(SLUG, item("a", "一"))
    repo.write_item(SLUG, item("b", "二", order=20))
    repo.write_opinion(SLUG, "p1", outcome="reflected", response="直す")
    repo.write_opinion(SLUG, "p2", outcome="reflected", response="直す")
    return repo.commit("base")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("p1", "is not <slug>/<opinion id>"),
        ("test/../p1", "is not <slug>/<opinion id>"),
        ("../test/p1", "is not <slug>/<opinion id>"),
        ("test/p1/x", "is not <slug>/<opinion id>"),
        ("test/意見1", "is not <slug>/<opinion id>"),
        ("ｔｅｓｔ/p1", "is not <slug>/<opinion id>"),
        ("test/P1", "is not <slug>/<opinion id>"),
        ("test/p1, test/p2", "(one trailer per opinion)"),
        ("test/p9", "names no opinion: assessments/test/opinions/p9.yaml is nowhere"),
    ],
)
def test_a_resolves_value_is_judged_alone(value: str, words: str) -> None:
    problems = resolves_problems(
        [value], "assessments", lambda slug, oid: (slug, oid) == ("test", "p1"), "nowhere"
    )
    assert len(problems) == 1 and words in problems[0], problems


def test_good_values_pass_and_a_near_id_is_suggested() -> None:
    exists = lambda slug, oid: oid in ("bukai-1", "bukai-2")  # noqa: E731
    assert resolves_problems(["test/bukai-1", " test/bukai-2 "], "a", exists, "x") == []
    (problem,) = resolves_problems(["test/bukai-3"], "a", exists, "x", lambda s: ["bukai-1"])
    assert problem.endswith("(did you mean 'bukai-1'?)")


def test_commits_check_refuses_a_resolves_naming_no_opinion(repo: GitRepo) -> None:
    first = base(repo)
    repo.write_item(SLUG, item("a", "一改"))
    good = repo.commit(
        "a を直す", trailers=[("Resolves", f"{SLUG}/p1"), ("Resolves", f"{SLUG}/p2")]
    )
    repo.write_item(SLUG, item("b", "二改", order=20))
    bad = repo.commit(
        "b を直す", trailers=[("Resolves", f"{SLUG}/p9"), ("Resolves", f"{SLUG}/../p1")]
    )
    code, output = run(repo, "commits", "check", f"{first}..HEAD")
    assert code == 1
    assert f"{bad[:7]} b を直す\n" in output
    assert (
        f"    Resolves: {SLUG}/p9 names no opinion: assessments/{SLUG}/opinions/p9.yaml is "
        f"neither in commit {bad[:7]} nor at the tip of the range ({bad[:7]})"
    ) in output
    assert f"    Resolves: '{SLUG}/../p1' is not <slug>/<opinion id>" in output
    assert good[:7] not in output
    assert "1 with a wrong Resolves trailer" in output

    code, output = run(repo, "commits", "check", "--format", "json", f"{first}..HEAD")
    assert code == 1
    data = json.loads(output[: output.rindex("}") + 1])
    assert data["ok"] is False
    assert [(r["short"], r["subject"], r["assessments"]) for r in data["resolves"]] == [
        (bad[:7], "b を直す", [SLUG])
    ]
    assert len(data["resolves"][0]["problems"]) == 2


def test_an_opinion_added_later_in_the_range_counts(repo: GitRepo) -> None:
    first = base(repo)
    repo.write_item(SLUG, item("a", "一改"))
    repo.commit("a を直す", trailers=[("Resolves", f"{SLUG}/p3")])
    code, output = run(repo, "commits", "check", f"{first}..HEAD")
    assert code == 1 and f"{SLUG}/p3 names no opinion" in output
    repo.write_opinion(SLUG, "p3", outcome="reflected", response="直した")
    repo.commit("意見 p3 を記録")
    code, output = run(repo, "commits", "check", f"{first}..HEAD")
    assert code == 0, output
    assert "2 commits in" in output


def test_an_opinion_removed_at_the_tip_still_counts_in_its_own_commit(repo: GitRepo) -> None:
    first = base(repo)
    repo.write_item(SLUG, item("a", "一改"))
    repo.commit("a を直す", trailers=[("Resolves", f"{SLUG}/p1")])
    (repo.root / f"assessments/{SLUG}/opinions/p1.yaml").unlink()
    repo.commit("p1 を消す")
    code, output = run(repo, "commits", "check", f"{first}..HEAD")
    assert code == 0, output


def test_a_lower_case_key_is_read_too(repo: GitRepo) -> None:
    base(repo)
    repo.commit("x", trailers=[("resolves", f"{SLUG}/nope")], allow_empty=True)
    code, output = run(repo, "commits", "check")
    assert code == 1 and f"{SLUG}/nope names no opinion" in output


# --- the commit-msg check ----------------------------------------------------------------------


def message(repo: GitRepo, text: str) -> Path:
    return repo.write(".git/COMMIT_EDITMSG", text)


def test_the_commit_message_check_refuses_a_wrong_resolves(repo: GitRepo) -> None:
    base(repo)
    repo.write_item(SLUG, item("a", "一改"))
    repo.git("add", "-A")
    path = message(
        repo,
        "a を直す\n\n本文。\n\nResolves: test/p1\nResolves: test/p7\nResolves: test/意見\n",
    )
    code, output = run(repo, "commits", "check-message", str(path))
    assert code == 1
    assert (
        "Resolves: test/p7 names no opinion: assessments/test/opinions/p7.yaml is not in "
        "the work tree"
    ) in output
    assert "Resolves: 'test/意見' is not <slug>/<opinion id>" in output
    assert "test/p1 names" not in output
    assert "wrong Resolves: trailers" in output


def test_the_commit_message_check_passes_good_resolves_and_reads_comments_out(
    repo: GitRepo,
) -> None:
    base(repo)
    repo.write_item(SLUG, item("a", "一改"))
    repo.git("add", "-A")
    path = message(
        repo,
        "a を直す\n\nResolves: test/p1\nResolves: test/p2\n# Resolves: test/nothing\n",
    )
    code, output = run(repo, "commits", "check-message", str(path))
    assert code == 0, output


def test_an_opinion_staged_with_the_commit_counts(repo: GitRepo) -> None:
    base(repo)
    repo.write_opinion(SLUG, "p5", outcome="reflected", response="直す")
    repo.write_item(SLUG, item("a", "一改"))
    repo.git("add", "-A")
    path = message(repo, "a を直す\n\nResolves: test/p5\n")
    assert run(repo, "commits", "check-message", str(path))[0] == 0
