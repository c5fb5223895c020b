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
import functools
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from piakit.model import DELETED_WORD, IMPORTANT_MARK, LEGEND, Cell, ComparisonTable, Row
from piakit.render.common import (
    NO_ROWS,
    category_line,
    document_title,
    header_labels,
    page_text,
    path_text,
    reason_groups,
    reason_line,
    table_title,
)
from piakit.render.office_text import (
    OFFICE_FONT,
    clean_segments,
    clean_text,
    document_timestamp,
    row_height,
    stable_zip,
)
from piakit.render.redline import Piece
from piakit.textdiff import diff_ops

#: Relative column widths, the same proportions as the xlsx columns.
ITEM_WEIGHT = 28
PAGE_WEIGHT = 6
MILESTONE_WEIGHT = 45
REASON_WEIGHT = 30

#: A3 landscape, with the html renderer's margins.
PAGE_WIDTH = Mm(420)
PAGE_HEIGHT = Mm(297)
MARGIN_SIDE = Mm(10)
MARGIN_TOP = Mm(12)

#: The author Word shows for the tracked changes.
REVISION_AUTHOR = "piakit"

#: Added to the legend when the newest column holds tracked changes.
TRACKED_NOTE = "直前の列からの変更を Word の変更履歴 (挿入・削除) として記載しています。"

BODY_SIZE = Pt(9)

#: Space between a cell's border and its text (``w:tblCellMar``), in twentieths of a point.
CELL_MARGIN_TOP = 57  # 1 mm
CELL_MARGIN_SIDE = 85  # 1.5 mm
GREY = RGBColor(0x6B, 0x6B, 0x6B)
IMPORTANT_RED = RGBColor(0xB0, 0x00, 0x20)
HEADER_FILL = "E6E6E6"


def render(table: ComparisonTable, *, track_changes: bool = False, **options: Any) -> bytes:
    """The table as a ``.docx`` file.

    ``track_changes``: write the newest column as tracked changes against the previous one.
    Other options are ignored.
    """
    document = Document()
    _page_setup(document)
    _styles(document)
    _fonts(document)

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
    _write_pieces(legend, LEGEND)
    if revisions is not None:
        newest = table.columns[-1].label
        _write_pieces(legend, [(f"\n「{newest}」の列は、{TRACKED_NOTE}", None)])

    widths = _column_widths(table)
    word_table = _table(document, table, widths)
    blank = _blank_row(word_table)
    fit = _RowFit(table, widths)
    for row in table.rows:
        _data_row(word_table, blank, row, revisions, fit)
    if not table.rows:
        empty = _merged_row(word_table)
        empty.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write_pieces(empty.paragraphs[0], [(NO_ROWS, "status")])
    return _save(document, table)


# --- page and styles ---------------------------------------------------------------------


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin = section.bottom_margin = MARGIN_TOP
    section.header_distance = section.footer_distance = Mm(6)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A simple field (page number, page count) that Word fills in when it lays out pages."""
    field = OxmlElement("w:fldSimple", attrs={qn("w:instr"): instruction})
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _styles(document: Any) -> None:
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(0)
    # Japanese line breaking and fonts: the template declares English for East Asian text.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        if lang is not None:
            lang.set(qn("w:eastAsia"), "ja-JP")


def _fonts(document: Any) -> None:
    """Name :data:`OFFICE_FONT` for every run, Japanese and Latin: in the default run
    properties (where the template named theme fonts, which would win over a plain name),
    in the theme's Japanese fonts (the template's were ＭＳ 明朝 and ＭＳ ゴシック) and in the
    font table, with its English name and Japanese character set for an office suite that
    lacks it. ``w:hint="eastAsia"`` sets characters both scripts share (「」, ・, ○) in it too.
    """
    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    for name in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(name), OFFICE_FONT)
    fonts.set(qn("w:hint"), "eastAsia")
    for part in document.part.package.iter_parts():
        if part.partname.endswith("/theme/theme1.xml"):
            part._blob = _JAPANESE_THEME_FONT.sub(
                f'script="Jpan" typeface="{OFFICE_FONT}"'.encode(), part.blob
            )
        elif part.partname == "/word/fontTable.xml":
            part._blob = part.blob.replace(b"</w:fonts>", _FONT_ENTRY + b"</w:fonts>")


_JAPANESE_THEME_FONT = re.compile(rb'script="Jpan" typeface="[^"]*"')
_FONT_ENTRY = (
    f'<w:font w:name="{OFFICE_FONT}"><w:altName w:val="Yu Gothic"/>'
    '<w:panose1 w:val="020B0400000000000000"/><w:charset w:val="80"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
).encode()


# --- the table ---------------------------------------------------------------------------


def _column_widths(table: ComparisonTable) -> list[Emu]:
    weights = [ITEM_WEIGHT, PAGE_WEIGHT, *([MILESTONE_WEIGHT] * len(table.columns))]
    weights.append(REASON_WEIGHT)
    usable = PAGE_WIDTH - 2 * MARGIN_SIDE
    return [Emu(usable * weight // sum(weights)) for weight in weights]


def _table(document: Any, table: ComparisonTable, widths: Sequence[Emu]) -> Any:
    """The table with its header row, and the affair's row when the table names one."""
    labels = header_labels(table)

    # Typed as Any: python-docx leaves ``Table.add_row`` unannotated.
    word_table: Any = document.add_table(rows=0, cols=len(labels))
    word_table.style = document.styles["Table Grid"]
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    word_table.autofit = False
    # New rows take their cells' widths from these grid columns.
    for column, width in zip(word_table.columns, widths, strict=True):
        column.width = width
    _cell_margins(word_table)

    header = word_table.add_row()
    _repeat_on_every_page(header)
    for index, (cell, label) in enumerate(zip(header.cells, labels, strict=True)):
        # tcPr children have a fixed order: the shading must come before the alignment.
        _shade(cell)
        if index == 1:
            _narrow_margins(cell)  # ページ fits the narrow column on one line
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write_pieces(paragraph, [(label, "bold")])
    if table.affair:
        affair_row = word_table.add_row()
        _repeat_on_every_page(affair_row)
        merged = affair_row.cells[0].merge(affair_row.cells[-1])
        _write_pieces(merged.paragraphs[0], [(table.affair, "bold")])
    return word_table


def _narrow_margins(cell: Any) -> None:
    """Side margins of a third of the table's for one cell (``w:tcMar``, after its shading)."""
    margins = OxmlElement("w:tcMar")
    for side in ("left", "right"):
        width = str(CELL_MARGIN_SIDE // 3)
        margins.append(OxmlElement(f"w:{side}", attrs={qn("w:w"): width, qn("w:type"): "dxa"}))
    properties = cell._tc.get_or_add_tcPr()
    shading = properties.find(qn("w:shd"))
    if shading is not None:
        shading.addnext(margins)
    else:
        properties.append(margins)


def _repeat_on_every_page(row: _Row) -> None:
    """Mark a header row: Word repeats it at the top of each page and never splits it."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    properties.append(OxmlElement("w:tblHeader"))


def _cell_margins(word_table: Any) -> None:
    """Room between the borders and the text (``w:tblCellMar``), for every cell of the table."""
    margins = OxmlElement("w:tblCellMar")
    for side, width in (
        ("top", CELL_MARGIN_TOP),
        ("left", CELL_MARGIN_SIDE),
        ("bottom", CELL_MARGIN_TOP),
        ("right", CELL_MARGIN_SIDE),
    ):
        margins.append(OxmlElement(f"w:{side}", attrs={qn("w:w"): str(width), qn("w:type"): "dxa"}))
    properties = word_table._tbl.tblPr
    # tblPr's children have a fixed order: the margins come after the layout, before tblLook.
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)


class _RowFit:
    """Whether a row fits on one page under the repeated header, from its text's estimated
    height (:func:`office_text.row_height`): such rows are kept whole (``w:cantSplit``); a
    longer one must split, or Word and LibreOffice would cut it at the page's foot."""

    def __init__(self, table: ComparisonTable, widths: Sequence[Emu]) -> None:
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
        texts.append("".join(text for text, _ in _reason_pieces(row)))
        if row.important:
            texts[0] = IMPORTANT_MARK + "\n" + texts[0]
        return self.height(texts) <= self.room


def _shade(cell: _Cell) -> None:
    shading = OxmlElement(
        "w:shd", attrs={qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): HEADER_FILL}
    )
    cell._tc.get_or_add_tcPr().append(shading)


def _merged_row(word_table: Any) -> _Cell:
    row: _Row = word_table.add_row()
    merged: _Cell = row.cells[0].merge(row.cells[-1])
    return merged


def _blank_row(word_table: Any) -> Any:
    """An empty row as python-docx adds it (each cell its grid column's width and an empty
    paragraph), copied for every data row: python-docx's ``add_row`` sets each width through
    its setters and ``row.cells`` walks the whole table, which made long tables slow."""
    row = word_table.add_row()
    word_table._tbl.remove(row._tr)
    return row._tr


def _data_row(
    word_table: Any, blank: Any, row: Row, revisions: _Revisions | None, fit: _RowFit
) -> None:
    tr = copy.deepcopy(blank)
    word_table._tbl.append(tr)
    if fit.fits(row, revisions is not None):
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    cells: Sequence[_Cell] = [_Cell(tc, word_table) for tc in tr.tc_lst]

    item: list[Piece] = [(path_text(row.path, "\n"), None)]
    if row.important:
        item = [(IMPORTANT_MARK, "important"), ("\n", None), *item]
    _write_pieces(cells[0].paragraphs[0], item)
    page = cells[1].paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _write_pieces(page, [(page_text(row.page), None)])

    last = len(row.cells) - 1
    for index, table_cell in enumerate(row.cells):
        paragraph = cells[2 + index].paragraphs[0]
        if revisions is not None and index == last and index > 0:
            revisions.write(paragraph, row.cells)
        else:
            _write_pieces(paragraph, _cell_pieces(table_cell))

    _write_pieces(cells[-1].paragraphs[0], _reason_pieces(row))


def _cell_pieces(cell: Cell) -> list[Piece]:
    if cell.status != "text":
        return [(cell.display(), "status")]
    return [(piece, kind) for piece, kind in cell.segments()]


def _reason_pieces(row: Row) -> list[Piece]:
    """The reason column: bold 【category】 lines, then ・reason lines."""
    lines: list[Piece] = []
    for group in reason_groups(row.reasons):
        if group.category is not None:
            lines.append((category_line(group.category), "bold"))
        lines.extend((reason_line(text), None) for text in group.reasons)
    return [
        (text if index == len(lines) - 1 else text + "\n", style)
        for index, (text, style) in enumerate(lines)
    ]


def _style_run(run: Run, style: str | None) -> None:
    if style == "changed":
        run.font.underline = True
    elif style in ("removed", "status"):
        run.font.color.rgb = GREY
    elif style == "bold":
        run.bold = True
    elif style == "important":
        run.bold = True
        run.font.color.rgb = IMPORTANT_RED


@functools.cache
def _run_properties(style: str | None) -> str:
    """The ``w:rPr`` python-docx writes for a run of ``style``, as XML text."""
    run = Run(OxmlElement("w:r"), None)  # type: ignore[arg-type]
    _style_run(run, style)
    properties = run._r.rPr
    if properties is None:
        return ""
    xml: str = etree.tostring(properties, encoding="unicode")
    return xml.replace(f' xmlns:w="{_W}"', "")


_W = nsmap["w"]
_RUN_BREAKS = re.compile(r"([\t\r\n])")


def _write_pieces(paragraph: Paragraph, pieces: Sequence[Piece]) -> None:
    """Styled runs of cleaned text, ``\\n`` as ``w:br`` and ``\\t`` as ``w:tab``: the XML that
    ``paragraph.add_run(text)`` and the font setters write, made as text and parsed once per
    paragraph (python-docx's setters took a second per table of a hundred rows)."""
    runs = []
    for text, style in clean_segments(pieces):
        content = []
        for part in _RUN_BREAKS.split(text):
            if part == "\t":
                content.append("<w:tab/>")
            elif part in ("\r", "\n"):
                content.append("<w:br/>")
            elif part:
                space = ' xml:space="preserve"' if len(part.strip()) < len(part) else ""
                content.append(f"<w:t{space}>{xml_escape(part)}</w:t>")
        runs.append(f"<w:r>{_run_properties(style)}{''.join(content)}</w:r>")
    if runs:
        paragraph._p.extend(parse_xml(f"<w:p {nsdecls('w')}>{''.join(runs)}</w:p>"))


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
            _write_pieces(paragraph, _cell_pieces(newest))
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
                _write_pieces(paragraph, [(text, None)])
            else:
                paragraph._p.append(self._revision(kind, text))

    def _revision(self, kind: str, text: str) -> Any:
        tag = "w:ins" if kind == "insert" else "w:del"
        attrs = {qn("w:id"): str(next(self._ids)), qn("w:author"): REVISION_AUTHOR}
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
    timestamp = document_timestamp(table)
    properties = document.core_properties
    properties.author = REVISION_AUTHOR
    properties.last_modified_by = REVISION_AUTHOR
    properties.title = clean_text(table_title(table))
    properties.comments = ""
    properties.revision = 1
    properties.created = timestamp
    properties.modified = timestamp
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), timestamp)
