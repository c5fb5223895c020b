"""Character-aware text diff for Japanese: what the comparison table underlines.

Japanese has no spaces to split words on, so a text is cut into runs of one script (kanji,
hiragana, katakana, latin, digits, whitespace) and single punctuation characters. Lines are
aligned first; inside a changed block each new line is paired with the old line it replaced, if
any, and only a pair is diffed token by token, so a line's words are never matched with another
line's. Each pair's result is tidied so that a changed word is marked whole rather than every
second character; the tidying never reaches over a line break.

The modules, in the order a diff runs: ``_tokens`` (script runs, the word classes) →
``_lines`` (lines aligned, then paired, then the tokens of a pair, with ``_align``, the rapidfuzz
engine) → ``_tidy`` (readable marks: affixes, particles, short unchanged runs).

Pure functions on strings: no IO. The alignments run in rapidfuzz (C, bit-parallel): their cost
is bounded at both levels (``_align``, ``_candidates``), never quadratic Python. The diff must
never normalise anything (width, spaces, punctuation): its operations always rebuild both
texts exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from piakit.textdiff._lines import _line_ops, lines_with_removals
from piakit.textdiff._tidy import Op, _normalize
from piakit.textdiff._tokens import tokenize

__all__ = [
    "Op",
    "changed_spans",
    "diff_ops",
    "lines_with_removals",
    "rebuild_texts",
    "tokenize",
]


def rebuild_texts(ops: Iterable[Op]) -> tuple[str, str]:
    """The (old, new) texts that a list of diff operations describes."""
    old: list[str] = []
    new: list[str] = []
    for kind, text in ops:
        if kind != "insert":
            old.append(text)
        if kind != "delete":
            new.append(text)
    return "".join(old), "".join(new)


def diff_ops(old: str, new: str) -> list[tuple[str, str]]:
    """A readable diff of ``old`` → ``new`` as ``("equal"|"delete"|"insert", text)`` pairs.

    Lines are aligned first, then the tokens of each pair of lines (``_line_ops``); a line
    paired with none is deleted or inserted whole. The result has no empty
    operation, never two of the same kind in a row, and a delete always comes before the insert
    next to it. Two changes of one line separated by a short unchanged run (a particle, a
    punctuation mark: see ``_readable``) become one, when at least one of them inserts
    something.
    """
    if old == new:
        return [("equal", old)] if old else []
    return _normalize(_line_ops(old, new))


def changed_spans(old: str, new: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of ``new`` inserted or changed relative to ``old``.

    A span never holds a line break (a change over several lines gives one span per line) and
    never starts or ends with whitespace.
    """
    spans: list[tuple[int, int]] = []
    at = 0
    for kind, text in diff_ops(old, new):
        if kind == "delete":
            continue
        if kind == "insert":
            start = at
            for piece in text.split("\n"):
                stripped = piece.strip()
                if stripped:
                    lead = len(piece) - len(piece.lstrip())
                    spans.append((start + lead, start + lead + len(stripped)))
                start += len(piece) + 1
        at += len(text)
    return spans
