"""``piakit fmt``: item and assessment files rewritten in the canonical form, or (``check_only``)
the list of those that are not.

Selects the files as ``piakit check`` does; the rewriting keeps comments and meaning
(``canonical``). Reads and writes files only; never git.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from piakit import files
from piakit.files import FormatResult
from piakit.usecases.check import default_folder


def format_files(
    here: Path, paths: Sequence[str], assessments_dir: str, *, check_only: bool
) -> FormatResult:
    """Format ``paths`` (default: the assessments folder found from ``here``)."""
    selection = files.select(paths, default_folder(here, paths, assessments_dir), here)
    return files.format_files(selection, check_only=check_only)
