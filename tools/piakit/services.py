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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from piakit import documents
from piakit.changes import build_change_sheet
from piakit.compare import build_table
from piakit.errors import DocumentError, InputError, Location, PiakitError
from piakit.history import Repository
from piakit.model import (
    Assessment,
    BoundMilestone,
    ChangeSheet,
    Column,
    Commit,
    ComparisonTable,
    Item,
    Milestone,
    Reason,
)
from piakit.worktree import symlink_message

ASSESSMENTS_DIR = "assessments"
ASSESSMENT_FILE = "assessment.yaml"
ITEMS_DIR = "items"
#: The pseudo-milestone naming the newest commit (the working draft).
HEAD_ID = "HEAD"
HEAD_LABEL = "作業中の案 (HEAD)"
#: Commits made by the importer are dated at 09:00 Japan time on the milestone's day.
JST = dt.timezone(dt.timedelta(hours=9), "JST")

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

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
class ItemRevision:
    """One commit that changed one item's file: the item after it (``None``: deleted) and
    before it (``None``: added)."""

    commit: Commit
    item_id: str
    item: Item | None
    previous: Item | None


@dataclass
class Workspace:
    """An assessments repository, opened once per request."""

    repo: Repository
    assessments_dir: str = ASSESSMENTS_DIR
    #: One assessment's slug when the request is about it alone (a table): the history pass
    #: then lists only the changes to its files, and asking for another's is a bug.
    scope: str | None = None
    _head: str | None = field(default=None, init=False, repr=False)
    _commits: list[Commit] | None = field(default=None, init=False, repr=False)
    _by_sha: dict[str, Commit] = field(default_factory=dict, init=False, repr=False)
    _tags: dict[str, str] | None = field(default=None, init=False, repr=False)
    _assessments: dict[str, Assessment] = field(default_factory=dict, init=False, repr=False)
    _trees: dict[tuple[str, str], dict[str, str]] = field(
        default_factory=dict, init=False, repr=False
    )

    @classmethod
    def open(
        cls,
        path: Path | str = ".",
        assessments_dir: str = ASSESSMENTS_DIR,
        scope: str | None = None,
    ) -> Workspace:
        return cls(Repository.discover(path), assessments_dir, scope)

    # --- assessments ------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self.repo.root / self.assessments_dir

    def slugs(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.parent.name for p in self.folder.glob(f"*/{ASSESSMENT_FILE}"))

    def assessment_path(self, slug: str) -> str:
        return f"{self.assessments_dir}/{slug}/{ASSESSMENT_FILE}"

    def items_prefix(self, slug: str) -> str:
        return f"{self.assessments_dir}/{slug}/{ITEMS_DIR}/"

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
        Read in one ``git log`` pass and kept for the life of the workspace."""
        if self._commits is None:
            head = self.head()
            tagged = sorted({sha for name, sha in self.tags().items() if "/" in name} - {head})
            paths = [f"{self.assessments_dir}/{self.scope}/"] if self.scope else []
            self._commits = self.repo.log([head, *tagged], paths=paths)
            self._by_sha = {commit.sha: commit for commit in self._commits}
        return self._commits

    def commit(self, sha: str) -> Commit:
        self.commits()
        return self._by_sha[sha]

    def ancestors(self, sha: str) -> set[str]:
        """``sha`` and every commit reachable from it."""
        self.commits()
        seen: set[str] = set()
        stack = [sha]
        while stack:
            current = stack.pop()
            if current in seen or current not in self._by_sha:
                continue
            seen.add(current)
            stack.extend(self._by_sha[current].parents)
        return seen

    # --- milestones -------------------------------------------------------------------------

    def milestones(self, slug: str) -> list[MilestoneStatus]:
        """The declared milestones in order, each with its binding: a tag ``<slug>/<id>``
        wins over a ``Milestone: <slug>/<id>`` trailer (the newest such commit)."""
        assessment = self.assessment(slug)
        by_trailer: dict[str, str] = {}
        for commit in self.commits():
            for value in commit.milestone_trailers:
                if value.startswith(f"{slug}/"):
                    by_trailer[value[len(slug) + 1 :]] = commit.sha
        tags = self.tags()
        statuses = []
        for milestone in assessment.milestones:
            bound: BoundMilestone | None = None
            tag = tags.get(f"{slug}/{milestone.id}")
            if tag is not None:
                bound = BoundMilestone(milestone, tag, "tag")
            elif milestone.id in by_trailer:
                bound = BoundMilestone(milestone, by_trailer[milestone.id], "trailer")
            statuses.append(MilestoneStatus(milestone, bound))
        return statuses

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
            return [s.bound for s in statuses if s.bound is not None]
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
        return chosen

    # --- items ------------------------------------------------------------------------------

    def items_at(self, slug: str, commit: str) -> dict[str, Item]:
        """Every item of ``slug`` as it is at ``commit`` (id → Item)."""
        return self.items_at_many(slug, [commit])[0]

    def _folder_files(self, commits: Sequence[str], prefix: str) -> list[dict[str, str]]:
        """The files directly in ``prefix`` at each commit, listed once per workspace, those
        not listed yet all in one git process."""
        missing = [c for c in dict.fromkeys(commits) if (c, prefix) not in self._trees]
        for commit, files in zip(missing, self.repo.folder_files(missing, prefix), strict=True):
            self._trees[(commit, prefix)] = files
        return [self._trees[(commit, prefix)] for commit in commits]

    def items_at_many(
        self, slug: str, commits: Sequence[str], names: Sequence[str] = ()
    ) -> list[dict[str, Item]]:
        """Every item of ``slug`` at each commit. ``names``: the milestone of each commit, for
        the message when a version cannot be read."""
        prefix = self.items_prefix(slug)
        trees = self._folder_files(commits, prefix)
        wanted: dict[tuple[str, str], str] = {}
        for tree in trees:
            for path, blob in tree.items():
                item_id = _item_id(path, prefix)
                if item_id is not None and (blob, item_id) not in _ITEM_CACHE:
                    wanted[(blob, item_id)] = path
        if wanted:
            contents = self.repo.read_blobs(blob for blob, _ in wanted)
            for (blob, item_id), path in wanted.items():
                try:
                    item = documents.load_item(contents[blob], item_id, path)
                except DocumentError as exc:
                    at = next(i for i, tree in enumerate(trees) if tree.get(path) == blob)
                    name = names[at] if at < len(names) else None
                    problem = exc
                    if self._is_symlink(commits[at], path):
                        problem = DocumentError(Location(path, 1, 1), symlink_message("item"))
                    raise _unreadable_version(problem, slug, commits[at], name) from None
                _ITEM_CACHE[(blob, item_id)] = item
        versions = []
        for tree in trees:
            version = {}
            for path, blob in tree.items():
                item_id = _item_id(path, prefix)
                if item_id is not None:
                    version[item_id] = _ITEM_CACHE[(blob, item_id)]
            versions.append(version)
        return versions

    def _is_symlink(self, commit: str, path: str) -> bool:
        """Whether ``path`` is a symbolic link at ``commit`` (its blob is then the path it
        points to). Asked only to explain a version that cannot be read."""
        entry = self.repo.git("ls-tree", commit, "--", path, check=False)
        return entry.startswith(b"120000 ")

    def item_commits(self, slug: str, start: str | None, end: str) -> dict[str, list[Commit]]:
        """For each item, the commits after ``start`` up to ``end`` that changed its file, in
        commit order."""
        self._require_scope(slug)
        prefix = self.items_prefix(slug)
        in_range = self.ancestors(end) - (self.ancestors(start) if start else set())
        commits: dict[str, list[Commit]] = {}
        for commit in self.commits():
            if commit.sha not in in_range:
                continue
            for change in commit.changes:
                item_id = _item_id(change.path, prefix)
                if item_id is not None:
                    commits.setdefault(item_id, []).append(commit)
        return commits

    def item_reasons(self, slug: str, start: str | None, end: str) -> dict[str, list[Reason]]:
        """For each item, the reasons of the commits after ``start`` up to ``end`` that changed
        its file, in commit order."""
        return {
            item_id: [reason for commit in commits for reason in commit.reasons]
            for item_id, commits in self.item_commits(slug, start, end).items()
        }

    def histories(self, slug: str, until: str | None = None) -> dict[str, list[ItemRevision]]:
        """Every revision of every item of ``slug`` reachable from ``until`` (default HEAD),
        oldest first, keyed by item id. One log pass (shared) and one blob batch in all."""
        self._require_scope(slug)
        prefix = self.items_prefix(slug)
        reachable = self.ancestors(until or self.head())
        touched: list[tuple[Commit, str, str | None, str | None]] = []
        for commit in self.commits():
            if commit.sha not in reachable:
                continue
            for change in commit.changes:
                item_id = _item_id(change.path, prefix)
                if item_id is not None:
                    touched.append((commit, item_id, change.old_blob, change.new_blob))
        wanted = {
            (blob, item_id)
            for _, item_id, old, new in touched
            for blob in (old, new)
            if blob is not None and (blob, item_id) not in _ITEM_CACHE
        }
        # A version that cannot be read is shown as such rather than failing the request:
        # it may be an old mistake fixed long ago. A broken version at a milestone or HEAD
        # still fails, in items_at().
        unreadable: dict[tuple[str, str], Item] = {}
        if wanted:
            contents = self.repo.read_blobs(blob for blob, _ in wanted)
            for blob, item_id in wanted:
                where = f"{prefix}{item_id}.yaml@{blob[:7]}"
                try:
                    _ITEM_CACHE[(blob, item_id)] = documents.load_item(
                        contents[blob], item_id, where
                    )
                except DocumentError as exc:
                    unreadable[(blob, item_id)] = Item(
                        id=item_id,
                        path=(UNREADABLE_HEADING,),
                        text=f"{UNREADABLE_HEADING}: {exc.message}",
                    )

        def version(blob: str | None, item_id: str) -> Item | None:
            if blob is None:
                return None
            return _ITEM_CACHE.get((blob, item_id)) or unreadable[(blob, item_id)]

        revisions: dict[str, list[ItemRevision]] = {}
        for commit, item_id, old, new in touched:
            revisions.setdefault(item_id, []).append(
                ItemRevision(
                    commit=commit,
                    item_id=item_id,
                    item=version(new, item_id),
                    previous=version(old, item_id),
                )
            )
        return revisions

    # --- the table --------------------------------------------------------------------------

    def table(
        self, slug: str, milestone_ids: Sequence[str] | None = None, *, compare: bool = False
    ) -> ComparisonTable:
        """The comparison table of ``slug``. With ``compare`` (``piakit table``) one column is
        refused: a table compares two; the site shows a lone published document as is."""
        assessment = self.assessment(slug)
        chosen = self.select_milestones(slug, milestone_ids)
        if not chosen:
            planned = ", ".join(m.id for m in assessment.milestones) or "none declared"
            raise InputError(
                f"{slug} has no milestone bound to a commit yet (declared: {planned})",
                hint=f"bind one with a tag: git tag {slug}/<id> <commit>, or piakit milestone add",
            )
        if compare and len(chosen) == 1:
            raise _one_column(
                slug, chosen[0].milestone.id, self.bound_milestones(slug), given=bool(milestone_ids)
            )
        versions = self.items_at_many(
            slug, [b.commit for b in chosen], [b.milestone.id for b in chosen]
        )
        reasons = self.item_reasons(slug, chosen[0].commit, chosen[-1].commit)
        columns = [_column(b) for b in chosen]
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
                    hint=f"bind the published document first: git tag {slug}/current <commit>",
                )
            since = bound[0].milestone.id
        start, end = self.select_milestones(slug, [since, until or HEAD_ID])
        before, after = self.items_at_many(
            slug, [start.commit, end.commit], [start.milestone.id, end.milestone.id]
        )
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


def _column(bound: BoundMilestone) -> Column:
    return Column(
        id=bound.milestone.id,
        label=bound.milestone.label,
        commit=bound.commit,
        date=bound.milestone.date,
        source=bound.source,
    )


def _item_id(path: str, prefix: str) -> str | None:
    if not path.startswith(prefix) or not path.endswith(".yaml"):
        return None
    stem = path[len(prefix) : -len(".yaml")]
    return stem if "/" not in stem else None


# --- import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    slug: str
    commits: tuple[str, ...]
    milestones: tuple[str, ...]
    items: int
    warnings: tuple[str, ...]


def _commit_time(date: dt.date | None) -> dt.datetime | None:
    if date is None:
        return None
    return dt.datetime(date.year, date.month, date.day, 9, 0, tzinfo=JST)


def _message(subject: str, body: str, trailers: Iterable[tuple[str, str]]) -> str:
    parts = [subject.strip()]
    if body.strip():
        parts.append(body.strip())
    block = "\n".join(f"{key}: {' '.join(value.split())}" for key, value in trailers)
    if block:
        parts.append(block)
    return "\n\n".join(parts) + "\n"


def import_table(
    start: Path | str,
    source: Path,
    slug: str,
    *,
    title: str | None = None,
    organization: str | None = None,
    form: str | None = None,
    dates: dict[str, dt.date] | None = None,
    assessments_dir: str = ASSESSMENTS_DIR,
    encoding: str | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Turn a hand-kept comparison table into item files, commits, trailers and tags.
    ``encoding`` and ``sheet`` go to :func:`~piakit.importers.table.read_table`.

    Everything is read, parsed and planned before the first write. Then every object is
    written where nothing points at it yet, and one ref transaction makes the branch and the
    tags point at them (``HistoryWriter``): killed or failing at any moment, the repository
    is as it was before, or has the whole import."""
    from piakit.importers.table import plan_import, read_table

    if not SLUG_RE.match(slug):
        raise InputError(
            f"assessment name {slug!r} is not a valid slug",
            hint="use lower-case ASCII letters, digits, '.', '_' and '-', "
            "e.g. chiba-kokumin-nenkin",
        )
    repo = Repository.discover(start)
    if repo.git("rev-parse", "--is-shallow-repository").decode().strip() == "true":
        repo.require_history()  # raises with the shallow-clone hint
    folder = f"{assessments_dir}/{slug}"
    if (repo.root / folder).exists():
        raise InputError(
            f"{folder} already exists: importing would overwrite an assessment",
            hint="choose another --assessment name, or remove the folder in a commit of its own",
        )
    existing_tags = [name for name in repo.tags(f"{slug}/")]
    if existing_tags:
        raise InputError(
            f"tags of an assessment named {slug} exist already: {', '.join(existing_tags)}",
            hint="choose another --assessment name",
        )
    dirty = repo.is_clean([folder])
    if dirty:
        listed = "; ".join(entry for entry in dirty[:5])
        raise InputError(
            f"the work tree has uncommitted changes ({listed})",
            hint="commit or stash them first (git stash), "
            "so that the import's commits hold only the import",
        )

    table = read_table(source, encoding=encoding, sheet=sheet)
    plan = plan_import(
        table, slug, title=title, organization=organization, form=form, dates=dates or {}
    )

    assessment = plan.assessment
    if assessment.affair is None and plan.affair:
        assessment = replace(assessment, affair=plan.affair)
    made_tags: list[str] = []
    made_commits: list[str] = []
    with repo.writer(f"piakit import-table {source.name}") as writer:
        try:
            for index, planned in enumerate(plan.commits):
                files: dict[str, bytes | None] = {}
                if index == 0:
                    files[f"{folder}/{ASSESSMENT_FILE}"] = documents.dump_assessment(
                        assessment
                    ).encode("utf-8")
                for item_id, item in planned.writes:
                    files[f"{folder}/{ITEMS_DIR}/{item_id}.yaml"] = (
                        None if item is None else documents.dump_item(item).encode("utf-8")
                    )
                trailers: list[tuple[str, str]] = []
                for category, reasons in planned.reasons:
                    trailers.append(("Reason-Category", category))
                    trailers.extend(("Reason", reason) for reason in reasons)
                if planned.milestone:
                    trailers.append(("Milestone", planned.milestone))
                when = _commit_time(planned.date)
                sha = writer.commit(
                    files, _message(planned.subject, planned.body, trailers), date=when
                )
                made_commits.append(sha)
                if planned.milestone:
                    milestone = plan.assessment.milestone(planned.milestone.split("/", 1)[1])
                    label = milestone.label if milestone else planned.milestone
                    writer.tag(planned.milestone, sha, f"{label}\n", date=when)
                    made_tags.append(planned.milestone)
        except (PiakitError, OSError) as exc:
            raise PiakitError(
                f"import failed; nothing was changed ({exc})",
                hint="the branch, the tags, the index and the work tree are as they were; "
                "fix the cause and run the import again",
            ) from exc
        writer.publish(new_folder=folder)
    return ImportResult(
        slug=slug,
        commits=tuple(made_commits),
        milestones=tuple(made_tags),
        items=len({item_id for c in plan.commits for item_id, _ in c.writes}),
        warnings=plan.warnings,
    )
