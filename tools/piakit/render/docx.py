"""The comparison table as a Word document (python-docx): A3 landscape, one table.

The assessment's and the table's titles, then a table with the columns of the hand-kept tables:
item, page, one column per milestone, reasons. The header row, and the affair's row under it
as the seed has it, repeat at the top of every page (``w:tblHeader``). In text cells only the
characters that changed since the previous column are underlined; ``(削除)`` placeholders and
status words (変更なし, (記載なし), (削除)) are grey; lines inside a cell are ``w:br``.

With ``track_changes=True`` the newest column is written instead as Word tracked changes
(``w:ins`` / ``w:del``) against the column before it, so that a reviewer can accept or reject
each change in Word: accepting every change gives the newest text, rejecting gives the previous
one. Text is cleaned of characters XML forbids; nothing here reads files or git.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from piakit.model import DELETED_WORD, IMPORTANT_MARK, LEGEND, Cell, ComparisonTable, Row
from piakit.render.common import (
    NO_ROWS,
    category_line,
    document_title,
    header_labels,
    opinion_line,
    page_text,
    path_text,
    reason_groups,
    reason_line,
    table_title,
)
from piakit.render.office_text import clean_text, document_timestamp, row_height
from piakit.render.redline import Piece
from piakit.render.word import (
    A3_HEIGHT,
    A3_WIDTH,
    AUTHOR,
    BODY_SIZE,
    CELL_MARGIN_SIDE,
    CELL_MARGIN_TOP,
    MARGIN_SIDE,
    MARGIN_TOP,
    blank_row,
    fixed_table,
    fonts,
    narrow_margins,
    page_setup,
    repeat_on_every_page,
    save,
    shade,
    styles,
    write_pieces,
)
from piakit.textdiff import diff_ops

#: Relative column widths, the same proportions as the xlsx columns.
ITEM_WEIGHT = 28
PAGE_WEIGHT = 6
MILESTONE_WEIGHT = 45
REASON_WEIGHT = 30

#: A3 landscape, with the html renderer's margins.
PAGE_WIDTH = A3_WIDTH
PAGE_HEIGHT = A3_HEIGHT

#: Added to the legend when the newest column holds tracked changes.
TRACKED_NOTE = "直前の列からの変更を Word の変更履歴 (挿入・削除) として記載しています。"


def render(table: ComparisonTable, *, track_changes: bool = False, **options: Any) -> bytes:
    """The table as a ``.docx`` file.

    ``track_changes``: write the newest column as tracked changes against the previous one.
    Other options are ignored.
    """
    document = Document()
    page_setup(document, PAGE_WIDTH, PAGE_HEIGHT)
    styles(document)
    fonts(document)

    heading = document.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    heading.add_run(clean_text(document_title(table))).font.size = Pt(11)
    title = document.add_paragraph()
    title.paragraph_format.keep_with_next = True
    title_run = title.add_run(clean_text(table_title(table)))
    title_run.bold = True
    title_run.font.size = Pt(14)

    revisions = _Revisions(table) if track_changes and table.columns else None
    # The legend goes under the title, kept with the table's first rows: after the table it
    # was left alone on a last page when the table filled the one before.
    legend = document.add_paragraph()
    legend.paragraph_format.space_after = Pt(4)
    legend.paragraph_format.keep_with_next = True
    write_pieces(legend, LEGEND)
    if revisions is not None:
        newest = table.columns[-1].label
        write_pieces(legend, [(f"\n「{newest}」の列は、{TRACKED_NOTE}", None)])

    widths = _column_widths(table)
    word_table = _table(document, table, widths)
    blank = blank_row(word_table)
    fit = _RowFit(table, widths)
    for row in table.rows:
        _data_row(word_table, blank, table, row, revisions, fit)
    if not table.rows:
        empty = _merged_row(word_table)
        empty.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        write_pieces(empty.paragraphs[0], [(NO_ROWS, "status")])
    return _save(document, table)


# --- the table ---------------------------------------------------------------------------


def _column_widths(table: ComparisonTable) -> list[Emu]:
    weights = [ITEM_WEIGHT, PAGE_WEIGHT, *([MILESTONE_WEIGHT] * len(table.columns))]
    weights.append(REASON_WEIGHT)
    usable = PAGE_WIDTH - 2 * MARGIN_SIDE
    return [Emu(usable * weight // sum(weights)) for weight in weights]


def _table(document: Any, table: ComparisonTable, widths: Sequence[Emu]) -> Any:
    """The table with its header row, and the affair's row when the table names one."""
    labels = header_labels(table)

    word_table = fixed_table(document, widths)

    header = word_table.add_row()
    repeat_on_every_page(header)
    for index, (cell, label) in enumerate(zip(header.cells, labels, strict=True)):
        # tcPr children have a fixed order: the shading must come before the alignment.
        shade(cell)
        if index == 1:
            narrow_margins(cell)  # ページ fits the narrow column on one line
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        write_pieces(paragraph, [(label, "bold")])
    if table.affair:
        affair_row = word_table.add_row()
        repeat_on_every_page(affair_row)
        merged = affair_row.cells[0].merge(affair_row.cells[-1])
        write_pieces(merged.paragraphs[0], [(table.affair, "bold")])
    return word_table


class _RowFit:
    """Whether a row fits on one page under the repeated header, from its text's estimated
    height (:func:`office_text.row_height`): such rows are kept whole (``w:cantSplit``); a
    longer one must split, or Word and LibreOffice would cut it at the page's foot."""

    def __init__(self, table: ComparisonTable, widths: Sequence[Emu]) -> None:
        self._table = table
        size = BODY_SIZE.pt
        side = 2 * CELL_MARGIN_SIDE / 20
        # A half-width character of the body font is half its size wide.
        self._columns = [max(Emu(width).pt - side, 1.0) / (size / 2) for width in widths]
        self._padding = 2 * CELL_MARGIN_TOP / 20
        header = [
            self.height(header_labels(table)),
            self.height([table.affair] * len(widths)) if table.affair else 0.0,
        ]
        page: float = Emu(PAGE_HEIGHT - 2 * MARGIN_TOP).pt
        self.room = page - sum(header)

    def height(self, texts: Sequence[str]) -> float:
        return row_height(texts, self._columns, BODY_SIZE.pt, self._padding)

    def fits(self, row: Row, revisions: bool) -> bool:
        texts = [path_text(row.path, "\n"), page_text(row.page)]
        texts.extend(cell.display() for cell in row.cells)
        if revisions and len(row.cells) > 1:
            # Tracked changes show the deleted text beside the inserted: count both.
            texts[-1] = _previous_text(row.cells) + "\n" + texts[-1]
        texts.append("".join(text for text, _ in _reason_pieces(self._table, row)))
        if row.important:
            texts[0] = IMPORTANT_MARK + "\n" + texts[0]
        return self.height(texts) <= self.room


def _merged_row(word_table: Any) -> _Cell:
    row: _Row = word_table.add_row()
    merged: _Cell = row.cells[0].merge(row.cells[-1])
    return merged


def _data_row(
    word_table: Any,
    blank: Any,
    table: ComparisonTable,
    row: Row,
    revisions: _Revisions | None,
    fit: _RowFit,
) -> None:
    tr = copy.deepcopy(blank)
    word_table._tbl.append(tr)
    if fit.fits(row, revisions is not None):
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    cells: Sequence[_Cell] = [_Cell(tc, word_table) for tc in tr.tc_lst]

    item: list[Piece] = [(path_text(row.path, "\n"), None)]
    if row.important:
        item = [(IMPORTANT_MARK, "important"), ("\n", None), *item]
    write_pieces(cells[0].paragraphs[0], item)
    page = cells[1].paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    write_pieces(page, [(page_text(row.page), None)])

    last = len(row.cells) - 1
    for index, table_cell in enumerate(row.cells):
        paragraph = cells[2 + index].paragraphs[0]
        if revisions is not None and index == last and index > 0:
            revisions.write(paragraph, row.cells)
        else:
            write_pieces(paragraph, _cell_pieces(table_cell))

    write_pieces(cells[-1].paragraphs[0], _reason_pieces(table, row))


def _cell_pieces(cell: Cell) -> list[Piece]:
    if cell.status != "text":
        return [(cell.display(), "status")]
    return [(piece, kind) for piece, kind in cell.segments()]


def _reason_pieces(table: ComparisonTable, row: Row) -> list[Piece]:
    """The reason column: bold 【category】 lines, ・reason lines, then （意見N）."""
    lines: list[Piece] = []
    for group in reason_groups(row.reasons):
        if group.category is not None:
            lines.append((category_line(group.category), "bold"))
        lines.extend((reason_line(text), None) for text in group.reasons)
    if row.opinions:
        lines.append((opinion_line(table, row), None))
    return [
        (text if index == len(lines) - 1 else text + "\n", style)
        for index, (text, style) in enumerate(lines)
    ]


# --- tracked changes ---------------------------------------------------------------------


class _Revisions:
    """Writes the newest column as ``w:ins`` / ``w:del`` against the previous column's text.

    Every revision gets its own ``w:id``, unique in the document, the author ``piakit`` and the
    newest column's date when it has one.
    """

    def __init__(self, table: ComparisonTable) -> None:
        self._ids: Iterator[int] = itertools.count(1)
        newest = table.columns[-1].date
        self._date = f"{newest.isoformat()}T00:00:00Z" if newest is not None else None

    def write(self, paragraph: Paragraph, cells: Sequence[Cell]) -> None:
        newest = cells[-1]
        if newest.status in ("unchanged", "absent"):
            # Nothing to accept or reject: the cell reads as the table always writes it.
            write_pieces(paragraph, _cell_pieces(newest))
            return
        previous = clean_text(_previous_text(cells))
        if newest.status == "deleted":
            ops = [("delete", previous), ("insert", DELETED_WORD)]
        else:
            ops = diff_ops(previous, clean_text(_source_text(newest)))
        for kind, text in ops:
            if not text:
                continue
            if kind == "equal":
                write_pieces(paragraph, [(text, None)])
            else:
                paragraph._p.append(self._revision(kind, text))

    def _revision(self, kind: str, text: str) -> Any:
        tag = "w:ins" if kind == "insert" else "w:del"
        attrs = {qn("w:id"): str(next(self._ids)), qn("w:author"): AUTHOR}
        if self._date is not None:
            attrs[qn("w:date")] = self._date
        revision = OxmlElement(tag, attrs=attrs)
        revision.append(_tracked_run(text, deleted=kind == "delete"))
        return revision


def _tracked_run(text: str, *, deleted: bool) -> Any:
    """A ``w:r`` holding ``text``: ``w:t`` (``w:delText`` when deleted), ``w:br``, ``w:tab``."""
    run = OxmlElement("w:r")
    text_tag = "w:delText" if deleted else "w:t"
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            run.append(OxmlElement("w:br"))
        for part_number, part in enumerate(line.split("\t")):
            if part_number:
                run.append(OxmlElement("w:tab"))
            if part:
                element = OxmlElement(text_tag, attrs={qn("xml:space"): "preserve"})
                element.text = part
                run.append(element)
    return run


def _source_text(cell: Cell) -> str:
    """The item's own text behind a text cell: the ``(削除)`` placeholder lines taken out."""
    if cell.status != "text":
        return ""
    text = cell.text or ""
    placeholders = {(mark.start, mark.end) for mark in cell.marks if mark.kind == "removed"}
    if not placeholders:
        return text
    kept: list[str] = []
    at = 0
    for line in text.split("\n"):
        if (at, at + len(line)) not in placeholders:
            kept.append(line)
        at += len(line) + 1
    return "\n".join(kept)


def _previous_text(cells: Sequence[Cell]) -> str:
    """The text the cell before the last one stands for: walk back over 変更なし cells to the
    last text; an item absent or deleted there had no text."""
    for cell in reversed(cells[:-1]):
        if cell.status == "unchanged":
            continue
        return _source_text(cell)
    return ""


# --- saving ------------------------------------------------------------------------------


def _save(document: Any, table: ComparisonTable) -> bytes:
    """Write with fixed properties and zip times, so the same table gives the same bytes."""
    return save(document, table_title(table), document_timestamp(table))
