"""What every Word document piakit writes shares (python-docx): landscape pages with numbered
footers, 游ゴシック for every run, Japanese line breaking, a table's frame (cell margins, a
shaded header row repeated on every page) and styled runs written as XML in one go.

The comparison table (``docx``) and the 意見対応表 (``opinions_office``) are built from these
parts, so both print alike. Nothing here reads files or git.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from piakit.render.office_text import OFFICE_FONT, clean_segments, clean_text, stable_zip
from piakit.render.redline import Piece

#: A3 and A4, landscape (width, height), and the html renderer's margins.
A3_WIDTH = Mm(420)
A3_HEIGHT = Mm(297)
A4_WIDTH = Mm(297)
A4_HEIGHT = Mm(210)
MARGIN_SIDE = Mm(10)
MARGIN_TOP = Mm(12)

#: The author Word shows for the document and its tracked changes.
AUTHOR = "piakit"

BODY_SIZE = Pt(9)

#: Space between a cell's border and its text (``w:tblCellMar``), in twentieths of a point.
CELL_MARGIN_TOP = 57  # 1 mm
CELL_MARGIN_SIDE = 85  # 1.5 mm
GREY = RGBColor(0x6B, 0x6B, 0x6B)
IMPORTANT_RED = RGBColor(0xB0, 0x00, 0x20)
HEADER_FILL = "E6E6E6"


def page_setup(document: Any, width: Length = A3_WIDTH, height: Length = A3_HEIGHT) -> None:
    """Landscape pages ``width`` × ``height`` with the tables' margins, and the page number
    and count centred in the footer ("3 / 6")."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = width
    section.page_height = height
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


def styles(document: Any) -> None:
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(0)
    # Japanese line breaking and fonts: the template declares English for East Asian text.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        if lang is not None:
            lang.set(qn("w:eastAsia"), "ja-JP")


def fonts(document: Any) -> None:
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


def narrow_margins(cell: Any) -> None:
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


def repeat_on_every_page(row: _Row) -> None:
    """Mark a header row: Word repeats it at the top of each page and never splits it."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    properties.append(OxmlElement("w:tblHeader"))


def fixed_table(document: Any, widths: Sequence[Length]) -> Any:
    """An empty centred ``Table Grid`` table of ``len(widths)`` columns that keeps those
    widths (no autofit; new rows take their cells' widths from the grid columns), with the
    cell margins. Typed as Any: python-docx leaves ``Table.add_row`` unannotated."""
    word_table: Any = document.add_table(rows=0, cols=len(widths))
    word_table.style = document.styles["Table Grid"]
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    word_table.autofit = False
    for column, width in zip(word_table.columns, widths, strict=True):
        column.width = width
    cell_margins(word_table)
    return word_table


def cell_margins(word_table: Any) -> None:
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


def shade(cell: _Cell) -> None:
    shading = OxmlElement(
        "w:shd", attrs={qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): HEADER_FILL}
    )
    cell._tc.get_or_add_tcPr().append(shading)


def blank_row(word_table: Any) -> Any:
    """An empty row as python-docx adds it (each cell its grid column's width and an empty
    paragraph), copied for every data row: python-docx's ``add_row`` sets each width through
    its setters and ``row.cells`` walks the whole table, which made long tables slow."""
    row = word_table.add_row()
    word_table._tbl.remove(row._tr)
    return row._tr


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


def write_pieces(paragraph: Paragraph, pieces: Sequence[Piece]) -> None:
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


def save(document: Any, title: str, timestamp: dt.datetime) -> bytes:
    """Write with fixed properties and zip times, so the same content gives the same bytes."""
    properties = document.core_properties
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.title = clean_text(title)
    properties.comments = ""
    properties.revision = 1
    properties.created = timestamp
    properties.modified = timestamp
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), timestamp)
