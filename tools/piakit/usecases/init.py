"""``piakit init``: lay out a repository of assessments ready to publish.

The files come from the templates shipped in the package (``piakit/templates/``): the site's
``mkdocs.yml`` and home page, the editors' README, the pre-commit hooks, the git settings for
Windows clients, ``requirements.txt`` pinning piakit, and every workflow of
``templates/workflows/`` copied unchanged. Nothing is ever overwritten: when any of the files
exists, nothing is written. No git command runs here; the user runs ``git init``.
"""

from __future__ import annotations

import json
import os
import string
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from piakit import __version__
from piakit.errors import InputError, PiakitError
from piakit.usecases._input import one_line

#: The package's templates: ``repository/`` (filled in) and ``workflows/`` (copied as they are).
TEMPLATES: Traversable = files("piakit") / "templates"
#: The name pip knows piakit by, for the requirement ``--piakit`` gives.
PACKAGE_NAME = "piakit"
#: Where the workflows go, and which template files are workflows.
WORKFLOWS_DIR = ".github/workflows"
_WORKFLOW_SUFFIXES = (".yml", ".yaml")

#: Written file → (template under ``repository/``, whether ``$names`` in it are filled in).
#: Template names have no leading dot, so that every packaging tool ships them.
REPOSITORY_FILES: dict[str, tuple[str, bool]] = {
    "mkdocs.yml": ("mkdocs.yml", True),
    "docs/index.md": ("index.md", True),
    "README.md": ("README.md", True),
    "requirements.txt": ("requirements.txt", True),
    ".pre-commit-config.yaml": ("pre-commit-config.yaml", False),
    ".gitattributes": ("gitattributes", False),
    ".gitignore": ("gitignore", False),
    ".github/pull_request_template.md": ("pull_request_template.md", False),
}


@dataclass(frozen=True)
class InitResult:
    """The folder that was laid out and the files written in it (paths relative to it)."""

    root: Path
    written: tuple[str, ...]
    requirement: str


def site_name(organization: str) -> str:
    """The name a citizen sees in the browser's tab: the organization's, not the tool's."""
    return f"{organization} 特定個人情報保護評価書"


def init_repository(
    target: Path,
    organization: str,
    *,
    piakit: str | None = None,
    templates: Traversable = TEMPLATES,
) -> InitResult:
    """Write the repository's files into ``target`` (created when missing). ``piakit``: the
    requirement that installs piakit (default: this version, ``piakit==<version>``)."""
    organization = one_line(
        "--organization", organization, hint="give the name on one line, e.g. --organization 千葉市"
    )
    requirement = piakit_requirement(piakit)
    planned = plan_files(organization, requirement, templates)
    if target.exists() and not target.is_dir():
        raise InputError(
            f"{target} is a file, not a folder",
            hint="name a new or empty folder for the repository",
        )
    existing = [name for name in planned if _in_the_way(target, name)]
    if existing:
        listed = "\n".join(f"  {name}" for name in existing)
        raise InputError(
            f"{target} already has files that piakit init writes; nothing was written:\n{listed}",
            hint="piakit init never overwrites a file: run it in a new folder, or move these away",
        )
    _write_all(target, planned)
    return InitResult(target, tuple(planned), requirement)


def plan_files(organization: str, requirement: str, templates: Traversable) -> dict[str, bytes]:
    """Every file ``init`` writes, relative path → contents, in the order it writes them."""
    values = {
        "organization": organization,
        # A double-quoted YAML scalar (JSON's escapes are YAML's): a name with ':' or '#' stays
        # a name.
        "site_name": json.dumps(site_name(organization), ensure_ascii=False),
        "organization_yaml": json.dumps(organization, ensure_ascii=False),
        "requirement": requirement,
    }
    repository = templates / "repository"
    planned: dict[str, bytes] = {}
    for written, (template, filled) in REPOSITORY_FILES.items():
        text = (repository / template).read_text(encoding="utf-8")
        if filled:
            text = string.Template(text).substitute(values)
        planned[written] = text.encode("utf-8")
    workflows = templates / "workflows"
    if workflows.is_dir():
        for workflow in sorted(workflows.iterdir(), key=lambda entry: entry.name):
            if workflow.is_file() and workflow.name.endswith(_WORKFLOW_SUFFIXES):
                planned[f"{WORKFLOWS_DIR}/{workflow.name}"] = workflow.read_bytes()
    return planned


def piakit_requirement(spec: str | None) -> str:
    """The line of ``requirements.txt`` that installs piakit: ``spec`` when it is a valid
    requirement of the package piakit (``piakit @ git+https://…@v0.1.0``, ``piakit==0.1.0``),
    else this version."""
    if spec is None:
        return f"{PACKAGE_NAME}=={__version__}"
    # packaging is there wherever piakit is: mkdocs depends on it.
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    spec = spec.strip()
    example = f"e.g. {PACKAGE_NAME} @ git+https://github.com/<owner>/piakit@v{__version__}"
    try:
        requirement = Requirement(spec)
    except InvalidRequirement as exc:
        raise InputError(
            f"--piakit {spec!r} is not a requirement pip understands: {exc}", hint=example
        ) from None
    if canonicalize_name(requirement.name) != PACKAGE_NAME:
        raise InputError(
            f"--piakit {spec!r} installs {requirement.name}, not {PACKAGE_NAME}",
            hint=f"name the package first, {example}",
        )
    return spec


def _in_the_way(target: Path, name: str) -> bool:
    """True when ``target/name`` exists (as anything, a dangling link too), or one of the
    folders above it inside ``target`` exists as something other than a folder."""
    path = target / name
    if os.path.lexists(path):
        return True
    parent = path.parent
    while parent != target:
        if os.path.lexists(parent) and not parent.is_dir():
            return True
        parent = parent.parent
    return False


def _write_all(target: Path, planned: dict[str, bytes]) -> None:
    """Create every file, never replacing one (``x`` mode); on failure remove what was made."""
    made: list[Path] = []
    try:
        for name, data in planned.items():
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as handle:
                made.append(path)
                handle.write(data)
    except OSError as exc:
        for path in reversed(made):
            path.unlink(missing_ok=True)
        raise PiakitError(
            f"cannot write {exc.filename or target}: {exc.strerror}",
            hint="the files written so far were removed; fix the cause and run piakit init again",
        ) from None
