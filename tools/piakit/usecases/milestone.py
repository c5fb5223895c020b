"""Milestones as publishers handle them: listing their bindings, declaring and tagging one.

``add_milestone`` declares a milestone in ``assessment.yaml`` through the round-trip loader
(comments and layout kept, the result in the canonical form) and binds it with the tag
``<slug>/<id>``. Everything is checked before the first write; if tagging fails, the file is
put back as it was. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from piakit import documents
from piakit.bindings import milestone_findings, order_problem
from piakit.canonical import format_document
from piakit.checks import did_you_mean
from piakit.conventions import MILESTONE_ID_RE, MILESTONE_KINDS
from piakit.errors import DocumentError, GitError, InputError, Location
from piakit.model import BoundMilestone, Milestone
from piakit.reports import MilestoneAdded, MilestoneListing, MilestoneRow
from piakit.workspace import Workspace


def list_milestones(ws: Workspace, slug: str) -> MilestoneListing:
    assessment = ws.assessment(slug)
    rows = []
    for status in ws.milestones(slug):
        subject = ws.commit(status.bound.commit).subject if status.bound else None
        rows.append(MilestoneRow(status, subject))
    declared = {m.id for m in assessment.milestones}
    undeclared = tuple(
        (name, sha)
        for name, sha in sorted(ws.tags().items())
        if name.startswith(f"{slug}/") and name[len(slug) + 1 :] not in declared
    )
    findings = tuple(milestone_findings(ws, slug))
    return MilestoneListing(slug, assessment.title, tuple(rows), undeclared, findings)


def add_milestone(
    ws: Workspace,
    slug: str,
    milestone_id: str,
    rev: str | None = None,
    *,
    label: str | None = None,
    date: dt.date | None = None,
    kind: str | None = None,
) -> MilestoneAdded:
    """Declare milestone ``milestone_id`` of ``slug`` (if it is not yet) and tag ``rev``;
    ``label``, ``date`` and ``kind`` (one of ``MILESTONE_KINDS``) are written into its
    declaration."""
    if kind is not None and kind not in MILESTONE_KINDS:
        raise InputError(
            f"{kind!r} is not a milestone kind{did_you_mean(kind, MILESTONE_KINDS)}",
            hint=f"the kinds are the stages of the assessment cycle: {', '.join(MILESTONE_KINDS)}",
        )
    repo = ws.repo
    ws.assessment(slug)  # an unknown assessment fails here, naming the known ones
    tag = f"{slug}/{milestone_id}"
    if (
        not MILESTONE_ID_RE.match(milestone_id)
        or ".." in milestone_id
        or not repo.is_valid_tag_name(tag)
    ):
        raise InputError(
            f"{milestone_id!r} cannot be a milestone id",
            hint="use ASCII letters, digits, '.', '_' and '-', e.g. R2.6.30 or council-2021",
        )
    repo.require_history()
    target = repo.resolve(rev or "HEAD")
    if target is None:
        raise GitError(
            f"unknown revision {rev!r}", hint="name a commit, branch or tag that exists here"
        )
    subject = repo.messages([target]).get(target, "").split("\n", 1)[0]
    statuses = {s.milestone.id: s for s in ws.milestones(slug)}
    existing = statuses.get(milestone_id)
    tag_commit = ws.tags().get(tag)
    if tag_commit is not None and tag_commit != target:
        raise InputError(
            f"the tag {tag} exists already, on commit {tag_commit[:7]}",
            hint=f"to move it: git tag -f {tag} {rev or 'HEAD'} (and git push -f origin {tag})",
        )
    if existing is not None and existing.bound is not None and existing.bound.commit != target:
        raise InputError(
            f"milestone {milestone_id} of {slug} is already bound to {existing.bound.commit[:7]} "
            f"(by {existing.bound.source})",
            hint="choose another id for a new stage of the document",
        )
    _refuse_out_of_order(ws, slug, milestone_id, target)
    if existing is None and not label:
        raise InputError(
            f"milestone {milestone_id} is not declared in {ws.assessment_path(slug)}",
            hint=f"give its label to declare it: {_declaration_example(milestone_id)}",
        )

    path = repo.root / ws.assessment_path(slug)
    shown = ws.assessment_path(slug)
    original = path.read_bytes()
    document = documents.load_round_trip(original, shown)
    if not isinstance(document, CommentedMap):
        raise DocumentError(
            Location(shown, 1, 1), "expected a mapping of keys", hint="run piakit check"
        )
    milestones = document.get("milestones")
    if milestones is None:
        milestones = document["milestones"] = CommentedSeq()
    if not isinstance(milestones, CommentedSeq):
        raise DocumentError(Location(shown), "milestones must be a list", hint="run piakit check")
    entry = next(
        (e for e in milestones if isinstance(e, CommentedMap) and str(e.get("id")) == milestone_id),
        None,
    )
    declared = updated = False
    if entry is None:
        entry = CommentedMap()
        entry["id"] = milestone_id
        entry["label"] = label
        if kind is not None:
            entry["kind"] = kind
        if date is not None:
            entry["date"] = date
        milestones.append(entry)
        declared = True
    else:
        if label and entry.get("label") != label:
            entry["label"] = label
            updated = True
        if date is not None and entry.get("date") != date:
            entry["date"] = date
            updated = True
        if kind is not None and entry.get("kind") != kind:
            entry["kind"] = kind
            updated = True
    final_label = str(entry.get("label") or milestone_id)
    final_date = entry.get("date")
    final_kind = entry.get("kind")
    changed = declared or updated
    replace = {}
    if changed:
        text = documents.dump_round_trip(document)
        data = format_document(text.encode("utf-8"), shown, "assessment").encode("utf-8")
        replace[shown] = data
    # The tag object is written first; the tag's ref and the new assessment.yaml appear
    # together at the writer's commit point, or neither does.
    with repo.writer(f"piakit milestone add {tag}") as writer:
        if tag_commit is None:
            writer.tag(tag, target, f"{final_label}\n", date=None)
        writer.publish(replace=replace)
    tagged = tag_commit is None
    return MilestoneAdded(
        slug=slug,
        milestone=Milestone(
            milestone_id,
            final_label,
            final_date if isinstance(final_date, dt.date) else None,
            str(final_kind) if final_kind else None,
        ),
        tag=tag,
        commit=target,
        subject=subject,
        file=shown,
        declared=declared,
        updated=updated,
        tagged=tagged,
    )


def _declaration_example(milestone_id: str) -> str:
    """The ``--label`` and ``--date`` that would declare ``milestone_id``: an id that is a
    date (``R4.2.1``, 令和4年2月1日, or ``2022-02-01``) gives that date and the label of a
    draft put to the council on that day; any other id a label to write."""
    from piakit.importers.eras import milestone_from_label

    try:
        _, date = milestone_from_label(milestone_id, 0)
    except ValueError:  # an era date that does not exist (R4.2.30)
        date = None
    if date is None:
        return f"--label '修正案 ({milestone_id})' [--date YYYY-MM-DD]"
    return f"--label '修正案 ({milestone_id}諮問時)' --date {date.isoformat()}"


def _refuse_out_of_order(ws: Workspace, slug: str, milestone_id: str, target: str) -> None:
    """Refuse a binding that would put the milestone out of history order: its commit must
    descend from (or be) the previous bound milestone's and lead to the next one's, in the
    declared order (a new milestone is declared last)."""
    statuses = ws.milestones(slug)
    ids = [s.milestone.id for s in statuses]
    at = ids.index(milestone_id) if milestone_id in ids else len(ids)
    if not ws.has_commit(target):
        raise InputError(
            f"commit {target[:7]} is not in the history of HEAD (nor of a milestone tag)",
            hint="check out the branch that holds it and bind the milestone there",
        )
    placed = BoundMilestone(Milestone(milestone_id, milestone_id), target, "tag")
    earlier = [s.bound for s in statuses[:at] if s.bound is not None]
    later = [s.bound for s in statuses[at + 1 :] if s.bound is not None]
    pairs = ([(earlier[-1], placed)] if earlier else []) + ([(placed, later[0])] if later else [])
    for first, second in pairs:
        problem = order_problem(ws, slug, first, second)
        if problem is not None:
            raise InputError(problem.message, hint=problem.hint)
