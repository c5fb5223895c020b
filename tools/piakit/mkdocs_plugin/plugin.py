"""The ``piakit`` mkdocs plugin: publishes every assessment of the repository as virtual pages.

Per build: ``on_config`` opens a fresh ``Workspace`` (so ``mkdocs serve`` never serves data
cached by an earlier build), ``on_files`` reads the history once through it and adds every
page and download as a generated file (nothing is written into ``docs/``), ``on_nav`` puts each
assessment's main pages in the navigation (the per-item history pages stay out of it), and
``on_page_content`` puts each generated page's HTML body in after Markdown (which only renders
its heading) and gives it its table of contents. piakit's own errors become a
``PluginError`` with the file and line or the hint; this module never exits.

The site publishes a *privacy* assessment for Japanese readers, so ``on_config`` also keeps
every page free of requests to other hosts (Material's Google Fonts off unless the user names
a font) and Japanese where Material is not: the footer and the 404 page (``overrides/``) and
the heading permalinks' title.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from piakit.conventions import ASSESSMENTS_DIR
from piakit.errors import PiakitError
from piakit.website import (
    HOME_MARKER,
    STYLESHEET_PATH,
    Authors,
    Site,
    SiteOptions,
    SitePage,
    TocEntry,
    Urls,
    build_site,
)
from piakit.workspace import Workspace

log = get_plugin_logger(__name__)

#: Where a generated page's body goes, in the Markdown that mkdocs renders.
BODY_MARKER = "<!-- piakit:page-body -->"

#: Templates put before Material's own: its footer line and its 404 page, in Japanese.
OVERRIDES_DIR = Path(__file__).resolve().parent / "overrides"
#: Material's default fonts, which every page would fetch from fonts.googleapis.com.
MATERIAL_DEFAULT_FONT = {"text": "Roboto", "code": "Roboto Mono"}
#: The title of a heading's permalink (Python-Markdown's toc says "Permanent link").
PERMALINK_TITLE = "この見出しへのリンク"

#: After a table cell: the search index (which keeps only the text) would otherwise run one
#: cell's text into the next one's, or the next row's.
_CELL_END_RE = re.compile(r"(</t[dh]>)(?=<)")


class AuthorsOption(BaseConfigOption[Authors]):
    """``authors: hide`` (the default), ``authors: show``, or
    ``authors: {map: {"山田 太郎": 情報政策課, ...}}``."""

    def __init__(self) -> None:
        super().__init__()
        self.default = "hide"

    def run_validation(self, value: object) -> Authors:
        if value in ("hide", "show"):
            return Authors("hide" if value == "hide" else "show")
        if isinstance(value, dict) and list(value) == ["map"] and isinstance(value["map"], dict):
            sections = value["map"]
            if all(isinstance(k, str) and isinstance(v, str) for k, v in sections.items()):
                return Authors("map", {k: v for k, v in sections.items()})
        raise ValidationError(
            "expected 'hide', 'show' or {map: {<git author name>: <section name>, ...}}, "
            f"got {value!r}"
        )


class PiakitConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options in ``mkdocs.yml`` (``plugins: - piakit: {…}``)."""

    assessments_dir = c.Type(str, default=ASSESSMENTS_DIR)
    """The folder that holds ``<slug>/assessment.yaml`` and ``<slug>/items/``, relative to the
    folder of ``mkdocs.yml``; it must be inside the git repository."""

    milestones = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Per assessment (slug → milestone ids, in order), the columns of the comparison table,
    as ``piakit table --milestones`` takes them; ``HEAD`` names the newest commit. An
    assessment not listed shows every milestone bound to a commit."""

    show_draft = c.Type(bool, default=True)
    """Publish the working draft (HEAD): a page of what changed since the newest milestone,
    and the revisions after it on the item history pages. Off, the site shows only what a
    milestone includes."""

    authors = AuthorsOption()
    """Whose name a change shows on the item history pages: nobody's (``hide``, the default:
    git author names are staff names), the git author's (``show``), or the section (課名) that
    ``map`` gives for the author's name (an author not in the map is not named)."""


def _plugin_error(exc: PiakitError) -> PluginError:
    return PluginError(f"piakit: {exc}")


class PiakitPlugin(BasePlugin[PiakitConfig]):  # type: ignore[no-untyped-call]
    """Publishes the assessments: overview, document, working draft, comparison table with
    downloads, item list and one history page per item, plus the list on the home page."""

    def __init__(self) -> None:
        super().__init__()
        self._workspace: Workspace | None = None
        self._site: Site | None = None
        self._pages: dict[str, SitePage] = {}
        self._urls = Urls()
        self._has_home = False

    # --- configuration ------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # A fresh workspace per build: its caches (log, tags, assessments) live for one build.
        self._site = None
        self._pages = {}
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        folder = (base / self.config.assessments_dir).resolve()
        try:
            workspace = Workspace.open(folder if folder.is_dir() else folder.parent)
        except PiakitError as exc:
            raise _plugin_error(exc) from None
        root = workspace.repo.root.resolve()
        try:
            relative = folder.relative_to(root).as_posix()
        except ValueError:
            raise PluginError(
                f"piakit: assessments_dir {self.config.assessments_dir!r} resolves to {folder}, "
                f"outside the git repository at {root}\n"
                "  hint: point assessments_dir at the repository's assessments folder"
            ) from None
        self._workspace = Workspace(workspace.repo, relative)
        self._urls = Urls(config.use_directory_urls)
        if STYLESHEET_PATH not in config.extra_css:
            config.extra_css.append(STYLESHEET_PATH)
        _local_and_japanese(config)
        return config

    # --- pages ----------------------------------------------------------------------------

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        workspace = self._require_workspace()
        unknown = sorted(set(self.config.milestones) - set(workspace.slugs()))
        if unknown:
            raise PluginError(
                f"piakit: milestones names assessments that do not exist: {', '.join(unknown)}\n"
                f"  hint: known assessments: {', '.join(workspace.slugs()) or 'none'}"
            )
        options = SiteOptions(
            milestones=self.config.milestones,
            show_draft=self.config.show_draft,
            repo_url=config.repo_url,
            directory_urls=config.use_directory_urls,
            authors=self.config.authors,
        )
        try:
            site = build_site(workspace, options)
        except PiakitError as exc:
            raise _plugin_error(exc) from None
        for note in site.notes:
            log.info(note)

        self._has_home = files.get_file_from_path("index.md") is not None
        pages = list(site.pages)
        if not self._has_home:
            pages.append(site.home_page(config.site_name, self._urls))
        taken = {file.dest_uri: file.src_uri for file in files}
        # Markdown gets only the heading (for the page title); the body is put in after it
        # (on_page_content), so Markdown never parses the user's text or the big tables.
        # on_nav places the assessments' pages; only a generated home page is left to mkdocs.
        generated = [
            File.generated(
                config,
                page.path,
                content=f"{page.heading_markdown}\n{BODY_MARKER}\n",
                inclusion=(
                    InclusionLevel.UNDEFINED
                    if page.path == "index.md"
                    else InclusionLevel.NOT_IN_NAV
                ),
            )
            for page in pages
        ]
        generated += [File.generated(config, f.path, content=f.content) for f in site.files]
        for file in generated:
            if file.dest_uri in taken or files.get_file_from_path(file.src_uri) is not None:
                other = taken.get(file.dest_uri, file.src_uri)
                raise PluginError(
                    f"piakit: docs/{other} and the generated {file.src_uri} would both publish "
                    f"{file.dest_uri}\n  hint: rename the documentation page, or the assessment "
                    "folder, so that they differ"
                )
            taken[file.dest_uri] = file.src_uri
            files.append(file)
        self._site = site
        self._pages = {page.path: page for page in pages}
        return files

    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        site = self._site
        if site is None:
            return nav
        listed = {page.file.src_uri for page in nav.pages}
        sections: list[StructureItem] = []
        for entry in site.sections:
            if listed.intersection(entry.pages):
                continue  # the user's own nav places this assessment
            children: list[StructureItem] = []
            for path in entry.pages:
                file = files.get_file_from_path(path)
                if file is None or file.page is None:
                    continue
                file.page.title = self._pages[path].title
                children.append(file.page)
            section = Section(entry.title, children)
            for child in children:
                child.parent = section
            sections.append(section)
        if not sections:
            return nav
        at = 1 if nav.items and isinstance(nav.items[0], Page) and nav.items[0].is_homepage else 0
        nav.items[at:at] = sections
        nav.pages = _pages_in_order(nav.items)
        _link_neighbours(nav.pages)
        return nav

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        generated = self._pages.get(page.file.src_uri)
        if generated is not None and generated.wide:
            # Material's way of giving a page the whole width: no sidebars.
            page.meta.setdefault("hide", ["navigation", "toc"])
        if generated is not None:
            # The browser's title (and a search hit's) names the assessment; the navigation
            # keeps the short title.
            if generated.head_title:
                page.meta.setdefault("title", generated.head_title)
            if not generated.searchable:
                page.meta.setdefault("search", {"exclude": True})
        site = self._site
        if site is None or page.file.src_uri != "index.md" or not self._has_home:
            return markdown
        listing = site.assessments_html(self._urls, "index.md")
        if HOME_MARKER in markdown:
            return markdown.replace(HOME_MARKER, f"\n\n{listing}\n\n", 1)
        return f"{markdown.rstrip()}\n\n{listing}\n"

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        generated = self._pages.get(page.file.src_uri)
        if generated is None:
            return html
        if generated.toc:
            # Markdown's toc saw only the h1: give the page the outline piakit.website made.
            links = _anchor_links(generated.toc)
            if len(page.toc) and page.toc.items[0].level == 1:
                page.toc.items[0].children = links
            else:
                page.toc = TableOfContents(links)
        body = generated.body_html
        if generated.searchable:
            body = _CELL_END_RE.sub(r"\1 ", body)
        return html.replace(BODY_MARKER, body, 1)

    # --- serve ------------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        workspace = self._require_workspace()
        if workspace.folder.is_dir():
            server.watch(str(workspace.folder))
        # The pages come from commits: a commit or a checkout moves refs and the HEAD log.
        git_dir = workspace.repo.root / ".git"
        for name in ("refs", "logs"):
            if (git_dir / name).is_dir():
                server.watch(str(git_dir / name))
        return server

    def _require_workspace(self) -> Workspace:
        if self._workspace is None:
            raise PluginError("piakit: the plugin was not configured (on_config did not run)")
        return self._workspace


def _local_and_japanese(config: MkDocsConfig) -> None:
    """Material's Google Fonts off unless the user chose a font (a warning then, since every
    visitor's address would go to Google), no analytics without a warning, the footer and 404
    page in Japanese, and the heading permalinks titled in Japanese."""
    theme = config.theme
    if theme.name == "material":
        font = theme.get("font")
        if font == MATERIAL_DEFAULT_FONT:
            theme["font"] = False
        elif font is not False and not _has_plugin(config, "privacy"):
            log.warning(
                "theme.font loads fonts from fonts.googleapis.com: every visitor's address goes "
                "to Google. Set 'font: false' under theme (piakit's stylesheet names Japanese "
                "system fonts), or self-host the fonts with Material's privacy plugin"
            )
        at = 1 if theme.custom_dir and theme.dirs[:1] == [theme.custom_dir] else 0
        if str(OVERRIDES_DIR) not in theme.dirs:
            theme.dirs.insert(at, str(OVERRIDES_DIR))
    if config.extra.get("analytics"):
        log.warning(
            "extra.analytics sends every visit to a third party; a site that publishes a "
            "privacy impact assessment should not: remove it"
        )
    toc = config.mdx_configs.setdefault("toc", {}) if "toc" in config.markdown_extensions else None
    if toc is not None:
        toc.setdefault("permalink_title", PERMALINK_TITLE)


def _has_plugin(config: MkDocsConfig, name: str) -> bool:
    return any(key == name or key.endswith(f"/{name}") for key in config.plugins)


def _pages_in_order(items: list[Any]) -> list[Page]:
    pages: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            pages.append(item)
        elif isinstance(item, Section):
            pages.extend(_pages_in_order(item.children))
    return pages


def _link_neighbours(pages: list[Page]) -> None:
    for index, page in enumerate(pages):
        page.previous_page = pages[index - 1] if index > 0 else None
        page.next_page = pages[index + 1] if index + 1 < len(pages) else None


def _anchor_links(entries: tuple[TocEntry, ...]) -> list[AnchorLink]:
    """Nest flat (level, anchor, title) headings into the toc's tree."""
    roots: list[AnchorLink] = []
    stack: list[AnchorLink] = []
    for entry in entries:
        link = AnchorLink(entry.title, entry.anchor, entry.level)
        while stack and stack[-1].level >= entry.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(link)
        stack.append(link)
    return roots
