"""What every renderer of the comparison table writes the same way.

The column headers, the headings above the table, the item path, the page, the reasons grouped
under 【category】 headings and followed by the opinions they answer (（意見N）), and a cell's
text cut into lines of marked pieces. Format modules only decide how these look (escaping,
tags, runs); they never regroup reasons or re-cut text themselves, so md, html, csv, tsv, xlsx
and docx always say the same thing. Pure functions: no IO, no format-specific escaping here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from piakit.model import Cell, ComparisonTable, MarkKind, Reason, Row, full_title

HEADER_ITEM = "対応する評価書の項目"
HEADER_PAGE = "ページ"
HEADER_REASON = "理由"

#: The name the hand-kept tables give themselves (the seed's first line).
TABLE_NAME = "修正等を要する部分とその内容"

#: What a table with no rows says instead.
NO_ROWS = "修正等を要する部分はありません。"

#: A piece of a cell's text and how it is marked (``None``: not marked).
CellPiece = tuple[str, MarkKind | None]


def header_labels(table: ComparisonTable) -> list[str]:
    """The header row: item, page, one label per column, reasons."""
    return [HEADER_ITEM, HEADER_PAGE, *(column.label for column in table.columns), HEADER_REASON]


def document_title(table: ComparisonTable) -> str:
    """The assessment the table belongs to: ``千葉市 国民年金に関する事務 全項目評価書``."""
    return full_title(table.organization, table.title)


def table_title(table: ComparisonTable) -> str:
    """The table's own name, as the seed writes it: ``修正等を要する部分とその内容（国民年金）``."""
    if table.affair:
        return f"{TABLE_NAME}（{table.affair}）"
    return TABLE_NAME


def path_text(path: Sequence[str], separator: str = " ") -> str:
    """The item's headings, outermost first, on one line (the seed joins them with a space)."""
    return separator.join(path)


def page_text(page: int | None) -> str:
    return "" if page is None else str(page)


@dataclass(frozen=True)
class ReasonGroup:
    """Reasons shown under one 【category】 heading; ``category`` ``None``: no heading."""

    category: str | None
    reasons: tuple[str, ...]


def reason_groups(reasons: Iterable[Reason]) -> list[ReasonGroup]:
    """Group reasons for display, keeping commit order.

    Each distinct (category, reason) pair counts once. Consecutive reasons of one category
    share a heading; a category met again later, after another one, gets its heading again,
    so the order of the commits stays readable. A category with no reason of its own stands
    alone (its group has no reasons). Reasons without a category come first, before any
    heading, so that they never read as belonging to the category above them.
    """
    seen: set[tuple[str | None, str | None]] = set()
    uncategorized: list[str] = []
    groups: list[tuple[str, list[str]]] = []
    for reason in reasons:
        pair = reason.pair()
        if pair in seen or pair == (None, None):
            continue
        seen.add(pair)
        category, text = pair
        if category is None:
            if text is not None:
                uncategorized.append(text)
            continue
        if not groups or groups[-1][0] != category:
            groups.append((category, []))
        if text is not None:
            groups[-1][1].append(text)
    result = [ReasonGroup(category, tuple(texts)) for category, texts in groups]
    if uncategorized:
        result.insert(0, ReasonGroup(None, tuple(uncategorized)))
    return result


def category_line(category: str) -> str:
    """``【category】``; a category already written in brackets is not bracketed twice."""
    if category.startswith("【") and category.endswith("】"):
        return category
    return f"【{category}】"


def reason_line(reason: str) -> str:
    """``・reason``; a reason already written as a bullet keeps its one bullet."""
    return reason if reason.startswith("・") else f"・{reason}"


def reason_lines(reasons: Iterable[Reason]) -> list[str]:
    """The reason column as lines, e.g. ``["【事務所管課による修正】", "・表記の改善"]``."""
    lines: list[str] = []
    for group in reason_groups(reasons):
        if group.category is not None:
            lines.append(category_line(group.category))
        lines.extend(reason_line(text) for text in group.reasons)
    return lines


def opinion_labels(table: ComparisonTable, row: Row) -> list[str]:
    """（意見N） for each opinion the row's commits resolve, by number (the 意見対応表's);
    an opinion the records do not hold comes last, by its id."""
    numbers = table.opinion_numbers

    def order(opinion_id: str) -> tuple[bool, int, str]:
        number = numbers.get(opinion_id)
        return (number is None, number or 0, opinion_id)

    return [table.opinion_label(opinion_id) for opinion_id in sorted(row.opinions, key=order)]


def opinion_line(table: ComparisonTable, row: Row) -> str:
    """The line after a row's reasons that names its opinions, ``（意見2）（意見5）``; ``""``
    for a row that resolves none."""
    return "".join(opinion_labels(table, row))


def row_reason_lines(table: ComparisonTable, row: Row) -> list[str]:
    """The reason column of ``row`` as lines: ``reason_lines``, then ``opinion_line``."""
    lines = reason_lines(row.reasons)
    opinions = opinion_line(table, row)
    return [*lines, opinions] if opinions else lines


def cell_lines(cell: Cell) -> list[list[CellPiece]]:
    """The cell's display text cut into lines, each line into marked pieces.

    A mark that runs over a line break is cut at it, so that every format can close its
    underline before the break and reopen it after. Empty pieces are dropped; an empty line is
    an empty list. Status cells (変更なし, (記載なし), (削除)) are one unmarked line.
    """
    lines: list[list[CellPiece]] = [[]]
    for text, kind in cell.segments():
        for index, part in enumerate(text.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((part, kind))
    return lines
