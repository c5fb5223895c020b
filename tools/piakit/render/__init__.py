"""Renderers of the comparison table: one module per format behind one interface.

Each format module defines ``render(table: ComparisonTable, **options) -> bytes``. Modules are
imported only when their format is asked for, so a command that prints JSON never imports
openpyxl or python-docx. Renderers never read git or files: a table in, bytes out.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from piakit.errors import InputError

if TYPE_CHECKING:
    from piakit.model import ComparisonTable

#: format name -> module implementing it
FORMATS: dict[str, str] = {
    "json": "piakit.render.json_format",
    "md": "piakit.render.markdown",
    "html": "piakit.render.html",
    "csv": "piakit.render.delimited",
    "tsv": "piakit.render.delimited",
    "xlsx": "piakit.render.xlsx",
    "docx": "piakit.render.docx",
}

#: formats whose output is not text and must not go to a terminal
BINARY_FORMATS = frozenset({"xlsx", "docx"})


def renderer(fmt: str) -> Callable[..., bytes]:
    """The function that renders a table in format ``fmt``, its module imported now (a
    command may load it while git is still reading); unknown formats are an ``InputError``."""
    module_name = FORMATS.get(fmt)
    if module_name is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown format {fmt!r}", hint=f"use one of: {known}")
    function: Callable[..., bytes] = importlib.import_module(module_name).render
    if fmt in ("csv", "tsv"):
        return functools.partial(function, delimiter="," if fmt == "csv" else "\t")
    return function


def render(table: ComparisonTable, fmt: str, **options: Any) -> bytes:
    """Render ``table`` in format ``fmt``; unknown formats are an ``InputError``."""
    return renderer(fmt)(table, **options)
