"""The small pieces of HTML every page is built from: an item's value, a redline, the reasons
of a commit, a link to a commit, and ``site_page``, which makes a ``SitePage`` with a safe title.

Every piece of user text goes through ``html.escape`` here; the only tags are written here.
Nothing here reads the workspace.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import quote

from piakit.model import ABSENT_WORD, BoundMilestone, Commit, Item, Reason, full_title
from piakit.render.common import reason_lines
from piakit.render.redline import markup, tag
from piakit.textdiff import diff_ops
from piakit.website.records import AssessmentData, Authors, SitePage, TocEntry
from piakit.website.titles import safe_title


def _lines_html(text: str) -> str:
    """Plain text as one ``<p>`` per line (item text is one paragraph or bullet per line)."""
    lines = text.split("\n")
    return "".join(f"<p>{escape(line)}</p>" if line.strip() else "<p>&#160;</p>" for line in lines)


def value_html(item: Item | None) -> str:
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
    # One line of pieces: a deletion or insertion over a line break stays one element.
    pieces = [(text, _TAGS.get(kind)) for kind, text in diff_ops(old, new)]
    return markup([pieces], _escape_lines, tag)


_TAGS = {"delete": "del", "insert": "ins"}


def _escape_lines(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def reasons_html(reasons: Iterable[Reason], opinions: Sequence[str] = ()) -> str:
    """The reasons, ``【category】`` and ``・reason`` lines; ``opinions``: the （意見N）
    labels of the opinions their commits resolve (``ComparisonTable.opinion_label``),
    on a line after them."""
    lines = reason_lines(reasons)
    if opinions:
        lines.append("".join(opinions))
    if not lines:
        return '<span class="piakit-empty">(理由の記載なし)</span>'
    return "<br>".join(escape(line) for line in lines)


def plain_value(item: Item | None) -> str | None:
    return item.plain() if item is not None and not item.is_empty else None


def assessment_title(data: AssessmentData) -> str:
    return full_title(data.organization, data.title)


def commit_html(sha: str, repo_url: str | None) -> str:
    code = f"<code>{escape(sha[:7])}</code>"
    if not repo_url:
        return code
    url = f"{repo_url.rstrip('/')}/commit/{quote(sha)}"
    return f'<a href="{escape(url)}" title="{escape(sha)}">{code}</a>'


def commit_details_html(sha: str, repo_url: str | None) -> str:
    """The commit behind a change, folded away: readers need the date and the reasons, a
    reviewer checking the record against git needs the commit."""
    code = f"<code>{escape(sha)}</code>"
    if repo_url:
        url = f"{repo_url.rstrip('/')}/commit/{quote(sha)}"
        code = f'<a href="{escape(url)}">{code}</a>'
    return record_details_html(f"<p>コミット {code}</p>")


def record_details_html(inner_html: str) -> str:
    """Commits and milestone bindings, for a reviewer: folded away from the reader's text
    (which never shows a hash or a trailer name) and left out of the search index."""
    return (
        '<details class="piakit-commit" data-search-exclude>'
        f"<summary>記録の詳細 (git のコミット)</summary>{inner_html}</details>"
    )


def author_html(commit: Commit, authors: Authors) -> str:
    """Who made a change, as the site's ``authors`` option says to name them (escaped), or
    ``""`` for nobody. Every page that could name a commit's author asks here."""
    label = authors.label(commit.author_name)
    return escape(label) if label else ""


def commit_date(commit: Commit) -> str:
    return commit.author_date.date().isoformat()


def date_text(bound: BoundMilestone) -> str:
    return bound.milestone.date.isoformat() if bound.milestone.date else ""


def site_page(
    path: str,
    nav_title: str,
    heading: str,
    blocks: Sequence[str],
    toc: Sequence[TocEntry] = (),
    *,
    in_nav: bool = True,
    wide: bool = False,
    searchable: bool = True,
) -> SitePage:
    return SitePage(
        path,
        safe_title(nav_title),
        heading,
        tuple(blocks),
        tuple(toc),
        in_nav,
        wide,
        searchable=searchable,
    )
