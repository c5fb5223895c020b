"""The 意見対応表 (``OpinionsTable``) as JSON, Markdown, CSV and a standalone HTML page; the
office files are ``opinions_office``'s.

Every format has the same columns, in this order: 番号, 区分 (the source, and under it who
gave the opinion), 受付日, 意見の概要, 市の考え方, 反映 (反映する / 反映しない / 検討中), 関係する
項目 (each item's headings joined as the comparison table joins them, and its id) and 記録 (the
short ids of the commits that resolve it). The cells' text is decided here once, so every
format says the same thing. A table in, bytes out: nothing here reads git or files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from piakit.conventions import OUTCOMES
from piakit.errors import InputError
from piakit.model import full_title
from piakit.render.common import path_text

if TYPE_CHECKING:
    from piakit.reports import OpinionEntry, OpinionItem, OpinionsTable

#: The table's own name.
OPINIONS_TITLE = "意見対応表"
HEADERS = ("番号", "区分", "受付日", "意見の概要", "市の考え方", "反映", "関係する項目", "記録")
#: What a table with no opinions says instead.
NO_OPINIONS = "意見はありません。"
#: ``piakit opinions --format``; the office ones are binary.
FORMATS = ("md", "json", "csv", "html", "xlsx", "docx")
BINARY_FORMATS = frozenset({"xlsx", "docx"})

#: The html columns' shares of the width, in ``HEADERS``' order (the xlsx and docx widths
#: have the same proportions).
WEIGHTS = (4, 10, 10, 25, 25, 9, 19, 7)


def renderer(fmt: str) -> Callable[[OpinionsTable], bytes]:
    """The function that writes the table in ``fmt``; an unknown format is an ``InputError``.
    The office library is imported only for its format."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    if fmt in BINARY_FORMATS:
        from piakit.render import opinions_office

        office: Callable[[OpinionsTable], bytes] = getattr(opinions_office, f"render_{fmt}")
        return office
    return {"md": render_md, "json": render_json, "csv": render_csv, "html": render_html}[fmt]


def render(table: OpinionsTable, fmt: str) -> bytes:
    return renderer(fmt)(table)


# --- what every format writes --------------------------------------------------------------


def document_title(table: OpinionsTable) -> str:
    """The assessment: ``テスト市 テスト事務 全項目評価書``."""
    return full_title(table.organization, table.title)


def table_title(table: OpinionsTable) -> str:
    """``意見対応表``, or ``意見対応表（第三者点検）`` for a table of one source."""
    return f"{OPINIONS_TITLE}（{table.source}）" if table.source else OPINIONS_TITLE


def source_lines(entry: OpinionEntry) -> list[str]:
    """区分: the source, and under it who gave the opinion when the file says."""
    sender = entry.opinion.sender
    return [entry.opinion.source, sender] if sender else [entry.opinion.source]


def received_text(entry: OpinionEntry) -> str:
    return entry.opinion.received.isoformat()


def summary_text(entry: OpinionEntry) -> str:
    return entry.opinion.summary.rstrip()


def response_text(entry: OpinionEntry) -> str:
    return (entry.opinion.response or "").rstrip()


def outcome_text(entry: OpinionEntry) -> str:
    """反映する, 反映しない or 検討中."""
    return OUTCOMES.get(entry.opinion.outcome, entry.opinion.outcome)


def item_line(item: OpinionItem) -> str:
    """``I. 基本情報 ② 事務の内容 (jimu-naiyo)``: the headings as the comparison table joins
    them, then the item's id."""
    return f"{path_text(item.path)} ({item.item})"


def item_lines(entry: OpinionEntry) -> list[str]:
    return [item_line(item) for item in entry.items]


def commit_lines(entry: OpinionEntry) -> list[str]:
    """記録: the short ids of the commits that resolve the opinion, in history order."""
    return [commit.short for commit in entry.commits]


def entry_fields(entry: OpinionEntry) -> list[str]:
    """One row as plain text, lines joined by ``\\n`` (csv, and the office files' cells)."""
    return [
        str(entry.number),
        "\n".join(source_lines(entry)),
        received_text(entry),
        summary_text(entry),
        response_text(entry),
        outcome_text(entry),
        "\n".join(item_lines(entry)),
        "\n".join(commit_lines(entry)),
    ]


# --- json ------------------------------------------------------------------------------------


def opinions_json(table: OpinionsTable) -> dict[str, Any]:
    """``{"assessment", "opinions": [{id, number, source, received, from, summary, response,
    outcome, items: [{item, path, commits}], commits}]}`` (docs/cli.md)."""
    return {
        "assessment": table.assessment,
        "opinions": [
            {
                "id": entry.opinion.id,
                "number": entry.number,
                "source": entry.opinion.source,
                "received": received_text(entry),
                "from": entry.opinion.sender,
                "summary": entry.opinion.summary,
                "response": entry.opinion.response,
                "outcome": entry.opinion.outcome,
                "items": [
                    {"item": item.item, "path": list(item.path), "commits": list(item.commits)}
                    for item in entry.items
                ],
                "commits": [commit.sha for commit in entry.commits],
            }
            for entry in table.entries
        ],
    }


def render_json(table: OpinionsTable) -> bytes:
    return (json.dumps(opinions_json(table), ensure_ascii=False, indent=2) + "\n").encode()


# --- markdown --------------------------------------------------------------------------------


def render_md(table: OpinionsTable) -> bytes:
    from piakit.render.markdown import escape as md

    def cell(lines: Sequence[str]) -> str:
        return "<br>".join(md(part) for line in lines for part in line.split("\n"))

    out = [f"# {md(document_title(table))}", "", f"## {md(table_title(table))}", ""]
    if not table.entries:
        return "\n".join([*out, NO_OPINIONS, ""]).encode()
    out.append("| " + " | ".join(HEADERS) + " |")
    out.append("| " + " | ".join("---:" if i == 0 else "---" for i in range(len(HEADERS))) + " |")
    for entry in table.entries:
        fields = [
            str(entry.number),
            cell(source_lines(entry)),
            received_text(entry),
            cell([summary_text(entry)]),
            cell([response_text(entry)]),
            md(outcome_text(entry)),
            cell(item_lines(entry)),
            "<br>".join(f"`{short}`" for short in commit_lines(entry)),
        ]
        out.append("| " + " | ".join(fields) + " |")
    return "\n".join([*out, ""]).encode()


# --- csv -------------------------------------------------------------------------------------


def render_csv(table: OpinionsTable) -> bytes:
    """As the comparison table's csv: UTF-8 with a BOM, CRLF records, line breaks kept in
    quoted cells, and a ``'`` before a cell a spreadsheet would run as a formula."""
    from piakit.render.delimited import escape_formula

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for entry in table.entries:
        writer.writerow([escape_formula(field) for field in entry_fields(entry)])
    return buffer.getvalue().encode("utf-8-sig")


# --- html ------------------------------------------------------------------------------------

#: Printed on A4 landscape: the 意見対応表 has fewer, narrower columns than the comparison table.
_PRINT_PAGE = "@page { size: A4 landscape; margin: 12mm 10mm; }\n"
#: The 意見対応表's own rules, on top of ``TABLE_CSS`` (a page embedding the table adds both).
#: On a narrow screen the table keeps a readable width and scrolls sideways in its wrapper.
OPINIONS_CSS = (
    ".piakit-opinions .number, .piakit-opinions .outcome { text-align: center; }\n"
    ".piakit-opinions .records { color: #555; font-size: 8pt; }\n"
    ".piakit-opinions tr { break-inside: avoid; page-break-inside: avoid; }\n"
    ".piakit-scroll { overflow-x: auto; }\n"
    "@media screen and (max-width: 60em) { .piakit-opinions { min-width: 56em; } }\n"
)


def opinion_anchor(opinion_id: str) -> str:
    """The ``id`` of an opinion's row, for links to it (``#opinion-<id>``)."""
    return f"opinion-{opinion_id}"


def render_html(table: OpinionsTable) -> bytes:
    from piakit.render.html import TABLE_CSS, standalone_page

    name = table_title(table)
    body = (
        f'<div class="piakit-scroll" role="region" aria-label="{escape(name)}" tabindex="0">\n'
        f"{opinions_fragment(table)}\n</div>"
    )
    return standalone_page(
        document_title(table), name, f"{_PRINT_PAGE}{TABLE_CSS}{OPINIONS_CSS}", body
    )


def opinions_fragment(
    table: OpinionsTable,
    item_href: Callable[[str], str] | None = None,
    commit_href: Callable[[str], str] | None = None,
) -> str:
    """Just the ``<table>…</table>`` (``TABLE_CSS`` and the opinions' own rules style it).
    ``item_href`` (an item id to an escaped ``href``) links each related item,
    ``commit_href`` (a full commit id to one) each commit; without them nothing links."""
    from piakit.render.html import colgroup_html

    out = [
        '<table class="piakit-table piakit-opinions">',
        f"<caption>{escape(table_title(table))}</caption>",
        colgroup_html(WEIGHTS),
        "<thead><tr>"
        + "".join(f'<th scope="col">{escape(label)}</th>' for label in HEADERS)
        + "</tr></thead>",
        "<tbody>",
    ]
    for entry in table.entries:
        out.append(_html_row(entry, item_href, commit_href))
    if not table.entries:
        out.append(f'<tr><td class="empty" colspan="{len(HEADERS)}">{NO_OPINIONS}</td></tr>')
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _html_row(
    entry: OpinionEntry,
    item_href: Callable[[str], str] | None,
    commit_href: Callable[[str], str] | None,
) -> str:
    def lines(text: str) -> str:
        return escape(text).replace("\n", "<br>")

    items = []
    for item in entry.items:
        shown = escape(item_line(item))
        if item_href is not None:
            shown = f'<a href="{item_href(item.item)}">{shown}</a>'
        items.append(shown)
    commits = []
    for commit in entry.commits:
        shown = f"<code>{escape(commit.short)}</code>"
        if commit_href is not None:
            shown = f'<a href="{commit_href(commit.sha)}">{shown}</a>'
        commits.append(shown)
    cells = [
        f'<th scope="row" class="number">{entry.number}</th>',
        f'<td class="source">{lines(chr(10).join(source_lines(entry)))}</td>',
        f'<td class="received">{received_text(entry)}</td>',
        f'<td class="summary">{lines(summary_text(entry))}</td>',
        f'<td class="response">{lines(response_text(entry))}</td>',
        f'<td class="outcome {escape(entry.opinion.outcome)}">{escape(outcome_text(entry))}</td>',
        f'<td class="items">{"<br>".join(items)}</td>',
        f'<td class="records">{"<br>".join(commits)}</td>',
    ]
    anchor = escape(opinion_anchor(entry.opinion.id))
    return f'<tr id="{anchor}">' + "".join(cells) + "</tr>"
