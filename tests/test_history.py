"""The history module against real repositories: one log pass, trailers parsed by git,
blobs in batch, and the errors a user meets (not a repository, shallow, empty)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from piakit import history
from piakit.errors import GitError
from piakit.history import Repository, parse_trailers
from piakit.model import Reason

from .conftest import GitRepo


def test_log_reads_reasons_in_order_with_japanese_body(repo: GitRepo) -> None:
    repo.write("a.txt", "1")
    repo.commit("最初")
    repo.write("a.txt", "2")
    sha = repo.commit(
        "委託先を追加",
        body="事務センターの委託先を追加した。\n部会の意見を反映。",
        trailers=[
            ("Reason-Category", "事務所管課による修正"),
            ("Reason", "表記の改善"),
            ("Reason-Category", "部会の意見による修正"),
            ("Reason-Category", "部会の意見を反映"),
            ("Reason", "事務の実態に合わせ追加"),
            ("Reason", "委託先の追加"),
            ("Milestone", "x/R2.6.30"),
            ("Submission", "事前"),
        ],
    )
    commits = Repository.discover(repo.root).log(["HEAD"])
    assert [c.subject for c in commits] == ["最初", "委託先を追加"]
    last = commits[-1]
    assert last.sha == sha
    assert [r.pair() for r in last.reasons] == [
        ("事務所管課による修正", "表記の改善"),
        ("部会の意見による修正", None),
        ("部会の意見を反映", "事務の実態に合わせ追加"),
        ("部会の意見を反映", "委託先の追加"),
    ]
    assert all(r.commit == sha for r in last.reasons)
    assert last.milestone_trailers == ("x/R2.6.30",)
    assert last.trailer("submission") == "事前"
    assert [(c.status, c.path) for c in last.changes] == [("M", "a.txt")]
    assert [(c.status, c.path) for c in commits[0].changes] == [("A", "a.txt")]


def test_trailers_glued_to_a_japanese_paragraph_are_not_trailers(repo: GitRepo) -> None:
    """Git only reads a trailer block that stands as its own paragraph: piakit must not
    pretend otherwise (commits check reports such a commit as reasonless)."""
    repo.write("a.txt", "1")
    repo.git("add", "-A")
    repo.git(
        "commit",
        "-q",
        "-F",
        "-",
        input="件名\n\n本文の日本語の行\n"
        "Reason-Category: 事務所管課による修正\nReason: 表記の改善\n",
    )
    (commit,) = Repository.discover(repo.root).log(["HEAD"])
    assert commit.reasons == ()


def test_parse_trailers_groups_reasons_under_nearest_category() -> None:
    reasons, milestones, extra = parse_trailers(
        [
            "Reason: 先頭",
            "reason-category: A",
            "Reason: a1",
            "Reason-Category: B",
            "Milestone: s/m",
        ],
        "abc",
    )
    assert reasons == (
        Reason(None, "先頭", "abc"),
        Reason("A", "a1", "abc"),
        Reason("B", None, "abc"),
    )
    assert milestones == ("s/m",)
    assert extra == ()


def test_tags_are_peeled_and_blobs_read_in_one_batch(repo: GitRepo) -> None:
    repo.write("x/a.yaml", "あ\n")
    repo.write("x/b.yaml", "い\n")
    sha = repo.commit("two files")
    repo.git("tag", "-a", "-m", "注釈付き", "s/annotated")
    repo.tag("s/light")
    r = Repository.discover(repo.root)
    assert r.tags("s/") == {"s/annotated": sha, "s/light": sha}
    tree = r.ls_tree(sha, "x/")
    assert sorted(tree) == ["x/a.yaml", "x/b.yaml"]
    before = history.invocations
    blobs = r.read_blobs(list(tree.values()) * 3)
    assert history.invocations == before + 1
    assert sorted(blobs.values()) == ["あ\n".encode(), "い\n".encode()]


def test_not_a_repository_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(GitError) as info:
        Repository.discover(tmp_path)
    assert "not inside a git repository" in str(info.value)
    assert "git clone" in str(info.value)


def test_empty_history_says_what_to_do(repo: GitRepo) -> None:
    with pytest.raises(GitError, match="no commits yet") as info:
        Repository.discover(repo.root).require_history()
    assert "import-table" in str(info.value)


def test_shallow_clone_says_fetch_the_whole_history(repo: GitRepo, tmp_path: Path) -> None:
    for n in range(3):
        repo.write("a.txt", str(n))
        repo.commit(f"c{n}")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True
    )
    with pytest.raises(GitError, match="shallow clone") as info:
        Repository.discover(clone).require_history()
    assert "fetch-depth: 0" in str(info.value)


def run_piakit(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """piakit in a fresh interpreter, as a user starts it."""
    import os
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", "from piakit.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


def history_with_a_milestone(repo: GitRepo) -> None:
    from .conftest import item

    repo.write_assessment("t", [("current", "現在の評価書")])
    repo.write_item("t", item("a", "委託先を追加する。"))
    repo.commit("start")
    repo.tag("t/current")


def test_git_not_installed_is_a_message_not_a_traceback(repo: GitRepo) -> None:
    history_with_a_milestone(repo)
    code, output = run_piakit(
        repo.root, "table", "t", "--milestones", "current,HEAD", env={"PATH": "/nonexistent"}
    )
    assert code == 1, output
    assert "git is not installed" in output and "apt-get install git" in output
    assert "Traceback" not in output


def test_corrupt_object_suggests_git_fsck(repo: GitRepo) -> None:
    from .conftest import item

    history_with_a_milestone(repo)
    blob = repo.git("rev-parse", "HEAD:assessments/t/items/a.yaml")
    repo.write_item("t", item("a", "委託先を二つ追加する。"))
    repo.commit("edit", trailers=[("Reason-Category", "事務所管課による修正")])
    loose = repo.root / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"not a zlib stream")
    code, output = run_piakit(repo.root, "table", "t", "--milestones", "current,HEAD")
    assert code == 1, output
    assert "git fsck" in output and "Traceback" not in output


@pytest.mark.parametrize(
    "args",
    [("check",), ("fmt", "--check"), ("schema",)],
    ids=["check", "fmt", "schema"],
)
def test_check_fmt_and_schema_do_not_load_gitpython(repo: GitRepo, args: tuple[str, ...]) -> None:
    import sys

    history_with_a_milestone(repo)
    probe = (
        "import sys\n"
        "from piakit.cli import cli\n"
        f"sys.argv = ['piakit', *{list(args)!r}]\n"
        "try:\n    cli.main(prog_name='piakit')\nexcept SystemExit as exit:\n    code = exit.code\n"
        "print('exit', code, 'git' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo.root, capture_output=True, text=True, check=False
    )
    assert proc.stdout.strip().splitlines()[-1] == "exit 0 False", proc.stdout + proc.stderr


def test_table_loads_gitpython(repo: GitRepo) -> None:
    """The other side of the lazy import: history commands do run on GitPython."""
    import sys

    history_with_a_milestone(repo)
    probe = (
        "import sys\nfrom piakit.workspace import Workspace\n"
        "Workspace.open('.').head()\nprint('git' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo.root, capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == "True"


def two_milestones(repo: GitRepo, slug: str = "t", folder: str = "") -> None:
    """Milestones current (item a: 一。) and R1 (二。), as annotated tags; the assessments
    folder under ``folder`` when given."""
    from piakit import documents
    from piakit.model import Assessment, Milestone

    from .conftest import item

    base = f"{folder}/assessments/{slug}" if folder else f"assessments/{slug}"
    milestones = (Milestone("current", "現在の評価書"), Milestone("R1", "修正案"))
    assessment = Assessment(
        slug=slug, title="テスト", organization="テスト市", milestones=milestones
    )
    repo.write(f"{base}/assessment.yaml", documents.dump_assessment(assessment))
    repo.write(f"{base}/items/a.yaml", documents.dump_item(item("a", "一。")))
    repo.commit("start")
    repo.git("tag", "-a", "-m", "現在", f"{slug}/current")
    repo.write(f"{base}/items/a.yaml", documents.dump_item(item("a", "二。")))
    repo.commit("edit", trailers=[("Reason-Category", "事務所管課による修正")])
    repo.git("tag", "-a", "-m", "案", f"{slug}/R1")


def test_a_tag_of_a_tag_is_peeled_to_its_commit(repo: GitRepo) -> None:
    two_milestones(repo)
    repo.git("tag", "-d", "t/R1")
    repo.git("tag", "-a", "-m", "inner", "inner", "HEAD")
    repo.git("-c", "advice.nestedTag=false", "tag", "-a", "-m", "nested", "t/R1", "inner")
    head = repo.git("rev-parse", "HEAD")
    assert Repository.discover(repo.root).tags("t/")["t/R1"] == head
    code, output = run_piakit(repo.root, "milestone", "list", "t")
    assert code == 0 and head[:7] in output, output
    code, output = run_piakit(repo.root, "table", "t", "--format", "json")
    assert code == 0 and '"二。"' in output, output


def test_a_milestone_tag_on_a_tree_is_refused_by_name(repo: GitRepo) -> None:
    two_milestones(repo)
    repo.git("tag", "-f", "t/R1", "HEAD^{tree}")
    for args in (("milestone", "list", "t"), ("table", "t")):
        code, output = run_piakit(repo.root, *args)
        assert code == 1, output
        assert "t/R1 points at a tree, not a commit" in output and "git tag -f t/R1" in output
        assert "Traceback" not in output


def test_assessments_in_a_subfolder_of_the_work_tree(repo: GitRepo) -> None:
    """Run from the folder that holds assessments/, history commands find it as check does."""
    two_milestones(repo, folder="pia")
    for args in (("table", "t"), ("log", "a"), ("milestone", "list", "t"), ("changes", "t")):
        code, output = run_piakit(repo.root / "pia", *args)
        assert code == 0, (args, output)
    code, output = run_piakit(repo.root, "-C", "pia", "table", "t", "--format", "json")
    assert code == 0 and '"二。"' in output


def test_an_empty_milestone_name_is_a_usage_error(repo: GitRepo) -> None:
    two_milestones(repo)
    code, output = run_piakit(repo.root, "table", "t", "--milestones", "current,,R1")
    assert code == 2 and "empty milestone name" in output


def test_an_orphan_branch_says_which_branch_to_switch_to(repo: GitRepo) -> None:
    two_milestones(repo)
    repo.git("checkout", "-q", "--orphan", "draft")
    code, output = run_piakit(repo.root, "table", "t")
    assert code == 1
    assert "'draft'" in output and "orphan branch" in output and "git switch main" in output


def test_a_milestone_date_with_a_time_is_refused_by_table_as_by_check(repo: GitRepo) -> None:
    two_milestones(repo)
    path = repo.root / "assessments/t/assessment.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "label: 修正案\n", "label: 修正案\n    date: 2021-02-28 10:00:00\n"
    )
    assert "10:00:00" in text
    path.write_text(text, encoding="utf-8")
    for args in (("table", "t"), ("check",)):
        code, output = run_piakit(repo.root, *args)
        assert code == 1, (args, output)
        assert "without a time" in output and "Traceback" not in output
