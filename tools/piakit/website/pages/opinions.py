"""The 意見と対応 page of an assessment: every opinion received on it (意見募集, 第三者点検), what
the city thinks (市の考え方), whether it was reflected, and links to the items its answer
changed (their history pages and their rows in the comparison table).

One section per opinion, under a heading whose anchor is the opinion's id (the table's
（意見N） links there), so that a search for an opinion's words finds that opinion. A pure
function of ``AssessmentData`` and its ``OpinionsTable``: it never reads the workspace.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from piakit.conventions import OUTCOMES
from piakit.model import Commit
from piakit.render.common import path_text
from piakit.render.html import row_anchor
from piakit.reports import OpinionEntry, OpinionItem, OpinionsTable
from piakit.website.html import commit_date, commit_html, record_details_html, site_page
from piakit.website.records import AssessmentData, SiteOptions, SitePage, TocEntry
from piakit.website.titles import OPINIONS_TITLE, TABLE_PAGE_TITLE
from piakit.website.urls import Urls, item_path, opinions_path, table_path

#: What the page says where an opinion has no answer yet.
NO_RESPONSE = "まだ記載されていません (検討中)"


def opinion_anchor(opinion_id: str) -> str:
    """The anchor of an opinion's section: its id (ASCII, stable when others are added)."""
    return opinion_id


def opinions_page(
    data: AssessmentData, table: OpinionsTable, options: SiteOptions, urls: Urls
) -> SitePage:
    here = opinions_path(data.slug)
    blocks = [
        '<p class="piakit-note">評価書の案について寄せられた意見 (意見募集による意見と、'
        "第三者点検での審議会の意見) の概要と、それに対する市の考え方です。"
        "反映した意見には、そのために修正した項目へのリンクがあります。"
        "番号は受け付けた順です。</p>"
    ]
    if not table.entries:
        blocks.append('<p class="piakit-note">意見はまだありません。</p>')
        return site_page(here, OPINIONS_TITLE, OPINIONS_TITLE, blocks)
    blocks.append(_summary_html(table))
    toc = []
    rows_in_table = {row.item for row in data.table.rows} if data.table is not None else set()
    for entry in table.entries:
        anchor = opinion_anchor(entry.opinion.id)
        label = f"意見{entry.number}"
        outcome = OUTCOMES.get(entry.opinion.outcome, entry.opinion.outcome)
        toc.append(TocEntry(2, anchor, f"{label} ({outcome})"))
        blocks.append(_entry_html(data, entry, here, urls, options, rows_in_table))
    return site_page(here, OPINIONS_TITLE, OPINIONS_TITLE, blocks, toc)


def _summary_html(table: OpinionsTable) -> str:
    """How many opinions, by source and by outcome: 全 8 件 (意見募集 3 件、…)."""
    sources = Counter(entry.opinion.source for entry in table.entries)
    outcomes = Counter(entry.opinion.outcome for entry in table.entries)
    by_source = "、".join(f"{escape(source)} {count} 件" for source, count in sources.items())
    by_outcome = "、".join(
        f"{label} {outcomes[key]} 件" for key, label in OUTCOMES.items() if outcomes[key]
    )
    return (
        f'<p class="piakit-opinions-summary">全 {len(table.entries)} 件 ({by_source})。'
        f"{by_outcome}。</p>"
    )


def _entry_html(
    data: AssessmentData,
    entry: OpinionEntry,
    here: str,
    urls: Urls,
    options: SiteOptions,
    rows_in_table: set[str],
) -> str:
    opinion = entry.opinion
    anchor = escape(opinion_anchor(opinion.id))
    outcome = escape(OUTCOMES.get(opinion.outcome, opinion.outcome))
    facts = [
        ("区分", escape(opinion.source)),
        ("受付日", opinion.received.isoformat()),
    ]
    if opinion.sender:
        facts.append(("意見を出した者", escape(opinion.sender)))
    facts.append(("意見の概要", _paragraphs(opinion.summary)))
    response = (
        _paragraphs(opinion.response)
        if opinion.response and opinion.response.strip()
        else f'<p class="piakit-empty">{NO_RESPONSE}</p>'
    )
    facts.append(("市の考え方", response))
    facts.append(
        (
            "反映",
            f'<span class="piakit-outcome piakit-outcome-{escape(opinion.outcome)}">'
            f"{outcome}</span>",
        )
    )
    if entry.items:
        dates = {commit.sha: commit_date(commit) for commit in entry.commits}
        listed = "".join(
            _item_html(data, item, dates, here, urls, item.item in rows_in_table)
            for item in entry.items
        )
        changed = f'<ul class="piakit-opinion-items">{listed}</ul>'
        facts.append(("修正した項目", changed))
    rows = "".join(f'<tr><th scope="row">{key}</th><td>{value}</td></tr>' for key, value in facts)
    parts = [
        f'<section class="piakit-opinion" aria-labelledby="{anchor}">',
        f'<h2 id="{anchor}">意見{entry.number}</h2>',
        f'<table class="piakit-facts piakit-opinion-facts"><tbody>{rows}</tbody></table>',
    ]
    if entry.commits:
        parts.append(record_details_html(_commits_html(entry.commits, options)))
    parts.append("</section>")
    return "".join(parts)


def _item_html(
    data: AssessmentData,
    item: OpinionItem,
    dates: dict[str, str],
    here: str,
    urls: Urls,
    in_table: bool,
) -> str:
    """One item the opinion's answer changed: its headings linked to its history page, the
    dates of the changes, and a link to its row of the comparison table when it has one."""
    name = escape(path_text(item.path, " › ") if item.path else item.item)
    if item.item in data.histories:
        name = f'<a href="{urls.href(here, item_path(data.slug, item.item))}">{name}</a>'
    when = sorted({dates[sha] for sha in item.commits if sha in dates})
    out = f"<li>{name}" + (f" ({'、'.join(when)} に修正)" if when else "")
    if in_table:
        row = urls.href(here, table_path(data.slug), row_anchor(item.item))
        out += f' <a class="piakit-row-link" href="{row}">{TABLE_PAGE_TITLE}の行</a>'
    return out + "</li>"


def _commits_html(commits: tuple[Commit, ...], options: SiteOptions) -> str:
    lines = "".join(
        f"<li>{commit_date(commit)} {escape(commit.subject)} "
        f"{commit_html(commit.sha, options.repo_url)}</li>"
        for commit in commits
    )
    return f"<p>この意見に答えたコミット:</p><ul>{lines}</ul>"


def _paragraphs(text: str) -> str:
    """Plain text as one ``<p>`` per non-empty line."""
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
