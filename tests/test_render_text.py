"""The text renderers (md, html, csv, tsv, json): golden files, then behaviour that holds for
any table (escaping, field counts, round trips) without reading the golden files.

Regenerate the golden files after an intended change with ``PIAKIT_REGEN_GOLDEN=1``, then
read the diff before committing it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piakit.errors import InputError
from piakit.model import Cell, Column, ComparisonTable, Mark, Reason, Row
from piakit.render import html as html_format
from piakit.render import render
from piakit.render.common import (
    NO_ROWS,
    cell_lines,
    header_labels,
    path_text,
    reason_groups,
    reason_lines,
)
from piakit.render.delimited import unescape_formula

from .table_fixtures import ABSENT, UNCHANGED, marked, plain, sample_table

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("PIAKIT_REGEN_GOLDEN") == "1"


# --- golden files --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "tsv", "json"])
def test_golden(fmt: str) -> None:
    output = render(sample_table(), fmt)
    golden = GOLDEN / f"sample_table.{fmt}"
    if REGEN:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(output)
    assert golden.exists(), f"{golden} is missing: run with PIAKIT_REGEN_GOLDEN=1"
    assert output == golden.read_bytes(), f"{fmt} differs from {golden.name}"


# --- tables for behaviour tests ------------------------------------------------------------


def table_of(
    *cells: Cell,
    path: tuple[str, ...] = ("I. 基本情報", "①事務の名称"),
    reasons: tuple[Reason, ...] = (),
    label: str = "修正案",
) -> ComparisonTable:
    columns = tuple(
        Column(f"m{i}", label if i else "現在の評価書", f"{i:040x}") for i in range(len(cells))
    )
    row = Row("item", path, 3, cells, reasons)
    return ComparisonTable("slug", "全項目評価書", columns, (row,))


EMPTY = ComparisonTable("slug", "全項目評価書", sample_table().columns, ())

SCRIPT = "<script>alert(1)</script>"

#: Text that tries every trick: tags, entities, pipes, Markdown syntax, line breaks, tabs.
HOSTILE = f"{SCRIPT}\n&amp; a|b \\| *x* _y_ `z` [l](javascript:1) ~~s~~ $m$ #h\tend\r\nlast"


# --- common --------------------------------------------------------------------------------


def test_reason_lines_group_consecutive_categories_as_the_seed_reads() -> None:
    reasons = [
        Reason("事務所管課による修正", "表記の改善", "a"),
        Reason("事務所管課による修正", "具体的な入手元の記載", "b"),
        Reason("部会の意見による修正", "事務の実態に合わせ追加", "c"),
    ]
    assert reason_lines(reasons) == [
        "【事務所管課による修正】",
        "・表記の改善",
        "・具体的な入手元の記載",
        "【部会の意見による修正】",
        "・事務の実態に合わせ追加",
    ]


def test_reason_lines_category_without_reason_stands_alone() -> None:
    reasons = [
        Reason("部会の意見による修正", None),
        Reason("部会の意見を反映", "事務の実態に合わせ追加（委託先の追加）"),
    ]
    assert reason_lines(reasons) == [
        "【部会の意見による修正】",
        "【部会の意見を反映】",
        "・事務の実態に合わせ追加（委託先の追加）",
    ]


def test_reason_lines_keep_commit_order_and_drop_repeated_pairs() -> None:
    reasons = [
        Reason("A", "x", "1"),
        Reason("B", "y", "2"),
        Reason("A", "x", "3"),  # the same pair again: once is enough
        Reason("A", "z", "3"),  # A again after B: its heading again, in commit order
        Reason("A", None, "4"),  # nothing new to say under A
    ]
    assert reason_lines(reasons) == ["【A】", "・x", "【B】", "・y", "【A】", "・z"]


def test_reason_lines_put_uncategorized_reasons_first_and_do_not_double_marks() -> None:
    reasons = [
        Reason("【事務所管課による修正】", "・表記の改善"),
        Reason(None, "区分のない理由"),
        Reason(None, None),
    ]
    assert reason_lines(reasons) == ["・区分のない理由", "【事務所管課による修正】", "・表記の改善"]
    assert reason_groups([]) == []


def test_path_text_joins_headings_with_a_space_by_default() -> None:
    assert (
        path_text(("I. 基本情報", "③他のシステムとの接続")) == "I. 基本情報 ③他のシステムとの接続"
    )
    assert path_text(("a", "b"), " / ") == "a / b"


def test_cell_lines_cut_a_mark_at_the_line_break() -> None:
    cell = marked("前⟦変更\n次の行⟧後\n\n⟪(削除)⟫")
    assert cell_lines(cell) == [
        [("前", None), ("変更", "changed")],
        [("次の行", "changed"), ("後", None)],
        [],
        [("(削除)", "removed")],
    ]
    assert cell_lines(UNCHANGED) == [[("変更なし", None)]]


# --- json ----------------------------------------------------------------------------------


def test_json_is_to_json_with_japanese_unescaped() -> None:
    table = sample_table()
    output = render(table, "json")
    text = output.decode("utf-8")
    assert "\\u" not in text
    assert "現在の評価書" in text
    assert text.endswith("}\n")
    assert json.loads(text) == table.to_json()


# --- csv and tsv ---------------------------------------------------------------------------


def test_csv_parses_back_into_the_rows_and_cells() -> None:
    table = sample_table()
    output = render(table, "csv")
    assert output.startswith(b"\xef\xbb\xbf")
    text = output.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert records[0] == header_labels(table)
    assert len(records) == 1 + len(table.rows)
    for record, row in zip(records[1:], table.rows, strict=True):
        assert record == [
            ("※重要 " if row.important else "") + " ".join(row.path),
            "" if row.page is None else str(row.page),
            *(cell.display() for cell in row.cells),
            "\n".join(reason_lines(row.reasons)),
        ]
    # Records end with CRLF (Excel's convention); line breaks inside a cell stay LF.
    assert text.count("\r\n") == len(records)
    assert text.endswith("\r\n")


def test_csv_keeps_hostile_text_exactly() -> None:
    table = table_of(plain(HOSTILE), UNCHANGED)
    text = render(table, "csv").decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert records[1][2] == HOSTILE


def test_csv_with_another_delimiter_and_bad_delimiters() -> None:
    text = render(sample_table(), "csv", delimiter=";").decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert records[0][0] == "対応する評価書の項目"
    for bad in ["", ",,", '"', "\n"]:
        with pytest.raises(InputError):
            render(sample_table(), "csv", delimiter=bad)


def test_tsv_is_csv_with_tabs() -> None:
    """A BOM, CRLF records, and cells with a tab, a quote or a line break quoted, so that
    every cell reads back exactly (Excel's 「テキスト (タブ区切り)」 quotes the same way)."""
    table = sample_table()
    output = render(table, "tsv")
    assert output.startswith(b"\xef\xbb\xbf")
    text = output.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    comma = list(csv.reader(io.StringIO(render(table, "csv").decode("utf-8-sig"), newline="")))
    assert records == comma
    assert records[0] == header_labels(table)
    assert text.count("\r\n") == len(records) and text.endswith("\r\n")


def test_tsv_keeps_hostile_text_exactly() -> None:
    table = table_of(plain(HOSTILE + "\u2028x\x0by"), UNCHANGED)
    text = render(table, "tsv").decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    assert len(records) == 2 and len(records[1]) == 5
    assert records[1][2] == HOSTILE + "\u2028x\x0by"


cell_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(cell_text, min_size=1, max_size=3), cell_text)
def test_tsv_round_trips_any_text(texts: list[str], part: str) -> None:
    table = table_of(*(plain(t) for t in texts), path=(part, "x"), reasons=(Reason(part, part),))
    text = render(table, "tsv").decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    assert [unescape_formula(cell) for cell in records[1][2:-1]] == texts
    assert [len(record) for record in records] == [len(texts) + 3] * 2


@settings(max_examples=200, deadline=None)
@given(st.lists(cell_text, min_size=1, max_size=3))
def test_csv_round_trips_any_text(texts: list[str]) -> None:
    table = table_of(*(plain(t) for t in texts))
    text = render(table, "csv").decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert [unescape_formula(cell) for cell in records[1][2:-1]] == texts
    # no cell starts as a formula would (OWASP): a quote goes first
    assert not [cell for cell in records[1] if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


# --- html ----------------------------------------------------------------------------------


class TableText(HTMLParser):
    """The text of each body row's cells, ``<br>`` read as a line break; and every tag seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse_html(page: str) -> TableText:
    parser = TableText()
    parser.feed(page)
    parser.close()
    return parser


def expected_html_cells(row: Row) -> list[str]:
    item = "\n".join(row.path)
    if row.important:
        item = "※重要\n" + item
    return [
        item,
        "" if row.page is None else str(row.page),
        *(cell.display() for cell in row.cells),
        "\n".join(reason_lines(row.reasons)),
    ]


def test_html_page_is_standalone_printable_and_shows_the_text() -> None:
    table = sample_table()
    page = render(table, "html").decode("utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ja">')
    assert '<meta charset="utf-8">' in page
    assert "<thead>" in page
    assert re.search(r"@page\s*\{\s*size:\s*A3 landscape;", page)
    assert "table-layout: fixed" in page
    assert html_format.TABLE_CSS in page
    assert html_format.table_fragment(table) in page
    # No external resources.
    assert not re.search(r"\b(src|href)=|@import|url\(", page)
    parsed = parse_html(page)
    assert parsed.rows == [expected_html_cells(row) for row in table.rows]


def test_html_escapes_user_text_and_underlines_changes() -> None:
    page = render(sample_table(), "html").decode("utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '平成29年<ins class="chg">4</ins>月1日' in page
    assert '説明が<ins class="chg">分かりやすく</ins>記載' in page
    assert '<span class="del">(削除)</span>' in page
    assert '<td class="status unchanged">変更なし</td>' in page
    assert '<td class="status deleted">(削除)</td>' in page
    assert '<td class="status absent">(記載なし)</td>' in page
    assert '<span class="important-mark">※重要</span>' in page


def test_html_escapes_script_in_the_item_path_labels_and_reasons() -> None:
    table = table_of(
        plain(HOSTILE),
        marked(f"⟦{SCRIPT}⟧"),
        path=(SCRIPT, "a|b"),
        reasons=(Reason(SCRIPT, SCRIPT),),
        label=f"{SCRIPT}\"'",
    )
    page = render(table, "html").decode("utf-8")
    assert "<script" not in page.lower()
    parsed = parse_html(page)
    assert set(parsed.tags) <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "p",
        "table", "caption", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "br", "ins",
        "span",
    }  # fmt: skip
    assert parsed.rows == [expected_html_cells(table.rows[0])]


def test_html_rows_are_kept_whole_only_when_short() -> None:
    long_text = "\n".join(["・長い行"] * (html_format.KEEP_MAX_LINES + 1))
    page = html_format.table_fragment(table_of(plain("短い"), plain(long_text)))
    assert "<tr>" in page and 'class="keep"' not in page
    page = html_format.table_fragment(table_of(plain("短い"), plain("短い行")))
    assert '<tr class="keep">' in page


def test_html_column_widths_share_the_rest_between_milestones() -> None:
    fragment = html_format.table_fragment(table_of(plain("a"), UNCHANGED))
    widths = re.findall(r'<col style="width: ([\d.]+)%">', fragment)
    assert widths == ["16", "4", "32", "32", "16"]


@settings(max_examples=200, deadline=None)
@given(cell_text, cell_text, st.integers(0, 40), st.integers(0, 40))
def test_html_shows_any_text_exactly(text: str, part: str, start: int, length: int) -> None:
    mark = Mark(min(start, len(text)), min(start + length, len(text)))
    table = table_of(
        Cell("text", text, (mark,)), ABSENT, path=(part,), reasons=(Reason(part, part),)
    )
    parsed = parse_html(html_format.table_fragment(table))
    # HTMLParser reads CR and CRLF as they are; a browser would normalise them to LF.
    assert parsed.rows == [expected_html_cells(table.rows[0])]


# --- markdown ------------------------------------------------------------------------------


def split_md_row(line: str) -> list[str]:
    """A pipe-table row's cells, splitting only at unescaped pipes."""
    assert line.startswith("| ") and line.endswith(" |"), line
    cells, current, escaped = [], "", False
    for char in line[2:-2]:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            current += char
            escaped = True
        elif char == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += char
    cells.append(current.strip())
    return cells


def test_markdown_table_shape_and_marks() -> None:
    table = sample_table()
    text = render(table, "md").decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == "# 千葉市 国民年金に関する事務 全項目評価書"
    assert lines[2] == "## 修正等を要する部分とその内容（国民年金）"
    rows = [line for line in lines if line.startswith("| ")]
    assert len(rows) == 2 + len(table.rows)
    assert all(len(split_md_row(row)) == len(table.columns) + 3 for row in rows)
    assert split_md_row(rows[0]) == header_labels(table)
    assert "平成29年<ins>4</ins>月1日" in text
    assert "**※重要**<br>II. 特定個人情報ファイルの概要" in text
    assert "【事務所管課による修正】<br>・表記の改善<br>【部会の意見による修正】" in text
    assert "<br>(削除)<br>" in text
    assert text.endswith("重要な変更にあたる項目。\n")


def test_markdown_escapes_pipes_and_markup_in_user_text() -> None:
    text = render(sample_table(), "md").decode("utf-8")
    assert "a\\|b" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "C:\\\\piakit" in text
    assert "\\*強調\\*" in text and "\\[x\\](y)" in text
    assert "<script" not in text


def test_markdown_user_text_can_produce_no_tag_and_no_cell_break() -> None:
    table = table_of(
        plain(HOSTILE), marked(f"⟦{HOSTILE}⟧"), path=(SCRIPT, "a|b"),
        reasons=(Reason("a|b", SCRIPT),), label="<b>|</b>",
    )  # fmt: skip
    text = render(table, "md").decode("utf-8")
    tags = set(re.findall(r"</?([A-Za-z][\w-]*)", text))
    assert tags == {"ins", "br"}
    rows = [line for line in text.split("\n") if line.startswith("| ")]
    assert [len(split_md_row(row)) for row in rows] == [5, 5, 5]
    # Every backslash escapes the next character: no raw pipe or Markdown syntax survives.
    body = split_md_row(rows[2])[2]
    assert re.fullmatch(r"(\\[\\|`*_\[\]~$#]|&(amp|lt|gt);|<br>|[^\\|`*_\[\]~$#&<>])*", body)


@given(st.text(alphabet=st.sampled_from("\\|`*_[]~$#&<>\r\n 一あア1aＡ。、（）"), max_size=40))
def test_markdown_escape_reads_back_as_the_text_on_one_line(text: str) -> None:
    """Every escape undone gives the text back, line breaks as spaces; the fast path for text
    with nothing to escape agrees with the escaping."""
    from piakit.render.markdown import escape

    escaped = escape(text)
    assert "\n" not in escaped and "\r" not in escaped
    entities = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
    undone = re.sub(r"\\(.)|&(amp|lt|gt);", lambda m: m.group(1) or entities[m.group(0)], escaped)
    assert undone == text.replace("\r", " ").replace("\n", " ")


# --- every format --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "tsv", "json"])
def test_an_empty_table_renders(fmt: str) -> None:
    text = render(EMPTY, fmt).decode("utf-8-sig")
    if fmt == "json":
        assert json.loads(text)["rows"] == []
    else:
        assert "対応する評価書の項目" in text
    if fmt in ("md", "html"):
        assert NO_ROWS in text


def test_registry_picks_the_delimiter_by_format() -> None:
    assert render(EMPTY, "csv").decode("utf-8-sig").startswith("対応する評価書の項目,ページ,")
    assert render(EMPTY, "tsv").decode("utf-8-sig").startswith("対応する評価書の項目\tページ\t")
