"""The xlsx and docx renderers, read back with openpyxl, python-docx and lxml.

Each file is checked against ``table.to_json()``: the rows, every cell's words, and that exactly
the marked characters are underlined. The expected text is computed here character by
character (drop what XML forbids, VT/FF/CR become line breaks), independently of the renderers'
own cleaning. The docx tracked changes are accepted and rejected by hand on the XML.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from piakit.model import IMPORTANT_MARK, ComparisonTable, Reason, Row
from piakit.render import render
from piakit.render.common import HEADER_ITEM, HEADER_PAGE, HEADER_REASON
from piakit.render.office_text import (
    EXCEL_CELL_LIMIT,
    clean_segments,
    clean_text,
    truncate_segments,
    utf16_length,
)
from tests.table_fixtures import ABSENT, DELETED, KANKA, UNCHANGED, marked, plain, sample_table

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

LONG_HEAD = "い" * 32_700
LONG_MARKED = "変更箇所" * 50  # crosses Excel's limit
LONG_TAIL = "う" * 7_100
CONTROL_SOURCE = "制御\x0b文字\x00を⟦必ず⟧含む\ud800\uffff\x1f。\r\n次の行"


def office_table() -> ComparisonTable:
    """The renderers' sample table plus what only office files must survive."""
    base = sample_table()
    extra = (
        Row(
            item="x-control",
            path=("IV. その他", "制御\x07文字を含む項目"),
            page=20,
            cells=(
                plain("制御\x0b文字\x00を含む"),
                marked(CONTROL_SOURCE),
                UNCHANGED,
            ),
            reasons=(Reason(KANKA, "貼り付け\x08の修正", "c1"),),
        ),
        Row(
            item="x-long",
            path=("IV. その他", "長い記載"),
            page=21,
            cells=(
                ABSENT,
                marked(f"{LONG_HEAD}⟦{LONG_MARKED}⟧{LONG_TAIL}"),
                UNCHANGED,
            ),
            reasons=(Reason(KANKA, "追加", "c2"),),
        ),
        Row(
            item="x-formula",
            path=("IV. その他", "=1+2"),
            page=22,
            cells=(plain("=SUM(A1:A3)"), marked("#N/A⟦ 追記⟧"), DELETED),
            reasons=(),
        ),
        Row(
            item="x-new-at-newest",
            path=("IV. その他", "新設"),
            page=23,
            cells=(ABSENT, ABSENT, marked("⟦新たに記載する。⟧\n⟦二行目⟧")),
            reasons=(Reason(KANKA, "追加", "c3"),),
        ),
    )
    return dataclasses.replace(base, rows=base.rows + extra)


# --- expected text, computed per character ---------------------------------------------------

_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def expected_chars(cell: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The cell as (character, mark kind) pairs after the XML clean-up."""
    words = {"unchanged": "変更なし", "absent": "(記載なし)", "deleted": "(削除)"}
    if cell["status"] != "text":
        return [(char, None) for char in words[cell["status"]]]
    text: str = cell["text"]
    kinds: list[str | None] = [None] * len(text)
    for mark in cell["marks"]:
        for index in range(mark["start"], mark["end"]):
            kinds[index] = mark["kind"]
    out: list[tuple[str, str | None]] = []
    index = 0
    while index < len(text):
        char, kind = text[index], kinds[index]
        if text.startswith("\r\n", index):
            out.append(("\n", kind))
            index += 2
            continue
        if char in "\r\x0b\x0c":
            out.append(("\n", kind))
        elif not _FORBIDDEN.match(char):
            out.append((char, kind))
        index += 1
    return out


def joined(chars: list[tuple[str, str | None]]) -> str:
    return "".join(char for char, _ in chars)


def spans(chars: list[tuple[str, str | None]], kind: str) -> list[str]:
    """The maximal runs of characters with mark ``kind``."""
    out: list[str] = []
    previous: str | None = None
    for char, this in chars:
        if this == kind:
            if previous == kind:
                out[-1] += char
            else:
                out.append(char)
        previous = this
    return out


def clean_path(path: list[str]) -> str:
    return clean_text("\n".join(path))


@pytest.fixture(scope="module")
def table() -> ComparisonTable:
    return office_table()


@pytest.fixture(scope="module")
def data(table: ComparisonTable) -> dict[str, Any]:
    return table.to_json()


# --- xlsx -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx_bytes(table: ComparisonTable) -> bytes:
    return render(table, "xlsx")


@pytest.fixture(scope="module")
def sheet(xlsx_bytes: bytes) -> Any:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes), rich_text=True)
    return workbook.active


def header_row_number(sheet: Any) -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == HEADER_ITEM:
            return int(row[0].row)
    raise AssertionError("no header row")


def xlsx_chars(value: Any) -> list[tuple[str, str | None]]:
    """A cell's value as (character, style) pairs: ``u`` underlined, ``grey``, or ``None``."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    if value is None:
        return []
    if not isinstance(value, CellRichText):
        return [(char, None) for char in str(value)]
    out: list[tuple[str, str | None]] = []
    for block in value:
        if isinstance(block, TextBlock):
            font = block.font
            style = "u" if font.u else ("grey" if font.color is not None else None)
            out.extend((char, style) for char in block.text)
        else:
            out.extend((char, None) for char in block)
    return out


def test_xlsx_layout_rows_and_header(sheet: Any, data: dict[str, Any]) -> None:
    header = header_row_number(sheet)
    labels = [cell.value for cell in sheet[header]]
    assert labels == [
        HEADER_ITEM,
        HEADER_PAGE,
        *(column["label"] for column in data["columns"]),
        HEADER_REASON,
    ]
    assert sheet.cell(row=1, column=1).value == "千葉市 国民年金に関する事務 全項目評価書"
    assert sheet.cell(row=2, column=1).value == "修正等を要する部分とその内容（国民年金）"
    # The seed's row naming the affair, right under the header.
    assert sheet.cell(row=header + 1, column=1).value == "国民年金"
    first = header + 2
    items = [sheet.cell(row=first + i, column=1).value for i in range(len(data["rows"]))]
    assert all(item is not None for item in items)
    # Nothing but the legend (after one blank row) follows the last table row.
    after = first + len(data["rows"])
    assert sheet.cell(row=after, column=1).value is None
    assert str(sheet.cell(row=after + 1, column=1).value).startswith("凡例")
    assert sheet.max_row == after + 1


def test_xlsx_cells_match_json(sheet: Any, data: dict[str, Any]) -> None:
    first = header_row_number(sheet) + 2
    for offset, row in enumerate(data["rows"]):
        number = first + offset
        item = xlsx_chars(sheet.cell(row=number, column=1).value)
        expected_item = clean_path(row["path"])
        if row["important"]:
            expected_item = f"{IMPORTANT_MARK}\n{expected_item}"
        assert joined(item) == expected_item
        assert sheet.cell(row=number, column=2).value == row["page"]
        for index, cell in enumerate(row["cells"]):
            if row["item"] == "x-long" and index == 1:
                continue  # checked on its own below
            got = xlsx_chars(sheet.cell(row=number, column=3 + index).value)
            want = expected_chars(cell)
            assert joined(got) == joined(want), (row["item"], index)
            # Only the changed characters are underlined, removed placeholders are grey.
            assert spans(got, "u") == spans(want, "changed"), (row["item"], index)
            assert spans(got, "grey") == spans(want, "removed"), (row["item"], index)
        reasons = sheet.cell(row=number, column=3 + len(row["cells"])).value
        if row["reasons"]:
            assert str(reasons).startswith("【")
        else:
            assert reasons is None


def test_xlsx_reasons_group_two_categories(sheet: Any, data: dict[str, Any]) -> None:
    first = header_row_number(sheet) + 2
    index = next(i for i, row in enumerate(data["rows"]) if row["item"] == "ii-3-notice")
    value = sheet.cell(row=first + index, column=3 + len(data["columns"])).value
    assert str(value).split("\n") == [
        "【事務所管課による修正】",
        "・表記の改善",
        "【部会の意見による修正】",
        "【部会の意見を反映】",
        "・事務の実態に合わせ追加（委託先の追加）",
        "・入手経路の明確化",
    ]


def test_xlsx_status_words_are_plain_text(sheet: Any, data: dict[str, Any]) -> None:
    first = header_row_number(sheet) + 2
    seen = set()
    for offset, row in enumerate(data["rows"]):
        for index, cell in enumerate(row["cells"]):
            if cell["status"] == "text":
                continue
            value = sheet.cell(row=first + offset, column=3 + index).value
            assert isinstance(value, str)
            seen.add(value)
    assert seen == {"変更なし", "(記載なし)", "(削除)"}


def test_xlsx_control_characters_are_removed(sheet: Any, data: dict[str, Any]) -> None:
    first = header_row_number(sheet) + 2
    index = next(i for i, row in enumerate(data["rows"]) if row["item"] == "x-control")
    value = str(sheet.cell(row=first + index, column=4).value)
    assert value == "制御\n文字を必ず含む。\n次の行"
    assert str(sheet.cell(row=first + index, column=1).value) == "IV. その他\n制御文字を含む項目"


def test_xlsx_long_cell_is_cut_with_a_note(sheet: Any, data: dict[str, Any]) -> None:
    first = header_row_number(sheet) + 2
    index = next(i for i, row in enumerate(data["rows"]) if row["item"] == "x-long")
    got = xlsx_chars(sheet.cell(row=first + index, column=4).value)
    text = joined(got)
    full = LONG_HEAD + LONG_MARKED + LONG_TAIL
    assert len(text) <= EXCEL_CELL_LIMIT
    match = re.search(r"\n…\(以下省略: (\d+)文字\)$", text)
    assert match is not None
    kept = text[: match.start()]
    assert full.startswith(kept)
    assert int(match.group(1)) == len(full) - len(kept)
    # The mark crossing the cut is shortened; the note itself is not underlined.
    underlined = spans(got, "u")
    assert len(underlined) == 1
    assert LONG_MARKED.startswith(underlined[0])
    assert kept.endswith(underlined[0])


def test_xlsx_text_never_becomes_a_formula_or_error(xlsx_bytes: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes))
    sheet = workbook.active
    values = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    assert values["=SUM(A1:A3)"] == "s"
    assert values["IV. その他\n=1+2"] == "s"
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


def test_xlsx_print_setup(sheet: Any, data: dict[str, Any]) -> None:
    header = header_row_number(sheet)
    assert sheet.print_title_rows == f"${header}:${header + 1}"
    assert int(sheet.page_setup.paperSize) == 8  # A3
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(sheet.page_setup.fitToWidth) == 1
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.freeze_panes == f"A{header + 2}"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEF"]
    assert widths == [28, 6, 45, 45, 45, 30]
    top_left = sheet.cell(row=header + 2, column=3)
    assert top_left.alignment.wrap_text is True
    assert top_left.alignment.vertical == "top"
    assert top_left.border.left.style == "thin"


def zip_times(package: bytes) -> set[tuple[int, ...]]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {info.date_time for info in archive.infolist()}


def test_xlsx_is_reproducible(table: ComparisonTable, xlsx_bytes: bytes) -> None:
    assert render(table, "xlsx") == xlsx_bytes
    # Dates come from the newest column, never from the clock.
    assert zip_times(xlsx_bytes) == {(2020, 10, 26, 0, 0, 0)}
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes))
    assert workbook.properties.modified == dt.datetime(2020, 10, 26)


def test_xlsx_without_affair_or_rows() -> None:
    empty = dataclasses.replace(sample_table(), rows=(), affair=None)
    sheet = openpyxl.load_workbook(io.BytesIO(render(empty, "xlsx"))).active
    header = header_row_number(sheet)
    assert sheet.cell(row=header + 1, column=1).value == "修正等を要する部分はありません。"
    assert sheet.print_title_rows == f"${header}:${header}"


# --- docx -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_bytes(table: ComparisonTable) -> bytes:
    return render(table, "docx")


@pytest.fixture(scope="module")
def word(docx_bytes: bytes) -> Any:
    return docx.Document(io.BytesIO(docx_bytes))


def docx_chars(paragraph: Any) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for run in paragraph.runs:
        color = run.font.color.rgb if run.font.color.type is not None else None
        style = "u" if run.font.underline else ("grey" if color is not None else None)
        out.extend((char, style) for char in run.text)
    return out


def test_docx_table_rows_and_header(word: Any, data: dict[str, Any]) -> None:
    (word_table,) = word.tables
    assert len(word_table.rows) == 2 + len(data["rows"])
    labels = [cell.text for cell in word_table.rows[0].cells]
    assert labels == [
        HEADER_ITEM,
        HEADER_PAGE,
        *(column["label"] for column in data["columns"]),
        HEADER_REASON,
    ]
    assert word_table.rows[1].cells[0].text == "国民年金"
    repeated = [
        row._tr.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None for row in word_table.rows
    ]
    assert repeated == [True, True] + [False] * len(data["rows"])
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert texts[:2] == [
        "千葉市 国民年金に関する事務 全項目評価書",
        "修正等を要する部分とその内容（国民年金）",
    ]


def test_docx_cells_match_json(word: Any, data: dict[str, Any]) -> None:
    (word_table,) = word.tables
    for offset, row in enumerate(data["rows"]):
        cells = word_table.rows[2 + offset].cells
        expected_item = clean_path(row["path"])
        if row["important"]:
            expected_item = f"{IMPORTANT_MARK}\n{expected_item}"
        assert cells[0].text == expected_item
        assert cells[1].text == ("" if row["page"] is None else str(row["page"]))
        for index, cell in enumerate(row["cells"]):
            (paragraph,) = cells[2 + index].paragraphs
            got = docx_chars(paragraph)
            want = expected_chars(cell)
            assert joined(got) == joined(want), (row["item"], index)
            assert spans(got, "u") == spans(want, "changed"), (row["item"], index)
            removed = [span for span in spans(got, "grey") if cell["status"] == "text"]
            assert removed == spans(want, "removed"), (row["item"], index)


def test_docx_keeps_long_cells_whole(word: Any, data: dict[str, Any]) -> None:
    (word_table,) = word.tables
    index = next(i for i, row in enumerate(data["rows"]) if row["item"] == "x-long")
    assert word_table.rows[2 + index].cells[3].text == LONG_HEAD + LONG_MARKED + LONG_TAIL


def test_docx_page_is_a3_landscape(word: Any) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    (section,) = word.sections
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Mm(420)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)


def test_docx_is_reproducible(table: ComparisonTable, docx_bytes: bytes, word: Any) -> None:
    assert render(table, "docx") == docx_bytes
    assert zip_times(docx_bytes) == {(2020, 10, 26, 0, 0, 0)}
    properties = word.core_properties
    assert properties.created == dt.datetime(2020, 10, 26, tzinfo=dt.UTC)
    assert properties.modified == dt.datetime(2020, 10, 26, tzinfo=dt.UTC)
    assert properties.author == "piakit"


# --- docx tracked changes -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tracked_rows(table: ComparisonTable) -> list[Any]:
    package = render(table, "docx", track_changes=True)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    rows: list[Any] = root.findall(".//w:tbl/w:tr", NS)
    return rows[2:]


def resolve(paragraph: Any, *, accept: bool) -> str:
    """The paragraph's text once every tracked change is accepted (or rejected)."""
    out: list[str] = []
    for element in paragraph.iter(f"{{{W}}}t", f"{{{W}}}delText", f"{{{W}}}br", f"{{{W}}}tab"):
        inside = {ancestor.tag for ancestor in element.iterancestors()}
        if f"{{{W}}}ins" in inside and not accept:
            continue
        if f"{{{W}}}del" in inside and accept:
            continue
        tag = etree.QName(element).localname
        out.append({"br": "\n", "tab": "\t"}.get(tag, element.text or ""))
    return "".join(out)


def real_text(cell: dict[str, Any]) -> str:
    """The item's own text behind a cell: the removed-line placeholders taken out."""
    if cell["status"] != "text":
        return ""
    text: str = cell["text"]
    placeholders = {(m["start"], m["end"]) for m in cell["marks"] if m["kind"] == "removed"}
    lines, at = [], 0
    for line in text.split("\n"):
        if (at, at + len(line)) not in placeholders:
            lines.append(line)
        at += len(line) + 1
    return clean_text("\n".join(lines))


def test_tracked_changes_are_well_formed(tracked_rows: list[Any]) -> None:
    revisions = [
        element for row in tracked_rows for element in row.iter(f"{{{W}}}ins", f"{{{W}}}del")
    ]
    assert len(revisions) >= 6
    ids = [element.get(f"{{{W}}}id") for element in revisions]
    assert all(value is not None and value.isdigit() for value in ids)
    assert len(set(ids)) == len(ids)
    for element in revisions:
        assert element.get(f"{{{W}}}author") == "piakit"
        assert element.get(f"{{{W}}}date") == "2020-10-26T00:00:00Z"
        runs = element.findall("w:r", NS)
        assert runs and len(runs) == len(list(element))
        if etree.QName(element).localname == "del":
            assert element.findall(".//w:t", NS) == []
            assert element.findall(".//w:delText", NS)
        else:
            assert element.findall(".//w:delText", NS) == []
    # Only the newest column holds revisions.
    for row in tracked_rows:
        cells = row.findall("w:tc", NS)
        for cell in cells[:-2]:
            assert cell.find(".//w:ins", NS) is None
            assert cell.find(".//w:del", NS) is None


def test_accepting_gives_newest_and_rejecting_gives_previous(
    tracked_rows: list[Any], data: dict[str, Any]
) -> None:
    checked = 0
    for row_xml, row in zip(tracked_rows, data["rows"], strict=True):
        newest_paragraph = row_xml.findall("w:tc", NS)[-2].find("w:p", NS)
        cells = row["cells"]
        newest = cells[-1]
        previous = ""
        for cell in reversed(cells[:-1]):
            if cell["status"] != "unchanged":
                previous = real_text(cell)
                break
        accepted = resolve(newest_paragraph, accept=True)
        rejected = resolve(newest_paragraph, accept=False)
        if newest["status"] == "text":
            assert accepted == real_text(newest), row["item"]
            assert rejected == previous, row["item"]
            checked += 1
        elif newest["status"] == "deleted":
            assert accepted == "(削除)"
            assert rejected == previous
            checked += 1
        else:
            assert accepted == rejected == joined(expected_chars(newest))
    assert checked >= 3


def test_tracked_changes_on_a_single_column_table() -> None:
    table = office_table()
    single = dataclasses.replace(
        table,
        columns=table.columns[:1],
        rows=tuple(dataclasses.replace(row, cells=row.cells[:1]) for row in table.rows),
    )
    package = render(single, "docx", track_changes=True)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        xml = archive.read("word/document.xml")
    assert b"<w:ins" not in xml and b"<w:del " not in xml


# --- the shared text rules ------------------------------------------------------------------


_ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=()),  # surrogates included
        st.sampled_from(["\x00", "\x0b", "\r", "\n", "\ufffe", "𠮷", "漢", "・"]),
    ),
    max_size=40,
)


@given(
    pieces=st.lists(
        st.tuples(_ODD_TEXT, st.sampled_from([None, "changed", "removed"])),
        max_size=8,
    ),
    limit=st.integers(min_value=30, max_value=120),
)
def test_cleaning_and_cutting_keep_marks_on_their_characters(
    pieces: list[tuple[str, str | None]], limit: int
) -> None:
    cleaned = clean_segments(pieces)
    cut = truncate_segments(cleaned, limit, None)
    text = "".join(piece for piece, _ in cut)
    assert utf16_length(text) <= limit
    assert not _FORBIDDEN.search(text)
    assert all(piece for piece, _ in cut)
    whole = [(char, kind) for piece, kind in cleaned for char in piece]
    got = [(char, kind) for piece, kind in cut for char in piece]
    if cut == cleaned:
        return
    note = cut[-1][0]
    assert re.fullmatch(r"\n…\(以下省略: \d+文字\)", note)
    kept = got[: len(got) - len(note)]
    assert kept == whole[: len(kept)]
    assert int(note[note.index(": ") + 2 : -3]) == len(whole) - len(kept)


def test_undated_columns_give_a_fixed_date_and_no_revision_date() -> None:
    table = office_table()
    undated = dataclasses.replace(
        table, columns=tuple(dataclasses.replace(c, date=None) for c in table.columns)
    )
    package = render(undated, "docx", track_changes=True)
    assert zip_times(package) == {(2000, 1, 1, 0, 0, 0)}
    properties = docx.Document(io.BytesIO(package)).core_properties
    assert properties.modified == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    revisions = root.findall(".//w:ins", NS) + root.findall(".//w:del", NS)
    assert revisions
    assert all(element.get(f"{{{W}}}date") is None for element in revisions)
    sheet_package = render(undated, "xlsx")
    assert zip_times(sheet_package) == {(2000, 1, 1, 0, 0, 0)}


def test_tracked_legend_names_the_newest_column(table: ComparisonTable) -> None:
    plain_doc = docx.Document(io.BytesIO(render(table, "docx")))
    tracked = docx.Document(io.BytesIO(render(table, "docx", track_changes=True)))
    assert "変更履歴" not in plain_doc.paragraphs[-1].text
    assert "「修正案 (R2.10.26現在)」の列は" in tracked.paragraphs[-1].text


# --- fonts, row heights and pages (issue 12) ------------------------------------------------


def test_text_is_measured_in_half_width_columns() -> None:
    from piakit.render.office_text import text_columns, wrapped_lines

    assert text_columns("abc 12") == 6
    assert text_columns("特定個人情報") == 12
    # Characters both scripts share are full-width in the Japanese font the files name.
    assert text_columns("[○]・※") == 8
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("あ" * 31, 62) == 1
    assert wrapped_lines("あ" * 32, 62) == 2
    assert wrapped_lines("a" * 62, 62) == 1
    # Each line of the text wraps on its own; an empty line still takes a line.
    assert wrapped_lines("あ" * 40 + "\n\nい", 62) == 4


def test_row_height_follows_the_tallest_cell_and_the_font() -> None:
    from piakit.render.office_text import LINE_SPACING, row_height

    texts = ["項目", "あ" * 100]
    wide = row_height(texts, [20.0, 100.0], 10.0, 3.0)
    narrow = row_height(texts, [20.0, 50.0], 10.0, 3.0)
    assert wide == 2 * 10.0 * LINE_SPACING + 3.0
    assert narrow == 4 * 10.0 * LINE_SPACING + 3.0
    assert row_height(texts, [20.0, 100.0], 9.0, 3.0) < wide
    assert row_height(["1", "2"], [4.0, 4.0], 10.0, 3.0) == 10.0 * LINE_SPACING + 3.0


def test_xlsx_row_heights_come_from_the_column_widths(sheet: Any) -> None:
    from piakit.render.office_text import row_height
    from piakit.render.xlsx import FONT_SIZE, MAX_ROW_HEIGHT, ROW_PADDING, width_columns

    first = header_row_number(sheet) + 2  # under the affair's row
    last_column = sheet.max_column
    widths = [
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
        for index in range(1, last_column + 1)
    ]
    columns = [width_columns(width) for width in widths]
    assert columns[2] > columns[0] > columns[1]
    body = range(first, first + 4)
    for number in body:
        texts = [
            "" if value is None else str(value)
            for value in (sheet.cell(row=number, column=i).value for i in range(1, 1 + last_column))
        ]
        want = min(MAX_ROW_HEIGHT, row_height(texts, columns, FONT_SIZE, ROW_PADDING))
        assert sheet.row_dimensions[number].height == pytest.approx(want, abs=0.01)
    # A milestone column 45 wide holds 57 half-width characters a line: the sample's first
    # row, whose longest cell is 6 short lines, is 6 lines of 12.5 points high, not more.
    assert sheet.row_dimensions[first].height == pytest.approx(6 * 12.5 + ROW_PADDING)


def test_xlsx_names_the_japanese_font_everywhere(xlsx_bytes: bytes, sheet: Any) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    from piakit.render.office_text import OFFICE_FONT

    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as archive:
        styles = etree.fromstring(archive.read("xl/styles.xml"))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    names = [name.get("val") for name in styles.iter(f"{main}name")]
    # Every font of the workbook, the default (font 0, which sets the column unit) first.
    assert names and set(names) == {OFFICE_FONT}
    runs = 0
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, CellRichText):
                for block in cell.value:
                    if isinstance(block, TextBlock):
                        assert block.font.rFont == OFFICE_FONT
                        assert block.font.charset == 128
                        runs += 1
    assert runs


def test_changes_sheet_has_the_comparison_tables_widths() -> None:
    from piakit.model import ChangeSheet
    from piakit.render import xlsx
    from piakit.render.sheet import render_changes

    table = sample_table()
    empty = ChangeSheet(
        assessment="kokumin",
        organization="千葉市",
        title="国民年金に関する事務 全項目評価書",
        since=table.columns[0],
        until=table.columns[-1],
        entries=(),
    )
    ws = openpyxl.load_workbook(io.BytesIO(render_changes(empty, "xlsx"))).active
    widths = [ws.column_dimensions[letter].width for letter in "BCDF"]
    assert widths == [
        xlsx.ITEM_WIDTH,
        xlsx.MILESTONE_WIDTH,
        xlsx.MILESTONE_WIDTH,
        xlsx.REASON_WIDTH,
    ]
    assert ws.cell(row=1, column=1).font.name == "游ゴシック"


def test_docx_keeps_rows_whole_unless_longer_than_a_page(word: Any, data: dict[str, Any]) -> None:
    (word_table,) = word.tables
    kept = [
        row._tr.find(f"{{{W}}}trPr/{{{W}}}cantSplit") is not None for row in word_table.rows[2:]
    ]
    long_row = next(i for i, row in enumerate(data["rows"]) if row["item"] == "x-long")
    assert kept == [index != long_row for index in range(len(data["rows"]))]


def test_docx_cells_have_padding(word: Any) -> None:
    (word_table,) = word.tables
    margins = word_table._tbl.tblPr.find(f"{{{W}}}tblCellMar")
    assert margins is not None
    sides = {etree.QName(side).localname: int(side.get(f"{{{W}}}w")) for side in margins}
    assert set(sides) == {"top", "left", "bottom", "right"}
    assert all(width > 0 for width in sides.values())
    # The schema's order: the margins before tblLook.
    tags = [etree.QName(child).localname for child in word_table._tbl.tblPr]
    assert tags.index("tblCellMar") < tags.index("tblLook")


def test_docx_legend_is_under_the_title_with_the_table(word: Any) -> None:
    body = word.element.body
    blocks = [etree.QName(child).localname for child in body]
    assert blocks[:4] == ["p", "p", "p", "tbl"]
    legend = word.paragraphs[2]
    assert legend.text.startswith("凡例")
    assert all(paragraph.paragraph_format.keep_with_next for paragraph in word.paragraphs[:3])
    assert not any(paragraph.text.startswith("凡例") for paragraph in word.paragraphs[3:])


def test_docx_names_the_japanese_font(docx_bytes: bytes) -> None:
    from piakit.render.office_text import OFFICE_FONT

    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        theme = archive.read("word/theme/theme1.xml").decode()
        font_table = etree.fromstring(archive.read("word/fontTable.xml"))
    (fonts,) = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", namespaces=NS)
    attributes = {etree.QName(name).localname: value for name, value in fonts.attrib.items()}
    assert attributes["eastAsia"] == attributes["ascii"] == attributes["hAnsi"] == OFFICE_FONT
    assert attributes["hint"] == "eastAsia"
    # A theme font would win over the names above.
    assert "eastAsiaTheme" not in attributes and "asciiTheme" not in attributes
    assert theme.count(f'script="Jpan" typeface="{OFFICE_FONT}"') == 2
    assert "ＭＳ 明朝" not in theme
    (entry,) = font_table.xpath(f'w:font[@w:name="{OFFICE_FONT}"]', namespaces=NS)
    assert entry.xpath("w:altName/@w:val", namespaces=NS) == ["Yu Gothic"]
    assert entry.xpath("w:charset/@w:val", namespaces=NS) == ["80"]


def test_docx_page_header_has_room_for_its_word(word: Any) -> None:
    """ページ stays on one line in its narrow column: that header cell has narrow margins,
    after its shading and before its alignment, as tcPr's order requires."""
    header = word.tables[0].rows[0].cells
    properties = header[1]._tc.tcPr
    tags = [child.tag.split("}")[1] for child in properties]
    assert tags.index("shd") < tags.index("tcMar") < tags.index("vAlign")
    margins = properties.find(f"{{{W}}}tcMar")
    assert {m.get(f"{{{W}}}w") for m in margins} == {"28"}
    assert header[0]._tc.tcPr.find(f"{{{W}}}tcMar") is None
