"""The GitHub Actions workflows, this repository's and the ones ``piakit init`` writes into a
municipality's repository (``piakit/templates/workflows``), pass a security audit.

zizmor (offline, no configuration, no ignore comments) finds nothing of medium severity or
more; every action is pinned to a commit listed in ``ACTION_PINS`` with its tag as a comment;
no ``${{ }}`` expression is expanded inside a script; no checkout keeps the token; the
workflow-level permissions grant nothing that writes, and each write permission sits on the one
job that needs it. The templates run the same jobs and steps as this repository's workflows;
only the installation of piakit (``requirements.txt`` instead of this checkout) and the step
names (Japanese) differ.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from piakit.model import Milestone

from .conftest import GitRepo, item

ROOT = Path(__file__).resolve().parents[1]
OWN = ROOT / ".github" / "workflows"
TEMPLATES = ROOT / "tools" / "piakit" / "templates" / "workflows"

#: The actions the workflows may use: (action, tag) -> the commit the tag points to. A copy of
#: the project's list of pins; to move an action, change the commit and the tag here and in
#: every ``uses:`` line together (see docs/guide-publishers.md).
ACTION_PINS: dict[tuple[str, str], str] = {
    ("actions/checkout", "v7.0.1"): "3d3c42e5aac5ba805825da76410c181273ba90b1",
    ("actions/setup-python", "v7.0.0"): "5fda3b95a4ea91299a34e894583c3862153e4b97",
    ("actions/github-script", "v8.0.0"): "ed597411d8f924073f98dfc5c65a23a2325f34cd",
    ("actions/configure-pages", "v5.0.0"): "983d7736d9b0ae728b81ab479565c72886d7745b",
    ("actions/upload-pages-artifact", "v5.0.0"): "fc324d3547104276b827a68afc52ff2a11cc49c9",
    ("actions/deploy-pages", "v5.0.0"): "cd2ce8fcbc39b97be8ca5fce6e763baed58fa128",
}

#: Which step a write permission is for: a job may hold it only if one of its steps uses the
#: action and, for github-script, its script calls the API the permission opens.
WRITE_NEEDS: dict[str, tuple[str, str]] = {
    "pull-requests": ("actions/github-script", "createComment"),
    "issues": ("actions/github-script", "issues.create"),
    "pages": ("actions/deploy-pages", ""),
    "id-token": ("actions/deploy-pages", ""),
}

USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
PINNED = re.compile(r"^(?P<action>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)@(?P<sha>[0-9a-f]{40})$")
TAG_COMMENT = re.compile(r"^\s+#\s+(?P<tag>v\d+(?:\.\d+)*)\s*$")


def _workflow_files() -> list[Path]:
    return sorted(OWN.glob("*.yml")) + sorted(TEMPLATES.glob("*.yml"))


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


WORKFLOWS = pytest.mark.parametrize("path", _workflow_files(), ids=_id)


def _load(path: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict) and jobs
    return jobs


def _steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, job in _jobs(workflow).items():
        for step in job.get("steps", []):
            yield name, step


def _action(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def _zizmor() -> str:
    """The zizmor of the test extra: next to this interpreter, or on PATH."""
    beside = Path(sys.executable).with_name("zizmor")
    found = str(beside) if beside.is_file() else shutil.which("zizmor")
    assert found, "zizmor is not installed: pip install -e '.[test]'"
    return found


def _finding(finding: dict[str, Any]) -> str:
    severity = finding["determinations"]["severity"]
    places = []
    for location in finding["locations"]:
        symbolic = location["symbolic"]
        path = symbolic["key"]["Local"]["verbatim_path"]
        row = location["concrete"]["location"]["start_point"]["row"] + 1
        places.append(f"{path}:{row}: {symbolic['annotation']}")
    return f"{finding['ident']} ({severity}): {finding['desc']}\n  " + "\n  ".join(places)


# --- zizmor --------------------------------------------------------------------------------------


def zizmor_report(files: list[Path]) -> str:
    """zizmor's findings of medium severity or more on ``files``, one per paragraph; empty
    when there is none. Offline, and nothing can switch an audit off."""
    done = subprocess.run(
        [
            _zizmor(),
            "--offline",
            "--no-config",  # no configuration file can switch an audit off
            "--no-ignores",  # nor an ignore comment in a workflow
            "--strict-collection",  # a workflow that does not parse is an error
            "--min-severity",
            "medium",
            "--format",
            "json",
            *(str(path) for path in files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip(), done.stderr
    findings: list[dict[str, Any]] = json.loads(done.stdout)
    report = "\n".join(_finding(finding) for finding in findings)
    assert bool(findings) == (done.returncode != 0), done.stderr
    return report


@pytest.mark.parametrize("folder", [OWN, TEMPLATES], ids=_id)
def test_zizmor_finds_nothing(folder: Path) -> None:
    files = sorted(folder.glob("*.yml"))
    assert files, folder
    report = zizmor_report(files)
    assert report == "", f"zizmor found:\n{report}"


# --- pins ----------------------------------------------------------------------------------------


@WORKFLOWS
def test_every_action_is_pinned_to_a_listed_commit(path: Path) -> None:
    lines = [
        (number, match)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (match := USES_LINE.match(line))
    ]
    problems = []
    for number, match in lines:
        pinned = PINNED.match(match["ref"])
        tag = TAG_COMMENT.match(match["rest"])
        if not pinned or not tag:
            problems.append(f"line {number}: {match[0].strip()} (want owner/repo@<sha> # vX.Y.Z)")
            continue
        listed = ACTION_PINS.get((pinned["action"], tag["tag"]))
        if listed != pinned["sha"]:
            problems.append(
                f"line {number}: {pinned['action']} {tag['tag']} is not the listed pin"
                f" ({listed or 'no such tag listed'})"
            )
    assert problems == []
    # the lines read above are every ``uses:`` of the workflow
    workflow = _load(path)
    parsed = [step["uses"] for _, step in _steps(workflow) if "uses" in step]
    parsed += [job["uses"] for job in _jobs(workflow).values() if "uses" in job]
    assert sorted(parsed) == sorted(match["ref"] for _, match in lines)


# --- scripts, credentials, permissions -----------------------------------------------------------


@WORKFLOWS
def test_no_expression_is_expanded_in_a_script(path: Path) -> None:
    """Pull request titles, branch names and the like reach scripts through ``env:`` only."""
    for job, step in _steps(_load(path)):
        for key, script in (
            ("run", step.get("run")),
            ("script", step.get("with", {}).get("script")),
        ):
            if script is not None:
                assert "${{" not in str(script), f"{job}: {step.get('name', step)} ({key})"


@WORKFLOWS
def test_no_checkout_keeps_the_token(path: Path) -> None:
    checkouts = [(job, s) for job, s in _steps(_load(path)) if _action(s) == "actions/checkout"]
    for job, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, job


@WORKFLOWS
def test_permissions_are_per_job(path: Path) -> None:
    workflow = _load(path)
    assert "permissions" in workflow, "the workflow-level permissions are not declared"
    top = workflow["permissions"]
    assert top == {} or (isinstance(top, dict) and set(top.values()) <= {"read", "none"}), (
        f"workflow-level permissions may only read: {top}"
    )
    for name, job in _jobs(workflow).items():
        granted = job.get("permissions")
        assert isinstance(granted, dict), f"{name}: declare the job's permissions"
        steps = job.get("steps", [])
        for scope, level in granted.items():
            assert level in ("read", "write", "none"), f"{name}: {scope}: {level}"
            if level != "write":
                continue
            assert scope in WRITE_NEEDS, f"{name}: {scope}: write is not needed by any step"
            action, call = WRITE_NEEDS[scope]
            assert any(
                _action(step) == action and call in str(step.get("with", {}).get("script", ""))
                for step in steps
            ), f"{name}: {scope}: write, but no step uses {action} {call}"


# --- the templates piakit init writes ------------------------------------------------------------


def _same_shape(node: Any) -> Any:
    """A workflow with what may differ between this repository and a municipality's left out:
    step names and comments (Japanese in the templates), how piakit is installed, and the words
    of the scripts around the piakit commands and the GitHub API calls they make."""
    if isinstance(node, dict):
        shape = {key: _same_shape(value) for key, value in node.items() if key != "name"}
        if "jobs" in node:
            shape["name"] = node.get("name")  # the workflow's name: the checks a branch requires
        if isinstance(node.get("run"), str):
            run = node["run"]
            shape["run"] = (
                "<install piakit>"
                if "pip install" in run
                else re.findall(r"\bpiakit [^;|>\n]*", run)
            )
        if isinstance(node.get("script"), str):
            shape["script"] = re.findall(r"github\.rest\.[\w.]+", node["script"])
        return shape
    if isinstance(node, list):
        return [_same_shape(value) for value in node]
    return node


def test_templates_are_this_repositorys_workflows() -> None:
    templates = {path.name: path for path in TEMPLATES.glob("*.yml")}
    assert sorted(templates) == sorted(path.name for path in OWN.glob("*.yml"))
    for name, template in templates.items():
        assert _same_shape(_load(template)) == _same_shape(_load(OWN / name)), name


def test_templates_install_piakit_from_requirements() -> None:
    """A municipality pins piakit in its requirements.txt; this repository installs itself."""
    for folder, words in ((TEMPLATES, ["install", "-r", "requirements.txt"]), (OWN, ["."])):
        for path in folder.glob("*.yml"):
            runs = [
                str(s["run"]) for _, s in _steps(_load(path)) if "pip install" in str(s.get("run"))
            ]
            assert runs, path
            for run in runs:
                assert run.split()[-len(words) :] == words, f"{_id(path)}: {run}"


# --- the scheduled status workflow ---------------------------------------------------------------


@pytest.mark.parametrize("folder", [OWN, TEMPLATES], ids=_id)
def test_the_status_workflow_runs_weekly_reading_only(folder: Path) -> None:
    workflow = _load(folder / "status.yml")
    triggers = workflow["on"]
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    [schedule] = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit(), "at one time of the day"
    assert (day, month) == ("*", "*") and weekday.isdigit(), "once a week"
    assert workflow["permissions"] == {}
    [(name, job)] = _jobs(workflow).items()
    assert job["permissions"] == {"contents": "read"}, name
    [checkout] = [s for _, s in _steps(workflow) if _action(s) == "actions/checkout"]
    assert checkout["with"]["fetch-depth"] == 0, "the deadlines and changes need the history"
    runs = [s for _, s in _steps(workflow) if "piakit status" in str(s.get("run", ""))]
    [step] = runs
    assert "piakit status --fail-overdue" in step["run"]
    assert step["env"] == {"TZ": "Asia/Tokyo"}


def test_the_status_step_fails_when_overdue_and_fills_the_summary(
    tmp_path: Path, repo: GitRepo
) -> None:
    """The template's script, run by bash as the runner would, on a repository whose review is
    overdue: the report is in the log and in the summary, and the step fails."""
    repo.write_assessment("t", [Milestone("R2", "公表版", dt.date(2020, 10, 1), "公表")])
    repo.write_item("t", item("a", "一"))
    repo.commit("公表")
    repo.tag("t/R2")
    [step] = [
        s
        for _, s in _steps(_load(TEMPLATES / "status.yml"))
        if "piakit status" in str(s.get("run", ""))
    ]
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        **step["env"],
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(summary),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "次回見直し期限: 2021-10-01 (期限切れ:" in done.stdout
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("## 評価の周期 (piakit status)\n```\n")
    assert "期限切れ: 見直し、再実施" in written
    assert "1 assessment overdue or to be assessed again: t" in written
