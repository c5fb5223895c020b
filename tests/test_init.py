"""``piakit init`` and ``piakit new`` (issue 13): a city's repository from one command.

The end-to-end test does what a clerk does: ``init`` into an empty folder, ``git init``,
import the example table, then the site builds with ``mkdocs build --strict`` and the hooks
run through pre-commit itself (``language: system``: the piakit of this environment, found on
PATH; pre-commit's store in a scratch folder; nothing fetched). The refusals leave the folder
as it was, byte for byte.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from mkdocs.config import load_config
from ruamel.yaml import YAML

from piakit import __version__
from piakit.cli import cli
from piakit.usecases.init import REPOSITORY_FILES, TEMPLATES, init_repository
from piakit.website.records import HOME_MARKER

from .conftest import SEED, GitRepo

BIN = Path(sys.executable).parent
SLUG = "kokumin-nenkin"
#: ``uses: owner/action@<40 hex>`` with the tag as a comment, or a local action.
PINNED_USES = re.compile(r"^\s*-?\s*uses:\s*(?:\./\S+|[^@\s]+@[0-9a-f]{40}(?:\s+#.*)?)\s*$")
#: The hooks' manifest that other repositories use: the local hooks must run the same.
HOOKS_MANIFEST = Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml"


def run_piakit(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` (``.git`` left out): a file's bytes, a link's target, None
    for a folder."""
    return {
        path.relative_to(root).as_posix(): (
            os.readlink(path).encode()
            if path.is_symlink()
            else None
            if path.is_dir()
            else path.read_bytes()
        )
        for path in sorted(root.rglob("*"))
        if ".git" not in path.relative_to(root).parts
    }


def tool(name: str, *args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / name), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def tools_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a clerk's shell with the venv active: ``piakit`` on PATH, and
    pre-commit's store in a scratch folder (HOME is one already: conftest)."""
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
        "NO_MKDOCS_2_WARNING": "1",
    }


def test_init_import_build_hooks_and_new(tmp_path: Path, tools_env: dict[str, str]) -> None:
    root = tmp_path / "city"
    result = run_piakit("init", str(root), "--organization", "千葉市")
    assert result.exit_code == 0, result.output
    written = sorted(tree(root))
    assert {*REPOSITORY_FILES, "docs"} <= set(written)
    for name in REPOSITORY_FILES:
        assert f"  {name}\n" in result.output
    assert "git init" in result.output and "pre-commit install" in result.output
    assert not (root / ".git").exists()  # no git init, no commit

    repo = GitRepo(root)
    imported = run_piakit(
        "-C", str(root), "import-table", str(SEED), "--assessment", SLUG,
        "--organization", "千葉市", "--date", "current=2019-04-01",
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    repo.commit("評価書のリポジトリ (piakit init)")

    built = tool(
        "mkdocs", "build", "--strict", "-d", str(tmp_path / "site"), cwd=root, env=tools_env
    )
    assert built.returncode == 0, built.stdout + built.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>千葉市 特定個人情報保護評価書</title>" in home
    assert f'href="{SLUG}/"' in home  # the list of assessments where the marker is
    assert (tmp_path / "site" / SLUG / "table" / "index.html").is_file()

    valid = tool("pre-commit", "validate-config", cwd=root, env=tools_env)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    hooks = tool("pre-commit", "run", "--all-files", cwd=root, env=tools_env)
    assert hooks.returncode == 0, hooks.stdout + hooks.stderr
    assert re.search(r"piakit check \(assessment and item files\)\.+Passed", hooks.stdout)
    assert re.search(r"piakit fmt \(canonical YAML\)\.+Passed", hooks.stdout)

    # The hooks catch what they are for: a file out of the canonical form is rewritten…
    messy = root / "assessments" / SLUG / "items" / "messy.yaml"
    messy.write_text("text: 本文\norder: 99999\npage: 1\npath: [見出し]\n", encoding="utf-8")
    repo.git("add", "-A")
    fixed = tool("pre-commit", "run", cwd=root, env=tools_env)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "files were modified by this hook" in fixed.stdout
    assert messy.read_text(encoding="utf-8").startswith("path:\n  - 見出し\npage: 1\n")
    # …and a change to a published item needs reasons in the commit message.
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("項目を追加\n", encoding="utf-8")
    repo.git("add", "-A")
    args = ("run", "piakit-reasons", "--hook-stage", "commit-msg", "--commit-msg-filename")
    refused = tool("pre-commit", *args, str(message), cwd=root, env=tools_env)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "needs reason trailers" in refused.stdout
    message.write_text(
        "項目を追加\n\nReason-Category: 事務所管課による修正\nReason: 記載の追加\n",
        encoding="utf-8",
    )
    accepted = tool("pre-commit", *args, str(message), cwd=root, env=tools_env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    messy.unlink()
    repo.git("add", "-A")

    started = run_piakit(
        "-C", str(root), "new", "kaigo", "--title", "介護保険に関する事務 全項目評価書",
        "--organization", "千葉市", "--form", "平成30年5月 様式4",
    )  # fmt: skip
    assert started.exit_code == 0, started.output
    assert "piakit milestone add kaigo current" in started.output
    checked = run_piakit("-C", str(root), "check")
    assert checked.exit_code == 0, checked.output
    assert run_piakit("-C", str(root), "fmt", "--check").exit_code == 0
    listed = run_piakit("-C", str(root), "milestone", "list", "kaigo")
    assert listed.exit_code == 0, listed.output
    assert "current" in listed.output and "planned" in listed.output


def test_the_written_files(tmp_path: Path) -> None:
    root = tmp_path / "city"
    init_repository(root, "千葉市")
    mkdocs = load_config(config_file=str(root / "mkdocs.yml"))
    assert mkdocs["site_name"] == "千葉市 特定個人情報保護評価書"
    assert mkdocs["theme"]["language"] == "ja"
    assert mkdocs["theme"]["font"] is False
    assert mkdocs["plugins"]["material/search"].config["lang"] == ["ja"]
    assert mkdocs["plugins"]["piakit"].config["assessments_dir"] == "assessments"
    assert mkdocs["mdx_configs"]["toc"]["permalink_title"] == "この見出しへのリンク"

    assert HOME_MARKER in (root / "docs" / "index.md").read_text(encoding="utf-8")
    requirements = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert f"piakit=={__version__}" in requirements
    assert any(line.startswith("pre-commit") for line in requirements)
    attributes = (root / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "*.yaml text eol=lf" in attributes and "*.yml text eol=lf" in attributes
    ignored = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/site/", ".venv/", "*.xlsx", "*.docx"} <= set(ignored)
    readme = (root / "README.md").read_text(encoding="utf-8")
    for step in (
        "git clone",
        "pip install -r requirements.txt",
        "pre-commit install",
        "Reason-Category:",
        "Reason:",
        "git push",
    ):
        assert step in readme, step

    config = YAML(typ="safe").load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["default_install_hook_types"] == ["pre-commit", "commit-msg"]
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    manifest = {hook["id"]: hook for hook in YAML(typ="safe").load(HOOKS_MANIFEST.read_text())}
    local = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert set(local) == set(manifest)
    for hook_id, hook in local.items():
        assert hook["language"] == "system"
        for key in ("entry", "files", "stages", "always_run"):
            if key != "stages" or hook_id == "piakit-reasons":
                assert hook.get(key) == manifest[hook_id].get(key), (hook_id, key)


def test_the_workflows_are_the_packaged_ones_pinned_by_sha(tmp_path: Path) -> None:
    root = tmp_path / "city"
    init_repository(root, "千葉市")
    packaged = TEMPLATES / "workflows"
    names = (
        sorted(p.name for p in packaged.iterdir() if p.name.endswith((".yml", ".yaml")))
        if packaged.is_dir()
        else []
    )
    written = root / ".github" / "workflows"
    assert names == ["audit.yml", "pr.yml", "site.yml", "status.yml"]
    assert sorted(p.name for p in written.iterdir()) == names
    for name in names:
        text = (written / name).read_text(encoding="utf-8")
        assert text.encode("utf-8") == (packaged / name).read_bytes()
        for line in text.splitlines():
            if re.match(r"^\s*-?\s*uses:", line):
                assert PINNED_USES.match(line), f"{name}: {line.strip()}"


def test_every_workflow_template_is_copied_unchanged(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(Path(str(TEMPLATES)), templates)
    (templates / "workflows").mkdir(exist_ok=True)
    workflow = "name: x\non: push\njobs: {}\n# ${{ github.sha }} stays as it is\n"
    (templates / "workflows" / "zz-dummy.yml").write_text(workflow, encoding="utf-8")
    (templates / "workflows" / "notes.txt").write_text("not a workflow\n", encoding="utf-8")
    root = tmp_path / "city"
    result = init_repository(root, "千葉市", templates=templates)
    assert ".github/workflows/zz-dummy.yml" in result.written
    assert (root / ".github/workflows/zz-dummy.yml").read_text(encoding="utf-8") == workflow
    assert not (root / ".github/workflows/notes.txt").exists()


def test_an_organization_name_yaml_would_misread(tmp_path: Path) -> None:
    root = tmp_path / "city"
    init_repository(root, 'テスト市: #1 "課"')
    mkdocs = load_config(config_file=str(root / "mkdocs.yml"))
    assert mkdocs["site_name"] == 'テスト市: #1 "課" 特定個人情報保護評価書'
    assert mkdocs["copyright"] == 'テスト市: #1 "課"'


def test_the_piakit_requirement(tmp_path: Path) -> None:
    spec = "piakit @ git+https://github.com/example/piakit@v0.1.0"
    result = run_piakit("init", str(tmp_path / "a"), "--organization", "千葉市", "--piakit", spec)
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "a" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert spec in lines and not any(line.startswith("piakit==") for line in lines)
    for bad, says in (
        ("git+https://github.com/example/piakit@v0.1.0", "is not a requirement pip understands"),
        ("piakit==", "is not a requirement pip understands"),
        ("piakit @ git+https://x\nmalicious==1", "is not a requirement pip understands"),
        ("requests==2.0", "installs requests, not piakit"),
    ):
        target = tmp_path / "b"
        refused = run_piakit("init", str(target), "--organization", "千葉市", "--piakit", bad)
        assert refused.exit_code == 1, refused.output
        assert says in refused.output and "hint: " in refused.output
        assert not target.exists()


def test_init_refuses_when_any_file_exists_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "city"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# 自分のページ\n", encoding="utf-8")
    (root / ".gitignore").write_text("secret/\n", encoding="utf-8")
    (root / "mkdocs.yml").mkdir()  # a folder where a file goes is in the way too
    (root / "notes.txt").write_text("メモ\n", encoding="utf-8")
    (root / "README.md").symlink_to(root / "nowhere.md")  # a dangling link
    before = tree(root)
    result = run_piakit("init", str(root), "--organization", "千葉市")
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.output
    listed = [line.strip() for line in result.output.splitlines() if line.startswith("  ")]
    assert listed[:4] == ["mkdocs.yml", "docs/index.md", "README.md", ".gitignore"]
    assert tree(root) == before
    assert (root / "README.md").is_symlink()


def test_init_where_a_folder_is_a_file(tmp_path: Path) -> None:
    root = tmp_path / "city"
    root.mkdir()
    (root / "docs").write_text("a file named docs\n", encoding="utf-8")
    before = tree(root)
    result = run_piakit("init", str(root), "--organization", "千葉市")
    assert result.exit_code == 1, result.output
    assert "  docs/index.md\n" in result.output
    assert tree(root) == before
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    result = run_piakit("init", str(a_file), "--organization", "千葉市")
    assert result.exit_code == 1 and "is a file, not a folder" in result.output


def test_init_beside_other_files_and_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes.txt").write_text("メモ\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_piakit("init", "--organization", "千葉市")
    assert result.exit_code == 0, result.output
    assert "cd " not in result.output
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "メモ\n"
    assert (tmp_path / "mkdocs.yml").is_file()


@pytest.mark.parametrize("organization", ["", "  ", "千葉市\n保健福祉局"])
def test_init_needs_an_organization_on_one_line(tmp_path: Path, organization: str) -> None:
    result = run_piakit("init", str(tmp_path / "city"), "--organization", organization)
    assert result.exit_code == 1, result.output
    assert "--organization" in result.output
    assert not (tmp_path / "city").exists()


@pytest.fixture
def city(tmp_path: Path) -> GitRepo:
    root = tmp_path / "city"
    init_repository(root, "千葉市")
    return GitRepo(root)


def test_new_writes_the_canonical_assessment(city: GitRepo) -> None:
    result = run_piakit("-C", str(city.root), "new", "kokumin-nenkin", "--title", "国民年金")
    assert result.exit_code == 0, result.output
    folder = city.root / "assessments" / "kokumin-nenkin"
    assert (folder / "assessment.yaml").read_text(encoding="utf-8") == (
        "title: 国民年金\nmilestones:\n  - id: current\n    label: 現在の評価書\n"
    )
    assert sorted(p.name for p in (folder / "items").iterdir()) == [".gitkeep"]
    city.commit("評価書を始める")
    assert "assessments/kokumin-nenkin/items/.gitkeep" in city.git("ls-files")
    assert run_piakit("-C", str(city.root), "check").exit_code == 0


@pytest.mark.parametrize(
    ("slug", "says"),
    [
        ("Kokumin", "is not a valid slug"),
        ("国民年金", "is not a valid slug"),
        ("kokumin nenkin", "is not a valid slug"),
        ("../outside", "is not a valid slug"),
        ("a/b", "is not a valid slug"),
        ("..", "is not a valid slug"),
        ("kokumin.nenkin", "is not a valid slug"),
        ("kokumin_nenkin", "is not a valid slug"),
        ("kokumin-", "is not a valid slug"),
        ("con", "is a device name on Windows"),
        ("lpt1", "is a device name on Windows"),
        ("_x", "is not a valid slug"),
        ("taken", "assessments/taken already exists"),
        ("tagged", "tags of an assessment named tagged exist already: tagged/current"),
    ],
)
def test_new_refuses_a_bad_slug(city: GitRepo, slug: str, says: str) -> None:
    city.write("assessments/taken/assessment.yaml", "title: t\nmilestones: []\n")
    city.commit("taken")
    city.tag("tagged/current")
    before = tree(city.root)
    result = run_piakit("-C", str(city.root), "new", slug, "--title", "題名")
    assert result.exit_code == 1, result.output
    assert says in result.output and "hint: " in result.output
    assert "Traceback" not in result.output
    assert tree(city.root) == before


def test_new_needs_a_title_and_a_repository(city: GitRepo, tmp_path: Path) -> None:
    before = tree(city.root)
    result = run_piakit("-C", str(city.root), "new", "x", "--title", " ")
    assert result.exit_code == 1 and "--title" in result.output
    assert tree(city.root) == before
    outside = tmp_path / "outside"
    outside.mkdir()
    result = run_piakit("-C", str(outside), "new", "x", "--title", "題名")
    assert result.exit_code == 1 and "is not inside a git repository" in result.output
    assert list(outside.iterdir()) == []


def test_zizmor_finds_nothing_in_what_init_writes(tmp_path: Path) -> None:
    from .test_workflows import zizmor_report

    root = tmp_path / "city"
    init_repository(root, "千葉市")
    report = zizmor_report(sorted((root / ".github" / "workflows").glob("*.yml")))
    assert report == "", f"zizmor found:\n{report}"


def test_a_city_s_pull_requests_get_this_repository_s_template() -> None:
    # Editors open pull requests in the city's repository too: the template that shows the
    # reason and Resolves: trailers is the one this repository uses, word for word.
    ours = (Path(__file__).parents[1] / ".github" / "pull_request_template.md").read_bytes()
    written = REPOSITORY_FILES[".github/pull_request_template.md"][0]
    assert (TEMPLATES / "repository" / written).read_bytes() == ours
    assert b"Resolves: <slug>/<id>" in ours
