"""別添3 変更箇所 (the change sheet) in md, csv, json and xlsx.

The sheet's columns are the form's: 変更日, 項目, 変更前の記載, 変更後の記載, 提出時期,
提出時期に係る説明. The text after the change carries the same marks as the comparison table
(underlined where it changed). Like every renderer: a sheet in, bytes out; openpyxl is imported
only for xlsx.
"""

from __future__ import annotations

import csv
import io
import json

from piakit.errors import InputError
from piakit.model import IMPORTANT_MARK, ChangeEntry, ChangeSheet, full_title
from piakit.render.common import path_text

SHEET_NAME = "変更箇所"
HEADERS = ("変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明")
FORMATS = ("md", "csv", "json", "xlsx")
NO_ENTRIES = "変更箇所はありません。"

#: xlsx widths of the columns the comparison table has not: 変更日 (a date) and 提出時期.
DATE_WIDTH = 12.0
SUBMISSION_WIDTH = 9.0


def column_widths() -> tuple[float, ...]:
    """The columns' widths in characters: the comparison table's item, text and reason
    columns, and room for a date and the submission (``HEADERS``' order). The xlsx and the
    site's table share them."""
    from piakit.render import xlsx

    return (
        DATE_WIDTH,
        xlsx.ITEM_WIDTH,
        xlsx.MILESTONE_WIDTH,
        xlsx.MILESTONE_WIDTH,
        SUBMISSION_WIDTH,
        xlsx.REASON_WIDTH,
    )


def render_changes(sheet: ChangeSheet, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps(sheet.to_json(), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "md":
        return _markdown(sheet).encode()
    if fmt == "csv":
        return _csv(sheet)
    if fmt == "xlsx":
        return _xlsx(sheet)
    raise InputError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")


def _span(sheet: ChangeSheet) -> str:
    return f"{sheet.since.label} → {sheet.until.label}"


def _item_text(entry: ChangeEntry) -> str:
    text = path_text(entry.path)
    return f"{IMPORTANT_MARK} {text}" if entry.important else text


def _markdown(sheet: ChangeSheet) -> str:
    from piakit.render.markdown import cell_markdown, escape

    out = [
        f"# {escape(full_title(sheet.organization, sheet.title))}",
        "",
        f"## 別添3 変更箇所 ({escape(_span(sheet))})",
        "",
    ]
    if not sheet.entries:
        return "\n".join([*out, NO_ENTRIES, ""])
    out.append("| " + " | ".join(HEADERS) + " |")
    out.append("| " + " | ".join("---" for _ in HEADERS) + " |")
    for entry in sheet.entries:
        row = [
            entry.date.isoformat(),
            escape(_item_text(entry)),
            cell_markdown(entry.before),
            cell_markdown(entry.after),
            entry.submission,
            escape(entry.submission_note),
        ]
        out.append("| " + " | ".join(row) + " |")
    return "\n".join([*out, ""])


def _csv(sheet: ChangeSheet) -> bytes:
    """As the comparison table's csv: UTF-8 with a BOM, CRLF records, and a ``'`` before a
    cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …)."""
    from piakit.render.delimited import escape_formula

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for entry in sheet.entries:
        fields = [
            entry.date.isoformat(),
            _item_text(entry),
            entry.before.display(),
            entry.after.display(),
            entry.submission,
            entry.submission_note,
        ]
        writer.writerow([escape_formula(field) for field in fields])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(sheet: ChangeSheet) -> bytes:
    from openpyxl.utils import get_column_letter

    from piakit.render import xlsx

    workbook = xlsx.new_workbook()
    ws = workbook.active
    ws.title = SHEET_NAME
    widths = column_widths()
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    xlsx.banner(ws, 1, full_title(sheet.organization, sheet.title), len(widths), xlsx.font(11))
    xlsx.banner(ws, 2, f"別添3 変更箇所 ({_span(sheet)})", len(widths), xlsx.font(14, bold=True))
    for index, label in enumerate(HEADERS, start=1):
        cell = ws.cell(row=3, column=index)
        xlsx.header_cell(cell, label)
    styles = xlsx.BodyStyles()
    for number, entry in enumerate(sheet.entries, start=4):
        item: list[tuple[str, str | None]] = [(path_text(entry.path, "\n"), None)]
        if entry.important:
            item = [(IMPORTANT_MARK, "important"), ("\n" + path_text(entry.path, "\n"), None)]
        values: list[list[tuple[str, str | None]]] = [
            [(entry.date.isoformat(), None)],
            item,
            list(entry.before.segments()),
            list(entry.after.segments()),
            [(entry.submission, None)],
            [(entry.submission_note, None)],
        ]
        for column, pieces in enumerate(values, start=1):
            xlsx.body_cell(ws.cell(row=number, column=column), pieces, styles)
    if not sheet.entries:
        xlsx.banner(ws, 4, NO_ENTRIES, len(widths), xlsx.STATUS_FONT, border=True)
    ws.freeze_panes = ws.cell(row=4, column=1)
    xlsx.fit_row_heights(ws, widths, 4, 3 + len(sheet.entries))
    xlsx.page_setup(ws, 3, 3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
