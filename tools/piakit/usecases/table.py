"""``piakit table`` and the site's tables: the comparison table (修正等を要する部分とその内容)
of one assessment between milestones, read from the history.

Picks and checks the columns (``bindings``), reads the items at each column's commit and
the reasons of the commits between (``versions``), and hands them to ``compare``, which
builds the rows. Never prints; never renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from piakit import render
from piakit.bindings import column_of, order_problem, select_milestones
from piakit.errors import InputError
from piakit.model import BoundMilestone, Column, ComparisonTable
from piakit.resolutions import opinion_numbers, opinions_answered, read_opinions
from piakit.versions import item_commits, versions_at
from piakit.workspace import HEAD_ID, Workspace

#: The column of the files on disk (``table --worktree``).
WORKTREE_ID = "worktree"
WORKTREE_LABEL = "作業中 (未コミット)"


def table_file(
    ws: Workspace,
    slug: str,
    milestone_ids: Sequence[str] | None,
    fmt: str,
    *,
    track_changes: bool = False,
    worktree: bool = False,
) -> bytes:
    """``piakit table``: the comparison table written in ``fmt`` (``track_changes``: the
    newest column as Word tracked changes). git reads the history while the renderer loads."""
    ws.prefetch(slug, uncommitted=not worktree)
    write = render.renderer(fmt)
    table = comparison_table(ws, slug, milestone_ids, compare=True, worktree=worktree)
    return write(table, **({"track_changes": True} if track_changes else {}))


def comparison_table(
    ws: Workspace,
    slug: str,
    milestone_ids: Sequence[str] | None = None,
    *,
    compare: bool = False,
    worktree: bool = False,
) -> ComparisonTable:
    """The comparison table of ``slug`` between the chosen milestones (refused when they
    are out of history order or ambiguously bound). With ``compare`` (``piakit table``)
    one column is refused: a table compares two; the site shows a lone published
    document as is. ``worktree`` adds the files on disk as a last column
    (作業中 (未コミット)); the reasons then run up to HEAD."""
    ws.prefetch()
    # The text diff is loaded while git reads the history, not before.
    from piakit.compare import build_table

    assessment = ws.assessment(slug)
    chosen = select_milestones(ws, slug, milestone_ids)
    if not chosen:
        planned = ", ".join(m.id for m in assessment.milestones) or "none declared"
        raise InputError(
            f"{slug} has no milestone bound to a commit yet (declared: {planned})",
            hint=f"bind one with a tag: git tag {slug}/<id> <commit>, or piakit milestone add",
        )
    if compare and len(chosen) == 1 and not worktree:
        raise _one_column(
            slug, chosen[0].milestone.id, ws.bound_milestones(slug), given=bool(milestone_ids)
        )
    names = [b.milestone.id for b in chosen]
    columns = [column_of(b) for b in chosen]
    if worktree:
        head = ws.head_milestone()
        problem = order_problem(ws, slug, chosen[-1], head)
        if problem is not None:
            raise InputError(problem.message, hint="the work tree descends from HEAD")
        versions = versions_at(
            ws, slug, [*(b.commit for b in chosen), head.commit], [*names, HEAD_ID]
        )[:-1]
        versions.append(ws.worktree_items(slug))
        end = head.commit
        commits = item_commits(ws, slug, chosen[0].commit, end)
        columns.append(Column(WORKTREE_ID, WORKTREE_LABEL, "", dt.date.today(), source="worktree"))
    else:
        # Files unchanged at every column are no row: not read, not parsed.
        versions = versions_at(ws, slug, [b.commit for b in chosen], names, changed_only=True)
        end = chosen[-1].commit
        commits = item_commits(ws, slug, chosen[0].commit, end)
    answered = opinions_answered(
        ws, slug, [c for revised in commits.values() for c in revised], end
    )
    return build_table(
        assessment=slug,
        title=assessment.title,
        columns=columns,
        versions=versions,
        reasons={
            item_id: [reason for commit in revised for reason in commit.reasons]
            for item_id, revised in commits.items()
        },
        organization=assessment.organization,
        affair=assessment.affair,
        opinions={
            item_id: [found for commit in revised for found in answered.get(commit.sha, ())]
            for item_id, revised in commits.items()
        },
        opinion_numbers=opinion_numbers(read_opinions(ws, slug)),
    )


def _one_column(
    slug: str, chosen: str, bound: Sequence[BoundMilestone], *, given: bool
) -> InputError:
    """Why a table of one column is refused, and the two columns to ask for instead."""
    if given:
        message = f"--milestones names one milestone ({chosen}): a table compares two"
    else:
        message = f"{slug} has only one bound milestone ({chosen}): a table compares two"
    first = chosen if chosen != HEAD_ID else next((b.milestone.id for b in bound), None)
    if first is None:
        hint = f"bind the published document first: git tag {slug}/<id> <commit>"
    else:
        hint = (
            f"compare it with the working draft: piakit table {slug} --milestones {first},{HEAD_ID}"
        )
    return InputError(message, hint=hint)
