"""The published site as engine-neutral pages (a heading and blocks of HTML, or the same as
Markdown with raw HTML blocks), static files and a navigation outline, computed from one
``Workspace``.

Pipeline, once per build:
  1. ``gather``: for each assessment, the services' data: milestones and their commits, the
     comparison table, the items at the newest milestone and at HEAD, every item's revisions
     (one history pass shared by all of them) and the table's downloads;
  2. ``render_assessment``: pure functions turn that data into pages (overview, document,
     working draft, table, item list, one history page per item);
  3. an adapter (``piakit.mkdocs_plugin``) publishes the pages; another static-site engine
     could take its place, since nothing here imports mkdocs.

Nothing here runs git, writes files or imports an engine. Every piece of user text (titles,
paths, item text, reasons, author names) is HTML-escaped here and only ever lands inside HTML
blocks, never in Markdown syntax. Page titles and navigation labels go through ``safe_title``:
themes print them without escaping (Material even unescapes them for ``<title>``), so they
must not contain ``<``, ``>`` or ``&`` at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from piakit.bindings import milestone_findings, select_milestones
from piakit.conventions import NAME_RE
from piakit.errors import InputError
from piakit.model import (
    ABSENT_WORD,
    BoundMilestone,
    ChangeSheet,
    Commit,
    ComparisonTable,
    Item,
    Reason,
)
from piakit.render import FORMATS, render
from piakit.render.changes import HEADERS as CHANGE_HEADERS
from piakit.render.changes import NO_ENTRIES as NO_CHANGE_ENTRIES
from piakit.render.changes import render_changes
from piakit.render.common import (
    IMPORTANT_MARK,
    document_title,
    path_text,
    reason_lines,
    table_title,
)
from piakit.render.html import LEGEND_HTML, TABLE_CSS, table_cell_html, table_fragment
from piakit.textdiff import diff_ops
from piakit.usecases.sheet import change_sheet
from piakit.usecases.table import comparison_table
from piakit.versions import ItemRevision, item_histories, item_reasons, items_at, versions_at
from piakit.workspace import MilestoneStatus, Workspace

#: Item ids and assessment slugs become folders of the site: DESIGN's id rule, checked again
#: here because a file name in git is not validated by anything before it reaches a URL.

#: The downloads the table page offers, in this order, when their renderer imports.
DOWNLOAD_FORMATS: tuple[str, ...] = ("csv", "xlsx", "docx")
DOWNLOAD_LABELS = {
    "csv": "CSV",
    "xlsx": "Excel (xlsx)",
    "docx": "Word (docx)",
    "html": "印刷用 HTML (A3 横)",
}

#: Page and link titles of each assessment's fixed pages.
OVERVIEW_TITLE = "概要"
DOCUMENT_TITLE = "評価書"
DRAFT_TITLE = "作業中の案"
TABLE_PAGE_TITLE = "修正等を要する部分とその内容"
CHANGES_TITLE = "別添3 変更箇所"
#: The downloads the 別添3 page offers.
CHANGE_DOWNLOAD_FORMATS: tuple[str, ...] = ("csv", "xlsx")
ITEMS_TITLE = "項目の一覧と履歴"
ASSESSMENTS_HEADING = "評価書の一覧"

#: Where the site's own stylesheet is published.
STYLESHEET_PATH = "assets/piakit/piakit.css"

#: Replacements that keep a title free of markup characters (see the module docstring).
_TITLE_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀"})
#: Characters Python-Markdown (and CommonMark) honour a backslash escape for.
_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^])")

SITE_CSS = (
    TABLE_CSS
    + """\
.piakit-table-wrap { overflow-x: auto; margin: 1em 0; }
.piakit-table-wrap .piakit-table { font-size: 0.62rem; min-width: 48rem; }
.piakit-table-wrap .piakit-table th, .piakit-table-wrap .piakit-table td { color: inherit; }
.piakit-note { color: var(--md-default-fg-color--light, #555); }
.piakit-value p, .piakit-redline p { margin: 0.15em 0; }
.piakit-value, .piakit-redline { white-space: pre-wrap; overflow-wrap: anywhere; }
.piakit-empty { color: var(--md-default-fg-color--light, #6b6b6b); }
.piakit-item { margin: 0 0 1.4em; }
.md-typeset .piakit-item > :is(h2, h3, h4, h5, h6) {
  margin: 1.4em 0 0.4em; font-size: 0.95em; font-weight: 700; letter-spacing: 0;
  text-transform: none; color: var(--md-typeset-color, #111);
}
.piakit-id { font-size: 0.75em; }
.piakit-nowrap { white-space: nowrap; }
.piakit-item-meta { font-size: 0.85em; color: var(--md-default-fg-color--light, #555); }
.piakit-important { color: #b00020; font-weight: bold; }
.piakit-redline ins, .piakit-legend ins {
  text-decoration: underline; text-decoration-thickness: 0.12em;
  text-underline-offset: 0.18em; background: rgba(0, 160, 80, 0.10);
}
.piakit-redline del, .piakit-legend del { color: #8a1c1c; background: rgba(200, 0, 0, 0.07); }
.piakit-facts { border-collapse: collapse; margin: 0.8em 0; }
.piakit-facts th, .piakit-facts td {
  border: 1px solid var(--md-default-fg-color--lightest, #ccc);
  padding: 0.3em 0.6em; text-align: left; vertical-align: top;
}
.piakit-facts th { font-weight: 600; white-space: nowrap; }
.piakit-reasons { margin: 0.3em 0; }
.piakit-downloads a { margin-right: 1em; }
@media print {
  .md-header, .md-tabs, .md-sidebar, .md-footer, .md-content__button,
  .piakit-downloads { display: none !important; }
  .md-grid { max-width: none !important; }
  .md-main__inner, .md-content__inner { margin: 0 !important; padding: 0 !important; }
  .piakit-table-wrap { overflow: visible; }
  .piakit-table-wrap .piakit-table { font-size: 9pt; min-width: 0; }
}
"""
)

#: The table page prints on A3 landscape; the ``@page`` rule is on that page only.
PRINT_STYLE = "<style>@page { size: A3 landscape; margin: 12mm 10mm; }</style>"

#: Where the adapter may put the list of assessments inside a hand-written home page.
HOME_MARKER = "<!-- piakit:assessments -->"


# --- what the adapter receives ---------------------------------------------------------------


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
            name = summary.title
            if summary.organization:
                name = f"{summary.organization} {name}"
            overview = urls.href(from_path, _overview_path(summary.slug))
            table = urls.href(from_path, _table_path(summary.slug))
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


# --- text helpers ------------------------------------------------------------------------------


def safe_title(text: str) -> str:
    """One line of text with no markup character, for titles and navigation labels."""
    return " ".join(text.split()).translate(_TITLE_SAFE)


def markdown_title(text: str) -> str:
    """``safe_title`` with Markdown's own punctuation escaped, for a ``# heading`` line."""
    return _MD_SPECIAL_RE.sub(r"\\\1", safe_title(text))


def _lines_html(text: str) -> str:
    """Plain text as one ``<p>`` per line (item text is one paragraph or bullet per line)."""
    lines = text.split("\n")
    return "".join(f"<p>{escape(line)}</p>" if line.strip() else "<p>&#160;</p>" for line in lines)


def _value_html(item: Item | None) -> str:
    if item is None or item.is_empty:
        return f'<div class="piakit-value piakit-empty"><p>{ABSENT_WORD}</p></div>'
    return f'<div class="piakit-value">{_lines_html(item.plain())}</div>'


def redline_html(old: str | None, new: str | None) -> str:
    """``old`` → ``new`` as a redline: removed text in ``<del>``, added text in ``<ins>``,
    cut into words the way the comparison table cuts them (``textdiff.diff_ops``)."""
    if not old and not new:
        return f'<div class="piakit-redline piakit-empty"><p>{ABSENT_WORD}</p></div>'
    return f'<div class="piakit-redline"><p>{inline_redline(old or "", new or "")}</p></div>'


def inline_redline(old: str, new: str) -> str:
    """The marked-up text of a redline, lines joined by ``<br>``, for use inside a block."""
    parts = []
    for kind, text in diff_ops(old, new):
        shown = escape(text).replace("\n", "<br>")
        if kind == "delete":
            shown = f"<del>{shown}</del>"
        elif kind == "insert":
            shown = f"<ins>{shown}</ins>"
        parts.append(shown)
    return "".join(parts)


def _reasons_html(reasons: Iterable[Reason]) -> str:
    lines = reason_lines(reasons)
    if not lines:
        return '<span class="piakit-empty">(理由の記載なし)</span>'
    return "<br>".join(escape(line) for line in lines)


def _plain_value(item: Item | None) -> str | None:
    return item.plain() if item is not None and not item.is_empty else None


def _heading_anchor(path: Sequence[str]) -> str:
    """A stable anchor for a group heading: the same headings give the same anchor."""
    digest = hashlib.sha1("\x1f".join(path).encode("utf-8")).hexdigest()[:8]
    return f"h-{digest}"


# --- URLs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Urls:
    """Relative links between the site's source paths, as the engine will publish them."""

    directory_urls: bool = True

    def url(self, path: str) -> str:
        """The published URL (relative to the site root) of a source path."""
        if not path.endswith(".md"):
            return path
        stem = path[: -len(".md")]
        folder, _, name = stem.rpartition("/")
        if self.directory_urls:
            if name in ("index", "README"):
                return f"{folder}/" if folder else ""
            return f"{stem}/"
        return f"{stem}.html"

    def href(self, from_path: str, to_path: str, anchor: str | None = None) -> str:
        """A relative ``href`` from the page at ``from_path`` to ``to_path`` (escaped)."""
        here, there = self.url(from_path), self.url(to_path)
        base = here.rsplit("/", 1)[0] if "/" in here else ""
        link = posixpath.relpath(there or ".", base or ".")
        if there.endswith("/") or not there:
            link = "./" if link == "." else link + "/"
        if anchor:
            link += "#" + quote(anchor, safe="")
        return escape(link)


def _overview_path(slug: str) -> str:
    return f"{slug}/index.md"


def _document_path(slug: str) -> str:
    return f"{slug}/document.md"


def _draft_path(slug: str) -> str:
    return f"{slug}/draft.md"


def _table_path(slug: str) -> str:
    return f"{slug}/table.md"


def _items_path(slug: str) -> str:
    return f"{slug}/items/index.md"


def item_path(slug: str, item_id: str) -> str:
    """The history page of an item: its URL is built from the id, so renumbering the
    headings (``path``) never moves it."""
    return f"{slug}/items/{item_id}/index.md"


def _changes_path(slug: str) -> str:
    return f"{slug}/changes.md"


def _changes_download_path(slug: str, fmt: str) -> str:
    return f"{slug}/changes.{fmt}"


def _download_path(slug: str, fmt: str) -> str:
    return f"{slug}/table-print.html" if fmt == "html" else f"{slug}/table.{fmt}"


# --- gathering (the only part that calls services) -----------------------------------------


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


def _check_name(kind: str, name: str, where: str) -> None:
    if not NAME_RE.match(name):
        raise InputError(
            f"{where}: the {kind} {name!r} cannot be published: it must be lower-case ASCII "
            "letters, digits, '.', '_' and '-', starting with a letter or digit",
            hint=f"rename it in a commit of its own (git mv); piakit check lists every such {kind}",
        )


def gather(workspace: Workspace, slug: str, options: SiteOptions) -> AssessmentData:
    """Read what the pages of ``slug`` need. Every call here reuses the workspace's single
    history pass; the number of git processes does not depend on the number of items."""
    _check_name("assessment name", slug, f"{workspace.assessments_dir}/{slug}")
    assessment = workspace.assessment(slug)
    statuses = tuple(workspace.milestones(slug))
    bound = [s.bound for s in statuses if s.bound is not None]
    published = bound[-1] if bound else None
    head = workspace.head_milestone() if options.show_draft else None

    commits = [c for c in (published, head) if c is not None]
    table: ComparisonTable | None = None
    if bound or options.milestones.get(slug):
        chosen = list(options.milestones.get(slug, ())) or None
        # Every version the pages show (the table's columns, the document, the draft) read in
        # one batch: the table alone would read only the files that change between columns.
        columns = select_milestones(workspace, slug, chosen)
        items_at(workspace, slug, [c.commit for c in (*columns, *commits)])
        table = comparison_table(workspace, slug, chosen)

    versions = versions_at(workspace, slug, [c.commit for c in commits])
    document: Mapping[str, Item] = versions[0] if published is not None else {}
    draft: Mapping[str, Item] = versions[-1] if head is not None else {}
    draft_reasons: Mapping[str, Sequence[Reason]] = {}
    if head is not None and published is not None and head.commit != published.commit:
        draft_reasons = item_reasons(workspace, slug, published.commit, head.commit)

    if head is not None:
        histories = item_histories(workspace, slug)
    elif published is not None:
        histories = item_histories(workspace, slug, published.commit)
    else:
        histories = {}
    prefix = workspace.items_prefix(slug)
    for item_id in histories:
        _check_name("item id", item_id, f"{prefix}{item_id}.yaml")

    included_in: dict[str, str] = {}
    for milestone in bound:
        for sha in workspace.ancestors(milestone.commit):
            included_in.setdefault(sha, milestone.milestone.label)

    downloads: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    if table is not None:
        for fmt in (*options.downloads, "html"):
            data = _render_download(table, fmt)
            if data is None:
                skipped.append(fmt)
            else:
                downloads.append((fmt, data))

    changes: ChangeSheet | None = None
    change_downloads: list[tuple[str, bytes]] = []
    last = head or published
    if bound and last is not None:
        changes = change_sheet(workspace, slug, bound[0].milestone.id, last.milestone.id)
        for fmt in CHANGE_DOWNLOAD_FORMATS:
            try:
                change_downloads.append((fmt, render_changes(changes, fmt)))
            except ImportError:
                continue

    return AssessmentData(
        slug=slug,
        title=assessment.title,
        organization=assessment.organization,
        form=assessment.form,
        affair=assessment.affair,
        statuses=statuses,
        published=published,
        head=head,
        table=table,
        document=document,
        draft=draft,
        draft_reasons=draft_reasons,
        histories=histories,
        included_in=included_in,
        draft_changed=_draft_changes(document, draft) if head and published else frozenset(),
        downloads=tuple(downloads),
        skipped_downloads=tuple(skipped),
        changes=changes,
        change_downloads=tuple(change_downloads),
    )


def _render_download(table: ComparisonTable, fmt: str) -> bytes | None:
    """The table in ``fmt``, or ``None`` when that format's renderer does not exist (yet) or
    its optional dependency is not installed."""
    module = FORMATS.get(fmt)
    if module is None:
        return None
    try:
        importlib.import_module(module)
        return render(table, fmt)
    except ImportError:
        return None


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
        built = render_assessment(data, options, urls)
        pages.extend(built)
        files.extend(
            StaticFile(_download_path(slug, fmt), content) for fmt, content in data.downloads
        )
        files.extend(
            StaticFile(_changes_download_path(slug, fmt), content)
            for fmt, content in data.change_downloads
        )
        sections.append(
            NavSection(
                safe_title(_full_title(data)),
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


# --- rendering (pure) ----------------------------------------------------------------------


def _full_title(data: AssessmentData) -> str:
    return f"{data.organization} {data.title}" if data.organization else data.title


def _milestone_date(bound: BoundMilestone | None) -> dt.date | None:
    return bound.milestone.date if bound is not None else None


def _commit_html(sha: str, repo_url: str | None) -> str:
    code = f"<code>{escape(sha[:7])}</code>"
    if not repo_url:
        return code
    url = f"{repo_url.rstrip('/')}/commit/{quote(sha)}"
    return f'<a href="{escape(url)}" title="{escape(sha)}">{code}</a>'


def _commit_date(commit: Commit) -> str:
    return commit.author_date.date().isoformat()


def render_assessment(data: AssessmentData, options: SiteOptions, urls: Urls) -> list[SitePage]:
    pages = [_overview_page(data, options, urls), _document_page(data, urls)]
    if data.draft_changed:
        pages.append(_draft_page(data, options, urls))
    pages.append(_table_page(data, options, urls))
    if data.changes is not None:
        pages.append(_changes_page(data, data.changes, urls))
    pages.append(_items_page(data, urls))
    pages.extend(
        _item_page(data, item_id, revisions, options, urls)
        for item_id, revisions in sorted(data.histories.items())
    )
    return pages


def _overview_page(data: AssessmentData, options: SiteOptions, urls: Urls) -> SitePage:
    here = _overview_path(data.slug)
    facts = [("評価書", _full_title(data))]
    if data.organization:
        facts.append(("評価実施機関", data.organization))
    if data.affair:
        facts.append(("事務", data.affair))
    if data.form:
        facts.append(("様式", data.form))
    facts_html = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    blocks = [f'<table class="piakit-facts"><tbody>{facts_html}</tbody></table>']

    rows = []
    for status in data.statuses:
        milestone = status.milestone
        date = milestone.date.isoformat() if milestone.date else ""
        if status.bound is None:
            commit, state = "", "予定 (コミットに結び付いていません)"
        else:
            commit = _commit_html(status.bound.commit, options.repo_url)
            state = {"tag": "タグ", "trailer": "Milestone トレーラー"}.get(
                status.bound.source, status.bound.source
            )
        rows.append(
            f"<tr><td>{escape(milestone.label)}</td><td><code>{escape(milestone.id)}</code></td>"
            f"<td>{escape(date)}</td><td>{commit}</td><td>{escape(state)}</td></tr>"
        )
    if data.head is not None:
        rows.append(
            f"<tr><td>{escape(data.head.milestone.label)}</td><td><code>HEAD</code></td>"
            f"<td>{_date_text(data.head)}</td>"
            f"<td>{_commit_html(data.head.commit, options.repo_url)}</td>"
            "<td>最新のコミット</td></tr>"
        )
    blocks.append('<h2 id="milestones">版 (マイルストーン)</h2>')
    if rows:
        blocks.append(
            '<table class="piakit-facts"><thead><tr><th>版</th><th>ID</th><th>日付</th>'
            "<th>コミット</th><th>結び付け</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    else:
        blocks.append('<p class="piakit-note">版はまだ宣言されていません。</p>')

    links = [f'<li><a href="{urls.href(here, _document_path(data.slug))}">{DOCUMENT_TITLE}</a>']
    if data.published is not None:
        links[-1] += f" ({escape(data.published.milestone.label)})"
    links[-1] += "</li>"
    if data.draft_changed:
        links.append(
            f'<li><a href="{urls.href(here, _draft_path(data.slug))}">{DRAFT_TITLE}</a>'
            f" (最新の版から {len(data.draft_changed)} 項目の変更)</li>"
        )
    elif data.head is not None and data.published is not None:
        links.append(f"<li>{DRAFT_TITLE}: 最新の版から変更はありません</li>")
    links.append(
        f'<li><a href="{urls.href(here, _table_path(data.slug))}">{TABLE_PAGE_TITLE}</a></li>'
    )
    links.append(
        f'<li><a href="{urls.href(here, _items_path(data.slug))}">{ITEMS_TITLE}</a>'
        f" ({len(data.histories)} 項目)</li>"
    )
    blocks.append('<h2 id="pages">ページ</h2>')
    blocks.append("<ul>" + "".join(links) + "</ul>")
    if data.downloads:
        blocks.append(_downloads_html(data, here, urls))
    toc = (TocEntry(2, "milestones", "版 (マイルストーン)"), TocEntry(2, "pages", "ページ"))
    return _page(here, OVERVIEW_TITLE, _full_title(data), blocks, toc)


def _date_text(bound: BoundMilestone) -> str:
    return bound.milestone.date.isoformat() if bound.milestone.date else ""


def _page(
    path: str,
    nav_title: str,
    heading: str,
    blocks: Sequence[str],
    toc: Sequence[TocEntry] = (),
    *,
    in_nav: bool = True,
    wide: bool = False,
) -> SitePage:
    return SitePage(path, safe_title(nav_title), heading, tuple(blocks), tuple(toc), in_nav, wide)


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


def _document_page(data: AssessmentData, urls: Urls) -> SitePage:
    here = _document_path(data.slug)
    if data.published is not None:
        items, shown = data.document, data.published
        intro = (
            f"{escape(shown.milestone.label)}"
            + (f" ({_date_text(shown)})" if shown.milestone.date else "")
            + " の評価書です。"
        )
    elif data.head is not None:
        items, shown = data.draft, data.head
        intro = (
            "まだ版がコミットに結び付いていないため、作業中の案 (最新のコミット) を表示しています。"
        )
    else:
        blocks = ['<p class="piakit-note">公開された版はまだありません。</p>']
        return _page(here, DOCUMENT_TITLE, f"{DOCUMENT_TITLE} — {_full_title(data)}", blocks)
    if data.draft_changed:
        intro += (
            f' その後の変更は <a href="{urls.href(here, _draft_path(data.slug))}">'
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
            f"{_value_html(item)}"
            f'<p class="piakit-item-meta">{" ・ ".join(meta)}</p></section>'
        )
    blocks, toc = _grouped_items(ordered, rendered)
    blocks.insert(0, f'<p class="piakit-note">{intro}</p>')
    if not ordered:
        blocks.append('<p class="piakit-note">項目はありません。</p>')
    title = f"{DOCUMENT_TITLE} ({shown.milestone.label})"
    return _page(here, DOCUMENT_TITLE, title, blocks, toc)


def _draft_changes(document: Mapping[str, Item], draft: Mapping[str, Item]) -> frozenset[str]:
    """Ids of the items whose value, headings or page differ between the newest milestone and
    the working draft."""
    changed = set()
    for item_id in document.keys() | draft.keys():
        before, after = document.get(item_id), draft.get(item_id)
        if _plain_value(before) != _plain_value(after) or (
            before is not None
            and after is not None
            and (before.path, before.page, before.important)
            != (after.path, after.page, after.important)
        ):
            changed.add(item_id)
    return frozenset(changed)


def _draft_page(data: AssessmentData, options: SiteOptions, urls: Urls) -> SitePage:
    here = _draft_path(data.slug)
    assert data.published is not None and data.head is not None
    changed = data.draft_changed
    since = escape(data.published.milestone.label)
    blocks = [
        f'<p class="piakit-note">最新の版 ({since}) から作業中の案 (コミット '
        f"{_commit_html(data.head.commit, options.repo_url)}) までの変更です。"
        "<del>取り消し線</del> は削除された文字、<ins>下線</ins> は追加された文字です。</p>"
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
            state = "追加" if before is None else "削除" if after is None else "変更"
            meta = [state]
            if before is not None and after is not None and before.path != after.path:
                heading = inline_redline(" ".join(before.path), " ".join(after.path))
                meta.append(f'見出しの変更: <span class="piakit-redline">{heading}</span>')
            meta.append(f'<a href="{urls.href(here, item_path(data.slug, item.id))}">変更履歴</a>')
            reasons = data.draft_reasons.get(item.id, ())
            rendered[item.id] = (
                f'<section class="piakit-item">{_item_heading(item, _item_level(item))}'
                f"{redline_html(_plain_value(before), _plain_value(after))}"
                f'<p class="piakit-reasons">{_reasons_html(reasons)}</p>'
                f'<p class="piakit-item-meta">{" ・ ".join(meta)}</p></section>'
            )
        grouped, toc = _grouped_items(ordered, rendered)
        blocks.extend(grouped)
    return _page(here, DRAFT_TITLE, f"{DRAFT_TITLE} ({since} からの変更)", blocks, toc)


def _downloads_html(data: AssessmentData, here: str, urls: Urls) -> str:
    links = []
    for fmt, _ in data.downloads:
        target = _download_path(data.slug, fmt)
        name = escape(f"{data.slug}-{posixpath.basename(target)}")
        links.append(
            f'<a href="{urls.href(here, target)}" download="{name}">{DOWNLOAD_LABELS[fmt]}</a>'
        )
    return f'<p class="piakit-downloads">{TABLE_PAGE_TITLE} のダウンロード: {"".join(links)}</p>'


def _table_page(data: AssessmentData, options: SiteOptions, urls: Urls) -> SitePage:
    here = _table_path(data.slug)
    if data.table is None:
        blocks = [
            '<p class="piakit-note">版がまだコミットに結び付いていないため、'
            "修正等を要する部分はまだ計算できません。</p>"
        ]
        return _page(here, TABLE_PAGE_TITLE, TABLE_PAGE_TITLE, blocks)
    table = data.table
    columns = "".join(
        f"<li>{escape(column.label)}"
        + (f" ({column.date.isoformat()})" if column.date else "")
        + f" — コミット {_commit_html(column.commit, options.repo_url)}</li>"
        for column in table.columns
    )
    blocks = [
        f'<p class="piakit-note">{escape(document_title(table))} — '
        f"{escape(table_title(table))}</p>",
        f'<ul class="piakit-columns">{columns}</ul>',
    ]
    if data.downloads:
        blocks.append(_downloads_html(data, here, urls))
    blocks.append(f'<div class="piakit-table-wrap">\n{table_fragment(table)}\n</div>')
    blocks.append(LEGEND_HTML)
    blocks.append(PRINT_STYLE)
    return _page(here, TABLE_PAGE_TITLE, table_title(table), blocks, wide=True)


def _changes_page(data: AssessmentData, sheet: ChangeSheet, urls: Urls) -> SitePage:
    """別添3 変更箇所: every item changed since the first milestone, with its submission."""
    here = _changes_path(data.slug)
    blocks = [
        f'<p class="piakit-note">{escape(sheet.since.label)} から '
        f"{escape(sheet.until.label)} までの変更です。提出時期はコミットの "
        "<code>Submission:</code> トレーラーから、書かれていなければ重要な変更は事前、"
        "それ以外は事後としています。</p>"
    ]
    if data.change_downloads:
        links = "".join(
            f'<a href="{urls.href(here, _changes_download_path(data.slug, fmt))}" '
            f'download="{escape(data.slug)}-changes.{fmt}">{DOWNLOAD_LABELS[fmt]}</a>'
            for fmt, _ in data.change_downloads
        )
        blocks.append(f'<p class="piakit-downloads">{CHANGES_TITLE} のダウンロード: {links}</p>')
    if not sheet.entries:
        blocks.append(f'<p class="piakit-note">{escape(NO_CHANGE_ENTRIES)}</p>')
        return _page(here, CHANGES_TITLE, CHANGES_TITLE, blocks)
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
        '<div class="piakit-table-wrap"><table class="piakit-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return _page(here, CHANGES_TITLE, CHANGES_TITLE, blocks, wide=True)


def _items_page(data: AssessmentData, urls: Urls) -> SitePage:
    here = _items_path(data.slug)
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
            f'<td class="piakit-nowrap">{_commit_date(latest.commit)}</td><td>{state}</td></tr>'
        )
    if rows:
        blocks = [
            '<p class="piakit-note">項目ごとに、すべての変更の日付・理由・差分を見られます。'
            "項目のページの URL は項目の ID から作られるため、"
            "見出しの番号が変わっても変わりません。</p>",
            '<table class="piakit-facts"><thead><tr><th>項目 (ID)</th><th>ページ</th>'
            "<th>変更</th><th>最終変更</th><th>状態</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>",
        ]
    else:
        blocks = ['<p class="piakit-note">項目はまだありません。</p>']
    return _page(here, ITEMS_TITLE, f"{ITEMS_TITLE} — {_full_title(data)}", blocks)


def _item_page(
    data: AssessmentData,
    item_id: str,
    revisions: Sequence[ItemRevision],
    options: SiteOptions,
    urls: Urls,
) -> SitePage:
    here = item_path(data.slug, item_id)
    latest = revisions[-1]
    current = latest.item or latest.previous
    assert current is not None
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
        link = urls.href(here, _document_path(data.slug), item_id)
        where.append(f'<a href="{link}">{escape(data.published.milestone.label)} の評価書</a>')
    if latest.item is None:
        where.append("削除されています")
    elif item_id in data.draft_changed:
        draft = urls.href(here, _draft_path(data.slug), item_id)
        where.append(f'<a href="{draft}">{DRAFT_TITLE}</a>')
    if where:
        facts.append(("掲載", " ・ ".join(where)))
    facts_html = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in facts)
    overview = urls.href(here, _overview_path(data.slug))
    items = urls.href(here, _items_path(data.slug))
    blocks = [
        f'<p class="piakit-note"><a href="{overview}">{escape(_full_title(data))}</a> › '
        f'<a href="{items}">{ITEMS_TITLE}</a></p>',
        f'<table class="piakit-facts"><tbody>{facts_html}</tbody></table>',
        '<p class="piakit-note">変更を古い順に並べています。'
        "<del>取り消し線</del> は削除された文字、<ins>下線</ins> は追加された文字です。</p>",
    ]
    toc: list[TocEntry] = []
    for number, revision in enumerate(revisions, start=1):
        commit = revision.commit
        anchor = f"r-{commit.sha[:12]}"
        before, after = revision.previous, revision.item
        kind = "追加" if before is None else "削除" if after is None else "変更"
        if revision.renamed_from is not None:
            kind = f"ファイル名の変更 ({revision.renamed_from} から)"
        heading = f"{number}. {_commit_date(commit)} {kind}"
        toc.append(TocEntry(2, anchor, heading))
        rows = [
            ("日付", escape(_commit_date(commit))),
            ("作成者", escape(commit.author_name)),
            ("コミット", f"{_commit_html(commit.sha, options.repo_url)} {escape(commit.subject)}"),
            ("区分・理由", _reasons_html(commit.reasons)),
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
        old, new = _plain_value(before), _plain_value(after)
        change = (
            redline_html(old, new)
            if old != new
            else '<p class="piakit-note">記載内容の変更はありません。</p>'
        )
        blocks.append(
            f'<section class="piakit-revision"><h2 id="{anchor}">{escape(heading)}</h2>'
            f'<table class="piakit-facts"><tbody>{rows_html}</tbody></table>{change}</section>'
        )
    return _page(here, label, f"{label} の変更履歴", blocks, toc, in_nav=False)
