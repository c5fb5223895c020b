"""``piakit check``: every problem of the item, assessment and opinion files, each with its line.

Selects the files as ``git -C`` would (paths relative to the folder piakit runs in; none:
every assessment) and checks them (``files.inspect``). Reads files only, and git only when the
selection holds an opinion whose outcome is ``reflected``: then the history says whether a
commit resolves it (``Resolves:``), and outside a git repository that warning is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from piakit import checks, files
from piakit.checks import OpinionReport
from piakit.errors import PiakitError, Problem


@dataclass(frozen=True)
class CheckReport:
    problems: list[Problem]
    #: How many files were read.
    checked: int


def check_files(here: Path, paths: Sequence[str], assessments_dir: str) -> CheckReport:
    """Check ``paths`` (default: the assessments folder found from ``here``)."""
    selection = files.select_from(here, paths, assessments_dir)
    findings = files.inspect(selection, here)
    problems = findings.problems
    if findings.reflected:
        unresolved = _unresolved(here, assessments_dir, findings.reflected)
        if unresolved:
            problems = sorted(
                [*problems, *unresolved],
                key=lambda p: (p.location.path, p.location.line or 0, p.location.column or 0),
            )
    return CheckReport(problems, len(selection.files))


def _unresolved(
    here: Path, assessments_dir: str, reflected: Sequence[tuple[Path, OpinionReport]]
) -> list[Problem]:
    """A warning for each reflected opinion that no commit reachable from HEAD or a milestone
    tag resolves; none outside a git repository (or one git cannot read), where ``check``
    works on the files alone."""
    # Imported here: the read model loads GitPython, which a check without reflected
    # opinions never pays for.
    from piakit.resolutions import resolving_commits
    from piakit.workspace import Workspace

    try:
        ws = Workspace.open(here, assessments_dir)
        top = (ws.repo.root / ws.assessments_dir).resolve()
        resolved: dict[str, set[str]] = {}
        warnings = []
        for folder, opinion in reflected:
            if folder.resolve().parent != top:
                continue  # an assessment folder outside the repository's assessments
            slug = folder.name
            if slug not in resolved:
                resolved[slug] = set(resolving_commits(ws, slug))
            if opinion.opinion_id not in resolved[slug]:
                warnings.append(checks.unresolved_warning(opinion, slug))
        return warnings
    except PiakitError:
        return []
