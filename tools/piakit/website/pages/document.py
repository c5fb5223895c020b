"""The pages that show the document's text: the document at the newest milestone, and the working
draft (what changed since then, as redlines), both with the items under their path headings.

Pure functions of ``AssessmentData``: they never read the workspace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from html import escape

from piakit.model import IMPORTANT_MARK, Item, change_word
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
from piakit.website.urls import Urls, document_path, draft_path, item_path


def document_page(data: AssessmentData, urls: Urls) -> SitePage:
    here = document_path(data.slug)
    if data.published is not None:
        items, shown = data.document, data.published
        intro = (
            f"{escape(shown.milestone.label)}"
            + (f" ({date_text(shown)})" if shown.milestone.date else "")
            + " の評価書です。"
        )
    elif data.head is not None:
        items, shown = data.draft, data.head
        intro = (
            "まだ版がコミットに結び付いていないため、作業中の案 (最新のコミット) を表示しています。"
        )
    else:
        blocks = ['<p class="piakit-note">公開された版はまだありません。</p>']
        return site_page(
            here, DOCUMENT_TITLE, f"{DOCUMENT_TITLE} — {assessment_title(data)}", blocks
        )
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
    blocks.insert(0, f'<p class="piakit-note">{intro}</p>')
    if not ordered:
        blocks.append('<p class="piakit-note">項目はありません。</p>')
    title = f"{DOCUMENT_TITLE} ({shown.milestone.label})"
    return site_page(here, DOCUMENT_TITLE, title, blocks, toc)


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
    document enters, then each item's block (``render_item[id]``)."""
    blocks: list[str] = []
    toc: list[TocEntry] = []
    open_groups: tuple[str, ...] = ()
    # A heading met again after another group (items out of path order) needs its own id.
    used = {item.id for item in items}
    for item in items:
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
