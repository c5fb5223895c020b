"""The comparison table as a standalone HTML5 page, made to be read on screen and printed.

One file, no external resources: inline CSS (``page.css`` and ``table.css``, shipped beside
this module and read once at import), A3 landscape pages, the header row repeated on every
printed page, fixed column widths, the legend above the table, changed characters in
``<ins class="chg">`` (underlined; on screen also tinted, and announced to a screen reader by
visually hidden generated text) and removed lines as ``<span class="del">(削除)</span>``. The
table names itself in a visually hidden ``<caption>``. The site embeds the same table through
``table_fragment`` and ``TABLE_CSS``, with each row's item linked to its page; the standalone
page links nowhere.

Every piece of user text (labels, paths, cell text, reasons) goes through ``html.escape``: the
only tags in the output are written here. Cells never contain a literal newline (lines are
``<br>``), so the table stays one raw-HTML block when a Markdown page embeds it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from importlib.resources import files

from piakit.model import IMPORTANT_MARK, LEGEND, Cell, ComparisonTable, Row
from piakit.render.common import (
    NO_ROWS,
    category_line,
    cell_lines,
    document_title,
    header_labels,
    opinion_labels,
    page_text,
    reason_groups,
    reason_line,
    table_title,
)
from piakit.render.redline import markup

#: Column widths in percent; the milestone columns share what is left.
ITEM_WIDTH = 16.0
PAGE_WIDTH = 4.0
REASON_WIDTH = 16.0

#: A row whose every cell is at most this long is kept on one printed page; longer rows may
#: split, since keeping them whole would leave most of a page blank (or not fit at all).
KEEP_MAX_LINES = 20
KEEP_MAX_CHARS = 600

#: The table's own style (``table.css``), scoped to ``.piakit-table`` and ``.piakit-legend`` so
#: that a site page embedding the table keeps its other tables as they are.
TABLE_CSS = files("piakit.render").joinpath("table.css").read_text(encoding="utf-8")

#: The standalone page's own style (``page.css``): paper size, margins, fonts.
PAGE_CSS = files("piakit.render").joinpath("page.css").read_text(encoding="utf-8")


def render(table: ComparisonTable) -> bytes:
    return standalone_page(
        document_title(table),
        table_title(table),
        TABLE_CSS,
        f"{LEGEND_HTML}\n{table_fragment(table)}",
    )


def standalone_page(heading: str, name: str, css: str, body: str) -> bytes:
    """A page of its own (no site): ``heading`` and the table's ``name`` over ``body`` (HTML),
    styled by ``page.css`` and ``css``."""
    page = f"""\
<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(name)} — {escape(heading)}</title>
<style>
{PAGE_CSS}{css}</style>
</head>
<body>
<h1>{escape(heading)}</h1>
<h2>{escape(name)}</h2>
{body}
</body>
</html>
"""
    return page.encode("utf-8")


def table_fragment(
    table: ComparisonTable,
    item_href: Callable[[Row], str] | None = None,
    opinion_href: Callable[[str], str] | None = None,
) -> str:
    """Just the ``<table>…</table>``, styled by ``TABLE_CSS``, for embedding in a page.

    ``item_href`` (a row to an already escaped ``href``): each row's item path links there,
    and each row gets the id ``row_anchor(row.item)`` for links into the table;
    ``opinion_href`` (an opinion id to an escaped ``href``): each （意見N） after the reasons
    links there. Without them the table links nowhere (the standalone page has no site).
    """
    count = len(table.columns)
    milestone_width = (100.0 - ITEM_WIDTH - PAGE_WIDTH - REASON_WIDTH) / max(count, 1)
    widths = [ITEM_WIDTH, PAGE_WIDTH, *([milestone_width] * count), REASON_WIDTH]
    header = header_labels(table)
    out = ['<table class="piakit-table">', f"<caption>{escape(table_title(table))}</caption>"]
    out += [colgroup_html(widths), "<thead>"]
    out.append("<tr>" + "".join(f'<th scope="col">{escape(h)}</th>' for h in header) + "</tr>")
    out += ["</thead>", "<tbody>"]
    out.extend(_row(table, row, item_href, opinion_href) for row in table.rows)
    if not table.rows:
        empty = f'<td class="empty" colspan="{len(header)}">{NO_ROWS}</td>'
        out.append(f"<tr>{empty}</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def row_anchor(item_id: str) -> str:
    """The id of an item's row in a linked table (item ids are safe in an id)."""
    return f"row-{item_id}"


def colgroup_html(widths: Sequence[float]) -> str:
    """A ``<colgroup>`` giving each column its share of ``widths`` (any unit)."""
    total = sum(widths)
    cols = [f'<col style="width: {_percent(100.0 * w / total)}">' for w in widths]
    return "\n".join(["<colgroup>", *cols, "</colgroup>"])


def _percent(width: float) -> str:
    return f"{width:.3f}".rstrip("0").rstrip(".") + "%"


def _row(
    table: ComparisonTable,
    row: Row,
    item_href: Callable[[Row], str] | None,
    opinion_href: Callable[[str], str] | None,
) -> str:
    classes = []
    if row.important:
        classes.append("important")
    if _is_short(row):
        classes.append("keep")
    item = "<br>".join(escape(part) for part in row.path)
    if item_href is not None:
        item = f'<a href="{item_href(row)}">{item}</a>'
    if row.important:
        item = f'<span class="important-mark">{IMPORTANT_MARK}</span><br>{item}'
    cells = [
        f'<th scope="row" class="item">{item}</th>',
        f'<td class="page">{escape(page_text(row.page))}</td>',
        *(table_cell_html(cell) for cell in row.cells),
        f'<td class="reasons">{_reasons(table, row, opinion_href)}</td>',
    ]
    attr = f' class="{" ".join(classes)}"' if classes else ""
    if item_href is not None:
        attr = f' id="{escape(row_anchor(row.item))}"{attr}'
    return f"<tr{attr}>" + "".join(cells) + "</tr>"


def _is_short(row: Row) -> bool:
    for cell in row.cells:
        text = cell.display()
        if len(text) > KEEP_MAX_CHARS or text.count("\n") >= KEEP_MAX_LINES:
            return False
    return True


def table_cell_html(cell: Cell) -> str:
    """One ``<td>`` of the table: the cell's text escaped, changes underlined."""
    css = "text" if cell.status == "text" else f"status {cell.status}"
    return f'<td class="{css}">' + markup(cell_lines(cell), escape, _marked) + "</td>"


def _marked(shown: str, kind: str) -> str:
    if kind == "changed":
        return f'<ins class="chg">{shown}</ins>'
    return f'<span class="del">{shown}</span>' if kind == "removed" else shown


#: The legend above the table, each mark as the table's cells show it.
LEGEND_HTML = f'<p class="piakit-legend">{markup([LEGEND], escape, _marked)}</p>'


def _reasons(table: ComparisonTable, row: Row, opinion_href: Callable[[str], str] | None) -> str:
    lines = []
    for group in reason_groups(row.reasons):
        if group.category is not None:
            category = escape(category_line(group.category))
            lines.append(f'<span class="reason-category">{category}</span>')
        lines.extend(escape(reason_line(text)) for text in group.reasons)
    if row.opinions:
        lines.append(opinions_html(table, row, opinion_href))
    return "<br>".join(lines)


def opinions_html(
    table: ComparisonTable, row: Row, opinion_href: Callable[[str], str] | None = None
) -> str:
    """（意見N）（意見M） for the opinions ``row``'s commits resolve, each linked through
    ``opinion_href`` (an opinion id to an escaped ``href``) when given; ``""`` for none."""
    numbered = {table.opinion_label(opinion_id): opinion_id for opinion_id in row.opinions}
    labels = []
    for label in opinion_labels(table, row):
        shown = escape(label)
        if opinion_href is not None:
            shown = f'<a href="{opinion_href(numbered[label])}">{shown}</a>'
        labels.append(shown)
    return f'<span class="opinions">{"".join(labels)}</span>' if labels else ""
