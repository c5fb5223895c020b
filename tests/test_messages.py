"""Messages for what went wrong (issue 9, part 5): each bad input a person can plausibly give
ends with exit 1 (2 for a usage error), a message naming the file and line or the commit, a
hint, no internal error, and nothing written."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piakit import documents
from piakit.cli import all_commands, cli
from piakit.errors import DocumentError
from piakit.model import Commit, Reason
from piakit.render.review_markdown import MARKER, MIN_MAX_CHARS, diff_markdown
from piakit.reports import ItemChange, ReviewDiff, ReviewWarning

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
    for load in (
        documents.load_yaml,
        documents.load_round_trip,
        lambda data, path: documents.load_item(data, "x", path),  # past the canonical reader
    ):
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


# --- -C to a folder that is not there ------------------------------------------------------------

#: One plausible call of every command, with the arguments it needs.
EVERY_COMMAND = (
    ["table", SLUG],
    ["changes", SLUG],
    ["check"],
    ["fmt", "--check"],
    ["diff", "main"],
    ["commits", "check"],
    ["commits", "check-message", "table.txt"],
    ["log", "a"],
    ["milestone", "list", SLUG],
    ["milestone", "add", SLUG, "x", "--label", "y"],
    ["import-table", "table.txt", "--assessment", SLUG],
    ["schema", "item"],
    ["init", "--organization", "テスト市"],
    ["new", SLUG, "--title", "題名"],
    ["opinions", SLUG],
    ["status", SLUG],
)


def leaf_commands() -> set[str]:
    names = set()
    for name, command in all_commands().items():
        subcommands = getattr(command, "commands", None)
        names.update(f"{name} {sub}" for sub in subcommands) if subcommands else names.add(name)
    return names


def test_every_command_is_tried() -> None:
    assert {
        " ".join(args[:2]) if args[0] in ("commits", "milestone") else args[0]
        for args in EVERY_COMMAND
    } == leaf_commands()


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda args: " ".join(args[:2]))
def test_c_to_a_missing_folder_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "no-such-folder"
    result = CliRunner().invoke(cli, ["-C", str(missing), *args])
    assert result.exit_code == 2, result.output
    assert f"'{missing}' does not exist" in result.output
    assert not missing.exists()
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(a_file), *args])
    assert result.exit_code == 2, result.output
    assert f"'{a_file}' is a file" in result.output


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda args: " ".join(args[:2]))
def test_c_to_a_folder_outside_any_repository(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "not-a-repository"
    folder.mkdir()
    (folder / "table.txt").write_text("x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(folder), *args])
    if args[0] in ("schema", "init"):  # neither needs a repository (init starts one)
        assert result.exit_code == 0, result.output
        return
    assert_input_error(result)
    assert "is not inside a git repository" in result.output or (
        "there is no assessments/ folder" in result.output
    )
    assert sorted(p.name for p in folder.iterdir()) == ["table.txt"]


def test_c_makes_file_arguments_relative_to_its_folder(
    tmp_path: Path, repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-C PATH runs as if piakit was started in PATH (as git -C): -o FILE and FILE arguments
    are found there, and the caller's folder is the same afterwards."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "本文"))
    repo.commit("現在の評価書")
    repo.tag(f"{SLUG}/current")
    result = invoke(repo, "table", SLUG, "--milestones", "current,HEAD", "-o", "table.md")
    assert result.exit_code == 0, result.output
    assert "現在の評価書" in (repo.root / "table.md").read_text(encoding="utf-8")
    assert list(elsewhere.iterdir()) == [] and Path.cwd() == elsewhere
    (repo.root / "message.txt").write_text("件名\n", encoding="utf-8")
    assert invoke(repo, "commits", "check-message", "message.txt").exit_code == 0
    assert Path.cwd() == elsewhere


# --- a table of one column ---------------------------------------------------------------------


@pytest.fixture
def published(repo: GitRepo) -> GitRepo:
    """An assessment whose published document (``current``) is its one bound milestone, with
    a planned one and a working draft after it."""
    repo.write_assessment(SLUG, [("current", "現在の評価書"), ("R4.2.1", "修正案")])
    repo.write_item(SLUG, item("a", "本文"))
    repo.commit("現在の評価書")
    repo.tag(f"{SLUG}/current")
    repo.write_item(SLUG, item("a", "新しい本文"))
    repo.commit("修正")
    return repo


def test_a_table_of_the_one_bound_milestone_says_what_to_compare(published: GitRepo) -> None:
    before = snapshot(published)
    result = invoke(published, "table", SLUG, "-o", "table.md")
    assert_input_error(
        result,
        f"{SLUG} has only one bound milestone (current): a table compares two",
        f"hint: compare it with the working draft: piakit table {SLUG} --milestones current,HEAD",
    )
    for one in ("current", "HEAD"):
        result = invoke(published, "table", SLUG, "--milestones", one)
        assert_input_error(
            result,
            f"--milestones names one milestone ({one}): a table compares two",
            f"piakit table {SLUG} --milestones current,HEAD",
        )
    assert snapshot(published) == before
    suggested = invoke(published, "table", SLUG, "--milestones", "current,HEAD")
    assert suggested.exit_code == 0, suggested.output
    assert "<ins>新しい</ins>本文" in suggested.output


def test_a_table_with_no_bound_milestone_keeps_its_message(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "本文"))
    repo.commit("下書き")
    result = invoke(repo, "table", SLUG)
    assert_input_error(
        result,
        f"{SLUG} has no milestone bound to a commit yet (declared: current)",
        f"git tag {SLUG}/<id> <commit>",
    )
    only_head = invoke(repo, "table", SLUG, "--milestones", "HEAD")
    assert_input_error(only_head, "--milestones names one milestone (HEAD)", "bind the published")


# --- milestone add: the hint for an undeclared milestone -----------------------------------------


@pytest.mark.parametrize(
    ("milestone_id", "example"),
    [
        ("R5.3.1", "--label '修正案 (R5.3.1諮問時)' --date 2023-03-01"),
        ("H31.4.30", "--label '修正案 (H31.4.30諮問時)' --date 2019-04-30"),
        ("R4.2.30", "--label '修正案 (R4.2.30)' [--date YYYY-MM-DD]"),
        ("council-2021", "--label '修正案 (council-2021)' [--date YYYY-MM-DD]"),
    ],
)
def test_milestone_add_hint_is_made_from_the_id(
    published: GitRepo, milestone_id: str, example: str
) -> None:
    before = snapshot(published)
    result = invoke(published, "milestone", "add", SLUG, milestone_id)
    assert_input_error(
        result,
        f"milestone {milestone_id} is not declared in {ASSESSMENT}",
        f"hint: give its label to declare it: {example}",
    )
    assert "R3.1.15" not in result.output
    assert snapshot(published) == before


def test_the_suggested_declaration_works(published: GitRepo) -> None:
    result = invoke(
        published, "milestone", "add", SLUG, "R5.3.1", "--label", "修正案 (R5.3.1諮問時)",
        "--date", "2023-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert published.git("tag", "--list", f"{SLUG}/R5.3.1") == f"{SLUG}/R5.3.1"
    assert "date: 2023-03-01" in (published.root / ASSESSMENT).read_text(encoding="utf-8")


# --- an assessment.yaml of the wrong shape -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("milestones: 5\n", "milestones must be a list (lines starting with '- '), not 5"),
        ("milestones:\n  - id: [1, 2]\n    label: x\n", "a milestone id must be a word"),
        ("reason_categories: 5\n", "reason_categories must be a list"),
        ("reason_categories: {a: 1}\n", "reason_categories must be a list"),
        ("milestones: [5]\n", "each milestone needs an id"),
    ],
)
def test_a_malformed_assessment_yaml_is_an_input_error(
    published: GitRepo, body: str, why: str
) -> None:
    published.write(ASSESSMENT, "title: テスト\n" + body)
    before = snapshot(published)
    for args in (["milestone", "list", SLUG], ["table", SLUG], ["commits", "check"]):
        assert_input_error(invoke(published, *args), f"{ASSESSMENT}: {why}", "piakit check")
    checked = invoke(published, "check")
    assert checked.exit_code == 1 and f"{ASSESSMENT}:" in checked.output
    assert snapshot(published) == before


# --- an item version that cannot be read, at a milestone ---------------------------------------


def test_a_broken_item_at_a_milestone_names_the_milestone_and_commit(published: GitRepo) -> None:
    published.write(
        f"assessments/{SLUG}/items/a.yaml", "path: [見出し]\ntext: |\n  本文\n page: [\n"
    )
    broken = published.commit("壊れた版")
    published.tag(f"{SLUG}/R4.2.1")
    before = snapshot(published)
    result = invoke(published, "table", SLUG)
    assert_input_error(
        result,
        f"assessments/{SLUG}/items/a.yaml:4:",
        f"(the version at milestone R4.2.1, commit {broken[:7]})",
        f"fix the file in a new commit, then bind R4.2.1 to that commit "
        f"(git tag -f {SLUG}/R4.2.1 <commit>)",
    )
    draft = invoke(published, "changes", SLUG)
    assert_input_error(
        draft,
        f"(the version at HEAD, commit {broken[:7]})",
        f"hint: fix the file (piakit check assessments/{SLUG}/items/a.yaml) and commit the fix",
    )
    assert snapshot(published) == before
    # the fix the hint describes: a new commit, the milestone bound to it again
    published.write_item(SLUG, item("a", "直した本文"))
    fixed = published.commit("直した")
    published.git("tag", "-f", f"{SLUG}/R4.2.1", fixed)
    assert invoke(published, "table", SLUG).exit_code == 0


def test_an_item_of_the_wrong_shape_at_a_milestone_names_it_too(published: GitRepo) -> None:
    published.write(f"assessments/{SLUG}/items/a.yaml", "path: 5\ntext: 本文\n")
    broken = published.commit("形の違う版")
    result = invoke(published, "table", SLUG, "--milestones", "current,HEAD")
    assert_input_error(
        result,
        f"assessments/{SLUG}/items/a.yaml: path must be a list of headings "
        f"(the version at HEAD, commit {broken[:7]})",
    )


# --- symbolic links ----------------------------------------------------------------------------

SYMLINK = "is a symbolic link; piakit reads an item file as git stores it"


@pytest.mark.parametrize("target", ["outside", "inside", "dangling"])
def test_check_and_fmt_refuse_a_symlinked_item(
    tmp_path: Path, published: GitRepo, target: str
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("path: [見出し]\norder: 99\ntext: 外のファイル\n", encoding="utf-8")
    pointed = {"outside": str(outside), "inside": "a.yaml", "dangling": "nothing.yaml"}[target]
    link = published.root / f"assessments/{SLUG}/items/b.yaml"
    link.symlink_to(pointed)
    before = snapshot(published)
    result = invoke(published, "check")
    assert_input_error(result, f"assessments/{SLUG}/items/b.yaml:1:1: {SYMLINK}")
    assert "order 10 is also" not in result.output  # the link's target is not read
    formatted = invoke(published, "fmt")
    assert_input_error(formatted, f"assessments/{SLUG}/items/b.yaml:1:1: {SYMLINK}")
    assert link.is_symlink() and os.readlink(link) == pointed
    assert snapshot(published) == before


def test_a_symlinked_assessment_yaml_is_refused(tmp_path: Path, published: GitRepo) -> None:
    real = tmp_path / "assessment.yaml"
    path = published.root / ASSESSMENT
    original = path.read_bytes()
    real.write_bytes(original)
    path.unlink()
    path.symlink_to(real)
    message = f"{ASSESSMENT}:1:1: is a symbolic link; piakit reads a file of an assessment"
    assert_input_error(invoke(published, "check"), message)
    for args in (["table", SLUG], ["milestone", "list", SLUG], ["commits", "check"]):
        assert_input_error(invoke(published, *args), message)
    assert path.is_symlink() and real.read_bytes() == original


def test_a_committed_symlink_item_names_its_commit(published: GitRepo) -> None:
    (published.root / f"assessments/{SLUG}/items/b.yaml").symlink_to("a.yaml")
    linked = published.commit("リンク")
    published.tag(f"{SLUG}/R4.2.1")
    result = invoke(published, "table", SLUG)
    assert_input_error(
        result,
        f"assessments/{SLUG}/items/b.yaml:1:1: {SYMLINK}",
        f"(the version at milestone R4.2.1, commit {linked[:7]})",
    )


# --- diff --max-length bounds the whole comment --------------------------------------------------

TEXT = st.text(alphabet="あいう漢字カナ0123456789 <>|*&_`\\-\n", max_size=300)


@st.composite
def review_diffs(draw: st.DrawFn) -> ReviewDiff:
    """A pull request's diff: items with marked text, commits with and without reasons,
    warnings, and revision names up to absurd lengths."""
    when = dt.datetime(2024, 1, 1, 10, tzinfo=dt.UTC)
    commits = tuple(
        Commit(
            sha=f"{n:040x}",
            parents=("0" * 40,),
            author_name="編集者",
            author_email="e@example.jp",
            author_date=when,
            committer_date=when,
            subject=draw(st.text(max_size=80)),
            reasons=(Reason("事務所管課による修正", "表記の改善"),) if n % 3 else (),
        )
        for n in range(draw(st.integers(0, 120)))
    )
    changes = tuple(
        ItemChange(
            slug=draw(st.sampled_from(["a", "b"])),
            item_id=f"i{n}",
            file=f"assessments/a/items/i{n}.yaml",
            old_file=None,
            status="modified",
            old=item(f"i{n}", draw(TEXT)),
            new=item(f"i{n}", draw(TEXT), important=draw(st.booleans())),
            reasons=(Reason("部会の意見による修正", draw(st.text(max_size=40))),),
        )
        for n in range(draw(st.integers(0, 60)))
    )
    warnings = tuple(
        ReviewWarning("no-reasons", commit=commit, detail="理由がありません")
        for commit in commits
        if not commit.reasons
    ) + tuple(ReviewWarning("important", "a", c.item_id) for c in changes if c.important)
    rev = st.text(alphabet="abcXYZ019/._-~^@{}*ブランチ", min_size=1, max_size=200)
    return ReviewDiff(
        base="b" * 40,
        head="c" * 40,
        base_rev=draw(rev),
        head_rev=draw(rev),
        merge_base="b" * 40,
        commits=commits,
        changes=changes,
        warnings=warnings,
        findings=(),
        titles={"a": "評価書A", "b": "評価書B"},
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diff=review_diffs(), data=st.data())
def test_max_length_bounds_the_whole_comment(diff: ReviewDiff, data: st.DataObject) -> None:
    full = diff_markdown(diff)
    limit = data.draw(st.integers(MIN_MAX_CHARS, max(MIN_MAX_CHARS, len(full) + 50)))
    comment = diff_markdown(diff, max_chars=limit)
    assert len(comment) <= limit
    if len(full) <= limit:
        assert comment == full
        return
    assert comment.startswith(MARKER + "\n## 評価書の変更 (piakit diff)\n")
    for tag in ("ins", "del"):  # never cut inside a mark
        assert comment.count(f"<{tag}>") == comment.count(f"</{tag}>")
    for line in comment.split("\n"):
        if line.startswith("| "):
            assert line.endswith(" |"), line  # a table row is whole
    note = re.search(
        r"\n\nほか ((?:\d+ (?:項目|件のコミット|件の警告)、?)+)"
        r"はコメントの長さの上限のため省略しました。全体は `piakit diff \S+ \S+` で見られます。\n$",
        comment,
    )
    assert note is not None, comment[-300:]
    left = {unit: int(n) for n, unit in re.findall(r"(\d+) (項目|件のコミット|件の警告)", note[1])}
    shown_items = len(re.findall(r"^### (?!コミット$)", comment, re.MULTILINE))
    assert shown_items + left.get("項目", 0) == (len(diff.changes) or shown_items)
    shown_commits = len(re.findall(r"^- `[0-9a-f]{7}` ", comment, re.MULTILINE))
    assert shown_commits + left.get("件のコミット", 0) == len(diff.commits)
    shown_warnings = len(re.findall(r"^> - ", comment, re.MULTILINE))
    assert shown_warnings + left.get("件の警告", 0) == len(diff.warnings)


def test_diff_max_length_on_a_real_pull_request(published: GitRepo) -> None:
    published.git("checkout", "-q", "-b", "feature")
    for n in range(30):
        published.write_item(SLUG, item(f"z{n}", "長い文。<ins>" * 30, order=100 + n))
        published.commit(f"項目 {n} を追加")  # no reasons: a warning each
    full = invoke(published, "diff", "main")
    assert full.exit_code == 0 and len(full.output) > 20_000
    for limit in (500, 1000, 5000):
        result = invoke(published, "diff", "main", "--max-length", str(limit), "-o", "c.md")
        assert result.exit_code == 0, result.output
        comment = (published.root / "c.md").read_text(encoding="utf-8")
        assert len(comment) <= limit, (limit, len(comment))
        assert "はコメントの長さの上限のため省略しました。" in comment
        assert "全体は `piakit diff main HEAD` で見られます。" in comment
    too_short = invoke(published, "diff", "main", "--max-length", str(MIN_MAX_CHARS - 1))
    assert too_short.exit_code == 2
    assert f"{MIN_MAX_CHARS - 1} is too short" in too_short.output
    assert f"at least {MIN_MAX_CHARS}" in invoke(published, "diff", "--help").output
