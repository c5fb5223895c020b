"""What piakit does, as a library: the one layer the command line and the mkdocs plugin call.

A ``Workspace`` is an assessments repository opened once. It reads the history in one pass
(cached for the life of the workspace), binds milestones to commits, reads item versions by
blob id (each blob parsed once per process) and builds comparison tables. The importer's
execution lives here too: it validates and plans everything before it writes anything, and
puts the repository back as it was if a write fails.

Nothing here prints, exits or imports click or mkdocs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Literal

from piakit import documents
from piakit.conventions import (
    ASSESSMENT_FILE,
    ASSESSMENTS_DIR,
    NAME_RE,
    assessment_of,
    assessment_path,
    item_id_under,
    items_prefix,
    split_item_path,
)
from piakit.errors import DocumentError, InputError, Location
from piakit.history import Pending, Repository
from piakit.model import (
    Assessment,
    BoundMilestone,
    ChangeSheet,
    Column,
    Commit,
    ComparisonTable,
    FileChange,
    Item,
    Milestone,
    Reason,
)

#: The pseudo-milestone naming the newest commit (the working draft).
HEAD_ID = "HEAD"
HEAD_LABEL = "作業中の案 (HEAD)"
#: The column of the files on disk (``table --worktree``).
WORKTREE_ID = "worktree"
WORKTREE_LABEL = "作業中 (未コミット)"


#: Heading and text that stand for a version of an item file that cannot be read.
UNREADABLE_HEADING = "(読み込めない版)"

#: Parsed items by (blob id, item id): a version of a file is read and parsed once per process.
_ITEM_CACHE: dict[tuple[str, str], Item] = {}


@dataclass(frozen=True)
class MilestoneStatus:
    """A declared milestone and, when bound, the commit it is bound to."""

    milestone: Milestone
    bound: BoundMilestone | None

    @property
    def planned(self) -> bool:
        return self.bound is None


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


@dataclass(frozen=True)
class ItemRevision:
    """One commit that changed one item's file: the item after it (``None``: deleted) and
    before it (``None``: added)."""

    commit: Commit
    item_id: str
    item: Item | None
    previous: Item | None
    #: The id the file had before this commit renamed it (a ``git mv``, text unchanged).
    renamed_from: str | None = None


@dataclass(frozen=True)
class ItemRename:
    """A commit that renamed an item file without changing it (``git mv``)."""

    commit: str
    old_id: str
    new_id: str


@dataclass(frozen=True)
class Touch:
    """What one commit did to one item file: its blob before and after (``None``: absent),
    and for a pure rename the id it had before."""

    item_id: str
    old_blob: str | None
    new_blob: str | None
    renamed_from: str | None = None


@dataclass
class Workspace:
    """An assessments repository, opened once per request."""

    repo: Repository
    assessments_dir: str = ASSESSMENTS_DIR
    #: One assessment's slug when the request is about it alone (a table): the history pass
    #: then lists only the changes to its files, and asking for another's is a bug.
    scope: str | None = None
    #: Commits the history pass starts from besides HEAD and the milestone tags (the head
    #: of a pull request that is not checked out).
    starts: tuple[str, ...] = ()
    _head: str | None = field(default=None, init=False, repr=False)
    _commits: list[Commit] | None = field(default=None, init=False, repr=False)
    _by_sha: dict[str, Commit] = field(default_factory=dict, init=False, repr=False)
    _tags: dict[str, str] | None = field(default=None, init=False, repr=False)
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)
    #: ``descends``' bit sets: a commit's position in ``commits``, what each commit reaches.
    _position: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _reach: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    #: Per slug, computed from the history pass once (reset when it is read again).
    _folder_renames: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _milestones: dict[str, list[MilestoneStatus]] = field(
        default_factory=dict, init=False, repr=False
    )
    _assessments: dict[str, Assessment] = field(default_factory=dict, init=False, repr=False)
    _trees: dict[tuple[str, str], dict[str, str]] = field(
        default_factory=dict, init=False, repr=False
    )
    _pending_history: Pending[list[Commit]] | None = field(default=None, init=False, repr=False)
    _pending_status: dict[str, Pending[list[tuple[str, str]]]] = field(
        default_factory=dict, init=False, repr=False
    )

    @classmethod
    def open(
        cls,
        path: Path | str = ".",
        assessments_dir: str = ASSESSMENTS_DIR,
        scope: str | None = None,
    ) -> Workspace:
        repo = Repository.discover(path)
        return cls(repo, locate_assessments_dir(repo, path, assessments_dir), scope)

    # --- assessments ------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self.repo.root / self.assessments_dir

    def slugs(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.parent.name for p in self.folder.glob(f"*/{ASSESSMENT_FILE}"))

    def assessment_path(self, slug: str) -> str:
        return assessment_path(self.assessments_dir, slug)

    def items_prefix(self, slug: str) -> str:
        return items_prefix(self.assessments_dir, slug)

    def _require_scope(self, slug: str) -> None:
        if self.scope is not None and slug != self.scope:
            raise ValueError(f"a workspace scoped to {self.scope} has no history of {slug}")

    def assessment(self, slug: str) -> Assessment:
        if slug in self._assessments:
            return self._assessments[slug]
        path = self.repo.root / self.assessment_path(slug)
        if not path.is_file():
            known = ", ".join(self.slugs()) or "none yet"
            raise InputError(
                f"unknown assessment {slug!r} (no {self.assessment_path(slug)})",
                hint=f"known assessments: {known}",
            )
        if path.is_symlink():
            raise DocumentError(
                Location(self.assessment_path(slug), 1, 1),
                _symlink_message("assessment"),
                hint="piakit check lists every such file",
            )
        assessment = documents.load_assessment(path.read_bytes(), slug, self.assessment_path(slug))
        self._assessments[slug] = assessment
        return assessment

    # --- history ----------------------------------------------------------------------------

    def head(self) -> str:
        """HEAD's commit, asked once per workspace; refuses a shallow clone or an empty
        history with what to do."""
        if self._head is None:
            self._head = self.repo.require_history()
        return self._head

    def tags(self) -> dict[str, str]:
        if self._tags is None:
            self._tags = self.repo.tags()
        return self._tags

    def commits(self) -> list[Commit]:
        """Every commit reachable from HEAD and from the milestone tags, parents first.
        Read in one ``git log`` pass and kept for the life of the workspace (a scoped pass
        is read again only when the assessment may have been renamed: ``_older_folders``)."""
        if self._commits is None:
            pending = self._start_history()
            folders = [self.scope] if self.scope else []
            discover = False
            while True:
                self._commits = self._merge_writes(pending.result())
                self._by_sha = {commit.sha: commit for commit in self._commits}
                self._ancestors, self._folder_renames, self._reach = {}, {}, {}
                self._position = {commit.sha: at for at, commit in enumerate(self._commits)}
                if self.scope is None:
                    break
                # git sees a folder renamed into the scope only when the old folder is in the
                # pathspec too: read again with the candidates, then with what was found.
                found = [old for old, _ in self.folder_renames(self.scope)]
                candidates: list[str] = []
                unknown = False
                if len(folders) == 1 and not discover:
                    candidates, unknown = self._older_folders(self.scope)
                wanted = list(dict.fromkeys([*folders, *found, *candidates]))
                if wanted == folders and (discover or not unknown):
                    break
                folders, discover = wanted, discover or unknown
                pending = self._start_history(folders, discover)
        return self._commits

    def _start_history(
        self, folders: Sequence[str] | None = None, discover: bool = False
    ) -> Pending[list[Commit]]:
        """Start the history pass (``commits``) over ``folders`` (default: the scope's, or
        everything); with ``discover``, over every ``assessment.yaml`` too. The first pass is
        started once: ``prefetch`` may have started it already."""
        if folders is None and self._pending_history is not None:
            return self._pending_history
        head = self.head()
        tagged = sorted(
            ({sha for name, sha in self._milestone_tags().items()} | set(self.starts)) - {head}
        )
        if folders is None:
            folders = [self.scope] if self.scope else []
        paths = [f"{self.assessments_dir}/{folder}/" for folder in folders]
        if discover:
            paths.append(f":(glob){self.assessments_dir}/*/{ASSESSMENT_FILE}")
        pending = self.repo.start_log([head, *tagged], paths=paths)
        if self._pending_history is None:
            self._pending_history = pending
        return pending

    def prefetch(self, slug: str | None = None, *, uncommitted: bool = False) -> None:
        """Start what a request about ``slug`` reads from git, and go on: the history pass
        and, with ``uncommitted``, which of its item files are edited but not committed.
        git works while this process loads the code that will use the answers (the table's
        text diff, a renderer); the reads wait for them where they are needed."""
        self._start_history()
        if uncommitted:
            folder = self._status_folder(slug)
            if folder not in self._pending_status:
                self._pending_status[folder] = self.repo.start_worktree_changes([folder])

    def _milestone_tags(self) -> dict[str, str]:
        """The tags whose commits the history pass starts from: every ``<slug>/<id>`` tag,
        or, for a workspace scoped to one assessment, its own and those of names that no
        current assessment has (it may have been renamed from one). Another assessment's
        tags add nothing to this one's history but the cost of walking from them."""
        tags = {name: sha for name, sha in self.tags().items() if "/" in name}
        if self.scope is None:
            return tags
        current = set(self.slugs()) - {self.scope}
        return {name: sha for name, sha in tags.items() if name.split("/", 1)[0] not in current}

    def _older_folders(self, slug: str) -> tuple[list[str], bool]:
        """Folders ``slug`` may have been renamed from, judged from the first pass: the
        assessment names of milestone tags and trailers that no current assessment has; and
        whether one of ``slug``'s own milestones is bound to a commit from before its
        ``assessment.yaml`` was added (then the old name must be discovered)."""
        current = set(self.slugs())
        names = {name.split("/", 1)[0] for name in self.tags() if "/" in name}
        names |= {v.split("/", 1)[0] for c in self.commits() for v in c.milestone_trailers}
        orphans = sorted(name for name in names - current if NAME_RE.match(name))
        added = next(
            (
                commit.sha
                for commit in self.commits()
                for change in commit.changes
                if change.status == "A" and change.path == self.assessment_path(slug)
            ),
            None,
        )
        own = [sha for name, sha in self.tags().items() if name.startswith(f"{slug}/")]
        own += [sha for shas in self._trailer_bindings(slug).values() for sha in shas]
        if added is None or not own:
            return orphans, False
        after = self._descendants(added)
        return orphans, any(sha not in after for sha in own)

    def log(
        self, revs: Sequence[str], *, exclude: Sequence[str] = (), paths: Sequence[str] = ()
    ) -> list[Commit]:
        """``Repository.log`` with each merge's changes cut down to what the merge itself
        wrote (``merge_writes``): a merge that took one side's text, or that git merged
        cleanly from both sides, is no revision; the side's own commits are."""
        return self._merge_writes(self.repo.log(revs, exclude=exclude, paths=paths))

    def _merge_writes(self, commits: list[Commit]) -> list[Commit]:
        prefix = self.assessments_dir + "/"
        judged = [
            change
            for commit in commits
            if commit.is_merge
            for change in commit.changes
            if change.parent_blobs and change.path.startswith(prefix)
        ]
        if not judged:
            return commits
        contents = self.repo.read_blobs(
            blob for change in judged for blob in (*change.parent_blobs, change.new_blob) if blob
        )
        kept = []
        for commit in commits:
            if commit.is_merge and commit.changes:
                changes = tuple(
                    change
                    for change in commit.changes
                    if not change.path.startswith(prefix) or merge_wrote(change, contents)
                )
                commit = replace(commit, changes=changes)
            kept.append(commit)
        return kept

    def folder_renames(self, slug: str) -> list[tuple[str, str]]:
        """The folders ``slug``'s assessment lived in before, newest first, each with the
        commit that renamed it (seen as the rename of its ``assessment.yaml``)."""
        if slug in self._folder_renames:
            return self._folder_renames[slug]
        dir_ = self.assessments_dir
        renames: dict[str, tuple[str, str]] = {}  # new folder -> (old folder, commit)
        for commit in self.commits():
            for change in commit.changes:
                if change.status != "R" or not change.old_path:
                    continue
                new, old = (
                    assessment_of(change.path, dir_),
                    assessment_of(change.old_path, dir_),
                )
                if new and old and new != old:
                    renames[new] = (old, commit.sha)
        lineage: list[tuple[str, str]] = []
        current = slug
        while current in renames and renames[current][0] not in {slug, *(o for o, _ in lineage)}:
            lineage.append(renames[current])
            current = renames[current][0]
        self._folder_renames[slug] = lineage
        return lineage

    def items_prefixes(self, slug: str) -> tuple[str, ...]:
        """Where ``slug``'s item files are now and were before its folder was renamed."""
        older = [self.items_prefix(old) for old, _ in self.folder_renames(slug)]
        return (self.items_prefix(slug), *older)

    def _descendants(self, sha: str) -> frozenset[str]:
        """``sha`` and every commit read that descends from it (one pass, parents first)."""
        found = {sha}
        for commit in self.commits():
            if any(parent in found for parent in commit.parents):
                found.add(commit.sha)
        return frozenset(found)

    def has_commit(self, sha: str) -> bool:
        """Whether ``sha`` is in the history read (reachable from HEAD or a milestone tag)."""
        self.commits()
        return sha in self._by_sha

    def commit(self, sha: str) -> Commit:
        self.commits()
        return self._by_sha[sha]

    def descends(self, sha: str, ancestor: str) -> bool:
        """Whether ``ancestor`` is ``sha`` or reachable from it: one bit test. The commits
        each commit reaches are computed for the whole history in one pass, parents first,
        as bit sets (an integer, a bit per commit)."""
        self.commits()
        if not self._reach:
            bits: dict[str, int] = {}
            for at, commit in enumerate(self.commits()):
                reach = 1 << at
                for parent in commit.parents:
                    reach |= bits.get(parent, 0)
                bits[commit.sha] = reach
            self._reach = bits
        position = self._position.get(ancestor)
        if position is None:
            return False
        return bool(self._reach.get(sha, 0) >> position & 1)

    def ancestors(self, sha: str) -> frozenset[str]:
        """``sha`` and every commit reachable from it (computed once per commit)."""
        self.commits()
        if sha in self._ancestors:
            return self._ancestors[sha]
        seen: set[str] = set()
        stack = [sha]
        while stack:
            current = stack.pop()
            if current in seen or current not in self._by_sha:
                continue
            seen.add(current)
            stack.extend(self._by_sha[current].parents)
        self._ancestors[sha] = frozenset(seen)
        return self._ancestors[sha]

    # --- milestones -------------------------------------------------------------------------

    def milestones(self, slug: str) -> list[MilestoneStatus]:
        """The declared milestones in order, each with its binding: a tag ``<slug>/<id>``
        wins over a ``Milestone: <slug>/<id>`` trailer (the newest such commit; two are
        reported by ``milestone_findings``). After the assessment's folder was renamed from
        ``old``, the tags ``old/<id>`` and trailers on commits before the rename bind the
        milestones that ``slug``'s own tags and trailers do not."""
        if slug in self._milestones:
            return self._milestones[slug]
        assessment = self.assessment(slug)
        tags = self.tags()
        for milestone in assessment.milestones:
            kind = self.repo.non_commit_tags.get(f"{slug}/{milestone.id}")
            if kind is not None:
                raise InputError(
                    f"the tag {slug}/{milestone.id} points at a {kind}, not a commit: "
                    f"milestone {milestone.id} cannot be bound by it",
                    hint=f"point it at a commit: git tag -f {slug}/{milestone.id} <commit>",
                )
        sources = [(slug, None)] + [(old, commit) for old, commit in self.folder_renames(slug)]
        trailers = {name: self._trailer_bindings(name) for name, _ in sources}
        statuses = []
        for milestone in assessment.milestones:
            bound: BoundMilestone | None = None
            for name, renamed_at in sources:
                before = self.ancestors(renamed_at) if renamed_at else None
                tag = tags.get(f"{name}/{milestone.id}")
                trailer = trailers[name].get(milestone.id, [])
                if before is not None:
                    tag = tag if tag in before else None
                    trailer = [sha for sha in trailer if sha in before]
                if tag is not None:
                    bound = BoundMilestone(milestone, tag, "tag")
                elif trailer:
                    bound = BoundMilestone(milestone, trailer[-1], "trailer")
                if bound is not None:
                    break
            statuses.append(MilestoneStatus(milestone, bound))
        self._milestones[slug] = statuses
        return statuses

    def _trailer_bindings(self, slug: str) -> dict[str, list[str]]:
        """Milestone id → the commits whose ``Milestone: <slug>/<id>`` trailer names it,
        oldest first."""
        found: dict[str, list[str]] = {}
        for commit in self.commits():
            for value in commit.milestone_trailers:
                if value.startswith(f"{slug}/"):
                    shas = found.setdefault(value[len(slug) + 1 :], [])
                    if commit.sha not in shas:
                        shas.append(commit.sha)
        return found

    def milestone_findings(self, slug: str) -> list[MilestoneFinding]:
        """Every binding of ``slug``'s milestones that is ambiguous or out of history order,
        as errors (a table would be wrong: refused) and warnings (the binding is what the
        tag says, but someone should look). The one place these rules live: ``table``,
        ``changes``, ``milestone list``, ``milestone add`` and the site all use it."""
        assessment = self.assessment(slug)
        declared = {m.id for m in assessment.milestones}
        tags = self.tags()
        head = self.head()
        reachable = self.ancestors(head)
        findings: list[MilestoneFinding] = []
        for milestone_id, shas in sorted(self._trailer_bindings(slug).items()):
            shown = ", ".join(sha[:7] for sha in shas)
            tag = tags.get(f"{slug}/{milestone_id}")
            if milestone_id not in declared:
                findings.append(
                    MilestoneFinding(
                        "undeclared",
                        "warning",
                        milestone_id,
                        f"the trailer Milestone: {slug}/{milestone_id} on {shown} names no "
                        f"milestone declared in {self.assessment_path(slug)}",
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
        for status in self.milestones(slug):
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
                problem = self.order_problem(slug, previous, bound)
                if problem is not None:
                    findings.append(problem)
            previous = bound
        return findings

    def order_problem(
        self, slug: str, earlier: BoundMilestone, later: BoundMilestone
    ) -> MilestoneFinding | None:
        """An error when ``later``'s commit does not descend from ``earlier``'s (the same
        commit is fine): columns must follow the history."""
        if self.descends(later.commit, earlier.commit):
            return None
        first, second = earlier.milestone.id, later.milestone.id
        older = self.descends(earlier.commit, later.commit)
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

    def bound_milestones(self, slug: str) -> list[BoundMilestone]:
        return [s.bound for s in self.milestones(slug) if s.bound is not None]

    def head_milestone(self) -> BoundMilestone:
        head = self.head()
        commit = self.commit(head)
        return BoundMilestone(
            Milestone(HEAD_ID, HEAD_LABEL, commit.committer_date.date()), head, "head"
        )

    def select_milestones(self, slug: str, ids: Sequence[str] | None) -> list[BoundMilestone]:
        """The columns of a table: the named milestones in the order given, or every bound
        milestone in declared order. ``HEAD`` names the newest commit."""
        statuses = self.milestones(slug)
        if not ids:
            chosen = [s.bound for s in statuses if s.bound is not None]
            self._refuse_wrong_columns(slug, chosen)
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
                chosen.append(self.head_milestone())
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
        self._refuse_wrong_columns(slug, chosen)
        return chosen

    def _refuse_wrong_columns(self, slug: str, chosen: Sequence[BoundMilestone]) -> None:
        """Raise when the columns are out of history order or a column's binding is
        ambiguous: a table from them would look right and be wrong."""
        ids = {bound.milestone.id for bound in chosen}
        errors = [
            finding
            for finding in self.milestone_findings(slug)
            if finding.severity == "error" and finding.kind != "order" and finding.milestone in ids
        ]
        for earlier, later in pairwise(chosen):
            problem = self.order_problem(slug, earlier, later)
            if problem is not None:
                errors.append(problem)
        if errors:
            raise InputError(
                "; ".join(finding.message for finding in errors),
                hint=errors[0].hint,
            )

    # --- items ------------------------------------------------------------------------------

    def items_at(self, slug: str, commit: str) -> dict[str, Item]:
        """Every item of ``slug`` as it is at ``commit`` (id → Item)."""
        return self.items_at_many(slug, [commit])[0]

    def items_at_many(
        self,
        slug: str,
        commits: Sequence[str],
        names: Sequence[str] = (),
        *,
        changed_only: bool = False,
    ) -> list[dict[str, Item]]:
        """Every item of ``slug`` at each commit (id → Item), read from the folder the
        assessment had at that commit (its folder may have been renamed since). ``names``:
        the milestone of each commit, for the message when a version cannot be read.
        ``changed_only``: leave out the files that are the same blob at the same path at
        every commit (they cannot be a row of a table), so they are neither read nor parsed."""
        prefixes = self.items_prefixes(slug)
        listings = self._folders_files([(c, p) for c in commits for p in prefixes])
        trees: list[tuple[str, dict[str, str]]] = []
        for index in range(len(commits)):
            found = listings[index * len(prefixes) : (index + 1) * len(prefixes)]
            # The newest folder that exists at the commit holds the items there.
            at = next((i for i, files in enumerate(found) if files), 0)
            trees.append((prefixes[at], found[at]))
        if changed_only and len(trees) > 1:
            first = trees[0][1]
            same = {
                path
                for path, blob in first.items()
                if all(tree.get(path) == blob for _, tree in trees[1:])
            }
            trees = [
                (prefix, {p: b for p, b in tree.items() if p not in same}) for prefix, tree in trees
            ]
        wanted: dict[tuple[str, str], str] = {}
        for prefix, tree in trees:
            for path, blob in tree.items():
                item_id = item_id_under(path, prefix)
                if item_id is not None and (blob, item_id) not in _ITEM_CACHE:
                    wanted[(blob, item_id)] = path
        for (blob, item_id), exc in self._load_versions(wanted).items():
            path = wanted[(blob, item_id)]
            at = next(i for i, (_, tree) in enumerate(trees) if tree.get(path) == blob)
            name = names[at] if at < len(names) else None
            problem = exc
            if self._is_symlink(commits[at], path):
                problem = DocumentError(Location(path, 1, 1), _symlink_message("item"))
            raise _unreadable_version(problem, slug, commits[at], name)
        versions = []
        for prefix, tree in trees:
            version = {}
            for path, blob in tree.items():
                item_id = item_id_under(path, prefix)
                if item_id is not None:
                    version[item_id] = _ITEM_CACHE[(blob, item_id)]
            versions.append(version)
        return versions

    def _is_symlink(self, commit: str, path: str) -> bool:
        """Whether ``path`` is a symbolic link at ``commit`` (its blob is then the path it
        points to). Asked only to explain a version that cannot be read."""
        entry = self.repo.git("ls-tree", commit, "--", path, check=False)
        return entry.startswith(b"120000 ")

    def _load_versions(
        self, wanted: Mapping[tuple[str, str], str]
    ) -> dict[tuple[str, str], DocumentError]:
        """Parse the versions (blob id, item id) → the path to name them by that are not
        parsed yet, into the item cache, from one blob batch. Returns the ones that cannot be
        read, each with its error; what to do with them is the caller's rule."""
        missing = [key for key in wanted if key not in _ITEM_CACHE]
        contents = self.repo.read_blobs(blob for blob, _ in missing)
        failed: dict[tuple[str, str], DocumentError] = {}
        for blob, item_id in missing:
            try:
                _ITEM_CACHE[(blob, item_id)] = documents.load_item(
                    contents[blob], item_id, wanted[(blob, item_id)]
                )
            except DocumentError as exc:
                failed[(blob, item_id)] = exc
        return failed

    def _folders_files(self, requests: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
        """The files directly in each (commit, folder), listed once per workspace, those not
        listed yet all in one git process."""
        missing = [r for r in dict.fromkeys(requests) if r not in self._trees]
        for request, files in zip(missing, self.repo.folders_files(missing), strict=True):
            self._trees[request] = files
        return [self._trees[request] for request in requests]

    def versions(
        self,
        slug: str,
        commits: Sequence[str],
        names: Sequence[str] = (),
        *,
        changed_only: bool = False,
    ) -> list[dict[str, Item]]:
        """``items_at_many``, each item keyed by the id its file has at the last commit: an
        item file renamed (``git mv``, text unchanged) between two of the commits is one item,
        not a deletion and an addition."""
        raw = self.items_at_many(slug, commits, names, changed_only=changed_only)
        if not commits:
            return raw
        renames = self.item_renames(slug)
        keyed = []
        for commit, version in zip(commits, raw, strict=True):
            later = [
                r
                for r in renames
                if self.descends(commits[-1], r.commit) and not self.descends(commit, r.commit)
            ]
            keyed.append(_rekey(version, later))
        return keyed

    def item_renames(self, slug: str) -> list[ItemRename]:
        """Every pure rename of one of ``slug``'s item files to another id, in history
        order. Renames with edits are not followed: git pairs files by similarity, and
        pairing two different items would hide a deletion, so they stay a deletion and an
        addition."""
        prefixes = self.items_prefixes(slug)
        renames = []
        for commit in self.commits():
            for change in commit.changes:
                if not change.is_pure_rename or change.old_path is None:
                    continue
                new, old = _item_key(change.path, prefixes), _item_key(change.old_path, prefixes)
                if new is not None and old is not None and new != old:
                    renames.append(ItemRename(commit.sha, old, new))
        return renames

    def _touches(self, slug: str, commit: Commit) -> list[Touch]:
        """What ``commit`` did to ``slug``'s item files, one entry per item id."""
        prefixes = self.items_prefixes(slug)
        touches = []
        for change in commit.changes:
            new_id = _item_key(change.path, prefixes)
            old_id = _item_key(change.old_path, prefixes) if change.old_path else new_id
            if change.is_pure_rename:
                if new_id is not None and old_id is not None and new_id != old_id:
                    touches.append(Touch(new_id, change.old_blob, change.new_blob, old_id))
                elif new_id is not None and old_id is None:
                    touches.append(Touch(new_id, None, change.new_blob))
                elif old_id is not None and new_id is None:
                    touches.append(Touch(old_id, change.old_blob, None))
            elif change.status == "R" and old_id != new_id:
                if old_id is not None:
                    touches.append(Touch(old_id, change.old_blob, None))
                if new_id is not None:
                    touches.append(Touch(new_id, None, change.new_blob))
            elif new_id is not None:
                touches.append(Touch(new_id, change.old_blob, change.new_blob))
        return touches

    def _keyed_touches(
        self, slug: str, commits: Sequence[Commit], until: str
    ) -> list[tuple[Commit, str, Touch]]:
        """Each touch of ``commits`` (in history order, all reachable from ``until``) with
        the id its item has at ``until``, following the renames that came after it."""
        renames = [r for r in self.item_renames(slug) if r.commit in self.ancestors(until)]
        # A rename applies to every commit that does not descend from it: those before it
        # and those on a branch beside it, whose edits a merge carries into the new file.
        after = {r.commit: self._descendants(r.commit) for r in renames}
        keyed = []
        for commit in commits:
            later = [r for r in renames if commit.sha not in after[r.commit]]
            for touch in self._touches(slug, commit):
                keyed.append((commit, _follow(touch.item_id, later), touch))
        return keyed

    def item_commits(self, slug: str, start: str | None, end: str) -> dict[str, list[Commit]]:
        """For each item (by its id at ``end``), the commits after ``start`` up to ``end``
        that revised it (a pure rename is no revision), in commit order."""
        self._require_scope(slug)
        in_range = self.ancestors(end) - (self.ancestors(start) if start else set())
        commits: dict[str, list[Commit]] = {}
        chosen = [c for c in self.commits() if c.sha in in_range]
        for commit, item_id, touch in self._keyed_touches(slug, chosen, end):
            if touch.renamed_from is not None:
                continue
            revised = commits.setdefault(item_id, [])
            if commit not in revised:
                revised.append(commit)
        return commits

    def revisions(self, slug: str, commits: Sequence[Commit]) -> list[tuple[Commit, Touch]]:
        """The touches of ``commits`` to ``slug``'s item files that revise an item
        (``revision_value`` differs, or it is added or deleted). A pure rename, and an edit
        that leaves the parsed item as it was (a comment, ``piakit fmt``'s reformatting, line
        endings), is none. The changed files' blobs are read in one batch."""
        touches = [
            (commit, touch)
            for commit in commits
            for touch in self._touches(slug, commit)
            if touch.renamed_from is None
        ]
        same = self.unrevised(
            (touch.old_blob, touch.new_blob, touch.item_id)
            for _, touch in touches
            if touch.old_blob is not None and touch.new_blob is not None
        )
        return [
            (commit, touch)
            for commit, touch in touches
            if (touch.old_blob, touch.new_blob, touch.item_id) not in same
        ]

    def unrevised(
        self, edits: Iterable[tuple[str | None, str | None, str]]
    ) -> set[tuple[str | None, str | None, str]]:
        """The edits (old blob, new blob, item id) after which the item's
        ``revision_value`` is what it was. A version that cannot be read counts as a
        revision. One blob batch for the versions not parsed yet."""
        edits = [e for e in dict.fromkeys(edits) if e[0] is not None and e[1] is not None]
        unreadable = self._load_versions(
            {
                (blob, item_id): f"{item_id}.yaml@{blob[:7]}"
                for old, new, item_id in edits
                for blob in (old, new)
                if blob is not None
            }
        )
        same: set[tuple[str | None, str | None, str]] = set()
        for old, new, item_id in edits:
            if old is None or new is None or {(old, item_id), (new, item_id)} & unreadable.keys():
                continue
            before, after = _ITEM_CACHE[(old, item_id)], _ITEM_CACHE[(new, item_id)]
            if revision_value(before) == revision_value(after):
                same.add((old, new, item_id))
        return same

    def item_reasons(self, slug: str, start: str | None, end: str) -> dict[str, list[Reason]]:
        """For each item, the reasons of the commits after ``start`` up to ``end`` that changed
        its file, in commit order."""
        return {
            item_id: [reason for commit in commits for reason in commit.reasons]
            for item_id, commits in self.item_commits(slug, start, end).items()
        }

    def histories(self, slug: str, until: str | None = None) -> dict[str, list[ItemRevision]]:
        """Every revision of every item of ``slug`` reachable from ``until`` (default HEAD),
        oldest first, keyed by the item's id at ``until`` (through renames of its file). One
        log pass (shared) and one blob batch in all."""
        self._require_scope(slug)
        until = until or self.head()
        reachable = self.ancestors(until)
        touched = self._keyed_touches(
            slug, [c for c in self.commits() if c.sha in reachable], until
        )
        prefix = self.items_prefix(slug)
        failed = self._load_versions(
            {
                (blob, item_id): f"{prefix}{item_id}.yaml@{blob[:7]}"
                for _, _, touch in touched
                for blob, item_id in (
                    (touch.old_blob, touch.renamed_from or touch.item_id),
                    (touch.new_blob, touch.item_id),
                )
                if blob is not None
            }
        )
        # A version that cannot be read is shown as such rather than failing the request:
        # it may be an old mistake fixed long ago. A broken version at a milestone or HEAD
        # still fails, in items_at_many().
        unreadable = {
            (blob, item_id): Item(
                id=item_id, path=(UNREADABLE_HEADING,), text=f"{UNREADABLE_HEADING}: {exc.message}"
            )
            for (blob, item_id), exc in failed.items()
        }

        def version(blob: str | None, item_id: str) -> Item | None:
            if blob is None:
                return None
            return _ITEM_CACHE.get((blob, item_id)) or unreadable[(blob, item_id)]

        revisions: dict[str, list[ItemRevision]] = {}
        for commit, key, touch in touched:
            revisions.setdefault(key, []).append(
                ItemRevision(
                    commit=commit,
                    item_id=touch.item_id,
                    item=version(touch.new_blob, touch.item_id),
                    previous=version(touch.old_blob, touch.renamed_from or touch.item_id),
                    renamed_from=touch.renamed_from,
                )
            )
        return revisions

    # --- the work tree ----------------------------------------------------------------------

    def uncommitted_items(self, slug: str | None = None) -> list[str]:
        """The item files of ``slug`` (of every assessment when None) that differ in the
        work tree or the index from HEAD: modified, added, deleted or untracked. One git
        process (started by ``prefetch`` when asked to)."""
        folder = self._status_folder(slug)
        pending = self._pending_status.pop(folder, None)
        changes = pending.result() if pending else self.repo.worktree_changes([folder])
        return [
            path
            for _, path in changes
            if (where := split_item_path(path, self.assessments_dir)) is not None
            and (slug is None or where[0] == slug)
        ]

    def _status_folder(self, slug: str | None) -> str:
        return f"{self.assessments_dir}/{slug}/" if slug else f"{self.assessments_dir}/"

    def worktree_items(self, slug: str) -> dict[str, Item]:
        """The items of ``slug`` as the files on disk hold them (committed or not). A file
        that cannot be read fails with its path and line."""
        folder = self.repo.root / self.items_prefix(slug)
        items = {}
        for path in sorted(folder.glob("*.yaml")):
            shown = f"{self.items_prefix(slug)}{path.name}"
            items[path.stem] = documents.load_item(path.read_bytes(), path.stem, shown)
        return items

    # --- the table --------------------------------------------------------------------------

    def table(
        self,
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
        self._start_history()
        # The text diff is loaded while git reads the history, not before.
        from piakit.compare import build_table

        assessment = self.assessment(slug)
        chosen = self.select_milestones(slug, milestone_ids)
        if not chosen:
            planned = ", ".join(m.id for m in assessment.milestones) or "none declared"
            raise InputError(
                f"{slug} has no milestone bound to a commit yet (declared: {planned})",
                hint=f"bind one with a tag: git tag {slug}/<id> <commit>, or piakit milestone add",
            )
        if compare and len(chosen) == 1 and not worktree:
            raise _one_column(
                slug, chosen[0].milestone.id, self.bound_milestones(slug), given=bool(milestone_ids)
            )
        names = [b.milestone.id for b in chosen]
        columns = [_column(b) for b in chosen]
        if worktree:
            head = self.head_milestone()
            problem = self.order_problem(slug, chosen[-1], head)
            if problem is not None:
                raise InputError(problem.message, hint="the work tree descends from HEAD")
            versions = self.versions(
                slug, [*(b.commit for b in chosen), head.commit], [*names, HEAD_ID]
            )[:-1]
            versions.append(self.worktree_items(slug))
            reasons = self.item_reasons(slug, chosen[0].commit, head.commit)
            columns.append(
                Column(WORKTREE_ID, WORKTREE_LABEL, "", dt.date.today(), source="worktree")
            )
        else:
            # Files unchanged at every column are no row: not read, not parsed.
            versions = self.versions(slug, [b.commit for b in chosen], names, changed_only=True)
            reasons = self.item_reasons(slug, chosen[0].commit, chosen[-1].commit)
        return build_table(
            assessment=slug,
            title=assessment.title,
            columns=columns,
            versions=versions,
            reasons=reasons,
            organization=assessment.organization,
            affair=assessment.affair,
        )

    # --- 別添3 変更箇所 ----------------------------------------------------------------------

    def change_sheet(
        self, slug: str, since: str | None = None, until: str | None = None
    ) -> ChangeSheet:
        """The changes between milestone ``since`` (default: the first bound milestone, the
        published document) and ``until`` (default: HEAD, the working draft)."""
        assessment = self.assessment(slug)
        if since is None:
            bound = self.bound_milestones(slug)
            if not bound:
                raise InputError(
                    f"{slug} has no milestone bound to a commit yet",
                    hint="bind the published document first: git tag "
                    f"{slug}/{_first_declared(assessment)} <commit>",
                )
            since = bound[0].milestone.id
        start, end = self.select_milestones(slug, [since, until or HEAD_ID])
        before, after = self.versions(
            slug, [start.commit, end.commit], [start.milestone.id, end.milestone.id]
        )
        from piakit.changes import build_change_sheet

        return build_change_sheet(
            assessment=slug,
            title=assessment.title,
            since=_column(start),
            until=_column(end),
            before=before,
            after=after,
            commits=self.item_commits(slug, start.commit, end.commit),
            fallback_date=self.commit(end.commit).author_date.date(),
            organization=assessment.organization,
        )


def _unreadable_version(
    exc: DocumentError, slug: str, commit: str, milestone: str | None
) -> DocumentError:
    """``exc`` (an item file that cannot be read) naming the commit and milestone of that
    version, and how to get a readable one: a milestone shows its files as committed."""
    short = commit[:7]
    if milestone is None:
        where = f"the version at commit {short}"
    elif milestone == HEAD_ID:
        where = f"the version at HEAD, commit {short}"
    else:
        where = f"the version at milestone {milestone}, commit {short}"
    path = exc.location.path
    if milestone is None or milestone == HEAD_ID:
        hint = f"fix the file (piakit check {path}) and commit the fix"
    else:
        hint = (
            f"a milestone shows its files as committed: fix the file in a new commit, then bind "
            f"{milestone} to that commit (git tag -f {slug}/{milestone} <commit>) if it is not "
            "published yet; a published document stays as it was, so compare other milestones"
        )
    return DocumentError(exc.location, f"{exc.detail} ({where})", hint=hint)


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


def locate_assessments_dir(repo: Repository, start: Path | str, assessments_dir: str) -> str:
    """The assessments folder as a path from the top of the work tree. It is found from the
    folder piakit started in (``-C``), as ``check`` finds it: a repository whose assessments
    sit in a subfolder of the work tree works from that subfolder."""
    here = (Path(start) / assessments_dir).resolve()
    root = repo.root.resolve()
    if here.is_dir() and here != root / assessments_dir and here.is_relative_to(root):
        return here.relative_to(root).as_posix()
    return assessments_dir


def _symlink_message(kind: str) -> str:
    # worktree (check and fmt's file walker) is imported only on this rare path.
    from piakit.worktree import symlink_message

    return symlink_message(kind)


def _first_declared(assessment: Assessment) -> str:
    """The id of the first milestone ``assessment`` declares (the published document)."""
    return assessment.milestones[0].id if assessment.milestones else "<id>"


def _column(bound: BoundMilestone) -> Column:
    return Column(
        id=bound.milestone.id,
        label=bound.milestone.label,
        commit=bound.commit,
        date=bound.milestone.date,
        source=bound.source,
    )


def _item_key(path: str, prefixes: Sequence[str]) -> str | None:
    """The item id of ``path`` in any of the folders an assessment has had."""
    for prefix in prefixes:
        item_id = item_id_under(path, prefix)
        if item_id is not None:
            return item_id
    return None


def revision_value(item: Item) -> tuple[object, ...]:
    """What of an item a commit must give reasons for changing (docs/format.md): its value
    as the document shows it (``Item.plain``), its heading path, its page and whether it is
    a 重要な変更. Not ``order`` (where it sorts among its neighbours), comments, quoting,
    block or flow style, or line endings."""
    return (item.plain(), item.path, item.page, item.important)


def _follow(item_id: str, renames: Iterable[ItemRename]) -> str:
    """The id ``item_id`` ends up with after ``renames`` (in history order)."""
    for rename in renames:
        if rename.old_id == item_id:
            item_id = rename.new_id
    return item_id


def _rekey(version: Mapping[str, Item], renames: Sequence[ItemRename]) -> dict[str, Item]:
    """``version`` keyed by the ids its files get through ``renames``. An item whose new id
    is taken by a file that is still there keeps its own id: two different items are never
    folded into one row."""
    if not renames:
        return dict(version)
    keyed: dict[str, Item] = {}
    moved: list[tuple[str, str]] = []
    for item_id in version:
        target = _follow(item_id, renames)
        if target == item_id:
            keyed[item_id] = version[item_id]
        else:
            moved.append((item_id, target))
    for item_id, target in moved:
        keyed[target if target not in keyed else item_id] = version[item_id]
    return keyed


def merge_wrote(change: FileChange, contents: Mapping[str, bytes]) -> bool:
    """Whether a merge wrote text of its own into a file it lists (its contents differ from
    every parent's): a line that no parent has, or a line that every parent has dropped.
    A clean merge of edits from both sides only takes each line from one side: no."""
    if change.new_blob is None:
        return True  # deleted although every parent has it
    merged = set(contents[change.new_blob].decode("utf-8", errors="replace").splitlines())
    parents = [
        set(contents[blob].decode("utf-8", errors="replace").splitlines())
        for blob in change.parent_blobs
        if blob is not None
    ]
    if not parents:
        return True
    if merged - set().union(*parents):
        return True
    every_parent_has_it = len(parents) == len(change.parent_blobs)
    return every_parent_has_it and bool(set.intersection(*parents) - merged)
