"""The only package that talks to git.

It reads a repository's history in one pass and returns typed records (``Commit``,
``FileChange``), reads trees and blobs in batch, and performs the few writes the importer and
``milestone add`` need. Trailers are parsed by git itself (``%(trailers:…)``), never by our own
regular expressions. Every git failure becomes a ``GitError`` with a hint. Nothing here knows
what an item or a table is beyond paths and bytes.

- ``_repository``: ``Repository``, opening a work tree, running git, every read.
- ``_process``: one git process: its environment, its failures, ``Pending``.
- ``_parsing``: the pure parsers of git's output (never runs git).
- ``_writer``: ``HistoryWriter``, new commits and tags published all at once or not at all.
"""

from __future__ import annotations

import os
from types import ModuleType

from piakit.history._parsing import parse_trailers
from piakit.history._process import Pending
from piakit.history._repository import Repository
from piakit.history._writer import HistoryWriter

__all__ = ["HistoryWriter", "Pending", "Repository", "invocations", "parse_trailers"]

#: Number of git processes started, for the test that proves the count does not grow with
#: the number of items or pages. ``Repository`` counts here, through the package, so that
#: ``history.invocations`` read anywhere is the one count.
invocations = 0


def gitpython() -> ModuleType:
    """GitPython, imported on first use: ``check``, ``fmt`` and ``schema`` never pay for it.

    ``GIT_PYTHON_REFRESH=quiet`` first, or the import itself raises when git is missing and
    the user sees a traceback instead of "git is not installed"."""
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    import git

    return git
