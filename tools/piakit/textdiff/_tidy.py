"""Readable operations: a changed word marked whole, not every second character.

``_replace_ops`` keeps a shared head or tail (an affix, a particle) out of a replaced run of
tokens; ``_normalize`` joins neighbouring operations; ``_readable`` folds a short unchanged run
between two changes into them.

Pure functions on operations. They must never change the texts the operations rebuild, and
never reach over a line break: the caller hands them one pair of lines at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from piakit.textdiff._tokens import (
    has_kana_or_kanji,
    has_word_char,
    is_combining_at,
    is_whole_word,
    is_word,
)

#: An unchanged run this short (in code points) between two changes is marked with them.
SHORT_EQUAL = 2
#: A common head or tail of this many kana/kanji inside a replaced word is left unmarked.
WORD_AFFIX = 2
#: One-character particles that may be left unmarked at the edge of a replaced run: a hiragana
#: run often carries a particle along (などの → の, などの → 等の).
PARTICLES = frozenset("のをはがにへとでもや")

Op = tuple[str, str]


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
        return is_combining_at(text, at)

    while size and (splits_a_character(old) or splits_a_character(new)):
        size -= 1
    if not size:
        return 0
    shared = old[len(old) - size :] if at_end else old[:size]
    if is_word(shared):
        return size if any_size or size >= WORD_AFFIX or shared in PARTICLES else 0
    if not has_kana_or_kanji(shared) and ("tail" if at_end else "head", size) in cuts:
        return size
    return 0


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
    return has_word_char(deleted) or has_word_char(inserted)


def _is_short(same: str) -> bool:
    if len(same) > SHORT_EQUAL or "\n" in same:
        return False
    return len(same) < 2 or not is_whole_word(same)
