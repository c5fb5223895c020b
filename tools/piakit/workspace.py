"""The read model: an assessments repository opened once per request.

A ``Workspace`` reads the history in one pass (``commits``, cached for its life), follows
renames of assessment folders, answers ancestry questions, binds milestones to commits
(tags win over ``Milestone:`` trailers) and knows the assessments on disk and the item files
edited but not committed. What is computed from item versions (tables, revisions, item
histories) lives in ``versions`` and the use cases; the parsed versions are kept here, in
the workspace's ``ItemCache``.

Nothing here prints, exits, or imports click or mkdocs; git is reached only through
``history``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from piakit import documents
from piakit.conventions import (
    ASSESSMENTS_DIR,
    NAME_RE,
    assessment_of,
    assessment_path,
    items_prefix,
    split_item_path,
)
from piakit.errors import DocumentError, InputError, Location
from piakit.history import Pending, Repository
from piakit.model import Assessment, BoundMilestone, Commit, FileChange, Item, Milestone
from piakit.opening import (
    Opening,
    first_pass,
    locate_assessments_dir,
    milestone_tags,
    slugs_in,
)

#: The pseudo-milestone naming the newest commit (the working draft).
HEAD_ID = "HEAD"
HEAD_LABEL = "作業中の案"


class ItemCache:
    """What a workspace has read of item files: each version parsed once, keyed by (blob id,
    item id), and each (commit, folder) listed once. Owned by one ``Workspace``."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Item] = {}
        self.trees: dict[tuple[str, str], dict[str, str]] = {}


@dataclass(frozen=True)
class MilestoneStatus:
    """A declared milestone and, when bound, the commit it is bound to."""

    milestone: Milestone
    bound: BoundMilestone | None

    @property
    def planned(self) -> bool:
        return self.bound is None


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
    #: ``descends``' bit sets, built on first use: each commit's position in ``commits`` and
    #: what it reaches (an integer, a bit per position).
    _reach: dict[str, tuple[int, int]] = field(default_factory=dict, init=False, repr=False)
    #: Per slug, computed from the history pass once (reset when it is read again).
    _folder_renames: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _milestones: dict[str, list[MilestoneStatus]] = field(
        default_factory=dict, init=False, repr=False
    )
    _assessments: dict[str, Assessment] = field(default_factory=dict, init=False, repr=False)
    #: Parsed item versions and listed folders, kept for the life of the workspace.
    cache: ItemCache = field(default_factory=lambda: ItemCache(), init=False, repr=False)
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

    @classmethod
    def adopt(cls, opening: Opening) -> Workspace:
        """The workspace of a repository already opened (``opening.open_repository``), with
        the reads it started: HEAD, the tags and the first history pass."""
        ws = cls(opening.repo, opening.assessments_dir, opening.scope)
        ws._head, ws._tags, ws._pending_history = opening.head, opening.tags, opening.history
        return ws

    # --- assessments ------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self.repo.root / self.assessments_dir

    def slugs(self) -> list[str]:
        return slugs_in(self.folder)

    def assessment_path(self, slug: str) -> str:
        return assessment_path(self.assessments_dir, slug)

    def items_prefix(self, slug: str) -> str:
        return items_prefix(self.assessments_dir, slug)

    def require_scope(self, slug: str) -> None:
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
                symlink_message("assessment"),
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
        started once: ``prefetch`` or ``opening`` may have started it already."""
        if folders is None and self._pending_history is not None:
            return self._pending_history
        tags = milestone_tags(self.tags(), self.slugs(), self.scope)
        pending = first_pass(
            self.repo,
            self.head(),
            tags,
            self.assessments_dir,
            self.scope,
            self.starts,
            folders,
            discover,
        )
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
        own += [sha for shas in self.trailer_bindings(slug).values() for sha in shas]
        if added is None or not own:
            return orphans, False
        after = self.descendants(added)
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

    def descendants(self, sha: str) -> frozenset[str]:
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
        if not self._reach:
            for at, commit in enumerate(self.commits()):
                reach = 1 << at
                for parent in commit.parents:
                    reach |= self._reach.get(parent, (0, 0))[1]
                self._reach[commit.sha] = (at, reach)
        if ancestor not in self._reach:
            return False
        return bool(self._reach.get(sha, (0, 0))[1] >> self._reach[ancestor][0] & 1)

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
        trailers = {name: self.trailer_bindings(name) for name, _ in sources}
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

    def trailer_bindings(self, slug: str) -> dict[str, list[str]]:
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

    def bound_milestones(self, slug: str) -> list[BoundMilestone]:
        return [s.bound for s in self.milestones(slug) if s.bound is not None]

    def head_milestone(self) -> BoundMilestone:
        head = self.head()
        commit = self.commit(head)
        return BoundMilestone(
            Milestone(HEAD_ID, HEAD_LABEL, commit.committer_date.date()), head, "head"
        )

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


def symlink_message(kind: str) -> str:
    # files (check and fmt's file walker) is imported only on this rare path.
    from piakit.files import symlink_message

    return symlink_message(kind)


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
