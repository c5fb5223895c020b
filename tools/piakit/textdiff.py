"""Character-aware text diff for Japanese: what the comparison table underlines.

Japanese has no spaces to split words on, so a text is cut into runs of one script (kanji,
hiragana, katakana, latin, digits, whitespace) and single punctuation characters. Lines are
aligned first; inside a changed block each new line is paired with the old line it replaced, if
any, and only a pair is diffed token by token, so a line's words are never matched with another
line's. Each pair's result is tidied so that a changed word is marked whole rather than every
second character; the tidying never reaches over a line break.

Pure functions on strings: no IO. The alignments run in rapidfuzz (C, bit-parallel): their cost
is bounded at both levels (``_align``, ``_candidates``), never quadratic Python. The diff must
never normalise anything (width, spaces, punctuation): its operations always rebuild both
texts exactly.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable, Sequence
from typing import cast

from rapidfuzz.distance import Indel, Levenshtein

from piakit.model import DELETED_WORD, Mark

# Combining marks and variation selectors (IVS are common in official Japanese text) stay with
# the character before them, so a token never starts with one.
_COMBINING = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a"
    "\ufe00-\ufe0f\ufe20-\ufe2f\U000e0100-\U000e01ef"
)
# Kangxi and CJK radicals are included: text copied from PDFs often has them instead of kanji.
_KANJI = (
    "\u2e80-\u2fdf\u3005\u3006\u3007\u303b\u30f5\u30f6"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
)
# ー (U+30FC) also lengthens hiragana (すごーい).
_HIRAGANA = "\u3041-\u3096\u3099-\u309c\u309d-\u309f\u30fc"
# ・ (U+30FB) and ゠ (U+30A0) sit in the katakana block but are punctuation.
_KATAKANA = "\u30a1-\u30f4\u30f7-\u30fa\u3099-\u309c\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
# Half- and full-width letters and digits are separate runs, so that a width change (０ → 0)
# marks only the characters whose width changed.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
_WIDE_LATIN = "\uff21-\uff3a\uff41-\uff5a"
_DIGITS = "0-9"
_WIDE_DIGITS = "\uff10-\uff19"


def _run(chars: str) -> str:
    return f"(?:[{chars}][{_COMBINING}]*)+"


_TOKEN = re.compile(
    "|".join(
        [
            r"\n",
            _run(_KANJI),
            _run(_HIRAGANA),
            _run(_KATAKANA),
            _run(_LATIN),
            _run(_WIDE_LATIN),
            _run(_DIGITS),
            _run(_WIDE_DIGITS),
            r"[^\S\n]+",
            f"(?s:.)[{_COMBINING}]*",
        ]
    )
)
_WORD = re.compile(f"[{_KANJI}{_HIRAGANA}{_KATAKANA}{_COMBINING}]+")
_IS_COMBINING = re.compile(f"[{_COMBINING}]")
# A two-character run of one of these scripts is a word of its own (管理, ID, 19): it stays
# unmarked between two changes, unlike a particle (から) or a kana ending (及び).
_WHOLE_WORD = re.compile(
    "|".join(
        _run(chars) for chars in (_KANJI, _KATAKANA, _LATIN, _WIDE_LATIN, _DIGITS, _WIDE_DIGITS)
    )
)

# A character of a word: a change without any (punctuation, brackets, spaces) changes no word,
# so it is never folded together with the words next to it (see ``_readable``).
_WORD_CHAR = re.compile(
    f"[{_KANJI}{_HIRAGANA}{_KATAKANA}{_LATIN}{_WIDE_LATIN}{_DIGITS}{_WIDE_DIGITS}]"
)

#: An unchanged run this short (in code points) between two changes is marked with them.
SHORT_EQUAL = 2
#: A common head or tail of this many kana/kanji inside a replaced word is left unmarked.
WORD_AFFIX = 2
#: One-character particles that may be left unmarked at the edge of a replaced run: a hiragana
#: run often carries a particle along (などの → の, などの → 等の).
PARTICLES = frozenset("のをはがにへとでもや")

Op = tuple[str, str]


def tokenize(text: str) -> list[str]:
    """Cut ``text`` into diff units: script runs, single punctuation characters, ``\\n``."""
    return _TOKEN.findall(text)


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


def cell_text(first: str, previous: str, current: str) -> tuple[str, tuple[Mark, ...]]:
    """A comparison-table cell at milestone Mi: its text and marks.

    ``first`` is the text at the first column, ``previous`` at Mi-1, ``current`` at Mi. The cell
    is ``current`` with a ``(削除)`` line standing where a non-blank line of ``first`` was removed
    (a ``removed`` mark; see ``_lines_with_removals``), and ``changed`` marks on the characters
    changed since ``previous``.
    """
    first_lines = first.split("\n") if first else []
    current_lines = current.split("\n") if current else []

    pieces: list[str] = []
    marks: list[Mark] = []
    cell_line_start: list[int] = []  # by line of current
    offset = 0
    for line in _lines_with_removals(first_lines, current_lines):
        if line is None:
            marks.append(Mark(offset, offset + len(DELETED_WORD), "removed"))
            text = DELETED_WORD
        else:
            cell_line_start.append(offset)
            text = current_lines[line]
        pieces.append(text)
        offset += len(text) + 1

    current_line_start: list[int] = []
    at = 0
    for line_text in current_lines:
        current_line_start.append(at)
        at += len(line_text) + 1
    for start, end in changed_spans(previous, current):
        line = bisect.bisect_right(current_line_start, start) - 1
        shift = cell_line_start[line] - current_line_start[line]
        marks.append(Mark(start + shift, end + shift, "changed"))

    marks.sort(key=lambda mark: (mark.start, mark.end))
    return "\n".join(pieces), tuple(marks)


# --- the engine -----------------------------------------------------------------------------

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


# --- lines, then the tokens of paired lines -----------------------------------------------


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


def _replace_ops(old_tokens: list[str], new_tokens: list[str]) -> list[Op]:
    """A replaced run of tokens, keeping a shared head or tail out of the mark.

    A kanji run is often a compound of several words (委託先業者 → 委託先事業者) and a hiragana
    run often ends in a particle (などの → の); marking them whole would hide what changed. A
    shared part is kept out when it is ``WORD_AFFIX`` or more kana/kanji, a lone particle, or
    (for letters and digits) whole tokens on one side, as in a width change １０ → １0. So
    年金 → 年度, 通り → とおり and 2020 → 2021 are still marked as whole words. Any shared kana
    or kanji is kept out when what is left is a plain insertion or deletion (実施し、… → 実施し).
    """
    old = "".join(old_tokens)
    new = "".join(new_tokens)
    cuts = _cuts(old_tokens) | _cuts(new_tokens)
    shorter = min(len(old), len(new))
    head = _common_head(old, new, shorter)
    tail = _common_tail(old, new, shorter - head)
    plain_change = (
        head + tail == shorter
        and _affix(old, new, head, cuts, at_end=False, any_size=True) == head
        and _affix(old, new, tail, cuts, at_end=True, any_size=True) == tail
    )
    if not plain_change:
        head = _affix(old, new, head, cuts, at_end=False)
        tail = _common_tail(old, new, shorter - head)
        tail = _affix(old, new, tail, cuts, at_end=True)

    ops: list[Op] = []
    if head:
        ops.append(("equal", old[:head]))
    ops.append(("delete", old[head : len(old) - tail]))
    ops.append(("insert", new[head : len(new) - tail]))
    if tail:
        ops.append(("equal", old[len(old) - tail :]))
    return ops


def _common_head(old: str, new: str, limit: int) -> int:
    size = 0
    while size < limit and old[size] == new[size]:
        size += 1
    return size


def _common_tail(old: str, new: str, limit: int) -> int:
    size = 0
    while size < limit and old[-1 - size] == new[-1 - size]:
        size += 1
    return size


def _cuts(tokens: list[str]) -> set[tuple[str, int]]:
    """Token boundaries as ("head", chars before) and ("tail", chars after)."""
    total = sum(len(token) for token in tokens)
    cuts: set[tuple[str, int]] = set()
    at = 0
    for token in tokens[:-1]:
        at += len(token)
        cuts.add(("head", at))
        cuts.add(("tail", total - at))
    return cuts


def _affix(
    old: str,
    new: str,
    size: int,
    cuts: set[tuple[str, int]],
    *,
    at_end: bool,
    any_size: bool = False,
) -> int:
    """``size`` if a shared head (or tail) that long may stay unmarked, else 0."""

    def splits_a_character(text: str) -> bool:
        # The boundary must not leave a combining mark apart from its base character.
        at = len(text) - size if at_end else size
        return at < len(text) and _IS_COMBINING.match(text, at) is not None

    while size and (splits_a_character(old) or splits_a_character(new)):
        size -= 1
    if not size:
        return 0
    shared = old[len(old) - size :] if at_end else old[:size]
    if _WORD.fullmatch(shared):
        return size if any_size or size >= WORD_AFFIX or shared in PARTICLES else 0
    if _WORD.search(shared) is None and ("tail" if at_end else "head", size) in cuts:
        return size
    return 0


# --- tidying -------------------------------------------------------------------------------


def _normalize(ops: Iterable[Op]) -> list[Op]:
    """Join neighbours: one equal per unchanged run, one delete then one insert per change."""
    out: list[Op] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted and (text := "".join(deleted)):
            out.append(("delete", text))
        if inserted and (text := "".join(inserted)):
            out.append(("insert", text))
        deleted.clear()
        inserted.clear()

    for kind, text in ops:
        if not text:
            continue
        if kind == "delete":
            deleted.append(text)
        elif kind == "insert":
            inserted.append(text)
        else:
            flush()
            if out and out[-1][0] == "equal":
                out[-1] = ("equal", out[-1][1] + text)
            else:
                out.append(("equal", text))
    flush()
    return out


def _readable(ops: Sequence[Op]) -> list[Op]:
    """Fold a short unchanged run between two changes into them, so words are marked whole.

    Short means at most ``SHORT_EQUAL`` characters, no line break, and not a two-character word
    of its own (管理). Not when both changes only delete: the new text would then show an
    unchanged run as changed. Not when either change holds no word character (only
    punctuation, brackets or spaces, as in a width change （略） → (略)): it changes no word,
    so the word beside it stays unmarked and the mark shows just the changed characters.
    """
    # A segment is ("equal", text, "") or ("change", deleted, inserted).
    segments: list[tuple[str, str, str]] = []
    for kind, text in ops:
        if kind == "equal":
            segments.append(("equal", text, ""))
            continue
        if segments and segments[-1][0] == "change":
            _, deleted, inserted = segments.pop()
        else:
            deleted = inserted = ""
        if kind == "delete":
            deleted += text
        else:
            inserted += text
        # Merging can make an earlier, delete-only neighbour mergeable too, hence the loop.
        while len(segments) >= 2:
            (before, old1, new1), (_, same, _) = segments[-2:]
            if not (
                before == "change"
                and _is_short(same)
                and (new1 or inserted)
                and _changes_a_word(old1, new1)
                and _changes_a_word(deleted, inserted)
            ):
                break
            del segments[-2:]
            deleted = old1 + same + deleted
            inserted = new1 + same + inserted
        segments.append(("change", deleted, inserted))

    out: list[Op] = []
    for kind, first, second in segments:
        if kind == "equal":
            out.append(("equal", first))
            continue
        if first:
            out.append(("delete", first))
        if second:
            out.append(("insert", second))
    return out


def _changes_a_word(deleted: str, inserted: str) -> bool:
    # Adding text never takes a word character away, so a fold decided while a change is
    # still being gathered (its delete seen, its insert not yet) stays right.
    return _WORD_CHAR.search(deleted) is not None or _WORD_CHAR.search(inserted) is not None


def _is_short(same: str) -> bool:
    if len(same) > SHORT_EQUAL or "\n" in same:
        return False
    return len(same) < 2 or _WHOLE_WORD.fullmatch(same) is None


# --- pairing the lines of a replaced block --------------------------------------------------

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


# --- removed lines of the first column -----------------------------------------------------


def _lines_with_removals(first: list[str], current: list[str]) -> list[int | None]:
    """The cell's lines: an index into ``current``, or ``None`` for a ``(削除)`` placeholder.

    A line of ``first`` is removed when no line of ``current`` stands in its place. Lines are
    aligned; inside a replaced block a line similar to an old one (``LINE_SIMILARITY``) is that
    line modified, and between such pairs the new lines stand for the old ones one for one (a
    rewritten line is not a removed one: 日本電子計算株式会社 → NECフィールディング株式会社).
    Only the old lines left over get a placeholder, after the new lines of their stretch.
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
