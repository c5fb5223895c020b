"""The site of a whole ``Workspace``: for each assessment, ``gather`` reads its data once and
``render_assessment`` turns it into pages; ``build_site`` adds the downloads, the stylesheet
and the navigation outline, and returns the ``Site`` an adapter publishes.

Nothing here writes files or imports an engine. The stylesheet it publishes is the table's
(``piakit/render/table.css``) followed by the site's (``assets/piakit.css``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from importlib import resources

from piakit.bindings import milestone_findings
from piakit.model import BoundMilestone
from piakit.render.html import TABLE_CSS
from piakit.website.gather import gather
from piakit.website.html import assessment_title
from piakit.website.pages.document import document_page, draft_page, version_page
from piakit.website.pages.items import item_labels, item_page, items_page
from piakit.website.pages.opinions import opinions_page
from piakit.website.pages.overview import overview_page
from piakit.website.pages.tables import changes_page, table_page
from piakit.website.records import (
    AssessmentData,
    AssessmentSummary,
    NavSection,
    Site,
    SiteOptions,
    SitePage,
    StaticFile,
)
from piakit.website.titles import safe_title
from piakit.website.urls import STYLESHEET_PATH, Urls, changes_download_path, download_path
from piakit.workspace import Workspace

#: The site's stylesheet, published at ``STYLESHEET_PATH``.
SITE_CSS = TABLE_CSS + (
    resources.files("piakit.website").joinpath("assets", "piakit.css").read_text(encoding="utf-8")
)


def build_site(workspace: Workspace, options: SiteOptions) -> Site:
    """Every page of every assessment of ``workspace``."""
    urls = Urls(options.directory_urls)
    pages: list[SitePage] = []
    files: list[StaticFile] = [StaticFile(STYLESHEET_PATH, SITE_CSS.encode("utf-8"))]
    sections: list[NavSection] = []
    summaries: list[AssessmentSummary] = []
    notes: list[str] = []
    for slug in workspace.slugs():
        data = gather(workspace, slug, options)
        built = [
            _with_head_title(page, assessment_title(data))
            for page in render_assessment(data, options, urls)
        ]
        pages.extend(built)
        files.extend(
            StaticFile(download_path(slug, fmt), content) for fmt, content in data.downloads
        )
        files.extend(
            StaticFile(changes_download_path(slug, fmt), content)
            for fmt, content in data.change_downloads
        )
        sections.append(
            NavSection(
                safe_title(assessment_title(data)),
                tuple(page.path for page in built if page.in_nav),
            )
        )
        summaries.append(
            AssessmentSummary(
                slug=slug,
                title=data.title,
                organization=data.organization,
                published=data.published.milestone.label if data.published else None,
                published_date=_milestone_date(data.published),
                rows=len(data.table.rows) if data.table is not None else None,
            )
        )
        notes.extend(
            f"{slug}: no {fmt} download: its renderer is not available"
            for fmt in data.skipped_downloads
        )
        notes.extend(
            f"{slug}: {finding.message}"
            for finding in milestone_findings(workspace, slug)
            if finding.severity == "warning"
        )
    return Site(tuple(pages), tuple(files), tuple(sections), tuple(summaries), tuple(notes))


def render_assessment(data: AssessmentData, options: SiteOptions, urls: Urls) -> list[SitePage]:
    pages = [overview_page(data, options, urls), document_page(data, urls)]
    pages.extend(
        version_page(data, status.bound, urls)
        for status in data.statuses
        if status.bound is not None and status.milestone.id in data.versions
    )
    if data.draft_changed:
        pages.append(draft_page(data, options, urls))
    pages.append(table_page(data, options, urls))
    if data.changes is not None:
        pages.append(changes_page(data, data.changes, urls))
    if data.opinions is not None:
        pages.append(opinions_page(data, data.opinions, options, urls))
    pages.append(items_page(data, urls))
    labels = item_labels(data)
    pages.extend(
        item_page(data, item_id, revisions, options, urls, labels[item_id])
        for item_id, revisions in sorted(data.histories.items())
    )
    return pages


def _with_head_title(page: SitePage, assessment: str) -> SitePage:
    """The page with a title that names its assessment (for the browser's tab and search)."""
    if page.head_title:
        return page
    heading = safe_title(page.heading)
    name = safe_title(assessment)
    return replace(page, head_title=heading if name in heading else f"{heading} — {name}")


def _milestone_date(bound: BoundMilestone | None) -> dt.date | None:
    return bound.milestone.date if bound is not None else None
