"""The two table pages: 修正等を要する部分とその内容 (the comparison table, as ``piakit table``
makes it, with its downloads) and 別添3 変更箇所 (the change sheet, as ``piakit changes``).

Pure functions of ``AssessmentData``: they never read the workspace; the table itself is
``piakit.render.html``'s, so the page and the printed download show the same cells.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from html import escape

from piakit.model import IMPORTANT_MARK, ChangeSheet
from piakit.render.common import document_title, path_text, table_title
from piakit.render.html import LEGEND_HTML, colgroup_html, table_cell_html, table_fragment
from piakit.render.sheet import HEADERS as CHANGE_HEADERS
from piakit.render.sheet import NO_ENTRIES as NO_CHANGE_ENTRIES
from piakit.render.sheet import column_widths as change_column_widths
from piakit.website.html import commit_html, record_details_html, site_page
from piakit.website.pages.opinions import opinion_anchor
from piakit.website.records import AssessmentData, SiteOptions, SitePage
from piakit.website.titles import CHANGES_TITLE, DOWNLOAD_LABELS, TABLE_PAGE_TITLE
from piakit.website.urls import (
    Urls,
    changes_download_path,
    changes_path,
    download_path,
    item_path,
    opinions_path,
    table_path,
)

#: The table page prints on A3 landscape; the ``@page`` rule is on that page only.
PRINT_STYLE = "<style>@page { size: A3 landscape; margin: 12mm 10mm; }</style>"


def table_page(data: AssessmentData, options: SiteOptions, urls: Urls) -> SitePage:
    here = table_path(data.slug)
    if data.table is None:
        blocks = [
            '<p class="piakit-note">版がまだコミットに結び付いていないため、'
            "修正等を要する部分はまだ計算できません。</p>"
        ]
        return site_page(here, TABLE_PAGE_TITLE, TABLE_PAGE_TITLE, blocks)
    table = data.table
    columns = "".join(
        f"<li>{escape(column.label)}"
        + (f" ({column.date.isoformat()})" if column.date else "")
        + "</li>"
        for column in table.columns
    )
    # The commits behind the columns, for a reviewer, folded away from the reader's text.
    commits = "".join(
        f"<li>{escape(column.label)}: {commit_html(column.commit, options.repo_url)}</li>"
        for column in table.columns
    )
    blocks = [
        f'<p class="piakit-note">{escape(document_title(table))} — '
        f"{escape(table_title(table))}</p>",
        f'<ul class="piakit-columns">{columns}</ul>',
        record_details_html(f"<ul>{commits}</ul>"),
    ]
    if data.downloads:
        blocks.append(downloads_html(data, here, urls))
    blocks.append(LEGEND_HTML)
    fragment = table_fragment(
        table,
        lambda row: urls.href(here, item_path(data.slug, row.item)),
        _opinion_href(data, here, urls),
    )
    blocks.append(f"{wrap_open(table_title(table))}\n{fragment}\n</div>")
    blocks.append(PRINT_STYLE)
    return site_page(
        here, TABLE_PAGE_TITLE, table_title(table), blocks, wide=True, searchable=False
    )


def _opinion_href(data: AssessmentData, here: str, urls: Urls) -> Callable[[str], str] | None:
    """Each （意見N） after a row's reasons links to that opinion on the 意見と対応 page."""
    if data.opinions is None:
        return None
    published = {entry.opinion.id for entry in data.opinions.entries}
    page = opinions_path(data.slug)

    def href(opinion_id: str) -> str:
        return urls.href(
            here, page, opinion_anchor(opinion_id) if opinion_id in published else None
        )

    return href


def changes_page(data: AssessmentData, sheet: ChangeSheet, urls: Urls) -> SitePage:
    """別添3 変更箇所: every item changed since the first milestone, with its submission."""
    here = changes_path(data.slug)
    blocks = [
        f'<p class="piakit-note">{escape(sheet.since.label)} から '
        f"{escape(sheet.until.label)} までの変更です。提出時期は変更の記録に書かれたものを、"
        "書かれていなければ重要な変更は事前、それ以外は事後としています。</p>"
    ]
    if data.change_downloads:
        blocks.append(change_downloads_html(data, here, urls))
    if not sheet.entries:
        blocks.append(f'<p class="piakit-note">{escape(NO_CHANGE_ENTRIES)}</p>')
        return site_page(here, CHANGES_TITLE, CHANGES_TITLE, blocks)
    head = "".join(f"<th>{escape(label)}</th>" for label in CHANGE_HEADERS)
    rows = []
    for entry in sheet.entries:
        link = urls.href(here, item_path(data.slug, entry.item))
        item = escape(path_text(entry.path))
        if entry.important:
            item = f'<span class="piakit-important">{IMPORTANT_MARK}</span> {item}'
        rows.append(
            "<tr>"
            f"<td>{entry.date.isoformat()}</td>"
            f'<td><a href="{link}">{item}</a></td>'
            f"{table_cell_html(entry.before)}{table_cell_html(entry.after)}"
            f"<td>{escape(entry.submission)}</td><td>{escape(entry.submission_note)}</td>"
            "</tr>"
        )
    blocks.append(
        f'{wrap_open(CHANGES_TITLE)}<table class="piakit-table">'
        f"{colgroup_html(change_column_widths())}"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return site_page(here, CHANGES_TITLE, CHANGES_TITLE, blocks, wide=True, searchable=False)


def change_downloads_html(data: AssessmentData, here: str, urls: Urls) -> str:
    """The 別添3 downloads, as its page and the overview offer them."""
    links = "".join(
        f'<a href="{urls.href(here, changes_download_path(data.slug, fmt))}" '
        f'download="{escape(data.slug)}-changes.{fmt}">{DOWNLOAD_LABELS[fmt]}</a>'
        for fmt, _ in data.change_downloads
    )
    return f'<p class="piakit-downloads">{CHANGES_TITLE} のダウンロード: {links}</p>'


def downloads_html(data: AssessmentData, here: str, urls: Urls) -> str:
    links = []
    for fmt, _ in data.downloads:
        target = download_path(data.slug, fmt)
        name = escape(f"{data.slug}-{posixpath.basename(target)}")
        links.append(
            f'<a href="{urls.href(here, target)}" download="{name}">{DOWNLOAD_LABELS[fmt]}</a>'
        )
    return f'<p class="piakit-downloads">{TABLE_PAGE_TITLE} のダウンロード: {"".join(links)}</p>'


def wrap_open(name: str) -> str:
    """The frame a wide table scrolls in on a narrow screen: a named region that takes the
    keyboard focus, so that it can be scrolled without a mouse."""
    return f'<div class="piakit-table-wrap" role="region" aria-label="{escape(name)}" tabindex="0">'
