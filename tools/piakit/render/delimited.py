"""The comparison table as CSV or TSV, one line per row, plain text without marks.

Columns: 対応する評価書の項目 (the path joined with a space, as the seed table does), ページ,
one column per milestone (``Cell.display()``: the text, 変更なし, (記載なし) or (削除)), 理由
(``【category】`` and ``・reason`` lines).

CSV (any delimiter but a tab) is written for Excel in Japan: UTF-8 with a BOM, without which
Excel reads the file as Shift_JIS; ``\\r\\n`` between records, as Excel writes them; fields
quoted when needed, so a cell keeps its line breaks (``\\n``) inside quotes. Text is written
as it is, never altered: Excel reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula, so for Excel the ``xlsx`` format is the faithful one.

TSV is lossy by nature: a field cannot hold a tab or a line break, and nothing is quoted.
Each line break inside a cell becomes one space, each tab a space, and the reason lines are
joined by spaces. Records end with ``\\n``; no BOM. Read it back by splitting on tabs (or
with ``csv`` and ``quoting=csv.QUOTE_NONE``).
"""

from __future__ import annotations

import csv
import io

from piakit.errors import InputError
from piakit.model import ComparisonTable, Row
from piakit.render.common import header_labels, page_text, path_text, reason_lines


def render(table: ComparisonTable, *, delimiter: str = ",") -> bytes:
    if delimiter == "\t":
        return _tsv(table)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise InputError(
            f"cannot write a table with the delimiter {delimiter!r}",
            hint="use a single character other than a quote or a line break, e.g. ','",
        )
    return _csv(table, delimiter)


def _records(table: ComparisonTable, reason_separator: str) -> list[list[str]]:
    return [header_labels(table), *(_record(row, reason_separator) for row in table.rows)]


def _record(row: Row, reason_separator: str) -> list[str]:
    return [
        path_text(row.path),
        page_text(row.page),
        *(cell.display() for cell in row.cells),
        reason_separator.join(reason_lines(row.reasons)),
    ]


def _csv(table: ComparisonTable, delimiter: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(_records(table, "\n"))
    return buffer.getvalue().encode("utf-8-sig")


def _tsv(table: ComparisonTable) -> bytes:
    lines = ("\t".join(_tsv_field(field) for field in record) for record in _records(table, " "))
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _tsv_field(text: str) -> str:
    # splitlines also knows \r, \v, \f, U+2028 and the rest: none of them may survive, or a
    # reader that splits lines the same way would see a broken record.
    return " ".join(text.splitlines()).replace("\t", " ")
