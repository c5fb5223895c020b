"""The overview page of an assessment: its facts, its milestones with their dates and commits,
and links to its other pages and to the table's downloads.

A pure function of ``AssessmentData``: it never reads the workspace.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from piakit.model import Milestone
from piakit.reports import AssessmentStatus, CycleMilestone, Overdue
from piakit.website.html import (
    assessment_title,
    commit_html,
    date_text,
    record_details_html,
    site_page,
)
from piakit.website.pages.tables import change_downloads_html, downloads_html
from piakit.website.records import AssessmentData, SiteOptions, SitePage, TocEntry
from piakit.website.titles import (
    CHANGES_TITLE,
    DOCUMENT_TITLE,
    DRAFT_TITLE,
    ITEMS_TITLE,
    OPINIONS_TITLE,
    OVERVIEW_TITLE,
    TABLE_PAGE_TITLE,
)
from piakit.website.urls import (
    Urls,
    changes_path,
    document_path,
    draft_path,
    item_path,
    items_path,
    opinions_path,
    overview_path,
    table_path,
    version_path,
)


def overview_page(data: AssessmentData, options: SiteOptions, urls: Urls) -> SitePage:
    here = overview_path(data.slug)
    facts = [("評価書", assessment_title(data))]
    if data.organization:
        facts.append(("評価実施機関", data.organization))
    if data.affair:
        facts.append(("事務", data.affair))
    if data.form:
        facts.append(("様式", data.form))
    facts_html = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    blocks = [f'<table class="piakit-facts"><tbody>{facts_html}</tbody></table>']
    cycle = _status_html(data, here, urls)
    if cycle:
        blocks += [f'<h2 id="{STATUS_ANCHOR}">{STATUS_TITLE}</h2>', cycle]

    # Readers see each version and its date; the ids and commits that tie a version to the
    # git history are for reviewers, folded away (no HEAD, trailer name or hash in the text).
    rows, records = [], []
    for status in data.statuses:
        milestone = status.milestone
        date = milestone.date.isoformat() if milestone.date else ""
        if status.bound is None:
            commit, state, bound = "", "予定 (コミットに結び付いていません)", "予定"
        else:
            commit = commit_html(status.bound.commit, options.repo_url)
            state = {"tag": "タグ", "trailer": "コミットの記録 (Milestone:)"}.get(
                status.bound.source, status.bound.source
            )
            bound = "記録済み"
        label = escape(milestone.label)
        if status.bound is not None and milestone.id in data.versions:
            label = (
                f'<a href="{urls.href(here, version_path(data.slug, milestone.id))}">{label}</a>'
            )
        rows.append(
            f"<tr><td>{label}</td>"
            f'<td class="piakit-nowrap">{escape(date)}</td>'
            f'<td class="piakit-nowrap">{bound}</td></tr>'
        )
        records.append(
            f"<tr><td>{escape(milestone.label)}</td><td><code>{escape(milestone.id)}</code></td>"
            f"<td>{commit}</td><td>{escape(state)}</td></tr>"
        )
    if data.head is not None:
        rows.append(
            f"<tr><td>{escape(data.head.milestone.label)}</td>"
            f'<td class="piakit-nowrap">{date_text(data.head)}</td>'
            f'<td class="piakit-nowrap">{_draft_state(data)}</td></tr>'
        )
        records.append(
            f"<tr><td>{escape(data.head.milestone.label)}</td><td>—</td>"
            f"<td>{commit_html(data.head.commit, options.repo_url)}</td>"
            "<td>評価書を最後に変更したコミット</td></tr>"
        )
    blocks.append('<h2 id="milestones">版 (マイルストーン)</h2>')
    if rows:
        blocks.append(
            '<table class="piakit-facts"><thead><tr><th>版</th><th>日付</th><th>状態</th>'
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )
        blocks.append(
            record_details_html(
                '<table class="piakit-facts"><thead><tr><th>版</th><th>ID</th><th>コミット</th>'
                "<th>結び付け</th></tr></thead><tbody>" + "".join(records) + "</tbody></table>"
            )
        )
    else:
        blocks.append('<p class="piakit-note">版はまだ宣言されていません。</p>')

    links = [f'<li><a href="{urls.href(here, document_path(data.slug))}">{DOCUMENT_TITLE}</a>']
    if data.published is not None:
        links[-1] += f" (最新の版: {escape(data.published.milestone.label)})"
    versions = _versions_html(data, here, urls)
    if versions:
        links[-1] += f"<br>版ごとの評価書:{versions}"
    links[-1] += "</li>"
    if data.draft_changed:
        links.append(
            f'<li><a href="{urls.href(here, draft_path(data.slug))}">{DRAFT_TITLE}</a>'
            f" (最新の版から {len(data.draft_changed)} 項目の変更)</li>"
        )
    elif data.head is not None and data.published is not None:
        if data.changed_since_published:
            links.append(
                f"<li>{DRAFT_TITLE}: 最新の版から記載の変更はありません "
                "(その後のコミットは記載を変えていません)</li>"
            )
        else:
            links.append(
                f"<li>{DRAFT_TITLE}: 最新の版から変更はありません "
                "(その後、評価書を変更したコミットはありません)</li>"
            )
    table = f'<li><a href="{urls.href(here, table_path(data.slug))}">{TABLE_PAGE_TITLE}</a>'
    if data.downloads:
        table += downloads_html(data, here, urls)
    links.append(table + "</li>")
    if data.changes is not None:
        changes = f'<li><a href="{urls.href(here, changes_path(data.slug))}">{CHANGES_TITLE}</a>'
        if data.change_downloads:
            changes += change_downloads_html(data, here, urls)
        links.append(changes + "</li>")
    if data.opinions is not None:
        links.append(_opinions_link(data, here, urls))
    links.append(
        f'<li><a href="{urls.href(here, items_path(data.slug))}">{ITEMS_TITLE}</a>'
        f" ({len(data.histories)} 項目)</li>"
    )
    blocks.append('<h2 id="pages">ページ</h2>')
    blocks.append('<ul class="piakit-pages">' + "".join(links) + "</ul>")
    toc: tuple[TocEntry, ...] = (
        TocEntry(2, "milestones", "版 (マイルストーン)"),
        TocEntry(2, "pages", "ページ"),
    )
    if cycle:
        toc = (TocEntry(2, STATUS_ANCHOR, STATUS_TITLE), *toc)
    return site_page(here, OVERVIEW_TITLE, assessment_title(data), blocks, toc)


STATUS_ANCHOR = "status"
STATUS_TITLE = "見直しと再実施"


def _status_html(data: AssessmentData, here: str, urls: Urls) -> str:
    """Where the assessment stands in the cycle on the day of the build (``piakit status``):
    empty when there is nothing to say, as for an assessment whose milestones have no kind
    (a repository from before kinds: it is not unpublished, the site just does not know)."""
    status = data.status
    if status is None:
        return ""
    rows: list[tuple[str, str]] = []
    if status.last_published is not None:
        rows.append(("最新の公表", _cycle_milestone_html(status.last_published)))
        rows.append(("再実施期限", _due_html(status, status.reassessment_due, "reassessment")))
    elif status.declares_kinds:
        planned = status.planned_publication
        text = "まだ公表していません"
        if planned is not None:
            text += f" (予定: {_planned_html(planned)})"
        rows.append(("公表", text))
    if status.last_reviewed is not None:
        if status.last_reviewed != status.last_published:
            rows.append(("最新の見直し・修正", _cycle_milestone_html(status.last_reviewed)))
        rows.append(("次回見直し期限", _due_html(status, status.review_due, "review")))
    if status.last_published is not None:
        changes = f"{len(status.changes_since_published)} 項目"
        if status.important_changes:
            links = "、".join(
                _item_link(data, item_id, here, urls) for item_id in status.important_changes
            )
            changes += (
                f" (うち重要な変更 {len(status.important_changes)} 項目: {links})"
                '<br><strong class="piakit-important">再実施が必要</strong>'
                " (重要な変更は、実施する前に評価を再実施します)"
            )
        rows.append(("公表後の変更", changes))
    if status.open_opinions or rows:
        count = f"{len(status.open_opinions)} 件"
        if data.opinions is not None:
            count = f'<a href="{urls.href(here, opinions_path(data.slug))}">{count}</a>'
        rows.append(("検討中の意見", count))
    if not rows:
        return ""
    body = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
    return (
        f'<p class="piakit-note">{status.today.isoformat()} 時点 (このサイトを作った日)</p>'
        f'<table class="piakit-facts piakit-status"><tbody>{body}</tbody></table>'
    )


def _planned_html(milestone: Milestone) -> str:
    if milestone.date is None:
        return escape(milestone.label)
    return f'{escape(milestone.label)} <span class="piakit-nowrap">({milestone.date})</span>'


def _cycle_milestone_html(milestone: CycleMilestone) -> str:
    return (
        f"{escape(milestone.milestone.label)} "
        f'<span class="piakit-nowrap">({milestone.date.isoformat()})</span>'
    )


def _due_html(status: AssessmentStatus, due: dt.date | None, which: Overdue) -> str:
    """The deadline, and 期限切れ when it has passed (it is met on its own day)."""
    if due is None:
        return "—"
    text = f'<span class="piakit-nowrap">{due.isoformat()}</span>'
    if which in status.overdue:
        text += ' <strong class="piakit-important">期限切れ</strong>'
    return text


def _item_link(data: AssessmentData, item_id: str, here: str, urls: Urls) -> str:
    """An item by its heading, linked to its history page when it has one."""
    revisions = data.histories.get(item_id)
    label = escape(item_id)
    if revisions:
        last = revisions[-1].item or revisions[-1].previous
        if last is not None and last.path:
            label = escape(last.path[-1])
        return f'<a href="{urls.href(here, item_path(data.slug, item_id))}">{label}</a>'
    return label


def _opinions_link(data: AssessmentData, here: str, urls: Urls) -> str:
    """The 意見と対応 page in the list of pages, with how many opinions are still open."""
    assert data.opinions is not None
    entries = data.opinions.entries
    open_count = sum(1 for entry in entries if entry.opinion.outcome == "open")
    note = f"{len(entries)} 件" + (f"、うち検討中 {open_count} 件" if open_count else "")
    link = urls.href(here, opinions_path(data.slug))
    return f'<li><a href="{link}">{OPINIONS_TITLE}</a> ({note})</li>'


def _versions_html(data: AssessmentData, here: str, urls: Urls) -> str:
    """A list of the document as of each bound milestone, each by its label and date."""
    entries = []
    for status in data.statuses:
        if status.bound is None or status.milestone.id not in data.versions:
            continue
        link = urls.href(here, version_path(data.slug, status.milestone.id))
        date = f" ({date_text(status.bound)})" if status.milestone.date else ""
        entries.append(f'<li><a href="{link}">{escape(status.milestone.label)}</a>{date}</li>')
    return f"<ul>{''.join(entries)}</ul>" if entries else ""


def _draft_state(data: AssessmentData) -> str:
    """What the working draft's row says: its date is the last commit that changed the
    assessment, which may be older than the newest milestone: then nothing has changed."""
    if data.published is not None and not data.changed_since_published:
        return "最新の版から変更なし"
    return "作業中"
