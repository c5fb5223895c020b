"""The published site as engine-neutral pages (a heading and blocks of HTML, or the same as
Markdown with raw HTML blocks), static files and a navigation outline, computed from one
``Workspace``.

Pipeline, once per build (``build.build_site``):
  1. ``gather``: for each assessment, the workspace's data: milestones and their commits, the
     comparison table, the items at the newest milestone and at HEAD, every item's revisions
     (one history pass shared by all of them) and the table's downloads;
  2. ``render_assessment``: pure functions (``pages/``) turn that data into pages (overview,
     document, working draft, table, 別添3, item list, one history page per item);
  3. an adapter (``piakit.mkdocs_plugin``) publishes the pages; another static-site engine
     could take its place, since nothing here imports mkdocs.

Where things are: ``records`` (what an adapter receives and passes in), ``urls`` (every path
and link), ``titles`` (fixed words, safe titles), ``html`` (the small HTML pieces),
``gather`` (the only module that reads the workspace), ``pages/`` (one module per kind of
page), ``build`` (the pipeline), ``assets/`` (the stylesheet).

Nothing here runs git, writes files or imports an engine. Every piece of user text (titles,
paths, item text, reasons, author names) is HTML-escaped and only ever lands inside HTML
blocks, never in Markdown syntax. This module only names the package's public API.
"""

from piakit.website.build import build_site, render_assessment
from piakit.website.gather import gather
from piakit.website.records import (
    HOME_MARKER,
    AssessmentData,
    AssessmentSummary,
    Authors,
    NavSection,
    Site,
    SiteOptions,
    SitePage,
    StaticFile,
    TocEntry,
)
from piakit.website.urls import STYLESHEET_PATH, Urls

__all__ = [
    "HOME_MARKER",
    "STYLESHEET_PATH",
    "AssessmentData",
    "AssessmentSummary",
    "Authors",
    "NavSection",
    "Site",
    "SiteOptions",
    "SitePage",
    "StaticFile",
    "TocEntry",
    "Urls",
    "build_site",
    "gather",
    "render_assessment",
]
