"""Windows and Excel habits of Japanese offices (issue 9, part 4).

- A clone with ``core.autocrlf=true`` checks the item files out with CRLF: ``fmt --check`` and
  ``check`` accept them, ``fmt`` leaves ``git status`` clean, and a file ``fmt`` must change
  keeps its CRLF line ends (a real git repository, converted by git itself).
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from piakit.cli import cli
from piakit.formatting import same_but_line_ends, with_line_ends_of

from .conftest import GitRepo, item

SLUG = "t"


def crlf_checkout(repo: GitRepo) -> None:
    """Commit the work tree as it is (LF), then check it out again as Windows git does."""
    repo.git("config", "core.autocrlf", "true")
    repo.commit("items")
    repo.git("rm", "-q", "--cached", "-r", ".")
    repo.git("reset", "-q", "--hard")


def test_line_end_helpers() -> None:
    canonical = b"path:\n  - a\n"
    assert same_but_line_ends(b"path:\r\n  - a\r\n", canonical)
    assert same_but_line_ends(b"path:\r\n  - a\n", canonical)  # mixed: still only line ends
    assert not same_but_line_ends(canonical, canonical)  # no CRLF: nothing to fold
    assert not same_but_line_ends(b"path:\r\n  - b\r\n", canonical)
    assert with_line_ends_of(b"x\r\ny\r\n", canonical) == b"path:\r\n  - a\r\n"
    assert with_line_ends_of(b"x\r\ny\n", canonical) == canonical  # mixed: canonical LF
    assert with_line_ends_of(b"x", canonical) == canonical


def test_autocrlf_checkout_is_canonical_and_fmt_keeps_git_status_clean(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "・一行目。\n・二行目。\n", order=10))
    repo.write_item(SLUG, item("b", "一行。", order=20))
    crlf_checkout(repo)
    item_file = repo.root / f"assessments/{SLUG}/items/a.yaml"
    assert b"\r\n" in item_file.read_bytes()  # git converted the checkout, as on Windows
    before = {p: p.read_bytes() for p in repo.root.glob("assessments/**/*.yaml")}

    runner = CliRunner()
    checked = runner.invoke(cli, ["-C", str(repo.root), "fmt", "--check"])
    assert checked.exit_code == 0, checked.output
    assert "0 files would be reformatted, 3 already canonical" in checked.output
    assert runner.invoke(cli, ["-C", str(repo.root), "check"]).exit_code == 0
    formatted = runner.invoke(cli, ["-C", str(repo.root), "fmt"])
    assert formatted.exit_code == 0, formatted.output
    assert {p: p.read_bytes() for p in before} == before  # no file rewritten
    assert repo.git("status", "--porcelain") == ""


def test_fmt_writes_a_real_change_with_the_files_crlf(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "文。", order=10))
    crlf_checkout(repo)
    item_file = repo.root / f"assessments/{SLUG}/items/a.yaml"
    # an editor on Windows adds a comment and puts a key out of order, with CRLF
    messy = "# 注記\ntext: |\n  文。\npath:\n  - I. 基本情報\n  - a\npage: 1\norder: 10\n"
    messy = messy.replace("\n", "\r\n")
    item_file.write_bytes(messy.encode("utf-8"))

    result = CliRunner().invoke(cli, ["-C", str(repo.root), "fmt"])
    assert result.exit_code == 0, result.output
    assert "reformatted assessments/t/items/a.yaml" in result.output
    written = item_file.read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n")  # CRLF throughout, as it came
    expected = "# 注記\npath:\n  - I. 基本情報\n  - a\npage: 1\norder: 10\ntext: |\n  文。\n"
    assert written.replace(b"\r\n", b"\n").decode("utf-8") == expected
    # git sees the one real change (the comment), not the line ends
    assert repo.git("diff", "--numstat") == f"1\t0\tassessments/{SLUG}/items/a.yaml"
    assert CliRunner().invoke(cli, ["-C", str(repo.root), "fmt", "--check"]).exit_code == 0


def test_repository_ships_gitattributes_keeping_yaml_lf() -> None:
    root = Path(__file__).resolve().parents[1]
    lines = (root / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "*.yaml text eol=lf" in lines
