"""The 意見対応表 as an Excel workbook and a Word document, in the comparison table's office
style: 游ゴシック, the assessment and the table's title above it, a shaded header row repeated
on every printed page, fixed column widths, wrapped text, rows kept whole on a page, the page
number and count in the footer. Printed on A4 landscape, fitted to the page width.

The cells' text is ``opinions``' (so it says what md, csv and html say); the parts of the
pages are the comparison table's (``xlsx``, ``word``). Both files are reproducible: their
dates come from the opinions, never the clock. openpyxl and python-docx are imported only by
the format that needs them.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

from piakit.render.office_text import (
    EXCEL_CELL_LIMIT,
    FALLBACK_TIMESTAMP,
    office_text,
    row_height,
    stable_zip,
)
from piakit.render.opinions import (
    HEADERS,
    NO_OPINIONS,
    WEIGHTS,
    document_title,
    entry_fields,
    table_title,
)

if TYPE_CHECKING:
    from piakit.reports import OpinionsTable

#: Column widths in Excel's units (about one half-width character each), ``WEIGHTS`` scaled
#: to fill an A4 landscape page.
XLSX_WIDTHS = tuple(weight * 1.5 for weight in WEIGHTS)
#: Excel's code for A4 paper.
PAPER_A4 = 9
#: The columns written centred: 番号, 受付日 and 反映.
CENTRED = frozenset({0, 2, 5})
#: The column written in grey: 記録 (the commits).
GREYED = 7


def timestamp(table: OpinionsTable) -> dt.datetime:
    """The time written into the files: the newest opinion's receipt, else a fixed date."""
    dates = [entry.opinion.received for entry in table.entries]
    if not dates:
        return FALLBACK_TIMESTAMP
    newest = max(dates)
    return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)


# --- xlsx ------------------------------------------------------------------------------------


def render_xlsx(table: OpinionsTable) -> bytes:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    from piakit.render import xlsx

    workbook = xlsx.new_workbook()
    sheet = workbook.active
    sheet.title = table_title(table)[:31]
    last = len(HEADERS)
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    xlsx.banner(sheet, 1, document_title(table), last, xlsx.font(11))
    xlsx.banner(sheet, 2, table_title(table), last, xlsx.font(14, bold=True))
    header_row = 3
    for index, label in enumerate(HEADERS, start=1):
        xlsx.header_cell(sheet.cell(row=header_row, column=index), label)
    styles = xlsx.BodyStyles()
    row = header_row
    for entry in table.entries:
        row += 1
        for index, text in enumerate(entry_fields(entry)):
            kind = "page" if index in CENTRED else "status" if index == GREYED else "body"
            cell = sheet.cell(row=row, column=index + 1)
            xlsx.body_cell(cell, [(text, None)] if text else [], styles, kind)
        sheet.cell(row=row, column=1).value = entry.number
    if not table.entries:
        row += 1
        xlsx.banner(sheet, row, NO_OPINIONS, last, xlsx.STATUS_FONT, border=True)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    xlsx.fit_row_heights(sheet, XLSX_WIDTHS, header_row + 1, row)
    xlsx.page_setup(sheet, header_row, header_row)
    sheet.page_setup.paperSize = PAPER_A4

    stamp = timestamp(table)
    properties = workbook.properties
    properties.creator = "piakit"
    properties.title = office_text(table_title(table), limit=EXCEL_CELL_LIMIT)
    properties.created = properties.modified = stamp.replace(tzinfo=None)
    buffer = io.BytesIO()
    # As the comparison table's: the writer, not ``Workbook.save``, which stamps the clock.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    return stable_zip(buffer.getvalue(), stamp)


# --- docx ------------------------------------------------------------------------------------


def render_docx(table: OpinionsTable) -> bytes:
    from docx import Document
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Emu, Pt
    from docx.table import _Cell

    from piakit.render import word

    document = Document()
    word.page_setup(document, word.A4_WIDTH, word.A4_HEIGHT)
    word.styles(document)
    word.fonts(document)
    heading = document.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    word.write_pieces(heading, [(document_title(table), None)])
    heading.runs[0].font.size = Pt(11)
    title = document.add_paragraph()
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.space_after = Pt(4)
    word.write_pieces(title, [(table_title(table), "bold")])
    title.runs[0].font.size = Pt(14)

    usable = word.A4_WIDTH - 2 * word.MARGIN_SIDE
    widths = [Emu(usable * weight // sum(WEIGHTS)) for weight in WEIGHTS]
    grid = word.fixed_table(document, widths)

    header = grid.add_row()
    word.repeat_on_every_page(header)
    for index, (cell, label) in enumerate(zip(header.cells, HEADERS, strict=True)):
        word.shade(cell)
        if index in CENTRED:
            word.narrow_margins(cell)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        word.write_pieces(cell.paragraphs[0], [(label, "bold")])

    fit = _RowFit(widths, Emu(word.A4_HEIGHT - 2 * word.MARGIN_TOP))
    blank = word.blank_row(grid)
    for entry in table.entries:
        tr = copy.deepcopy(blank)
        grid._tbl.append(tr)
        texts = entry_fields(entry)
        if fit.fits(texts):
            tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for index, (tc, text) in enumerate(zip(tr.tc_lst, texts, strict=True)):
            paragraph = _Cell(tc, grid).paragraphs[0]
            if index in CENTRED:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            word.write_pieces(paragraph, [(text, "status" if index == GREYED else None)])
    if not table.entries:
        row = grid.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        word.write_pieces(merged.paragraphs[0], [(NO_OPINIONS, "status")])
    return word.save(document, table_title(table), timestamp(table))


class _RowFit:
    """Whether a row fits on one page under the header, from its text's estimated height
    (as the comparison table's Word file decides): such rows are kept whole."""

    def __init__(self, widths: list[Any], page_height: Any) -> None:
        from piakit.render import word

        size = word.BODY_SIZE.pt
        side = 2 * word.CELL_MARGIN_SIDE / 20
        # A half-width character of the body font is half its size wide.
        self._columns = [max(width.pt - side, 1.0) / (size / 2) for width in widths]
        self._padding = 2 * word.CELL_MARGIN_TOP / 20
        self._size = size
        self.room: float = page_height.pt - self.height(list(HEADERS))

    def height(self, texts: list[str]) -> float:
        return row_height(texts, self._columns, self._size, self._padding)

    def fits(self, texts: list[str]) -> bool:
        return self.height(texts) <= self.room
