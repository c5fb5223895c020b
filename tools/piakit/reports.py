"""The reports the use cases return and the renderers write: records, no logic beyond what
they say about themselves.

The PR diff (``ReviewDiff``), the reason check of commits (``CommitsReport``) and of one
message (``MessageReport``), an item's log (``ItemLog``), the milestone listing
(``MilestoneListing``) and the 意見対応表 (``OpinionsTable``). Use cases build them from the
read model; ``render`` writes them. Both import this module, so presentation never reaches up
into a use case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from piakit.model import BoundMilestone, Commit, Item, Milestone, Opinion, Reason
from piakit.textdiff import Op, diff_ops

if TYPE_CHECKING:
    from piakit.bindings import MilestoneFinding
    from piakit.workspace import MilestoneStatus

#: What became of an item between two versions of it.
ChangeStatus = Literal["added", "deleted", "modified", "renamed"]


@dataclass(frozen=True)
class ItemChange:
    """One item that differs between the merge base and HEAD."""

    slug: str
    item_id: str
    file: str
    old_file: str | None
    status: ChangeStatus
    old: Item | None
    new: Item | None
    reasons: tuple[Reason, ...] = ()

    @property
    def old_id(self) -> str:
        return Path(self.old_file).stem if self.old_file else self.item_id

    @property
    def path(self) -> tuple[str, ...]:
        item = self.new or self.old
        return item.path if item else ()

    @property
    def page(self) -> int | None:
        item = self.new or self.old
        return item.page if item else None

    @property
    def important(self) -> bool:
        return bool((self.old and self.old.important) or (self.new and self.new.important))

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old.path != self.new.path

    @property
    def old_text(self) -> str:
        return self.old.plain() if self.old else ""

    @property
    def new_text(self) -> str:
        return self.new.plain() if self.new else ""

    def ops(self) -> list[Op]:
        return diff_ops(self.old_text, self.new_text)


WarningKind = Literal["no-reasons", "important", "renumbered", "renamed", "other-file"]


@dataclass(frozen=True)
class ReviewWarning:
    kind: WarningKind
    slug: str | None = None
    item: str | None = None
    commit: Commit | None = None
    detail: str = ""


@dataclass(frozen=True)
class ReviewDiff:
    base: str
    head: str
    base_rev: str
    head_rev: str
    merge_base: str
    commits: tuple[Commit, ...]
    changes: tuple[ItemChange, ...]
    warnings: tuple[ReviewWarning, ...]
    findings: tuple[CommitFinding, ...]
    titles: Mapping[str, str]
    other_files: tuple[str, ...] = ()
    #: The opinions the PR's commits resolve (``Resolves:``), and those still ``open`` in the
    #: assessments the PR touches.
    resolved: tuple[OpinionMention, ...] = ()
    open_opinions: tuple[OpinionMention, ...] = ()


@dataclass(frozen=True)
class OpinionMention:
    """An opinion the PR comment names: one its commits resolve, or one still open."""

    slug: str
    opinion_id: str
    #: ``None``: the assessment's records hold no such opinion (``commits check`` refuses it).
    opinion: Opinion | None
    #: Its number in the 意見対応表 (None when unknown).
    number: int | None
    #: The PR's commits that resolve it, in the order ``ReviewDiff.commits`` has them.
    commits: tuple[Commit, ...] = ()


@dataclass(frozen=True)
class CommitFinding:
    """A commit that needs reasons and whose reasons are missing or wrong."""

    commit: Commit
    slugs: tuple[str, ...]
    problems: tuple[str, ...]
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubmissionWarning:
    """A commit that says ``Submission: 事後`` while it changes an ``important`` item."""

    commit: Commit
    slug: str
    item_id: str

    def __str__(self) -> str:
        return (
            f"commit {self.commit.short} says Submission: 事後 but changes {self.slug}/"
            f"{self.item_id}, an important item (重要な変更 are submitted 事前)"
        )


@dataclass(frozen=True)
class CommitsReport:
    spec: str
    checked: int
    needing: int
    findings: tuple[CommitFinding, ...]
    allowed: Mapping[str, tuple[str, ...] | None] = field(default_factory=dict)
    #: Assessments with no bound milestone yet, whose commits need no reasons.
    unpublished: tuple[str, ...] = ()
    #: Explicit 事後 on commits that change important items: allowed, but looked at.
    warnings: tuple[SubmissionWarning, ...] = ()
    #: Commits whose ``Resolves:`` trailers are malformed or name no opinion (``slugs``: the
    #: assessments they name).
    resolves: tuple[CommitFinding, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.findings and not self.resolves


@dataclass(frozen=True)
class MessageReport:
    """The commit-msg hook's verdict on a commit being made."""

    slugs: tuple[str, ...]  # assessments whose items the staged changes touch and need reasons
    files: tuple[str, ...]
    problems: tuple[str, ...]
    hints: tuple[str, ...]
    allowed: Mapping[str, tuple[str, ...] | None]
    skipped: str | None = None  # why nothing was required (merge, nothing staged…)
    #: What the message was judged against: the staged changes, a range's, or nothing.
    against: Literal["staged", "range", "required"] = "staged"
    #: What is wrong with its ``Resolves:`` trailers (malformed, or no such opinion file).
    resolves: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and not self.resolves


@dataclass(frozen=True)
class LogEntry:
    """One commit that changed the item: its value after (``new``) and before (``old``)."""

    commit: Commit
    item_id: str
    old: Item | None
    new: Item | None
    renamed_from: str | None = None
    milestones: tuple[str, ...] = ()

    @property
    def status(self) -> ChangeStatus:
        if self.renamed_from is not None:
            return "renamed"
        if self.old is None:
            return "added"
        if self.new is None:
            return "deleted"
        return "modified"

    def ops(self) -> list[Op]:
        return diff_ops(self.old.plain() if self.old else "", self.new.plain() if self.new else "")


@dataclass(frozen=True)
class ItemLog:
    slug: str
    item_id: str
    file: str
    entries: tuple[LogEntry, ...]  # newest first

    @property
    def current(self) -> Item | None:
        return self.entries[0].new if self.entries else None


@dataclass(frozen=True)
class MilestoneRow:
    """A declared milestone, the commit it is bound to (if any) and that commit's subject."""

    status: MilestoneStatus
    subject: str | None = None

    @property
    def milestone(self) -> Milestone:
        return self.status.milestone

    @property
    def bound(self) -> BoundMilestone | None:
        return self.status.bound


@dataclass(frozen=True)
class MilestoneListing:
    slug: str
    title: str
    rows: tuple[MilestoneRow, ...]
    #: Tags ``<slug>/<id>`` whose id no milestone declares: tag name → commit.
    undeclared_tags: tuple[tuple[str, str], ...] = ()
    #: Ambiguous or out-of-order bindings (``Workspace.milestone_findings``).
    findings: tuple[MilestoneFinding, ...] = ()


@dataclass(frozen=True)
class MilestoneAdded:
    slug: str
    milestone: Milestone
    tag: str
    commit: str
    subject: str
    file: str
    declared: bool  # newly declared in assessment.yaml
    updated: bool  # an existing declaration's label or date changed
    tagged: bool  # the tag was made now (False: it existed already)


@dataclass(frozen=True)
class OpinionItem:
    """An item that the commits resolving an opinion changed (関係する項目)."""

    item: str
    #: The item's headings, outermost first (as a comparison table row's ``path``).
    path: tuple[str, ...]
    #: The resolving commits that changed it, full ids, in history order.
    commits: tuple[str, ...]


@dataclass(frozen=True)
class OpinionEntry:
    """One row of the 意見対応表: an opinion, its number, and what resolved it."""

    opinion: Opinion
    #: 番号: 1… in (received, id) order over all of the assessment's opinions.
    number: int
    items: tuple[OpinionItem, ...] = ()
    #: Every commit whose ``Resolves:`` names it, in history order (also those that changed
    #: no item).
    commits: tuple[Commit, ...] = ()


@dataclass(frozen=True)
class OpinionsTable:
    """意見対応表: an assessment's opinions, what the city thinks (市の考え方), and the
    items each changed."""

    assessment: str
    title: str
    entries: tuple[OpinionEntry, ...]
    organization: str | None = None
    #: The ``--source`` the table was limited to, if any.
    source: str | None = None


#: A deadline of the assessment cycle that has passed: the yearly review (見直し) or the
#: re-assessment within five years of the newest publication (再実施, 規則第15条).
Overdue = Literal["review", "reassessment"]


@dataclass(frozen=True)
class CycleMilestone:
    """A milestone of the assessment cycle (公表, 見直し, 修正) that happened: bound to a
    commit, dated by its declared ``date`` or else by that commit's committer date."""

    milestone: Milestone
    commit: str
    date: dt.date


@dataclass(frozen=True)
class AssessmentStatus:
    """Where one assessment stands in the cycle on ``today`` (``piakit status``)."""

    slug: str
    title: str
    today: dt.date
    #: The newest 公表 (by date), or None: never published.
    last_published: CycleMilestone | None
    #: last_published's date + 5 years (None: never published).
    reassessment_due: dt.date | None
    #: The newest of 公表, 見直し and 修正 (by date).
    last_reviewed: CycleMilestone | None
    #: last_reviewed's date + 1 year.
    review_due: dt.date | None
    #: The items whose value, headings, page or importance differ between the newest 公表
    #: and HEAD, in document order.
    changes_since_published: tuple[str, ...] = ()
    #: Those of them that are ``important`` at either end (重要な変更).
    important_changes: tuple[str, ...] = ()
    #: The ids of the opinions whose outcome is ``open`` (検討中), in the 意見対応表's order.
    open_opinions: tuple[str, ...] = ()
    #: A 公表 declared but bound to no commit yet (planned): not counted, named in the text.
    planned_publication: Milestone | None = None
    organization: str | None = None
    #: Whether any of its milestones says its kind: if none does, "never published" means
    #: only that the repository does not say (it predates kinds).
    declares_kinds: bool = True

    @property
    def requires_reassessment(self) -> bool:
        """A 重要な変更 since the newest 公表: assessed again before it takes effect."""
        return bool(self.important_changes)

    @property
    def overdue(self) -> tuple[Overdue, ...]:
        """The deadlines passed: a deadline is met on its own day, overdue the day after."""
        found: list[Overdue] = []
        if self.review_due is not None and self.today > self.review_due:
            found.append("review")
        if self.reassessment_due is not None and self.today > self.reassessment_due:
            found.append("reassessment")
        return tuple(found)

    @property
    def needs_attention(self) -> bool:
        """What ``--fail-overdue`` fails on: a deadline passed, or a re-assessment required."""
        return bool(self.overdue) or self.requires_reassessment


@dataclass(frozen=True)
class StatusReport:
    """``piakit status``: every assessment asked about, on ``today``."""

    today: dt.date
    assessments: tuple[AssessmentStatus, ...]

    @property
    def needs_attention(self) -> tuple[AssessmentStatus, ...]:
        return tuple(status for status in self.assessments if status.needs_attention)
