"""The comparison table as GitHub-flavoured Markdown, for PR comments, issues and READMEs.

A heading, one pipe table (item | page | one column per milestone | reasons) and a legend.
Changed characters are wrapped in ``<ins>``: GitHub's HTML sanitizer keeps ``ins`` (shown
underlined) but drops ``u``, and ``ins`` is what a change since the previous column is. Lines
inside a cell are joined with ``<br>``.

Every character of user text that Markdown or HTML could read as syntax is escaped, so item
text can never produce markup: the only tags in the output are the ones written here. (GitHub
still links bare URLs; that is not markup the text controls.)
"""

from __future__ import annotations

import re

from piakit.model import IMPORTANT_MARK, LEGEND, Cell, ComparisonTable, Row
from piakit.render.common import (
    NO_ROWS,
    cell_lines,
    document_title,
    header_labels,
    page_text,
    row_reason_lines,
    table_title,
)
from piakit.render.redline import markup, tag

# ASCII punctuation that starts inline Markdown (emphasis, code, links, strikethrough, math,
# a closing heading sequence) or breaks a table cell; each is backslash-escaped. `<`, `>` and
# `&` become entities so that no HTML tag or entity can come from the text.
_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "~": "\\~",
        "$": "\\$",
        "#": "\\#",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
    }
)


#: Whether a text needs any of the escapes: most Japanese text needs none, and looking
#: every character up in ``_ESCAPES`` costs more than one search.
_SPECIAL = re.compile(r"[\\|`*_\[\]~$#&<>\r\n]")


def escape(text: str) -> str:
    """User text as Markdown that shows exactly that text, on one line."""
    if _SPECIAL.search(text) is None:
        return text
    return text.translate(_ESCAPES).replace("\r", " ").replace("\n", " ")


def render(table: ComparisonTable) -> bytes:
    labels = header_labels(table)
    out = [
        f"# {escape(document_title(table))}",
        "",
        f"## {escape(table_title(table))}",
        "",
        "| " + " | ".join(escape(label) for label in labels) + " |",
        "| " + " | ".join("---:" if i == 1 else "---" for i in range(len(labels))) + " |",
    ]
    out.extend(_row(table, row) for row in table.rows)
    if not table.rows:
        out += ["", NO_ROWS]
    out += ["", markup([LEGEND], escape, _underline), ""]
    return "\n".join(out).encode("utf-8")


def _row(table: ComparisonTable, row: Row) -> str:
    item = "<br>".join(escape(part) for part in row.path)
    if row.important:
        item = f"**{IMPORTANT_MARK}**<br>{item}"
    fields = [
        item,
        escape(page_text(row.page)),
        *(cell_markdown(cell) for cell in row.cells),
        "<br>".join(escape(line) for line in row_reason_lines(table, row)),
    ]
    return "| " + " | ".join(fields) + " |"


def cell_markdown(cell: Cell) -> str:
    """A cell's text on one Markdown table line: escaped, changes in ``<ins>``."""
    return markup(cell_lines(cell), escape, _underline)


def _underline(shown: str, kind: str) -> str:
    # GitHub keeps ``ins`` (underlined); (削除) is a word of its own and stays plain.
    return tag(shown, "ins") if kind == "changed" else shown
