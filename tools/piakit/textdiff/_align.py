"""The alignment engine: opcodes aligning two sequences of ids (tokens or lines), in rapidfuzz.

Bit-parallel C at both sizes: the exact longest common subsequence (``Indel``) up to
``LCS_CELLS``, then Levenshtein's banded alignment in linear memory. Each change is then slid
down past the unchanged items it begins with, as git does, so the alignment is deterministic.

It must never run quadratic Python, and never see the texts: only ids, equal exactly when the
items are equal (``_ids``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from rapidfuzz.distance import Indel, Levenshtein

Opcode = tuple[str, int, int, int, int]

#: Up to this many cells (tokens × tokens, after the common head and tail) the exact longest
#: common subsequence aligns two sequences; it keeps a bit matrix of cells / 8 bytes (2 MiB).
#: Beyond it, Levenshtein's alignment takes over: banded by the distance and recovered with
#: Hirschberg's method, so its memory stays linear (see docs/performance.md).
LCS_CELLS = 1 << 24


def _align(a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    """Opcodes aligning ``a`` with ``b``: runs of ``equal``, and between two of them one
    ``delete``, ``insert`` or ``replace`` (both), as ``difflib`` writes them.

    Both sides are token (or line) ids, not the tokens: equal ids are equal tokens, exactly,
    where rapidfuzz would compare the hashes of other objects. rapidfuzz's bit-parallel
    alignments cost O(N·M/64) at worst and O(N·D/64) for the Levenshtein one, in C.
    """
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    core_a = a[head : len(a) - tail]
    core_b = b[head : len(b) - tail]
    if not core_a or not core_b:
        raw: list[Opcode] = []
        if core_a:
            raw.append(("delete", 0, len(core_a), 0, 0))
        elif core_b:
            raw.append(("insert", 0, 0, 0, len(core_b)))
    else:
        engine = Indel if len(core_a) * len(core_b) <= LCS_CELLS else Levenshtein
        # as_list() gives plain tuples (its stub says Opcode objects).
        raw = cast(list[Opcode], engine.opcodes(core_a, core_b).as_list())

    out: list[Opcode] = []
    if head:
        out.append(("equal", 0, head, 0, head))
    for tag, i1, i2, j1, j2 in raw:
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if i1 == i2 and j1 == j2:
            continue
        if out and (tag == "equal") == (out[-1][0] == "equal"):
            # Indel writes an insert next to a delete; Levenshtein a replace next to either.
            _, i1, _, j1, _ = out.pop()
        if tag != "equal":
            tag = "replace" if i1 < i2 and j1 < j2 else ("delete" if i1 < i2 else "insert")
        out.append((tag, i1, i2, j1, j2))
    if tail:
        n, m = len(a), len(b)
        if out and out[-1][0] == "equal":
            _, i1, _, j1, _ = out.pop()
            out.append(("equal", i1, n, j1, m))
        else:
            out.append(("equal", n - tail, n, m - tail, m))
    return _slide_down(out, a, b)


def _slide_down(opcodes: list[Opcode], a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    """Each change moved as far down as it can go without changing the texts.

    A longest common subsequence is not unique: ``措置する<ins>。立会い…行う</ins>。`` and
    ``措置する。<ins>立会い…行う。</ins>`` keep as much, and so do two places of a repeated
    line. The alignment may pick either; moving every change past the unchanged items it
    begins with (git's diff does the same with lines) keeps the earlier copy unchanged, and
    the unchanged run before the change in one piece. Linear: each step moves one item.
    """
    # Each op as [i1, i2, j1, j2]; an op is equal exactly when it is not a change.
    changes = [tag != "equal" for tag, *_ in opcodes]
    spans = [[i1, i2, j1, j2] for _, i1, i2, j1, j2 in opcodes]
    out: list[tuple[bool, list[int]]] = []
    k = 0
    while k < len(spans):
        i1, i2, j1, j2 = spans[k]
        if not changes[k] or k + 1 == len(spans):
            if out and not out[-1][0] and not changes[k]:
                out[-1][1][1], out[-1][1][3] = i2, j2
            else:
                out.append((changes[k], [i1, i2, j1, j2]))
            k += 1
            continue
        following = spans[k + 1]  # an equal run
        end = following[1]
        while i2 < end and (i1 == i2 or a[i1] == a[i2]) and (j1 == j2 or b[j1] == b[j2]):
            # The run's first item (a[i2] == b[j2]) now comes before the change.
            if out and not out[-1][0]:
                out[-1][1][1], out[-1][1][3] = i1 + 1, j1 + 1
            else:
                out.append((False, [i1, i1 + 1, j1, j1 + 1]))
            i1, i2, j1, j2 = i1 + 1, i2 + 1, j1 + 1, j2 + 1
        following[0], following[2] = i2, j2
        if i2 == end and k + 2 < len(spans):
            # The run is used up: the change joins the next one.
            spans[k + 2][0], spans[k + 2][2] = i1, j1
            k += 2
            continue
        out.append((True, [i1, i2, j1, j2]))
        k += 2 if i2 == end else 1
    return [
        (_tag(i1, i2, j1, j2) if change else "equal", i1, i2, j1, j2)
        for change, (i1, i2, j1, j2) in out
    ]


def _tag(i1: int, i2: int, j1: int, j2: int) -> str:
    return "replace" if i1 < i2 and j1 < j2 else ("delete" if i1 < i2 else "insert")


def _ids(*sequences: Sequence[str]) -> list[list[int]]:
    """The sequences with each distinct string replaced by one int, the same in all of them."""
    ids: dict[str, int] = {}
    return [[ids.setdefault(item, len(ids)) for item in sequence] for sequence in sequences]
