"""The pages that show the document's text: the document at the newest milestone, and the working
draft (what changed since then, as redlines), both with the items under their path headings.

Pure functions of ``AssessmentData``: they never read the workspace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from html import escape

from piakit.model import IMPORTANT_MARK, BoundMilestone, Item, change_word
from piakit.website.html import (
    assessment_title,
    commit_details_html,
    date_text,
    inline_redline,
    plain_value,
    reasons_html,
    redline_html,
    site_page,
    value_html,
)
from piakit.website.records import AssessmentData, SiteOptions, SitePage, TocEntry
from piakit.website.titles import DOCUMENT_TITLE, DRAFT_TITLE, safe_title
from piakit.website.urls import Urls, document_path, draft_path, item_path, version_path


def document_page(data: AssessmentData, urls: Urls) -> SitePage:
    here = document_path(data.slug)
    if data.published is not None:
        return _document(data, here, data.published, data.document, urls, nav_title=DOCUMENT_TITLE)
    if data.head is not None:
        intro = (
            "まだ版がコミットに結び付いていないため、作業中の案 (最新のコミット) を表示しています。"
        )
        return _document(data, here, data.head, data.draft, urls, DOCUMENT_TITLE, intro)
    blocks = ['<p class="piakit-note">公開された版はまだありません。</p>']
    return site_page(here, DOCUMENT_TITLE, f"{DOCUMENT_TITLE} — {assessment_title(data)}", blocks)


def version_page(data: AssessmentData, shown: BoundMilestone, urls: Urls) -> SitePage:
    """The document as of one bound milestone, at its permanent address."""
    here = version_path(data.slug, shown.milestone.id)
    items = data.versions.get(shown.milestone.id, {})
    title = f"{DOCUMENT_TITLE} ({shown.milestone.label})"
    # Out of the search index: a search answers from the current document and the items'
    # histories, not from every older text again.
    return _document(data, here, shown, items, urls, title, in_nav=False, searchable=False)


def _document(
    data: AssessmentData,
    here: str,
    shown: BoundMilestone,
    items: Mapping[str, Item],
    urls: Urls,
    nav_title: str,
    intro: str | None = None,
    *,
    in_nav: bool = True,
    searchable: bool = True,
) -> SitePage:
    if intro is None:
        intro = (
            f"{escape(shown.milestone.label)}"
            + (f" ({date_text(shown)})" if shown.milestone.date else "")
            + " の評価書です。"
        )
        newest = data.published is not None and shown.milestone.id == data.published.milestone.id
        if here == document_path(data.slug):
            link = urls.href(here, version_path(data.slug, shown.milestone.id))
            intro += (
                f' 次の版が出ても変わらないこの版のアドレス: <a href="{link}">'
                f"{escape(shown.milestone.label)} の{DOCUMENT_TITLE}</a>"
            )
        elif newest:
            link = urls.href(here, document_path(data.slug))
            intro += f' 最新の版です (<a href="{link}">{DOCUMENT_TITLE}</a> と同じ内容です)。'
        else:
            link = urls.href(here, document_path(data.slug))
            intro += f' 最新の版は <a href="{link}">{DOCUMENT_TITLE}</a> にあります。'
    if data.draft_changed:
        intro += (
            f' その後の変更は <a href="{urls.href(here, draft_path(data.slug))}">'
            f"{DRAFT_TITLE}</a> にあります。"
        )
    ordered = sorted(items.values(), key=Item.sort_key)
    rendered = {}
    for item in ordered:
        history = urls.href(here, item_path(data.slug, item.id))
        count = len(data.histories.get(item.id, ()))
        meta = []
        if item.page is not None:
            meta.append(f"{item.page} ページ")
        meta.append(f'<a href="{history}">変更履歴 ({count})</a>')
        rendered[item.id] = (
            f'<section class="piakit-item">{_item_heading(item, _item_level(item))}'
            f"{value_html(item)}"
            f'<p class="piakit-item-meta">{" ・ ".join(meta)}</p></section>'
        )
    blocks, toc = _grouped_items(ordered, rendered)
    current = shown.milestone.id if shown.source != "head" else None
    blocks.insert(0, version_switcher(data, here, current, urls))
    blocks.insert(0, f'<p class="piakit-note">{intro}</p>')
    if not ordered:
        blocks.append('<p class="piakit-note">項目はありません。</p>')
    # The newest version has two addresses: the heading says which one this is, so that no
    # two pages share a title.
    latest = "最新の版: " if here == document_path(data.slug) and shown is data.published else ""
    title = f"{DOCUMENT_TITLE} ({latest}{shown.milestone.label})"
    return site_page(here, nav_title, title, blocks, toc, in_nav=in_nav, searchable=searchable)


def version_switcher(data: AssessmentData, here: str, current: str | None, urls: Urls) -> str:
    """Links to the document as of every bound milestone (each by its label and date) and to
    the working draft when it has a page; ``current`` (a milestone id, or ``None`` for the
    draft) is marked ``aria-current``. Empty when there is nothing to switch between."""
    entries: list[tuple[str, str, str, bool]] = []
    for status in data.statuses:
        if status.bound is None or status.milestone.id not in data.versions:
            continue
        date = date_text(status.bound)
        target = version_path(data.slug, status.milestone.id)
        entries.append((target, status.milestone.label, date, current == status.milestone.id))
    if data.draft_changed and data.head is not None:
        entries.append((draft_path(data.slug), DRAFT_TITLE, date_text(data.head), current is None))
    if len(entries) < 2:
        return ""
    links = []
    for target, label, date, is_current in entries:
        mark = ' aria-current="page"' if is_current else ""
        when = f' <span class="piakit-version-date">{escape(date)}</span>' if date else ""
        links.append(
            f'<li><a href="{urls.href(here, target)}"{mark}>{escape(label)}{when}</a></li>'
        )
    return (
        '<nav class="piakit-versions" aria-label="評価書の版">'
        '<p class="piakit-versions-title">版を選ぶ:</p>'
        f"<ul>{''.join(links)}</ul></nav>"
    )


def draft_page(data: AssessmentData, options: SiteOptions, urls: Urls) -> SitePage:
    here = draft_path(data.slug)
    assert data.published is not None and data.head is not None
    changed = data.draft_changed
    since = escape(data.published.milestone.label)
    blocks = [
        f'<p class="piakit-note">最新の版 ({since}) から作業中の案までの変更です。'
        "<del>取り消し線</del> は削除された文字、<ins>下線</ins> は追加された文字です。</p>",
        commit_details_html(data.head.commit, options.repo_url),
    ]
    toc: list[TocEntry] = []
    switcher = version_switcher(data, here, None, urls)
    if switcher:
        blocks.append(switcher)
    if not changed:
        blocks.append(f'<p class="piakit-note">最新の版 ({since}) から変更はありません。</p>')
    else:
        shown = {item_id: data.draft.get(item_id) or data.document[item_id] for item_id in changed}
        ordered = sorted(shown.values(), key=Item.sort_key)
        rendered = {}
        for item in ordered:
            before, after = data.document.get(item.id), data.draft.get(item.id)
            state = change_word(before, after)
            meta = [state]
            if before is not None and after is not None and before.path != after.path:
                heading = inline_redline(" ".join(before.path), " ".join(after.path))
                meta.append(f'見出しの変更: <span class="piakit-redline">{heading}</span>')
            meta.append(f'<a href="{urls.href(here, item_path(data.slug, item.id))}">変更履歴</a>')
            reasons = data.draft_reasons.get(item.id, ())
            rendered[item.id] = (
                f'<section class="piakit-item">{_item_heading(item, _item_level(item))}'
                f"{redline_html(plain_value(before), plain_value(after))}"
                f'<p class="piakit-reasons">{reasons_html(reasons)}</p>'
                f'<p class="piakit-item-meta">{" ・ ".join(meta)}</p></section>'
            )
        grouped, toc = _grouped_items(ordered, rendered)
        blocks.extend(grouped)
    return site_page(here, DRAFT_TITLE, f"{DRAFT_TITLE} ({since} からの変更)", blocks, toc)


def _grouped_items(
    items: Sequence[Item], render_item: Mapping[str, str]
) -> tuple[list[str], list[TocEntry]]:
    """Items under their path headings, in document order: a heading for each group the
    document enters, then each item's block (``render_item[id]``). An item whose own heading
    is the group of the items after it (an item 委託事項3 followed by 委託事項3 › ①委託内容)
    is that group's heading: its heading is not written twice."""
    blocks: list[str] = []
    toc: list[TocEntry] = []
    open_groups: tuple[str, ...] = ()
    # A heading met again after another group (items out of path order) needs its own id.
    used = {item.id for item in items}
    for index, item in enumerate(items):
        groups = item.path[:-1]
        shared = 0
        while shared < min(len(groups), len(open_groups)) and groups[shared] == open_groups[shared]:
            shared += 1
        for depth in range(shared, len(groups)):
            level = min(depth + 2, 6)  # the page's h1 is the document's title
            anchor = base = _heading_anchor(groups[: depth + 1])
            repeat = 1
            while anchor in used:
                repeat += 1
                anchor = f"{base}-{repeat}"
            used.add(anchor)
            blocks.append(f'<h{level} id="{anchor}">{escape(groups[depth])}</h{level}>')
            toc.append(TocEntry(level, anchor, safe_title(groups[depth])))
        open_groups = groups
        following = items[index + 1].path if index + 1 < len(items) else ()
        if item.path and following[: len(item.path)] == item.path != following:
            # The next item is under this one's heading: the heading is open as a group.
            open_groups = item.path
            label = safe_title(item.path[-1])
            toc.append(TocEntry(_item_level(item), item.id, label))
        blocks.append(render_item[item.id])
    return blocks, toc


def _item_heading(item: Item, level: int) -> str:
    label = item.path[-1] if item.path else item.id
    mark = f' <span class="piakit-important">{IMPORTANT_MARK}</span>' if item.important else ""
    anchor = escape(item.id)
    return (
        f'<h{level} id="{anchor}">{escape(label)}{mark}'
        f'<a class="headerlink" href="#{anchor}" title="この項目へのリンク">¶</a></h{level}>'
    )


def _item_level(item: Item) -> int:
    return min(len(item.path) + 1, 6) if item.path else 2


def _heading_anchor(path: Sequence[str]) -> str:
    """A stable anchor for a group heading: the same headings give the same anchor."""
    digest = hashlib.sha1("\x1f".join(path).encode("utf-8")).hexdigest()[:8]
    return f"h-{digest}"
