"""``piakit check``: every problem of the item and assessment files, each with its line.

Selects the files as ``git -C`` would (paths relative to the folder piakit runs in; none:
every assessment) and checks them (``files.check``). Reads files only; never git.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from piakit import files
from piakit.errors import Problem


@dataclass(frozen=True)
class CheckReport:
    problems: list[Problem]
    #: How many files were read.
    checked: int


def check_files(here: Path, paths: Sequence[str], assessments_dir: str) -> CheckReport:
    """Check ``paths`` (default: the assessments folder found from ``here``)."""
    selection = files.select_from(here, paths, assessments_dir)
    return CheckReport(files.check(selection, here), len(selection.files))
