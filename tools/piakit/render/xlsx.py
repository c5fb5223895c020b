"""The comparison table as an Excel workbook (openpyxl), laid out like the hand-kept tables.

One sheet: the assessment and the table's title, the header row (item, page, one column per
milestone, reasons) and, when the table names its affair, the affair's row under it as the seed
has it; both are repeated at the top of every printed page. Then one row per item. In text
cells only the characters that changed since the previous column are underlined (rich text);
``(削除)`` placeholders are grey, status words (変更なし, (記載なし), (削除)) plain grey text.
Printed on A3 landscape, fitted to the page width.

Text always goes in as text, never as a formula or an error value, is cleaned of characters
XML forbids and is cut to Excel's cell limit with a visible note. openpyxl is imported here
only, so other formats never load it.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter

from piakit.model import IMPORTANT_MARK, LEGEND, Cell, ComparisonTable, Row
from piakit.render.common import (
    NO_ROWS,
    category_line,
    document_title,
    header_labels,
    opinion_line,
    path_text,
    reason_groups,
    reason_line,
    table_title,
)
from piakit.render.office_text import (
    EXCEL_CELL_LIMIT,
    OFFICE_FONT,
    clean_segments,
    document_timestamp,
    office_text,
    row_height,
    stable_zip,
    truncate_segments,
)

#: Column widths in Excel's units (about one half-width character each; kanji take two).
ITEM_WIDTH = 28.0
PAGE_WIDTH = 6.0
MILESTONE_WIDTH = 45.0
REASON_WIDTH = 30.0

SHEET_TITLE = "修正等を要する部分とその内容"

FONT_SIZE = 10
GREY = "FF6B6B6B"
IMPORTANT_RED = "FFB00020"
HEADER_FILL = "FFE6E6E6"

# Excel's codes for the page set-up.
PAPER_A3 = 8

#: How Excel marks a font for Japanese text: the Shift_JIS character set, a modern family (as
#: Japanese Excel writes 游ゴシック).
_JAPANESE_CHARSET = 128
_MODERN_FAMILY = 3


def font(size: float = FONT_SIZE, **style: Any) -> Font:
    """A cell font in :data:`office_text.OFFICE_FONT` at ``size`` points."""
    return Font(
        name=OFFICE_FONT, size=size, charset=_JAPANESE_CHARSET, family=_MODERN_FAMILY, **style
    )


def _run_font(**style: Any) -> InlineFont:
    return InlineFont(
        rFont=OFFICE_FONT, charset=_JAPANESE_CHARSET, family=_MODERN_FAMILY, sz=FONT_SIZE, **style
    )


# A styled run of rich text does not take the cell's font, so each names the font again.
_RUN_FONTS: dict[str, InlineFont] = {
    "changed": _run_font(u="single"),
    "removed": _run_font(color=GREY),
    "bold": _run_font(b=True),
    "important": _run_font(b=True, color=IMPORTANT_RED),
}

_THIN = Side(style="thin", color="FF555555")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY_FONT = font()
STATUS_FONT = font(color=GREY)
_HEADER_FONT = font(bold=True)
#: The workbook's default font, as Japanese Excel's: it also sets the unit of column widths.
_DEFAULT_FONT = font(11)
_TOP_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")
_TOP_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


def render(table: ComparisonTable, **options: Any) -> bytes:
    """The table as an ``.xlsx`` file. No options yet; unknown ones are ignored."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    widths = [ITEM_WIDTH, PAGE_WIDTH, *([MILESTONE_WIDTH] * len(table.columns)), REASON_WIDTH]
    last_column = len(widths)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    banner(sheet, 1, document_title(table), last_column, font(11))
    banner(sheet, 2, table_title(table), last_column, font(14, bold=True))
    header_row = 3
    for index, label in enumerate(header_labels(table), start=1):
        header_cell(sheet.cell(row=header_row, column=index), label)
    repeated_to = header_row
    if table.affair:
        # The seed's row under the header that names the affair (国民年金).
        repeated_to = header_row + 1
        banner(sheet, repeated_to, table.affair, last_column, _HEADER_FONT, border=True)

    row_number = repeated_to + 1
    styles = BodyStyles()
    for row in table.rows:
        _write_row(sheet, row_number, table, row, styles)
        row_number += 1
    if not table.rows:
        banner(sheet, row_number, NO_ROWS, last_column, STATUS_FONT, border=True)
        sheet.cell(row=row_number, column=1).alignment = _HEADER_ALIGN
        row_number += 1
    legend = sheet.cell(row=row_number + 1, column=1)
    _set_pieces(legend, LEGEND)
    sheet.merge_cells(
        start_row=row_number + 1, start_column=1, end_row=row_number + 1, end_column=last_column
    )
    legend.font = _BODY_FONT
    legend.alignment = Alignment(wrap_text=True, vertical="top")

    sheet.freeze_panes = sheet.cell(row=repeated_to + 1, column=1)
    fit_row_heights(sheet, widths, repeated_to + 1, row_number - 1)
    page_setup(sheet, header_row, repeated_to)
    return _save(workbook, table)


#: Half-width characters of the body font per unit of Excel's column width (the width of "0" in
#: the workbook's default font): LibreOffice fits 62 in a column 45 wide (1.38), Excel with
#: 游ゴシック a little fewer; a cell's edges take about :data:`_EDGE_UNITS` of its width.
COLUMNS_PER_UNIT = 1.3
_EDGE_UNITS = 0.6
#: Points added to each row for the space above and below its text.
ROW_PADDING = 3.0
#: Excel's maximum row height, in points.
MAX_ROW_HEIGHT = 409.0


def width_columns(width: float) -> float:
    """The half-width characters of the body font that fit on a line of a column ``width``
    wide (in Excel's units)."""
    return max(width - _EDGE_UNITS, 1.0) * COLUMNS_PER_UNIT


def fit_row_heights(sheet: Any, widths: Sequence[float], first: int, last: int) -> None:
    """Set each body row's height for its wrapped text (:func:`office_text.row_height`).

    Neither openpyxl nor LibreOffice sizes rows when a file is opened, so without explicit
    heights every row prints one line high and the text of wrapped cells overlaps.
    """
    columns = [width_columns(width) for width in widths]
    for number in range(first, last + 1):
        texts = []
        for index in range(1, len(widths) + 1):
            value = sheet.cell(row=number, column=index).value
            texts.append("" if value is None else str(value))
        height = row_height(texts, columns, FONT_SIZE, ROW_PADDING)
        sheet.row_dimensions[number].height = min(MAX_ROW_HEIGHT, round(height, 2))


def new_workbook() -> Any:
    """An empty workbook whose default font (the Normal style's, font 0) is :data:`_DEFAULT_FONT`
    rather than openpyxl's Calibri."""
    workbook = Workbook()
    # The Normal style already points at font 0; replacing the list keeps that index.
    workbook._fonts = IndexedList([_DEFAULT_FONT])
    return workbook


def banner(
    sheet: Any, row: int, text: str, last_column: int, font: Font, *, border: bool = False
) -> None:
    """One line of text across the whole width of the table."""
    cell = sheet.cell(row=row, column=1)
    set_text(cell, office_text(text, limit=EXCEL_CELL_LIMIT))
    cell.font = font
    cell.alignment = Alignment(vertical="center", horizontal="left")
    if border:
        for column in range(1, last_column + 1):
            sheet.cell(row=row, column=column).border = _BORDER
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)


def _write_row(
    sheet: Any, number: int, table: ComparisonTable, row: Row, styles: BodyStyles
) -> None:
    path = path_text(row.path, "\n")
    item: list[tuple[str, str | None]] = [(path, None)]
    if row.important:
        item = [(IMPORTANT_MARK, "important"), ("\n" + path, None)]
    body_cell(sheet.cell(row=number, column=1), item, styles)

    page = body_cell(sheet.cell(row=number, column=2), [], styles, "page")
    page.value = row.page

    for offset, table_cell in enumerate(row.cells, start=3):
        kind = "body" if table_cell.status == "text" else "status"
        body_cell(sheet.cell(row=number, column=offset), _cell_pieces(table_cell), styles, kind)

    body_cell(sheet.cell(row=number, column=3 + len(row.cells)), _reason_pieces(table, row), styles)


class BodyStyles:
    """The styles of the body cells. openpyxl's style setters hash the style objects on every
    call, which took longer than the rest of the table; so each kind of cell is styled through
    the setters once (registering its font, alignment and border in the same order as
    always) and the next cells of that kind copy the result."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}

    def apply(self, cell: Any, kind: str) -> None:
        made = self._made.get(kind)
        if made is not None:
            cell._style = copy.copy(made)
            return
        cell.font = _BODY_FONT
        cell.alignment = _TOP_LEFT
        cell.border = _BORDER
        if kind == "page":
            cell.alignment = _TOP_CENTER
        elif kind == "status":
            cell.font = STATUS_FONT
        self._made[kind] = copy.copy(cell._style)


def body_cell(
    cell: Any,
    pieces: Sequence[tuple[str, str | None]],
    styles: BodyStyles | None = None,
    kind: str = "body",
) -> Any:
    _set_pieces(cell, pieces)
    (styles or BodyStyles()).apply(cell, kind)
    return cell


def _cell_pieces(cell: Cell) -> list[tuple[str, str | None]]:
    return [(piece, kind) for piece, kind in cell.segments()]


def _reason_pieces(table: ComparisonTable, row: Row) -> list[tuple[str, str | None]]:
    """The reason column: bold 【category】 lines, then ・reason lines, then （意見N）."""
    lines: list[tuple[str, str | None]] = []
    for group in reason_groups(row.reasons):
        if group.category is not None:
            lines.append((category_line(group.category), "bold"))
        lines.extend((reason_line(text), None) for text in group.reasons)
    if row.opinions:
        lines.append((opinion_line(table, row), None))
    pieces: list[tuple[str, str | None]] = []
    for index, (text, style) in enumerate(lines):
        pieces.append((text if index == len(lines) - 1 else text + "\n", style))
    return pieces


def _set_pieces(cell: Any, pieces: Sequence[tuple[str, str | None]]) -> None:
    """Write styled text: plain text when nothing is styled, rich text otherwise.

    The text is cleaned for XML and cut to Excel's limit here, piece by piece, so that each
    style stays on its own characters.
    """
    cleaned = truncate_segments(clean_segments(pieces), EXCEL_CELL_LIMIT, None)
    if not cleaned:
        cell.value = None
        return
    if all(style is None for _, style in cleaned):
        set_text(cell, "".join(piece for piece, _ in cleaned))
        return
    cell.value = CellRichText(
        [
            piece if style is None else TextBlock(_RUN_FONTS[style], piece)
            for piece, style in cleaned
        ]
    )


def header_cell(cell: Any, label: str) -> None:
    """A cell of the header row: its label, bold and centred, grey, framed."""
    set_text(cell, office_text(label, limit=EXCEL_CELL_LIMIT))
    cell.font = _HEADER_FONT
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = _HEADER_ALIGN
    cell.border = _BORDER


def set_text(cell: Any, text: str) -> None:
    """Plain text that stays text even when it starts with ``=`` or reads like ``#N/A``."""
    cell.value = text or None
    if text:
        cell.data_type = "s"


def page_setup(sheet: Any, header_row: int, repeated_to: int) -> None:
    sheet.print_title_rows = f"{header_row}:{repeated_to}"
    setup = sheet.page_setup
    setup.paperSize = PAPER_A3
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.4
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3
    sheet.oddFooter.center.text = "&P / &N"


def _save(workbook: Any, table: ComparisonTable) -> bytes:
    """Write the workbook with fixed dates, so the same table gives the same bytes."""
    timestamp = document_timestamp(table)
    properties = workbook.properties
    properties.creator = "piakit"
    properties.title = office_text(table_title(table))
    # openpyxl writes naive datetimes as UTC.
    properties.created = properties.modified = timestamp.replace(tzinfo=None)
    buffer = io.BytesIO()
    # ``Workbook.save`` stamps the modification time with the clock; the writer it wraps
    # does not, so it is called directly.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    return stable_zip(buffer.getvalue(), timestamp)
