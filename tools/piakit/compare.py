"""The comparison table (修正等を要する部分とその内容) from item versions: pure, no IO.

Pipeline:
  1. ``versions``: for each chosen milestone, the items as they were there (id → Item);
  2. rows: every item whose value differs between some M(i-1) and M(i), in document order;
  3. cells, by the first rule that holds (docs/format.md): a changed text shows the current
     text, ``(削除)`` where a line of the first column was removed, and the character-level
     marks from ``textdiff`` (``cell_text``);
  4. reasons: the distinct (category, reason) pairs of the commits that changed the item in
     the range, in commit order.

One deliberate refinement of the first rule (docs/format.md), taken from the real table: when
an item is absent at M(i) and at M(i-1) but existed at an earlier column, its deletion simply
stands, and the hand-kept tables write ``変更なし`` there (the seed's row on page 15);
``(記載なし)`` is for an item that has had no entry at any column so far.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from itertools import pairwise

from piakit.model import DELETED_WORD, Cell, Column, ComparisonTable, Item, Mark, Reason, Row
from piakit.textdiff import changed_spans, lines_with_removals

Version = Mapping[str, Item]


def changed_items(versions: Sequence[Version]) -> list[str]:
    """Ids of the items whose value differs between two neighbouring columns."""
    ids: set[str] = set()
    for before, after in pairwise(versions):
        for item_id in before.keys() | after.keys():
            old, new = before.get(item_id), after.get(item_id)
            # The same blob is the same Item object (parsed once): no need to compare text.
            if old is not new and _value(old) != _value(new):
                ids.add(item_id)
    return sorted(ids)


def _value(item: Item | None) -> str | None:
    if item is None or item.is_empty:
        return None
    return item.plain()


def build_cells(history: Sequence[Item | None]) -> tuple[Cell, ...]:
    """The cells of one row, given the item at each column (``None`` where it has no file)."""
    plains = [_value(item) for item in history]
    first = plains[0]
    cells = [Cell("text", first) if first is not None else Cell("absent")]
    for i in range(1, len(plains)):
        previous, current = plains[i - 1], plains[i]
        if current is None and previous is None:
            existed = any(p is not None for p in plains[: i - 1])
            cells.append(Cell("unchanged") if existed else Cell("absent"))
        elif current is None:
            cells.append(Cell("deleted"))
        elif current == previous:
            cells.append(Cell("unchanged"))
        else:
            text, marks = cell_text(first or "", previous or "", current)
            cells.append(Cell("text", text, marks))
    return tuple(cells)


def cell_text(first: str, previous: str, current: str) -> tuple[str, tuple[Mark, ...]]:
    """A comparison-table cell at milestone Mi: its text and marks.

    ``first`` is the text at the first column, ``previous`` at Mi-1, ``current`` at Mi. The cell
    is ``current`` with a ``(削除)`` line standing where a non-blank line of ``first`` was removed
    (a ``removed`` mark; ``textdiff.lines_with_removals`` says which lines are), and ``changed``
    marks on the characters changed since ``previous`` (``textdiff.changed_spans``).
    """
    first_lines = first.split("\n") if first else []
    current_lines = current.split("\n") if current else []

    pieces: list[str] = []
    marks: list[Mark] = []
    cell_line_start: list[int] = []  # by line of current
    offset = 0
    for line in lines_with_removals(first_lines, current_lines):
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


def distinct_reasons(reasons: Sequence[Reason]) -> tuple[Reason, ...]:
    """The first occurrence of each (category, reason) pair, in the given (commit) order."""
    seen: set[tuple[str | None, str | None]] = set()
    kept = []
    for reason in reasons:
        if reason.pair() not in seen:
            seen.add(reason.pair())
            kept.append(reason)
    return tuple(kept)


def build_table(
    *,
    assessment: str,
    title: str,
    columns: Sequence[Column],
    versions: Sequence[Version],
    reasons: Mapping[str, Sequence[Reason]],
    organization: str | None = None,
    affair: str | None = None,
    opinions: Mapping[str, Sequence[str]] | None = None,
    opinion_numbers: Mapping[str, int] | None = None,
) -> ComparisonTable:
    """Assemble the table. ``reasons`` maps an item id to the reasons of the commits in the
    range that changed it, in commit order (duplicates allowed; they are folded here);
    ``opinions`` to the ids of the opinions those commits resolve, and ``opinion_numbers``
    numbers them (the 意見対応表's 番号)."""
    opinions = opinions or {}
    rows = []
    for item_id in changed_items(versions):
        history = [version.get(item_id) for version in versions]
        existing = [item for item in history if item is not None]
        reference = existing[0]
        rows.append(
            (
                reference.sort_key(),
                Row(
                    item=item_id,
                    path=reference.path,
                    page=reference.page,
                    cells=build_cells(history),
                    reasons=distinct_reasons(reasons.get(item_id, ())),
                    important=any(item.important for item in existing),
                    opinions=tuple(dict.fromkeys(opinions.get(item_id, ()))),
                ),
            )
        )
    rows.sort(key=lambda pair: pair[0])
    return ComparisonTable(
        assessment=assessment,
        title=title,
        columns=tuple(columns),
        rows=tuple(row for _, row in rows),
        organization=organization,
        affair=affair,
        opinion_numbers=dict(opinion_numbers or {}),
    )
