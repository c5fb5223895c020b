"""What is wrong with an assessment's milestone bindings, and the columns of a table.

``milestone_findings`` is the one place the rules live: several commits' trailers naming one
milestone, a trailer naming an undeclared one, a tag and a trailer that disagree, a binding
outside HEAD's history, milestones out of history order. ``table``, ``changes``,
``milestone list``, ``milestone add`` and the site all ask it. ``select_milestones`` picks a
table's columns and refuses the ones that would give a table that looks right and is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from piakit.errors import InputError
from piakit.model import BoundMilestone, Column
from piakit.workspace import HEAD_ID, Workspace


@dataclass(frozen=True)
class MilestoneFinding:
    """An ambiguous or out-of-order binding of a milestone, with the commits involved.
    ``error``: a table using the milestone would be wrong, so it is refused."""

    kind: Literal["trailers", "undeclared", "tag-and-trailer", "unreachable", "order"]
    severity: Literal["error", "warning"]
    milestone: str
    message: str
    hint: str
    commits: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}"


def milestone_findings(ws: Workspace, slug: str) -> list[MilestoneFinding]:
    """Every binding of ``slug``'s milestones that is ambiguous or out of history order,
    as errors (a table would be wrong: refused) and warnings (the binding is what the
    tag says, but someone should look). The one place these rules live: ``table``,
    ``changes``, ``milestone list``, ``milestone add`` and the site all use it."""
    assessment = ws.assessment(slug)
    declared = {m.id for m in assessment.milestones}
    tags = ws.tags()
    head = ws.head()
    reachable = ws.ancestors(head)
    findings: list[MilestoneFinding] = []
    for milestone_id, shas in sorted(ws.trailer_bindings(slug).items()):
        shown = ", ".join(sha[:7] for sha in shas)
        tag = tags.get(f"{slug}/{milestone_id}")
        if milestone_id not in declared:
            findings.append(
                MilestoneFinding(
                    "undeclared",
                    "warning",
                    milestone_id,
                    f"the trailer Milestone: {slug}/{milestone_id} on {shown} names no "
                    f"milestone declared in {ws.assessment_path(slug)}",
                    f"declare it: piakit milestone add {slug} {milestone_id} {shas[-1][:7]} "
                    "--label '…'",
                    tuple(shas),
                )
            )
            continue
        if len(shas) > 1 and tag is None:
            findings.append(
                MilestoneFinding(
                    "trailers",
                    "error",
                    milestone_id,
                    f"milestone {milestone_id} of {slug} is named by the Milestone trailer "
                    f"of {len(shas)} commits ({shown}): which one is it?",
                    f"bind it with a tag, which wins over trailers: "
                    f"git tag {slug}/{milestone_id} <commit>",
                    tuple(shas),
                )
            )
        elif tag is not None and any(sha != tag for sha in shas):
            findings.append(
                MilestoneFinding(
                    "tag-and-trailer",
                    "warning",
                    milestone_id,
                    f"milestone {milestone_id} of {slug}: the tag {slug}/{milestone_id} is on "
                    f"{tag[:7]} but the Milestone trailer is on {shown}; the tag wins",
                    f"if the trailer is right, move the tag: "
                    f"git tag -f {slug}/{milestone_id} {shas[-1][:7]}",
                    (tag, *shas),
                )
            )
    previous: BoundMilestone | None = None
    for status in ws.milestones(slug):
        bound = status.bound
        if bound is None:
            continue
        if bound.commit not in reachable:
            findings.append(
                MilestoneFinding(
                    "unreachable",
                    "warning",
                    bound.milestone.id,
                    f"milestone {bound.milestone.id} of {slug} is bound to "
                    f"{bound.commit[:7]}, which is not in the history of HEAD: the table "
                    "shows text that the draft does not descend from",
                    "merge the branch that holds it, or move the binding onto this branch",
                    (bound.commit,),
                )
            )
        if previous is not None:
            problem = order_problem(ws, slug, previous, bound)
            if problem is not None:
                findings.append(problem)
        previous = bound
    return findings


def order_problem(
    ws: Workspace, slug: str, earlier: BoundMilestone, later: BoundMilestone
) -> MilestoneFinding | None:
    """An error when ``later``'s commit does not descend from ``earlier``'s (the same
    commit is fine): columns must follow the history."""
    if ws.descends(later.commit, earlier.commit):
        return None
    first, second = earlier.milestone.id, later.milestone.id
    older = ws.descends(earlier.commit, later.commit)
    how = "is older than" if older else "is not a descendant of"
    return MilestoneFinding(
        "order",
        "error",
        second,
        f"milestones of {slug} out of history order: {second} ({later.commit[:7]}) {how} "
        f"{first} ({earlier.commit[:7]}), which comes before it",
        "columns run from older to newer: list the milestones in history order, or bind "
        "the later one to a descendant of the earlier one",
        (earlier.commit, later.commit),
    )


def select_milestones(ws: Workspace, slug: str, ids: Sequence[str] | None) -> list[BoundMilestone]:
    """The columns of a table: the named milestones in the order given, or every bound
    milestone in declared order. ``HEAD`` names the newest commit."""
    statuses = ws.milestones(slug)
    if not ids:
        chosen = [s.bound for s in statuses if s.bound is not None]
        _refuse_wrong_columns(ws, slug, chosen)
        return chosen
    repeated = sorted({m for m in ids if list(ids).count(m) > 1})
    if repeated:
        raise InputError(
            f"milestone {', '.join(repeated)} of {slug} is named twice in the columns",
            hint="name each milestone once, oldest first (HEAD last)",
        )
    if HEAD_ID in ids and ids[-1] != HEAD_ID:
        raise InputError(
            f"HEAD is not the last of the columns ({','.join(ids)}): HEAD is the newest",
            hint="put HEAD last, e.g. --milestones "
            + ",".join([m for m in ids if m != HEAD_ID] + [HEAD_ID]),
        )
    by_id = {s.milestone.id: s for s in statuses}
    chosen = []
    for milestone_id in ids:
        if milestone_id == HEAD_ID:
            chosen.append(ws.head_milestone())
            continue
        status = by_id.get(milestone_id)
        if status is None or status.bound is None:
            described = ", ".join(
                s.milestone.id + (" (planned: bound to no commit)" if s.planned else "")
                for s in statuses
            )
            what = "is planned: no tag or trailer binds it" if status else "is not declared"
            raise InputError(
                f"milestone {milestone_id!r} of {slug} {what}",
                hint=f"known milestones: {described or 'none'}; HEAD names the newest commit",
            )
        chosen.append(status.bound)
    _refuse_wrong_columns(ws, slug, chosen)
    return chosen


def _refuse_wrong_columns(ws: Workspace, slug: str, chosen: Sequence[BoundMilestone]) -> None:
    """Raise when the columns are out of history order or a column's binding is
    ambiguous: a table from them would look right and be wrong."""
    ids = {bound.milestone.id for bound in chosen}
    errors = [
        finding
        for finding in milestone_findings(ws, slug)
        if finding.severity == "error" and finding.kind != "order" and finding.milestone in ids
    ]
    for earlier, later in pairwise(chosen):
        problem = order_problem(ws, slug, earlier, later)
        if problem is not None:
            errors.append(problem)
    if errors:
        raise InputError(
            "; ".join(finding.message for finding in errors),
            hint=errors[0].hint,
        )


def column_of(bound: BoundMilestone) -> Column:
    """The column of a table that shows ``bound``'s milestone."""
    return Column(
        id=bound.milestone.id,
        label=bound.milestone.label,
        commit=bound.commit,
        date=bound.milestone.date,
        source=bound.source,
    )
