"""The engine-neutral records of the published site: what an adapter receives (``Site``: its
pages, static files, navigation and list of assessments), what it passes in (``SiteOptions``)
and what the pages of one assessment are built from (``AssessmentData``).

Records only: nothing here reads the workspace, runs git or imports an engine. The two methods
of ``Site`` that write HTML escape every piece of user text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Literal

from piakit.model import BoundMilestone, ChangeSheet, ComparisonTable, Item, Reason, full_title
from piakit.reports import AssessmentStatus, OpinionsTable
from piakit.versions import ItemRevision
from piakit.website.titles import ASSESSMENTS_HEADING, TABLE_PAGE_TITLE, markdown_title, safe_title
from piakit.website.urls import Urls, overview_path, table_path
from piakit.workspace import MilestoneStatus

#: The downloads the table page offers, in this order, when their renderer imports.
DOWNLOAD_FORMATS: tuple[str, ...] = ("csv", "xlsx", "docx")

#: Where the adapter may put the list of assessments inside a hand-written home page.
HOME_MARKER = "<!-- piakit:assessments -->"


@dataclass(frozen=True)
class TocEntry:
    """A heading of a page for its table of contents. ``title`` is safe plain text."""

    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class SitePage:
    """One page: its source path (``<slug>/items/<id>/index.md``), its title for the
    navigation (safe plain text), its heading (the ``h1``, plain text) and its body: blocks of
    HTML in which every piece of user text is escaped, and the headings they hold.

    ``markdown`` is the whole page as Markdown (the heading, then each block as a raw HTML
    block) for an engine that wants Markdown. An engine that can insert HTML after Markdown
    is better given ``heading_markdown`` and ``body_html``: Markdown then never sees the
    user's text at all, and a large page does not go through its HTML parser.
    """

    path: str
    title: str
    heading: str
    blocks: tuple[str, ...]
    toc: tuple[TocEntry, ...] = ()
    in_nav: bool = True
    #: The page holds a wide table: an adapter may give it the whole width of the screen.
    wide: bool = False
    #: The title for the browser's tab and a search hit (safe plain text): unlike ``title``
    #: it names the assessment, and no two pages of the site share it. Empty: ``title``.
    head_title: str = ""
    #: False for a page whose text is all one big table (the comparison table, 別添3): a
    #: search engine should leave it out, the item pages being the hits for its rows.
    searchable: bool = True

    @property
    def heading_markdown(self) -> str:
        return f"# {markdown_title(self.heading)}\n"

    @property
    def body_html(self) -> str:
        return "\n".join(self.blocks)

    @property
    def markdown(self) -> str:
        # Raw HTML blocks are separated by blank lines and hold none, so Markdown passes each
        # through untouched.
        body = "\n\n".join(block.replace("\n\n", "\n") for block in self.blocks)
        return f"{self.heading_markdown}\n{body}\n"


@dataclass(frozen=True)
class StaticFile:
    path: str
    content: bytes


@dataclass(frozen=True)
class NavSection:
    """One assessment in the navigation: a title and its pages' paths, in order."""

    title: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class AssessmentSummary:
    """What the home page lists about one assessment."""

    slug: str
    title: str
    organization: str | None
    published: str | None  # label of the newest bound milestone
    published_date: dt.date | None
    rows: int | None  # rows of the comparison table


@dataclass(frozen=True)
class Site:
    pages: tuple[SitePage, ...]
    files: tuple[StaticFile, ...]
    sections: tuple[NavSection, ...]
    assessments: tuple[AssessmentSummary, ...]
    #: Things the adapter may log at info level (a download format skipped, ...).
    notes: tuple[str, ...] = ()

    def assessments_html(self, urls: Urls, from_path: str) -> str:
        """The list of assessments, as a raw HTML block for the page at ``from_path``."""
        if not self.assessments:
            return '<p class="piakit-note">公開している評価書はまだありません。</p>'
        out = ['<ul class="piakit-assessments">']
        for summary in self.assessments:
            name = full_title(summary.organization, summary.title)
            overview = urls.href(from_path, overview_path(summary.slug))
            table = urls.href(from_path, table_path(summary.slug))
            line = f'<li><a href="{overview}"><strong>{escape(name)}</strong></a>'
            if summary.published:
                line += f"<br>最新の版: {escape(summary.published)}"
                if summary.published_date:
                    line += f" ({summary.published_date.isoformat()})"
            line += f'<br><a href="{table}">{TABLE_PAGE_TITLE}</a>'
            if summary.rows is not None:
                line += f" ({summary.rows} 項目)"
            out.append(line + "</li>")
        out.append("</ul>")
        return "\n".join(out)

    def home_page(self, site_name: str, urls: Urls) -> SitePage:
        """A home page for a site whose documentation has none of its own."""
        return SitePage(
            "index.md",
            safe_title(site_name),
            site_name,
            (
                f'<h2 id="assessments">{ASSESSMENTS_HEADING}</h2>',
                self.assessments_html(urls, "index.md"),
            ),
            (TocEntry(2, "assessments", ASSESSMENTS_HEADING),),
        )


@dataclass(frozen=True)
class Authors:
    """Which name a change shows for its git author (git author names are staff names):
    ``hide`` shows none, ``show`` the git author name, ``map`` the section (課名) that
    ``sections`` gives for the name (names compared with their spaces normalized); an author
    the map lacks is not named."""

    mode: Literal["hide", "show", "map"] = "hide"
    sections: Mapping[str, str] = field(default_factory=dict)

    def label(self, author_name: str) -> str | None:
        """What a page shows for ``author_name``, or ``None`` for nothing."""
        if self.mode == "show":
            return author_name
        if self.mode == "map":
            wanted = " ".join(author_name.split())
            for name, section in self.sections.items():
                if " ".join(name.split()) == wanted:
                    return section
        return None


@dataclass(frozen=True)
class SiteOptions:
    """How the site is built; the adapter fills it from its own configuration."""

    #: slug → the milestone ids the table shows (default: every bound milestone).
    milestones: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: Show the working draft (HEAD): a page of what changed since the newest milestone, and
    #: the revisions after it on the history pages.
    show_draft: bool = True
    #: The repository on its hosting site, for links to commits (``<repo_url>/commit/<sha>``).
    repo_url: str | None = None
    #: ``a/b.md`` is published at ``a/b/`` (True) or ``a/b.html`` (False).
    directory_urls: bool = True
    #: Formats of the table to offer for download, when their renderer imports.
    downloads: tuple[str, ...] = DOWNLOAD_FORMATS
    #: Whose name a change shows on the item history pages (default: nobody's).
    authors: Authors = field(default_factory=Authors)
    #: The day the overview judges the deadlines on (default: the day of the build).
    today: dt.date | None = None


@dataclass(frozen=True)
class AssessmentData:
    """Everything the pages of one assessment show, read once."""

    slug: str
    title: str
    organization: str | None
    form: str | None
    affair: str | None
    statuses: tuple[MilestoneStatus, ...]
    #: The newest bound milestone: the published document.
    published: BoundMilestone | None
    #: The working draft, when shown.
    head: BoundMilestone | None
    table: ComparisonTable | None
    document: Mapping[str, Item]
    draft: Mapping[str, Item]
    draft_reasons: Mapping[str, Sequence[Reason]]
    histories: Mapping[str, Sequence[ItemRevision]]
    #: commit sha → label of the first milestone (in declared order) that includes it.
    included_in: Mapping[str, str]
    #: Ids of the items the working draft changes since the published document.
    draft_changed: frozenset[str] = frozenset()
    downloads: tuple[tuple[str, bytes], ...] = ()
    skipped_downloads: tuple[str, ...] = ()
    #: 別添3 変更箇所 since the first bound milestone, and its downloads.
    changes: ChangeSheet | None = None
    change_downloads: tuple[tuple[str, bytes], ...] = ()
    #: The items at each bound milestone (milestone id → id → Item), in declared order.
    versions: Mapping[str, Mapping[str, Item]] = field(default_factory=dict)
    #: A commit after the newest milestone changed the assessment's folder (the draft's
    #: ``commit`` is the last such commit, not HEAD when later commits changed only other files).
    changed_since_published: bool = False
    #: Where the assessment stands in the cycle (``piakit status``) on the day of the build.
    status: AssessmentStatus | None = None
    #: 意見と対応: the assessment's opinions, or ``None`` when it has no opinion file.
    opinions: OpinionsTable | None = None
