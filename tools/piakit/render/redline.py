"""Marked text as markup: the one loop every text format uses to wrap changed runs.

A redline is lines of pieces, each piece a text and how it is marked (``None``: unmarked).
A format says how to escape text and how to wrap a marked run; ``markup`` does the rest.
Pure: strings in, a string out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

#: A run of text and its mark: a cell's ``changed``/``removed``, a diff's ``delete``/``insert``
#: or an HTML tag name; ``None`` for text shown as it is.
Piece = tuple[str, str | None]


def markup(
    lines: Iterable[Iterable[Piece]],
    escape: Callable[[str], str],
    wrap: Callable[[str, str], str],
    joiner: str = "<br>",
) -> str:
    """Each line's pieces escaped and, when marked, wrapped (``wrap(shown, mark)``); the lines
    joined by ``joiner``."""
    return joiner.join(
        "".join(wrap(escape(text), mark) if mark else escape(text) for text, mark in line)
        for line in lines
    )


def op_lines(ops: Iterable[tuple[str, str]]) -> list[list[Piece]]:
    """Diff operations (``equal``/``delete``/``insert``, text) cut into lines of pieces, each
    marked with its operation (``equal`` unmarked). A run over a line break is cut at it."""
    lines: list[list[Piece]] = [[]]
    for kind, text in ops:
        for index, part in enumerate(text.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((part, None if kind == "equal" else kind))
    return lines


def tag(shown: str, name: str) -> str:
    """``shown`` in the HTML element ``name`` (``ins``, ``del``)."""
    return f"<{name}>{shown}</{name}>"
