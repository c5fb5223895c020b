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


def format_files(
    here: Path, paths: Sequence[str], assessments_dir: str, *, check_only: bool
) -> FormatResult:
    """Format ``paths`` (default: the assessments folder found from ``here``)."""
    return files.format_files(
        files.select_from(here, paths, assessments_dir), check_only=check_only
    )
