"""``piakit check`` warns when sibling headings differ only in spelling (Ⅲ and III, full- and
half-width, 情報提供 and 情報連携): a warning with its file:line, which fails nothing. Run on a
real repository made by the GitRepo fixture, as a user runs it."""

from __future__ import annotations

from click.testing import CliRunner

from piakit.checks import heading_key
from piakit.cli import cli

from .conftest import GitRepo, item

SLUG = "nenkin"
ITEMS = f"assessments/{SLUG}/items"
RISK = "III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策"


def run(repo: GitRepo, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(repo.root), "check", *args])
    return result.exit_code, result.output


def spelled_two_ways(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "一。", order=10, path=(RISK, "2. 入手", "リスク1")))
    # Ⅲ (one character) and 、 for the space: the same heading; its children do not repeat it.
    repo.write_item(
        SLUG,
        item("b", "二。", order=20, path=(RISK.replace("III ", "Ⅲ、"), "2. 入手", "リスク2")),
    )
    # Full-width digits and a synonym, siblings under the same parent.
    repo.write_item(SLUG, item("c", "三。", order=30, path=(RISK, "３．情報提供の記録")))
    # Written by hand (not canonical): the full check reads its lines.
    repo.write(
        f"{ITEMS}/d.yaml",
        f"# 手で書いた項目\npath: [{RISK}, '3. 情報連携の記録']\npage: 1\norder: 40\ntext: 四。\n",
    )
    # Different headings are no warning: IV is not III, リスク1 is not リスク2.
    repo.write_item(SLUG, item("e", "五。", order=50, path=("IV 開示請求", "リスク1")))
    repo.commit("spelled two ways")


def test_siblings_spelled_two_ways_are_warned_with_their_lines(repo: GitRepo) -> None:
    spelled_two_ways(repo)
    code, output = run(repo)
    assert code == 0, output  # warnings fail nothing
    warnings = [line for line in output.splitlines() if ": warning: " in line]
    # Ⅲ、 is the odd one out (III is written in 3 items): only it is warned about.
    assert f"{ITEMS}/b.yaml:2:5: warning: the heading 'Ⅲ、" in output
    assert f"'{RISK}' ({ITEMS}/a.yaml:2:5, 3 items)" in output
    assert "a.yaml:2:5: warning" not in output
    assert f"{ITEMS}/c.yaml:3:5: warning: the heading '３．情報提供の記録'" in output
    # a tie (one item each): both spellings are warned about
    assert f"{ITEMS}/d.yaml:2:41: warning: the heading '3. 情報連携の記録'" in output
    # the parents' spelling does not repeat for their children (2. 入手)
    assert len(warnings) == 3, output
    assert "e.yaml" not in output
    assert "6 files checked, no problems (3 warnings)" in output


def test_only_the_checked_files_warnings_are_shown(repo: GitRepo) -> None:
    spelled_two_ways(repo)
    code, output = run(repo, f"{ITEMS}/c.yaml", f"{ITEMS}/a.yaml")
    assert code == 0, output
    assert [line.split(":")[0] for line in output.splitlines() if ": warning: " in line] == [
        f"{ITEMS}/c.yaml"
    ]


def test_warnings_are_github_warnings_and_errors_still_fail(repo: GitRepo) -> None:
    spelled_two_ways(repo)
    repo.write(f"{ITEMS}/f.yaml", "path: [見出し]\npage: 0\norder: 60\ntext: 六。\n")
    code, output = run(repo, "--format", "github")
    assert code == 1
    assert f"::warning file={ITEMS}/b.yaml,line=2,col=5::" in output
    assert f"::error file={ITEMS}/f.yaml,line=2" in output
    assert "1 problem in 1 file" in output  # the warnings are not counted as problems


def test_the_spelling_rule() -> None:
    assert heading_key("Ⅲ、特定") == heading_key("III 特定") == heading_key("III. 特定")
    assert heading_key("２．入手（情報連携）") == heading_key("2. 入手(情報提供)")
    assert heading_key("リスク 2：") == heading_key("リスク2:")
    assert heading_key("III 特定") != heading_key("IV 特定")
    assert heading_key("1.1 概要") != heading_key("11 概要")  # a number's point stays
    assert heading_key("2. 概要") == heading_key("2 概要") == heading_key("2：概要")
    assert heading_key("リスク1") != heading_key("リスク2")
