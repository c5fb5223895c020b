"""The pre-commit hooks other repositories take from piakit, run through ``pre-commit
try-repo`` as a user would; the configuration files, workflows and PR template that go with
them.

The try-repo test installs piakit from a snapshot of this checkout into pre-commit's own
virtualenv. The snapshot is a git repository keyed by the hash of the sources, kept in the
user's cache. try-repo keeps no environment between runs, so each call installs piakit again:
with a wheelhouse of the dependencies (made once, in the same cache) that is 20-50 s a call,
and the test takes 1-2 minutes. It runs only when asked for: ``pytest -m hooks``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from piakit.cli import cli
from piakit.history import Repository, parse_trailers

from .conftest import GitRepo, item

ROOT = Path(__file__).resolve().parents[1]
SLUG = "test"
#: Captured at import, before the autouse fixture points HOME at a scratch folder.
USER_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
SNAPSHOT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
FROZEN = {
    "GIT_AUTHOR_NAME": "piakit tests",
    "GIT_AUTHOR_EMAIL": "tests@example.jp",
    "GIT_COMMITTER_NAME": "piakit tests",
    "GIT_COMMITTER_EMAIL": "tests@example.jp",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+09:00",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+09:00",
}


def _load(path: Path) -> object:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


# --- the files -----------------------------------------------------------------------------------


def test_hook_manifest_names_real_commands() -> None:
    hooks = _load(ROOT / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"piakit-check", "piakit-fmt", "piakit-reasons"}
    assert by_id["piakit-reasons"]["stages"] == ["commit-msg"]
    for hook in hooks:
        assert hook["language"] == "python"
        words = hook["entry"].split()
        assert words[0] == "piakit"
        command = cli.get_command(None, words[1])  # type: ignore[arg-type]
        assert command is not None, hook["entry"]


def test_own_config_uses_the_same_hooks() -> None:
    config = _load(ROOT / ".pre-commit-config.yaml")
    assert isinstance(config, dict)
    assert "commit-msg" in config["default_install_hook_types"]
    local = next(r for r in config["repos"] if r["repo"] == "local")
    manifest = {hook["id"]: hook for hook in _load(ROOT / ".pre-commit-hooks.yaml")}  # type: ignore[union-attr]
    for hook in local["hooks"]:
        if hook["id"] in manifest:
            assert hook["entry"] == manifest[hook["id"]]["entry"]
            assert hook.get("files") == manifest[hook["id"]].get("files")


def test_workflows_run_the_documented_commands() -> None:
    pr = (ROOT / ".github/workflows/pr.yml").read_text(encoding="utf-8")
    audit = (ROOT / ".github/workflows/audit.yml").read_text(encoding="utf-8")
    for name, text in (("pr", pr), ("audit", audit)):
        workflow = _load(ROOT / f".github/workflows/{name}.yml")
        assert isinstance(workflow, dict) and workflow["jobs"], name
        assert "fetch-depth: 0" in text
        assert "piakit check" in text and "piakit fmt --check" in text
        assert "piakit commits check" in text
    assert 'piakit diff "$BASE" "$HEAD"' in pr and "<!-- piakit-diff -->" in pr
    assert "updateComment" in pr and "createComment" in pr
    assert "piakit commits check-message --range" in pr
    assert "branches: [main]" in audit and "issues.create" in audit


def test_pr_template_shows_trailers_git_reads(repo: GitRepo) -> None:
    template = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    lines = Repository.discover(repo.root).message_trailers("PR のタイトル\n\n" + template)
    reasons, _, _ = parse_trailers(lines)
    # the template's trailers are the last paragraph and empty until the editor fills them in
    assert [line.split(":")[0] for line in lines] == ["Reason-Category", "Reason"]
    assert all(not r.category and not r.reason for r in reasons)


# --- pre-commit try-repo -------------------------------------------------------------------------


def _snapshot() -> Path:
    """This checkout's package as a small git repository, one commit, keyed by content."""
    sources = sorted(
        p
        for p in (ROOT / "tools" / "piakit").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )
    files = [*sources, *(ROOT / name for name in SNAPSHOT_FILES)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    base = _cache_base()
    target = base / f"hooks-{digest.hexdigest()[:16]}"
    if (target / ".git").is_dir():
        return target
    scratch = base / f".{target.name}.{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    for path in files:
        destination = scratch / path.relative_to(ROOT)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    env = {**os.environ, **FROZEN, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot"],
    ):
        done = subprocess.run(["git", *args], cwd=scratch, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"git {' '.join(args)} in {scratch}: {done.stderr}"
    try:
        scratch.rename(target)
    except OSError:  # another run made it meanwhile
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _wheelhouse() -> Path | None:
    """Wheels of piakit's dependencies (and of its build backend), so that pre-commit's pip
    installs piakit without asking an index: 20 s instead of 45 s per environment. Made once
    per set of dependencies; None when it cannot be made (pip then uses the index)."""
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    base = _cache_base()
    target = base / f"wheels-{hashlib.sha256(pyproject).hexdigest()[:16]}"
    if (target / "complete").is_file():
        return target
    scratch = base / f".{target.name}.{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "-w", str(scratch)]
    env = {**os.environ, "PIP_CACHE_DIR": str(USER_CACHE / "pip")}
    for what in ([str(ROOT)], ["setuptools>=77"]):
        proc = subprocess.run(
            [*pip, *what], env=env, capture_output=True, text=True, timeout=600, check=False
        )
        if proc.returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            return None
    for own in scratch.glob("piakit-*.whl"):
        own.unlink()  # piakit itself is built from the snapshot under test
    (scratch / "complete").write_text("", encoding="utf-8")
    try:
        scratch.rename(target)
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _cache_base() -> Path:
    base = USER_CACHE / "piakit-tests"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        base = Path(os.environ.get("TMPDIR", "/tmp")) / "piakit-tests"
        base.mkdir(parents=True, exist_ok=True)
    return base


def _try_repo(
    repo: GitRepo, source: Path, wheels: Path | None, *args: str
) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo SOURCE ARGS`` in ``repo``; it installs a fresh environment each
    time (try-repo keeps no store)."""
    pre_commit = Path(sys.executable).with_name("pre-commit")
    env = {**os.environ, "PIP_CACHE_DIR": str(USER_CACHE / "pip"), "PRE_COMMIT_COLOR": "never"}
    if wheels is not None:
        env.update({"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels)})
    proc = subprocess.run(
        [str(pre_commit), "try-repo", str(source), *args],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if "An unexpected error has occurred" in proc.stdout + proc.stderr and any(
        sign in proc.stdout + proc.stderr
        for sign in ("No matching distribution", "Failed to establish", "Could not fetch")
    ):
        pytest.skip("pre-commit could not install piakit's dependencies (no network?)")
    return proc


@pytest.mark.hooks
def test_hooks_through_pre_commit_try_repo(repo: GitRepo, request: pytest.FixtureRequest) -> None:
    asked = "hooks" in (request.config.option.markexpr or "").replace("not hooks", "")
    if not asked and not os.environ.get("CI"):
        pytest.skip(
            "installs piakit twice into fresh virtualenvs (1-2 min): CI runs it; "
            "run it here with -m hooks"
        )
    if not Path(sys.executable).with_name("pre-commit").exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    source = _snapshot()
    wheels = _wheelhouse()
    repo.write_assessment(
        SLUG, [("current", "現在の評価書")], reason_categories=("事務所管課による修正",)
    )
    repo.write_item(SLUG, item("a", "文。", order=10))
    repo.commit("現在の評価書", trailers=[("Milestone", f"{SLUG}/current")])

    # The pre-commit stage: piakit-check and piakit-fmt on the staged files.
    bad = f"assessments/{SLUG}/items/b.yaml"
    messy = f"assessments/{SLUG}/items/c.yaml"
    repo.write(bad, "path: [見出し]\npgae: 1\norder: 20\ntext: x\n")
    repo.write(messy, "text: y\norder: 30\npage: 1\npath: [見出し]\n")
    repo.git("add", "-A")
    staged = _try_repo(repo, source, wheels)
    assert staged.returncode == 1, staged.stdout + staged.stderr
    out = staged.stdout
    assert "piakit check (assessment and item files)" in out and "Failed" in out
    assert f"{bad}:2:1: unknown key 'pgae' (did you mean 'page'?)" in out
    assert "files were modified by this hook" in out  # piakit fmt rewrote c.yaml
    assert (repo.root / messy).read_text(encoding="utf-8") == (
        "path:\n  - 見出し\npage: 1\norder: 30\ntext: y\n"
    )

    # The commit-msg stage: the staged items need reasons in the message.
    message = repo.root / ".git" / "COMMIT_EDITMSG"
    message.write_text("項目を追加\n", encoding="utf-8")
    args = ("piakit-reasons", "--hook-stage", "commit-msg", "--commit-msg-filename", str(message))
    refused = _try_repo(repo, source, wheels, *args)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "needs reason trailers" in refused.stdout
    assert "Reason-Category: 事務所管課による修正" in refused.stdout
    # (a message with the trailers passes: test_review.py checks that without pre-commit)
