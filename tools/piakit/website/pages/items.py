"""The item pages: the list of every item with its latest change, and one history page per item
(every revision, oldest first, with its commit, reasons and redline).

Pure functions of ``AssessmentData``: they never read the workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from piakit.model import IMPORTANT_MARK, BoundMilestone, change_word
from piakit.versions import ItemRevision
from piakit.website.html import (
    assessment_title,
    author_html,
    commit_date,
    commit_details_html,
    date_text,
    inline_redline,
    plain_value,
    reasons_html,
    redline_html,
    site_page,
    value_html,
)
from piakit.website.pages.opinions import opinion_anchor
from piakit.website.records import AssessmentData, SiteOptions, SitePage, TocEntry
from piakit.website.titles import DRAFT_TITLE, ITEMS_TITLE, distinct_labels
from piakit.website.urls import (
    Urls,
    document_path,
    draft_path,
    item_path,
    items_path,
    opinions_path,
    overview_path,
    version_path,
)


def items_page(data: AssessmentData, urls: Urls) -> SitePage:
    here = items_path(data.slug)
    entries = []
    for item_id, revisions in data.histories.items():
        latest = revisions[-1]
        item = latest.item or latest.previous
        assert item is not None
        entries.append((item.sort_key(), item_id, item, latest))
    entries.sort(key=lambda entry: entry[0])
    rows = []
    for _, item_id, item, latest in entries:
        link = urls.href(here, item_path(data.slug, item_id))
        in_document = item_id in data.document
        state = ""
        if latest.item is None:
            state = "作業中の案で削除" if in_document else "削除"
        elif not in_document and data.published is not None:
            state = "作業中の案で追加"
        rows.append(
            f'<tr><td><a href="{link}">{escape(" ".join(item.path) or item_id)}</a>'
            f'<br><code class="piakit-id">{escape(item_id)}</code></td>'
            f"<td>{escape('' if item.page is None else str(item.page))}</td>"
            f"<td>{len(data.histories[item_id])}</td>"
            f'<td class="piakit-nowrap">{escape(_when(data, latest))}</td><td>{state}</td></tr>'
        )
    if rows:
        blocks = [
            '<p class="piakit-note">項目ごとに、すべての変更の日付・理由・差分を見られます。'
            "項目のページの URL は項目の ID から作られるため、"
            "見出しの番号が変わっても変わりません。</p>",
            # The item pages are the search hits for these rows: one entry of every row helps
            # nobody.
            '<table class="piakit-facts" data-search-exclude><thead><tr><th>項目 (ID)</th>'
            "<th>ページ</th>"
            "<th>変更</th><th>最終変更</th><th>状態</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>",
        ]
    else:
        blocks = ['<p class="piakit-note">項目はまだありません。</p>']
    return site_page(here, ITEMS_TITLE, f"{ITEMS_TITLE} — {assessment_title(data)}", blocks)


def item_page(
    data: AssessmentData,
    item_id: str,
    revisions: Sequence[ItemRevision],
    options: SiteOptions,
    urls: Urls,
    label: str | None = None,
) -> SitePage:
    """``label`` names the item in the title: by default its last heading, which other items
    may share (``item_labels`` gives labels that no two items share)."""
    here = item_path(data.slug, item_id)
    latest = revisions[-1]
    current = latest.item or latest.previous
    assert current is not None
    if label is None:
        label = current.path[-1] if current.path else item_id

    facts = [
        ("見出し", escape(" › ".join(current.path))),
        ("項目 ID", f"<code>{escape(item_id)}</code>"),
    ]
    if current.page is not None:
        facts.append(("ページ", str(current.page)))
    if current.important:
        facts.append(("重要な変更", f'<span class="piakit-important">{IMPORTANT_MARK}</span>'))
    where = []
    if item_id in data.document and data.published is not None:
        link = urls.href(here, document_path(data.slug), item_id)
        where.append(f'<a href="{link}">{escape(data.published.milestone.label)} の評価書</a>')
    if latest.item is None:
        where.append("削除されています")
    elif item_id in data.draft_changed:
        draft = urls.href(here, draft_path(data.slug), item_id)
        where.append(f'<a href="{draft}">{DRAFT_TITLE}</a>')
    if where:
        facts.append(("掲載", " ・ ".join(where)))
    versions = _versions_with(data, item_id, here, urls)
    if versions:
        facts.append(("版ごとの評価書", versions))
    facts_html = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in facts)
    overview = urls.href(here, overview_path(data.slug))
    items = urls.href(here, items_path(data.slug))
    blocks = [
        f'<p class="piakit-note"><a href="{overview}">{escape(assessment_title(data))}</a> › '
        f'<a href="{items}">{ITEMS_TITLE}</a></p>',
        f'<table class="piakit-facts"><tbody>{facts_html}</tbody></table>',
        '<p class="piakit-note">変更を古い順に並べています。'
        "<del>取り消し線</del> は削除された文字、<ins>下線</ins> は追加された文字です。</p>",
    ]
    toc: list[TocEntry] = []
    answered = _answered_opinions(data, here, urls)
    for number, revision in enumerate(revisions, start=1):
        commit = revision.commit
        anchor = f"r-{commit.sha[:12]}"
        before, after = revision.previous, revision.item
        kind = change_word(before, after)
        if revision.renamed_from is not None:
            kind = f"ファイル名の変更 ({revision.renamed_from} から)"
        heading = f"{number}. {commit_date(commit)} {kind}"
        date = commit_date(commit)
        baseline = _baseline(data, revision)
        if baseline is not None:
            # The document as it was when taken in: not an addition on the commit's date.
            heading = f"{number}. {baseline.milestone.label} ({IMPORTED_WORD})"
            date = date_text(baseline) or f"{date} (取り込んだコミットの日付)"
        toc.append(TocEntry(2, anchor, heading))
        rows = [("日付", escape(date))]
        author = author_html(commit, options.authors)
        if author:
            rows.append(("作成者", author))
        rows += [
            ("変更の説明", escape(commit.subject)),
            ("区分・理由", reasons_html(commit.reasons)),
            *([("対応した意見", "".join(answered[commit.sha]))] if commit.sha in answered else []),
            (
                "収録された版",
                escape(data.included_in.get(commit.sha, "まだどの版にも含まれていません (作業中)")),
            ),
        ]
        if before is not None and after is not None and before.path != after.path:
            heading = inline_redline(" ".join(before.path), " ".join(after.path))
            rows.append(("見出しの変更", f'<span class="piakit-redline">{heading}</span>'))
        if before is not None and after is not None and before.page != after.page:
            rows.append(("ページの変更", escape(f"{before.page} → {after.page}")))
        rows_html = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        old, new = plain_value(before), plain_value(after)
        change = (
            value_html(after)
            if baseline is not None
            else redline_html(old, new)
            if old != new
            else '<p class="piakit-note">記載内容の変更はありません。</p>'
        )
        blocks.append(
            f'<section class="piakit-revision"><h2 id="{anchor}">{escape(heading)}</h2>'
            f'<table class="piakit-facts"><tbody>{rows_html}</tbody></table>{change}'
            f"{commit_details_html(commit.sha, options.repo_url)}</section>"
        )
    return site_page(here, label, f"{label} の変更履歴", blocks, toc, in_nav=False)


#: How the site names the first version of an item: the document as taken into piakit.
IMPORTED_WORD = "取り込み"


def _answered_opinions(data: AssessmentData, here: str, urls: Urls) -> dict[str, list[str]]:
    """Commit → the （意見N） links of the opinions it resolves (``Resolves:``), each to its
    entry on the opinions page, in number order."""
    answered: dict[str, list[str]] = {}
    for entry in data.opinions.entries if data.opinions is not None else ():
        link = urls.href(here, opinions_path(data.slug), opinion_anchor(entry.opinion.id))
        for commit in entry.commits:
            answered.setdefault(commit.sha, []).append(
                f'<a href="{link}">（意見{entry.number}）</a>'
            )
    return answered


def _baseline(data: AssessmentData, revision: ItemRevision) -> BoundMilestone | None:
    """The first declared milestone when ``revision`` is the item as that milestone took it
    in (``piakit import-table``'s first commit, or a first commit written by hand): added
    by the commit bound to it, with no reason given. Such a revision is the baseline, not
    a change made on its commit's date."""
    first = data.statuses[0].bound if data.statuses else None
    if (
        first is None
        or revision.previous is not None
        or revision.item is None
        or revision.commit.sha != first.commit
        or revision.commit.reasons
    ):
        return None
    return first


def _when(data: AssessmentData, revision: ItemRevision) -> str:
    """When ``revision`` was made, for the list of items: its date, or the baseline's name."""
    baseline = _baseline(data, revision)
    if baseline is not None:
        return f"{baseline.milestone.label} ({IMPORTED_WORD})"
    return commit_date(revision.commit)


def _versions_with(data: AssessmentData, item_id: str, here: str, urls: Urls) -> str:
    """Links to the item in the document as of each milestone that has it."""
    links = [
        f'<a href="{urls.href(here, version_path(data.slug, status.milestone.id), item_id)}">'
        f"{escape(status.milestone.label)}</a>"
        for status in data.statuses
        if status.bound is not None and item_id in data.versions.get(status.milestone.id, {})
    ]
    return " ・ ".join(links)


def item_labels(data: AssessmentData) -> dict[str, str]:
    """Each item's label for its page title: its last heading, with as many headings above
    it as make it differ from every other item's (``titles.distinct_labels``)."""
    paths = {}
    for item_id, revisions in data.histories.items():
        item = revisions[-1].item or revisions[-1].previous
        paths[item_id] = item.path if item is not None else ()
    return distinct_labels(paths)
