"""Character-aware text diff for Japanese: what the comparison table underlines.

Japanese has no spaces to split words on, so a text is cut into runs of one script (kanji,
hiragana, katakana, latin, digits, whitespace) and single punctuation characters, aligned line by
line, diffed token by token inside changed lines, and tidied so that a changed word is marked
whole rather than every second character. Pure functions on strings: no IO, nothing beyond the
standard library. The diff must never normalise anything (width, spaces, punctuation): its
operations always rebuild both texts exactly.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

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

#: An unchanged run this short (in code points) between two changes is marked with them.
SHORT_EQUAL = 2
#: A common head or tail of this many kana/kanji inside a replaced word is left unmarked.
WORD_AFFIX = 2
#: One-character particles that may be left unmarked at the edge of a replaced run: a hiragana
#: run often carries a particle along (などの → の, などの → 等の).
PARTICLES = frozenset("のをはがにへとでもや")
#: The work (tokens read) difflib may do per token of input before the exact LCS takes over.
_MATCHER_WORK = 64
_MATCHER_WORK_MIN = 1 << 16
#: Lines at least this similar (a ratio like difflib's, see ``_similarity``) count as one line
#: modified. 0.4, not 0.5: the seed rewrites ・特定個人情報の提供にあたっては、提供先と… into
#: a line 0.47 similar, while unrelated lines of the seed stay below 0.35.
LINE_SIMILARITY = 0.4

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

    Lines are aligned first, then the tokens inside changed lines. The result has no empty
    operation, never two of the same kind in a row, and a delete always comes before the insert
    next to it. Two changes separated by a short unchanged run (a particle, a punctuation mark:
    see ``_readable``) become one, when at least one of them inserts something.
    """
    if old == new:
        return [("equal", old)] if old else []
    return _readable(_normalize(_line_ops(old, new)))


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


# --- alignment ------------------------------------------------------------------------------

Opcode = tuple[str, int, int, int, int]


def _opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """``difflib``-style opcodes aligning ``a`` with ``b``.

    ``difflib.SequenceMatcher``'s longest-block-first search reads best (a rewritten sentence
    keeps its unchanged phrases together), but it takes cubic time on texts made of few
    distinct tokens (1,500 × 項目、 took minutes). So it runs within a work budget linear in
    the input, and any part of the texts left when the budget runs out is aligned by an exact
    longest common subsequence instead, in O(n·m / machine word).
    """
    n, m = len(a), len(b)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    occurrences = Counter(b)
    budget = _MATCHER_WORK * (n + m) + _MATCHER_WORK_MIN
    pairs: list[tuple[int, int]] = []
    ranges = [(0, n, 0, m)]
    while ranges:
        a_lo, a_hi, b_lo, b_hi = ranges.pop()
        # What find_longest_match will read: every occurrence in b of each token of a[lo:hi].
        work = sum(occurrences[token] for token in a[a_lo:a_hi]) + a_hi - a_lo
        if work > budget:
            pairs += [(a_lo + i, b_lo + j) for i, j in _lcs(a[a_lo:a_hi], b[b_lo:b_hi])]
            continue
        budget -= work
        i, j, size = matcher.find_longest_match(a_lo, a_hi, b_lo, b_hi)
        if not size:
            continue
        pairs += [(i + k, j + k) for k in range(size)]
        if a_lo < i and b_lo < j:
            ranges.append((a_lo, i, b_lo, j))
        if i + size < a_hi and j + size < b_hi:
            ranges.append((i + size, a_hi, j + size, b_hi))
    pairs.sort()

    opcodes: list[Opcode] = []
    i = j = 0
    for pair_i, pair_j in [*pairs, (n, m)]:
        if i < pair_i and j < pair_j:
            opcodes.append(("replace", i, pair_i, j, pair_j))
        elif i < pair_i:
            opcodes.append(("delete", i, pair_i, j, j))
        elif j < pair_j:
            opcodes.append(("insert", i, i, j, pair_j))
        if pair_i < n:
            if opcodes and opcodes[-1][0] == "equal":
                _, start_i, _, start_j, _ = opcodes.pop()
                opcodes.append(("equal", start_i, pair_i + 1, start_j, pair_j + 1))
            else:
                opcodes.append(("equal", pair_i, pair_i + 1, pair_j, pair_j + 1))
        i, j = pair_i + 1, pair_j + 1
    return opcodes


def _lcs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Matched index pairs of a longest common subsequence, earliest matches preferred.

    Bit-parallel rows (Hyyrö 2004): bit j of ``~rows[i]`` is set where the LCS length of
    a[:i], b[:j+1] exceeds that of a[:i], b[:j], so a prefix popcount is an LCS length.
    """
    if not a or not b:
        return []
    where: dict[str, int] = {}
    for j, token in enumerate(b):
        where[token] = where.get(token, 0) | (1 << j)
    full = (1 << len(b)) - 1
    row = full
    rows = [row]
    for token in a:
        match = row & where.get(token, 0)
        row = ((row + match) | (row - match)) & full
        rows.append(row)

    def length(i: int, j: int) -> int:
        return (~rows[i] & ((1 << j) - 1)).bit_count()

    pairs: list[tuple[int, int]] = []
    i, j = len(a), len(b)
    best = length(i, j)
    while best:
        if length(i - 1, j) == best:
            i -= 1
        elif length(i, j - 1) == best:
            j -= 1
        else:
            i -= 1
            j -= 1
            best -= 1
            pairs.append((i, j))
    pairs.reverse()
    return pairs


# --- line alignment ------------------------------------------------------------------------


def _line_ops(old: str, new: str) -> list[Op]:
    old_lines = old.split("\n")
    new_lines = new.split("\n")
    old_full = [line + "\n" for line in old_lines[:-1]] + [old_lines[-1]]
    new_full = [line + "\n" for line in new_lines[:-1]] + [new_lines[-1]]
    last_old = len(old_lines) - 1
    last_new = len(new_lines) - 1

    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in _opcodes(old_lines, new_lines):
        if tag == "equal":
            if i2 - 1 < last_old and j2 - 1 < last_new:
                ops.append(("equal", "".join(old_full[i1:i2])))
                continue
            # The last line of a text has no line break; the other side's line may have one.
            ops.append(("equal", "".join(old_full[i1 : i2 - 1]) + old_lines[i2 - 1]))
            if i2 - 1 < last_old:
                ops.append(("delete", "\n"))
            elif j2 - 1 < last_new:
                ops.append(("insert", "\n"))
        elif tag == "delete":
            ops.append(("delete", "".join(old_full[i1:i2])))
        elif tag == "insert":
            ops.append(("insert", "".join(new_full[j1:j2])))
        else:
            ops.extend(_token_ops("".join(old_full[i1:i2]), "".join(new_full[j1:j2])))
    return ops


def _token_ops(old: str, new: str) -> list[Op]:
    a = tokenize(old)
    b = tokenize(new)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            ops.append(("equal", "".join(a[i1:i2])))
        elif tag == "delete":
            ops.append(("delete", "".join(a[i1:i2])))
        elif tag == "insert":
            ops.append(("insert", "".join(b[j1:j2])))
        else:
            ops.extend(_replace_ops(a[i1:i2], b[j1:j2]))
    return ops


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
    unchanged run as changed.
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
            if not (before == "change" and _is_short(same) and (new1 or inserted)):
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


def _is_short(same: str) -> bool:
    if len(same) > SHORT_EQUAL or "\n" in same:
        return False
    return len(same) < 2 or _WHOLE_WORD.fullmatch(same) is None


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
    for tag, i1, i2, j1, j2 in _opcodes(first, current):
        if tag == "equal":
            out.extend(range(j1, j2))
            continue
        pairs = _pair_lines(first, i1, i2, current, j1, j2) if tag == "replace" else []
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


def _pair_lines(
    old: list[str], i1: int, i2: int, new: list[str], j1: int, j2: int
) -> list[tuple[int, int]]:
    """Pair old and new lines of a replaced block, in order, for the largest total similarity."""
    n, m = i2 - i1, j2 - j1
    old_tokens = [tokenize(line) for line in old[i1:i2]]
    new_tokens = [tokenize(line) for line in new[j1:j2]]
    old_counts = [Counter(tokens) for tokens in old_tokens]
    new_counts = [Counter(tokens) for tokens in new_tokens]
    similarity: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in range(m):
            score = _similarity(old_tokens[i], new_tokens[j], old_counts[i], new_counts[j])
            if score >= LINE_SIMILARITY:
                similarity[i, j] = score
    if not similarity:
        return []

    # best[i][j]: the largest total similarity pairing old[i:] with new[j:].
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = max(best[i + 1][j], best[i][j + 1])
            if (i, j) in similarity:
                score = max(score, similarity[i, j] + best[i + 1][j + 1])
            best[i][j] = score
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if (i, j) in similarity and best[i][j] == similarity[i, j] + best[i + 1][j + 1]:
            pairs.append((i1 + i, j1 + j))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _similarity(
    a: list[str], b: list[str], a_counts: Counter[str], b_counts: Counter[str]
) -> float:
    """Like difflib's ratio, on characters: 2 × characters in common / characters in both.

    Counted on the token alignment, not with ``SequenceMatcher.ratio`` on characters, which
    takes cubic time on repetitive lines. The cheap upper bounds go first.
    """
    size = sum(map(len, a)) + sum(map(len, b))
    if not size:
        return 1.0
    if 2 * min(sum(map(len, a)), sum(map(len, b))) < LINE_SIMILARITY * size:
        return 0.0
    shared = sum(min(count, b_counts[token]) * len(token) for token, count in a_counts.items())
    if 2 * shared < LINE_SIMILARITY * size:
        return 0.0
    same = sum(sum(map(len, a[i1:i2])) for tag, i1, i2, _, _ in _opcodes(a, b) if tag == "equal")
    return 2 * same / size
