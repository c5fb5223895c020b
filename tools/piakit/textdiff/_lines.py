"""Lines first: the lines of two texts aligned, the lines of a replaced block paired, and only
the tokens of a pair aligned, so a line's words are never matched with another line's.

``_line_ops`` gives the operations of a whole text, each pair tidied on its own (``tidy``);
``lines_with_removals`` tells which old lines no new line stands for (the comparison
table writes ``(削除)`` there).

The work is bounded at each level (``_candidates``, ``PAIR_CHOICES``, ``_heaviest_chain``): it
must never compare every old line with every new one. The alignments run through ``_align``,
``_char_similarity`` and ``_Alignment`` named here (tests/test_textdiff_pairs.py counts them).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from rapidfuzz.distance import Indel

from piakit.textdiff._align import _align, _ids
from piakit.textdiff._tidy import Op, _normalize, _readable, _replace_ops
from piakit.textdiff._tokens import tokenize

#: Lines at least this similar (``_Alignment.similarity``) count as one line modified. 0.4,
#: not 0.5: the seed rewrites ・特定個人情報の提供にあたっては、提供先と… into a line 0.47
#: similar, while unrelated lines of the seed stay below 0.35. A line less similar than this
#: to every old line is a new line, marked whole.
LINE_SIMILARITY = 0.4
#: How far from the diagonal of a replaced block a pair of lines is looked for (see
#: ``_candidates``): each line of the block's shorter side is compared with at most
#: 2 × (PAIR_WINDOW + ⌈longer / shorter⌉) + 1 lines of the longer side.
PAIR_WINDOW = 16
#: Of the old lines it is compared with, a new line's tokens are aligned with at most this many,
#: the most similar by characters (``_char_similarity``).
PAIR_CHOICES = 3


def _line_ops(old: str, new: str) -> list[Op]:
    """Lines are aligned first; inside a replaced block of lines, each new line is paired
    with at most one old line (``_pair_lines``) and only the tokens of a pair are aligned.
    A line without a partner is deleted or inserted whole, line break included. The
    operations of each pair are tidied (``_readable``) on their own: a short unchanged run is
    folded only into changes of its own line, never into an added or removed line next to it."""
    old_lines = old.split("\n")
    new_lines = new.split("\n")
    last_old = len(old_lines) - 1
    last_new = len(new_lines) - 1

    def old_full(i1: int, i2: int) -> str:
        return "".join(old_lines[i] + ("\n" if i < last_old else "") for i in range(i1, i2))

    def new_full(j1: int, j2: int) -> str:
        return "".join(new_lines[j] + ("\n" if j < last_new else "") for j in range(j1, j2))

    ops: list[Op] = []
    a, b = _ids(old_lines, new_lines)
    for tag, i1, i2, j1, j2 in _align(a, b):
        if tag == "equal":
            if i2 - 1 < last_old and j2 - 1 < last_new:
                ops.append(("equal", old_full(i1, i2)))
                continue
            # The last line of a text has no line break; the other side's line may have one.
            ops.append(("equal", old_full(i1, i2 - 1) + old_lines[i2 - 1]))
            if i2 - 1 < last_old:
                ops.append(("delete", "\n"))
            elif j2 - 1 < last_new:
                ops.append(("insert", "\n"))
            continue
        i, j = i1, j1
        for pair in [*_pair_lines(old_lines, i1, i2, new_lines, j1, j2), None]:
            pair_i, pair_j = (i2, j2) if pair is None else (pair.old, pair.new)
            ops.append(("delete", old_full(i, pair_i)))
            ops.append(("insert", new_full(j, pair_j)))
            if pair is not None:
                # Tidied alone, so that a merge of marks never reaches another line.
                ops.extend(_readable(_normalize(pair.ops)))
                old_break, new_break = pair_i < last_old, pair_j < last_new
                if old_break and new_break:
                    ops.append(("equal", "\n"))
                elif old_break:
                    ops.append(("delete", "\n"))
                elif new_break:
                    ops.append(("insert", "\n"))
            i, j = pair_i + 1, pair_j + 1
    return ops


class _Alignment:
    """Two lines' tokens aligned: the operations of a pair, and how similar the lines are."""

    __slots__ = ("new", "old", "ops", "similarity")

    def __init__(self, old: int, new: int, old_tokens: list[str], new_tokens: list[str]):
        self.old = old
        self.new = new
        a, b = _ids(old_tokens, new_tokens)
        self.ops: list[Op] = []
        for tag, i1, i2, j1, j2 in _align(a, b):
            if tag == "equal":
                self.ops.append(("equal", "".join(old_tokens[i1:i2])))
            elif tag == "delete":
                self.ops.append(("delete", "".join(old_tokens[i1:i2])))
            elif tag == "insert":
                self.ops.append(("insert", "".join(new_tokens[j1:j2])))
            else:
                self.ops.extend(_replace_ops(old_tokens[i1:i2], new_tokens[j1:j2]))
        size = sum(map(len, old_tokens)) + sum(map(len, new_tokens))
        same = sum(len(text) for kind, text in self.ops if kind == "equal")
        #: Like difflib's ratio: 2 × characters left unmarked / characters in both lines.
        #: Counted on the operations, so a word sharing its head (委託先業者 → 委託先事業者)
        #: counts what it shares.
        self.similarity = 2 * same / size if size else 1.0


def _pair_lines(
    old: list[str], i1: int, i2: int, new: list[str], j1: int, j2: int
) -> list[_Alignment]:
    """Pair old and new lines of a replaced block, in order, for the largest total similarity
    (a line alone in its block is paired with the line alone on the other side).

    The work is bounded: only the pairs near the block's diagonal are compared
    (``_candidates``: O((n + m) · PAIR_WINDOW) comparisons in C, not n · m), each new line's
    tokens are aligned with at most ``PAIR_CHOICES`` of them, and among the pairs at least
    ``LINE_SIMILARITY`` similar the in-order choice of largest total similarity is a heaviest
    increasing chain, found in O(k log k) for k such pairs.
    """
    if i2 - i1 == 1 and j2 - j1 == 1:
        # One line replaced by one line: that is its partner, however much it changed.
        return [_Alignment(i1, j1, tokenize(old[i1]), tokenize(new[j1]))]
    choices: dict[int, list[tuple[float, int]]] = {}
    for i, j in _candidates(i2 - i1, j2 - j1):
        score = _char_similarity(old[i1 + i], new[j1 + j])
        if score:
            choices.setdefault(j, []).append((score, -i))
    old_tokens: dict[int, list[str]] = {}
    scored: list[_Alignment] = []
    for j, found in choices.items():
        new_tokens = tokenize(new[j1 + j])
        for _, minus_i in heapq.nlargest(PAIR_CHOICES, found):
            i = -minus_i
            if i not in old_tokens:
                old_tokens[i] = tokenize(old[i1 + i])
            alignment = _Alignment(i1 + i, j1 + j, old_tokens[i], new_tokens)
            if alignment.similarity >= LINE_SIMILARITY:
                scored.append(alignment)
    return _heaviest_chain(scored, j2 - j1, j1)


def _candidates(n: int, m: int) -> Iterable[tuple[int, int]]:
    """The (old, new) index pairs of an n × m block worth scoring, in no particular order.

    Each line of the shorter side is compared with the lines of the longer side that lie
    within PAIR_WINDOW + ⌈longer / shorter⌉ of where it would sit if the block were spread
    evenly: a band around the block's diagonal, as wide as the block is stretched. A block of
    up to PAIR_WINDOW lines a side is compared in full. A line moved further than that
    within one block is not paired: it shows as removed and added, never a wrong mark.
    """
    short, long = min(n, m), max(n, m)
    if not short:
        return
    reach = PAIR_WINDOW + -(-long // short)
    for s in range(short):
        centre = (2 * s + 1) * long // (2 * short)
        for t in range(max(0, centre - reach), min(long, centre + reach + 1)):
            yield (s, t) if n <= m else (t, s)


def _char_similarity(a: str, b: str) -> float:
    """2 × characters shared in order / characters in both (a longest common subsequence, in
    C), or 0 when that is below ``LINE_SIMILARITY``. It bounds ``_Alignment.similarity``
    from above: the characters an alignment of tokens keeps are shared in order."""
    size = len(a) + len(b)
    if 2 * min(len(a), len(b)) < LINE_SIMILARITY * size:
        return 0.0  # cheaper than the C call, and decides most unrelated pairs
    return Indel.normalized_similarity(a, b, score_cutoff=LINE_SIMILARITY)


def _heaviest_chain(scored: list[_Alignment], m: int, j1: int) -> list[_Alignment]:
    """The pairs, strictly increasing in both lines, of largest total similarity.

    Pairs are taken by old line, and for one old line by new line from the last, so that a
    Fenwick tree over the new lines (the best chain ending before each) never chains two pairs
    of one old line. Ties go to the chain found first.
    """
    if not scored:
        return []
    scored.sort(key=lambda pair: (pair.old, -pair.new))
    tree_total = [0.0] * (m + 1)
    tree_end = [-1] * (m + 1)  # index into scored of the chain's last pair
    before = [-1] * len(scored)
    totals = [0.0] * len(scored)
    best, best_end = 0.0, -1
    for k, pair in enumerate(scored):
        # Best chain among new lines < pair.new (1-based prefix of length pair.new - j1).
        total, end = 0.0, -1
        at = pair.new - j1
        while at > 0:
            if tree_total[at] > total:
                total, end = tree_total[at], tree_end[at]
            at -= at & -at
        totals[k] = total + pair.similarity
        before[k] = end
        if totals[k] > best:
            best, best_end = totals[k], k
        at = pair.new - j1 + 1
        while at <= m:
            if totals[k] > tree_total[at]:
                tree_total[at], tree_end[at] = totals[k], k
            at += at & -at
    chain: list[_Alignment] = []
    while best_end >= 0:
        chain.append(scored[best_end])
        best_end = before[best_end]
    chain.reverse()
    return chain


def lines_with_removals(first: list[str], current: list[str]) -> list[int | None]:
    """``current``'s lines in order, as indices, with ``None`` where a line of ``first`` was
    removed.

    A line of ``first`` is removed when no line of ``current`` stands in its place. Lines are
    aligned; inside a replaced block a line similar to an old one (``LINE_SIMILARITY``) is that
    line modified, and between such pairs the new lines stand for the old ones one for one (a
    rewritten line is not a removed one: 日本電子計算株式会社 → NECフィールディング株式会社).
    Only the old lines left over get a ``None``, after the new lines of their stretch.
    Blank lines count for nothing.
    """
    if first == current:
        return list(range(len(current)))
    out: list[int | None] = []
    a, b = _ids(first, current)
    for tag, i1, i2, j1, j2 in _align(a, b):
        if tag == "equal":
            out.extend(range(j1, j2))
            continue
        if tag != "replace":
            pairs = []
        elif i2 - i1 == 1 and j2 - j1 == 1:
            pairs = [(i1, j1)]  # as _pair_lines pairs them, without aligning their tokens
        else:
            pairs = [(p.old, p.new) for p in _pair_lines(first, i1, i2, current, j1, j2)]
        i, j = i1, j1
        for pair_i, pair_j in [*pairs, (i2, j2)]:
            out.extend(range(j, pair_j))
            lost = sum(1 for k in range(i, pair_i) if first[k].strip())
            kept = sum(1 for k in range(j, pair_j) if current[k].strip())
            out.extend([None] * max(0, lost - kept))
            if pair_j < j2:
                out.append(pair_j)
            i, j = pair_i + 1, pair_j + 1
    return out
