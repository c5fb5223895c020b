"""Read a hand-kept comparison table (修正等を要する部分とその内容) into a :class:`ParsedTable`.

:func:`read_table` reads the file (tab-separated text like the seed, csv or a workbook's
sheet) into records, finds the header (repeated on every page of the source), the milestone
columns and the affair, and reads each data row: its path split into headings
(``importers.paths``), its page, one :class:`~piakit.importers.values.CellValue` per
milestone column, its reason groups, and a readable, stable item id (``importers.ids``).
``importers.planning`` turns the result into commits.

It reads the one input file and nothing else: it never writes a file, runs git or looks at
the repository, and never decides which commit a change belongs to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from piakit.importers.eras import milestone_from_label
from piakit.importers.ids import item_ids, unique_id
from piakit.importers.paths import repair_paths, split_important, split_path
from piakit.importers.reading import TableSource, read_records
from piakit.importers.values import (
    CellValue,
    SourceCellStatus,
    SourceReasons,
    nfkc,
    parse_cell,
    parse_reasons,
)
from piakit.model import LEGEND, Item, Milestone, Selection

__all__ = [
    "CURRENT_ID",
    "ParsedTable",
    "TableCell",
    "TableRow",
    "read_table",
]

_FIRST_NAMES = frozenset({"対応する評価書の項目", "評価書の項目", "項目"})
_PAGE_NAMES = frozenset({"ページ", "頁"})
_REASON_NAMES = frozenset({"理由", "修正理由", "変更理由"})
_HEADER_HINT = (
    "the header row must read 対応する評価書の項目 (or 評価書の項目, 項目) | ページ (or 頁) | "
    "two or more milestone columns | 理由 (or 修正理由, 変更理由)"
)
#: The first milestone column's id: the published text the drafts change.
CURRENT_ID = "current"
#: The legend under the table in piakit's xlsx: not a row of the table.
_LEGEND_TEXT = "".join(text for text, _ in LEGEND)


@dataclass(frozen=True)
class TableCell:
    """One milestone cell as written: what it says and, for ``"value"``, the value."""

    status: SourceCellStatus
    value: CellValue | None = None
    source: str = ""


@dataclass(frozen=True)
class TableRow:
    """One data row of the table."""

    line: int  #: 1-based line of the input where the row starts
    index: int  #: 0-based position among the data rows
    item_id: str
    path: tuple[str, ...]
    page: int
    cells: tuple[TableCell, ...]  #: one per milestone column
    values: tuple[CellValue | None, ...]  #: the value at each milestone (``None``: no entry)
    reasons: tuple[SourceReasons, ...]
    important: bool = False  #: the path was marked ``※重要``

    @property
    def order(self) -> int:
        return (self.index + 1) * 10

    def changed_columns(self) -> tuple[int, ...]:
        """The milestone columns (≥ 1) where the value differs from the column before."""
        return tuple(
            column
            for column in range(1, len(self.values))
            if self.values[column] != self.values[column - 1]
        )

    def item(self, value: CellValue) -> Item:
        """The item file's record holding ``value``."""
        return Item(
            id=self.item_id,
            path=self.path,
            page=self.page,
            order=self.order,
            text=value if isinstance(value, str) else None,
            choices=value if isinstance(value, tuple) else None,
            select=value if isinstance(value, Selection) else None,
            important=self.important,
        )


@dataclass(frozen=True)
class ParsedTable:
    """A comparison table as read: its milestones (columns) and rows, nothing planned yet."""

    source: Path
    title: str | None  #: the title line above the first header (the one naming the affair)
    affair: str | None  #: e.g. 国民年金, from the title's last (…) or the affair rows
    milestones: tuple[Milestone, ...]  #: one per milestone column, ``current`` first
    rows: tuple[TableRow, ...]
    warnings: tuple[str, ...] = ()
    origin: TableSource | None = None  #: the sheet or the encoding read (``None``: unknown)

    def where(self, line: int) -> str:
        """A record of the table as messages name it: ``FILE:LINE`` or ``FILE [SHEET] row N``."""
        return (self.origin or TableSource(self.source)).at(line)


def _header_hint(origin: TableSource) -> str:
    """The header's rule; and, for text not read as UTF-8, the encoding it was read in, since
    a header in the wrong encoding reads as garbage."""
    if origin.encoding in (None, "utf-8"):
        return _HEADER_HINT
    return (
        f"{_HEADER_HINT} (the file was read as {origin.encoding}: if the text looks garbled, "
        "give its encoding with --encoding)"
    )


def _is_header_like(keys: Sequence[str]) -> bool:
    return bool(keys) and (keys[0] in _FIRST_NAMES or (len(keys) > 1 and keys[1] in _PAGE_NAMES))


def _is_header(keys: Sequence[str]) -> bool:
    return (
        len(keys) >= 5
        and keys[0] in _FIRST_NAMES
        and keys[1] in _PAGE_NAMES
        and keys[-1] in _REASON_NAMES
        and all(keys[2:-1])
    )


def _milestones(labels: Sequence[str], source: TableSource, line: int) -> tuple[Milestone, ...]:
    milestones = [Milestone(id=CURRENT_ID, label=labels[0])]
    seen = {CURRENT_ID}
    for position, label in enumerate(labels[1:], start=1):
        try:
            milestone_id, date = milestone_from_label(label, position)
        except ValueError as exc:
            raise source.error(
                line,
                f"the date in milestone {label!r} does not exist ({exc})",
                "correct the date in the header",
            ) from None
        milestones.append(Milestone(id=unique_id(milestone_id, seen), label=label, date=date))
    return tuple(milestones)


def _affair_of_title(title: str) -> str | None:
    found = re.findall(r"[（(]([^（()）]*)[)）]", title)
    return found[-1].strip() or None if found else None


@dataclass
class _RawRow:
    line: int
    cells: list[str]
    path: list[str]
    page: int
    parsed: list[TableCell]
    values: list[CellValue | None]
    reasons: tuple[SourceReasons, ...]
    important: bool = False


def read_table(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> ParsedTable:
    """Read a comparison table: ``.txt`` (tab-separated, no quoting: the seed's form),
    ``.tsv`` and ``.csv`` (quoted as Excel and piakit write them), or a sheet of an ``.xlsx``
    workbook (``sheet``, else the first).

    Text tables are decoded by :func:`~piakit.importers.reading.decode_table`: ``encoding``
    if given, else UTF-8 (with or without a BOM) or, failing that, cp932 (Shift_JIS), as
    Japanese Excel saves them. In ``.tsv`` and ``.csv`` the ``'`` that piakit writes before a
    cell a spreadsheet would run as a formula is dropped
    (:func:`~piakit.render.delimited.unescape_formula`).

    Layout: optional title lines (one non-empty cell) before the first header; the header
    (path | page | milestone columns… | reason), repeated freely with the same milestones;
    affair rows skipped (only the page column filled, not with a number, as the seed has
    them; or only the first column, right under a header, as piakit's xlsx has them); piakit's
    legend row (凡例) skipped; blank lines ignored. A path that starts with ``※重要`` marks an
    ``important`` item. Every problem is an :class:`ImportTableError` naming ``FILE:LINE``
    (in a workbook ``FILE [SHEET] row N``).
    """
    titles: list[str] = []
    header: list[str] | None = None
    header_keys: list[str] = []
    milestones: tuple[Milestone, ...] = ()
    affairs: list[str] = []
    raw_rows: list[_RawRow] = []
    warnings: list[str] = []
    under_header = False  # the record before this one (blank lines aside) was a header

    records, origin = read_records(path, encoding, sheet)
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        after_header, under_header = under_header, False
        keys = [nfkc(cell) for cell in cells]
        # Spreadsheets leave empty cells right of the table; the header decides the width.
        if header is None or _is_header_like(keys):
            while len(keys) > 1 and not keys[-1]:
                cells, keys = cells[:-1], keys[:-1]
        elif len(cells) > len(header) and not any(keys[len(header) :]):
            cells, keys = cells[: len(header)], keys[: len(header)]
        if header is None:
            if _is_header(keys):
                header, header_keys = [cell.strip() for cell in cells], keys
                milestones = _milestones(header[2:-1], origin, line)
                under_header = True
                continue
            if sum(1 for key in keys if key) == 1 and not _is_header_like(keys):
                if keys[0]:
                    titles.append(cells[0].strip())
                else:  # only the page column: the affair row of a page
                    affairs.append(next(cell.strip() for cell in cells if cell.strip()))
                continue
            raise origin.error(
                line,
                f"unknown header {' | '.join(cell.strip() for cell in cells)!r}",
                _header_hint(origin) + "; put only title lines above it",
            )
        if _is_header_like(keys):
            if not _is_header(keys):
                raise origin.error(
                    line,
                    f"unknown header {' | '.join(cell.strip() for cell in cells)!r}",
                    _HEADER_HINT,
                )
            if len(keys) != len(header_keys) or keys[2:-1] != header_keys[2:-1]:
                raise origin.error(
                    line,
                    "this header's milestones "
                    f"({' | '.join(cell.strip() for cell in cells[2:-1])}) differ from the "
                    f"first header's ({' | '.join(header[2:-1])})",
                    "every repeated header must name the same milestone columns",
                )
            under_header = True
            continue
        first, page_key = keys[0], keys[1] if len(keys) > 1 else ""
        if not first and page_key and not page_key.isdigit() and sum(map(bool, keys)) == 1:
            affairs.append(cells[1].strip())
            continue
        if first and sum(map(bool, keys)) == 1:
            if after_header:  # piakit's xlsx: the affair across the table under the header
                affairs.append(cells[0].strip())
                continue
            if cells[0].strip() == _LEGEND_TEXT:
                continue
        if len(cells) != len(header):
            raise origin.error(
                line,
                f"expected {len(header)} columns, got {len(cells)}",
                origin.column_hint(cells),
            )
        raw_rows.append(_read_row(origin, line, cells, milestones))

    if header is None:
        raise origin.error(None, "no header row found", _header_hint(origin))
    if not raw_rows:
        raise origin.error(None, "the table has no data rows", "add rows under the header")

    title: str | None = titles[0] if titles else None
    affair: str | None = None
    for title_line in titles:
        if (named := _affair_of_title(title_line)) is not None:
            title, affair = title_line, named
    distinct_affairs = list(dict.fromkeys(affairs))
    if affair is None and distinct_affairs:
        affair = distinct_affairs[0]
    for other in distinct_affairs:
        if other != affair:
            warnings.append(
                f"{origin.at(None)}: affair rows name {other!r}, the table is {affair!r}"
            )

    paths = repair_paths([row.path for row in raw_rows])
    ids = item_ids(paths)
    seen_paths: dict[tuple[str, ...], int] = {}
    rows: list[TableRow] = []
    for index, (raw, row_path, row_id) in enumerate(zip(raw_rows, paths, ids, strict=True)):
        key = tuple(nfkc(part) for part in row_path)
        if key in seen_paths:
            warnings.append(
                f"{origin.at(raw.line)}: same item path as {origin.unit} {seen_paths[key]}; "
                f"imported as a separate item {row_id}"
            )
        seen_paths.setdefault(key, raw.line)
        rows.append(
            TableRow(
                line=raw.line,
                index=index,
                item_id=row_id,
                path=tuple(row_path),
                page=raw.page,
                cells=tuple(raw.parsed),
                values=tuple(raw.values),
                reasons=raw.reasons,
                important=raw.important,
            )
        )
        warnings.extend(_cell_warnings(origin, raw, milestones))
    return ParsedTable(
        source=path,
        title=title,
        affair=affair,
        milestones=milestones,
        rows=tuple(rows),
        warnings=tuple(warnings),
        origin=origin,
    )


def _read_row(
    source: TableSource, line: int, cells: list[str], milestones: Sequence[Milestone]
) -> _RawRow:
    if not cells[0].strip():
        raise source.error(
            line,
            "the item path (first column) is empty",
            "write the item's headings in the first column",
        )
    page_text = unicodedata.normalize("NFKC", cells[1]).strip()
    if not page_text.isdigit() or not page_text.isascii():
        raise source.error(
            line,
            f"page {cells[1].strip()!r} is not a number",
            "write the page of the item in the printed document, e.g. 10",
        )
    parsed: list[TableCell] = []
    values: list[CellValue | None] = []
    for column, (cell, milestone) in enumerate(zip(cells[2:-1], milestones, strict=True)):
        status, value = parse_cell(cell)
        if column == 0 and status in ("unchanged", "deleted"):
            word = "変更なし" if status == "unchanged" else "(削除)"
            raise source.error(
                line,
                f"{word!r} in the first milestone column ({milestone.label})",
                "the first column is the starting text: write the text, or (記載なし) "
                "if the item had no entry",
            )
        parsed.append(TableCell(status=status, value=value, source=cell))
        if status == "unchanged":
            values.append(values[-1])
        else:
            values.append(value)
    try:
        groups = parse_reasons(cells[-1])
    except ValueError as exc:
        raise source.error(
            line,
            f"reason cell: {exc}",
            "write each reason under its category: 【category】 ・reason",
        ) from None
    reasons = tuple((category, tuple(lines)) for category, lines in groups)
    path_text, important = split_important(cells[0])
    return _RawRow(
        line, cells, split_path(path_text), int(page_text), parsed, values, reasons, important
    )


def _cell_warnings(source: TableSource, row: _RawRow, milestones: Sequence[Milestone]) -> list[str]:
    warnings: list[str] = []
    for column in range(1, len(row.parsed)):
        cell, before = row.parsed[column], row.values[column - 1]
        where = f"{source.at(row.line)}: {milestones[column].label}"
        if cell.status == "absent" and before is not None:
            warnings.append(f"{where}: (記載なし) after an entry; read as (削除)")
        elif cell.status == "deleted" and before is None:
            warnings.append(f"{where}: (削除) but the column before has no entry")
    return warnings
