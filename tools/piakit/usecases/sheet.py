"""``piakit changes`` and the site's 別添3 page: the sheet of changes (変更箇所) between the
published document and the working draft, each with the commits that made it.

Never prints; never renders.
"""

from __future__ import annotations

from piakit.bindings import column_of, select_milestones
from piakit.errors import InputError
from piakit.model import Assessment, ChangeSheet
from piakit.render import sheet as render_sheet
from piakit.sheet import build_change_sheet
from piakit.versions import item_commits, versions_at
from piakit.workspace import HEAD_ID, Workspace

#: The formats the sheet is written in, and those that are not text.
FORMATS = render_sheet.FORMATS
BINARY_FORMATS = frozenset({"xlsx"})


def sheet_file(ws: Workspace, slug: str, since: str | None, until: str | None, fmt: str) -> bytes:
    """``piakit changes``: the 別添3 sheet written in ``fmt``."""
    return render_sheet.render_changes(change_sheet(ws, slug, since, until), fmt)


def change_sheet(
    ws: Workspace, slug: str, since: str | None = None, until: str | None = None
) -> ChangeSheet:
    """The changes between milestone ``since`` (default: the first bound milestone, the
    published document) and ``until`` (default: HEAD, the working draft)."""
    assessment = ws.assessment(slug)
    if since is None:
        bound = ws.bound_milestones(slug)
        if not bound:
            raise InputError(
                f"{slug} has no milestone bound to a commit yet",
                hint="bind the published document first: git tag "
                f"{slug}/{_first_declared(assessment)} <commit>",
            )
        since = bound[0].milestone.id
    start, end = select_milestones(ws, slug, [since, until or HEAD_ID])
    before, after = versions_at(
        ws, slug, [start.commit, end.commit], [start.milestone.id, end.milestone.id]
    )
    return build_change_sheet(
        assessment=slug,
        title=assessment.title,
        since=column_of(start),
        until=column_of(end),
        before=before,
        after=after,
        commits=item_commits(ws, slug, start.commit, end.commit),
        fallback_date=ws.commit(end.commit).author_date.date(),
        organization=assessment.organization,
    )


def _first_declared(assessment: Assessment) -> str:
    """The id of the first milestone ``assessment`` declares (the published document)."""
    return assessment.milestones[0].id if assessment.milestones else "<id>"
