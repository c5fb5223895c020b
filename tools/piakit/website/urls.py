"""The site's URL scheme: the source path of every page and download, and the relative links
between them as the engine will publish them (``a/b.md`` at ``a/b/`` or ``a/b.html``).

Every path of the site is spelled here and only here. Nothing here reads data or writes HTML
beyond an escaped ``href``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

#: Where the site's own stylesheet is published.
STYLESHEET_PATH = "assets/piakit/piakit.css"


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


def overview_path(slug: str) -> str:
    return f"{slug}/index.md"


def document_path(slug: str) -> str:
    return f"{slug}/document.md"


def draft_path(slug: str) -> str:
    return f"{slug}/draft.md"


def table_path(slug: str) -> str:
    return f"{slug}/table.md"


def items_path(slug: str) -> str:
    return f"{slug}/items/index.md"


def item_path(slug: str, item_id: str) -> str:
    """The history page of an item: its URL is built from the id, so renumbering the
    headings (``path``) never moves it."""
    return f"{slug}/items/{item_id}/index.md"


def changes_path(slug: str) -> str:
    return f"{slug}/changes.md"


def changes_download_path(slug: str, fmt: str) -> str:
    return f"{slug}/changes.{fmt}"


def download_path(slug: str, fmt: str) -> str:
    return f"{slug}/table-print.html" if fmt == "html" else f"{slug}/table.{fmt}"


def opinions_path(slug: str) -> str:
    """意見と対応: the opinions on the assessment, each at the anchor of its id."""
    return f"{slug}/opinions.md"


def version_path(slug: str, milestone_id: str) -> str:
    """The document as of one milestone: a permanent address, which the next milestone
    does not move (``document_path`` is always the newest)."""
    return f"{slug}/versions/{milestone_id}/index.md"
