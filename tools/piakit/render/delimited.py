"""The comparison table as CSV or TSV, one line per row, plain text without marks.

Columns: 対応する評価書の項目 (the path joined with a space, as the seed table does, after
``※重要`` for an item whose change is a 重要な変更), ページ, one column per milestone
(``Cell.display()``: the text, 変更なし, (記載なし) or (削除)), 理由 (``【category】`` and
``・reason`` lines, then ``（意見N）`` for the opinions they answer).

Both are written for Excel in Japan, and the same way but for the delimiter (a comma or a tab):
UTF-8 with a BOM, without which Excel reads the file as Shift_JIS; ``\\r\\n`` between records,
as Excel writes them; fields quoted when they hold the delimiter, a quote or a line break, so
that a cell keeps its line breaks (``\\n``) and TSV is as lossless as CSV (Excel writes its
「テキスト (タブ区切り)」 with the same quoting).

Formula injection (OWASP's rule for CSV): a cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is written after a single quote ``'``, so that a spreadsheet shows it as
text instead of running it. A cell that already begins with quotes before such a character gets
one more, so that :func:`unescape_formula` (the importer's) gives back exactly the text:
``piakit import-table`` reads piakit's own csv and tsv losslessly.
"""

from __future__ import annotations

import csv
import io
import re

from piakit.errors import InputError
from piakit.model import IMPORTANT_MARK, ComparisonTable, Row
from piakit.render.common import header_labels, page_text, path_text, row_reason_lines

#: The first characters that make a spreadsheet read a cell as a formula (OWASP: CSV Injection),
#: after any quotes already escaping them.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA_START = re.compile(r"'+[=+\-@\t\r]")


def escape_formula(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs: ``'`` before a formula's start."""
    return "'" + text if _FORMULA_START.match(text) else text


def unescape_formula(text: str) -> str:
    """The text :func:`escape_formula` escaped: one ``'`` fewer before a formula's start."""
    return text[1:] if _ESCAPED_FORMULA_START.match(text) else text


def render(table: ComparisonTable, *, delimiter: str = ",") -> bytes:
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise InputError(
            f"cannot write a table with the delimiter {delimiter!r}",
            hint="use a single character other than a quote or a line break, e.g. ','",
        )
    return _csv(table, delimiter)


def _records(table: ComparisonTable) -> list[list[str]]:
    return [header_labels(table), *(_record(table, row) for row in table.rows)]


def _record(table: ComparisonTable, row: Row) -> list[str]:
    path = path_text(row.path)
    return [
        f"{IMPORTANT_MARK} {path}" if row.important else path,
        page_text(row.page),
        *(cell.display() for cell in row.cells),
        "\n".join(row_reason_lines(table, row)),
    ]


def _csv(table: ComparisonTable, delimiter: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([escape_formula(field) for field in record] for record in _records(table))
    return buffer.getvalue().encode("utf-8-sig")
