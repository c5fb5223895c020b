"""``piakit status``: where each assessment stands in the assessment cycle on a given day.

From the history: the newest 公表 and the 5-year re-assessment deadline (規則第15条), the
newest of 公表 / 見直し / 修正 and the yearly review deadline (指針), the items changed since the
newest 公表 and whether one is a 重要な変更 (then the assessment is done again before the
change takes effect). From the files on disk: the opinions still open (検討中).

The rules (docs/cli.md, "piakit status"):

- A milestone counts only when it is bound to a commit (a tag or a ``Milestone:`` trailer)
  and its day has come (its date is ``today`` or earlier); a declared but unbound one, or
  one dated after ``today``, is planned. Its date is its declared ``date``, else the
  committer date of the commit it is bound to. "The newest" is the latest date; of two on
  the same day, the one declared later.
- A 公表 bound to a commit that holds none of the assessment's items is refused with the
  commit: every item would count as changed since it.
- A deadline is N years after that date, on the same month and day, as 民法第143条 counts
  a period of years; from 29 February, on 28 February when that year has no 29th. It is met
  on its own day and overdue from the next.
- The changes since the newest 公表 compare the items at its commit with those at HEAD, as
  ``revision_value`` does: a reformat, a pure rename, or an edit undone later is no change.
  Uncommitted edits are not counted (the status is of the history; the CLI warns of them).

Nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from piakit.conventions import PUBLISHED_KIND, REVIEW_KINDS
from piakit.errors import InputError
from piakit.model import Item
from piakit.reports import AssessmentStatus, CycleMilestone, StatusReport
from piakit.resolutions import read_opinions
from piakit.versions import revision_value, versions_at
from piakit.workspace import HEAD_ID, Workspace

#: 規則第15条: an assessment is done again within five years of its publication.
REASSESSMENT_YEARS = 5
#: 指針: an assessment is reviewed at least once a year.
REVIEW_YEARS = 1


def status_report(ws: Workspace, slug: str | None, today: dt.date) -> StatusReport:
    """The status of ``slug`` (of every assessment when None) on ``today``. An unknown
    ``slug`` fails with the known ones."""
    slugs = [slug] if slug is not None else ws.slugs()
    return StatusReport(today, tuple(assessment_status(ws, s, today) for s in slugs))


def assessment_status(
    ws: Workspace, slug: str, today: dt.date, *, until: str | None = None
) -> AssessmentStatus:
    """Where ``slug`` stands on ``today``, its items now being those at ``until`` (default:
    HEAD)."""
    assessment = ws.assessment(slug)
    publications = cycle_milestones(ws, slug, (PUBLISHED_KIND,))
    published = newest([m for m in publications if m.date <= today])
    reviewed = newest([m for m in cycle_milestones(ws, slug, REVIEW_KINDS) if m.date <= today])
    changed: list[str] = []
    important: list[str] = []
    if published is not None:
        now = until or ws.head()
        before, after = versions_at(
            ws, slug, [published.commit, now], [published.milestone.id, HEAD_ID]
        )
        if not before:
            raise InputError(
                f"{slug}: milestone {published.milestone.id} (公表) is bound to commit "
                f"{published.commit[:7]}, which holds no item of {slug}",
                hint=f"bind it to the commit of the published document: "
                f"git tag -f {slug}/{published.milestone.id} <commit>",
            )
        changed = changed_items(before, after)
        important = [
            item_id
            for item_id in changed
            if any(v is not None and v.important for v in (before.get(item_id), after.get(item_id)))
        ]
    future = [m.milestone for m in publications if m.date > today]
    planned = next(
        (
            s.milestone
            for s in ws.milestones(slug)
            if s.milestone.kind == PUBLISHED_KIND and (s.bound is None or s.milestone in future)
        ),
        None,
    )
    return AssessmentStatus(
        slug=slug,
        title=assessment.title,
        today=today,
        last_published=published,
        reassessment_due=add_years(published.date, REASSESSMENT_YEARS) if published else None,
        last_reviewed=reviewed,
        review_due=add_years(reviewed.date, REVIEW_YEARS) if reviewed else None,
        changes_since_published=tuple(changed),
        important_changes=tuple(important),
        open_opinions=tuple(o.id for o in read_opinions(ws, slug) if o.outcome == "open"),
        planned_publication=planned if published is None else None,
        organization=assessment.organization,
        declares_kinds=any(m.kind is not None for m in assessment.milestones),
    )


def cycle_milestones(ws: Workspace, slug: str, kinds: Collection[str]) -> list[CycleMilestone]:
    """``slug``'s milestones of ``kinds`` that are bound to a commit, in declared order, each
    dated (its ``date``, else its commit's committer date)."""
    found = []
    for status in ws.milestones(slug):
        if status.bound is None or status.milestone.kind not in kinds:
            continue
        date = status.milestone.date
        if date is None:
            date = ws.commit(status.bound.commit).committer_date.date()
        found.append(CycleMilestone(status.milestone, status.bound.commit, date))
    return found


def newest(milestones: list[CycleMilestone]) -> CycleMilestone | None:
    """The latest by date; of two on one day, the one declared later."""
    if not milestones:
        return None
    return max(reversed(milestones), key=lambda m: m.date)


def add_years(date: dt.date, years: int) -> dt.date:
    """The same month and day ``years`` later; 28 February for a 29 February in a year
    without one (a period of years ends on the day before the one matching its first day,
    民法第143条, and the first day is the day after ``date``, 第140条)."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def changed_items(before: Mapping[str, Item], after: Mapping[str, Item]) -> list[str]:
    """The items added, deleted or revised (``revision_value``) between two versions, in
    document order (a deleted item where it stood)."""
    changed = [
        item_id
        for item_id in before.keys() | after.keys()
        if (b := before.get(item_id)) is None
        or (a := after.get(item_id)) is None
        or revision_value(a) != revision_value(b)
    ]

    def place(item_id: str) -> tuple[int, int, tuple[str, ...], str]:
        item = after.get(item_id) or before[item_id]
        return item.sort_key()

    return sorted(changed, key=place)
