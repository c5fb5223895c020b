"""The read model of the assessment cycle: an assessment's opinions (意見) as its files on disk
hold them, and the commits that resolve each (``Resolves: <slug>/<id>`` trailers).

The items an opinion touched are the items changed by the commits that resolve it. Nothing
here prints or renders; git is reached only through the ``Workspace``.
"""

from __future__ import annotations

from codecs import BOM_UTF8
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from piakit import checks, documents
from piakit.conventions import (
    ITEM_SUFFIX,
    OPINION_ID_RE,
    RESOLVES,
    opinions_prefix,
    split_opinion_path,
    split_resolves,
)
from piakit.errors import DocumentError, Location
from piakit.model import Commit, Opinion
from piakit.workspace import Workspace


def opinion_files(ws: Workspace, slug: str) -> list[str]:
    """The paths of ``slug``'s opinion files on disk, from the top of the work tree, sorted."""
    prefix = opinions_prefix(ws.assessments_dir, slug)
    folder = ws.repo.root / prefix
    if not folder.is_dir():
        return []
    return [f"{prefix}{path.name}" for path in sorted(folder.glob(f"*{ITEM_SUFFIX}"))]


def read_opinions(ws: Workspace, slug: str) -> list[Opinion]:
    """``slug``'s opinions on disk in the 意見対応表's order, (received, id). A file that
    cannot be read, whose name is no opinion id, or that ``piakit check`` refuses, fails with
    its path (and line)."""
    opinions = []
    files = opinion_files(ws, slug)
    sources = ws.assessment(slug).opinion_sources if files else ()
    for shown in files:
        path = ws.repo.root / shown
        opinion_id = path.name[: -len(ITEM_SUFFIX)]
        if not OPINION_ID_RE.match(opinion_id):
            raise DocumentError(
                Location(shown, 1, 1),
                f"{opinion_id!r} is no opinion id: lower-case ASCII letters, digits and inner "
                "hyphens (bukai-2020-07-01)",
                hint="rename the file; piakit check lists every such file",
            )
        if path.is_symlink():
            raise DocumentError(
                Location(shown, 1, 1),
                "an opinion file must be a file, not a symbolic link",
                hint="piakit check lists every such file",
            )
        data = path.read_bytes()
        _refuse_what_check_refuses(data, shown, opinion_id, sources)
        opinions.append(documents.load_opinion(data, opinion_id, shown))
    return sorted(opinions, key=Opinion.sort_key)


def _refuse_what_check_refuses(
    data: bytes, shown: str, opinion_id: str, sources: Sequence[str]
) -> None:
    """The first problem ``piakit check`` finds in an opinion file, as a DocumentError with
    its line: a command never shows an opinion that check refuses (a source the assessment
    does not know, a misspelt key whose text would vanish, a number where text belongs).
    A byte order mark is let be, as the item files' readers let it be (``fmt`` removes it)."""
    report = checks.check_opinion(data.removeprefix(BOM_UTF8), shown, opinion_id, sources)
    first = next((p for p in report.problems if not p.warning), None)
    if first is not None:
        raise DocumentError(
            first.location, first.message, hint="piakit check lists every problem with its line"
        )


def opinion_numbers(opinions: list[Opinion]) -> dict[str, int]:
    """Opinion id → its number in the 意見対応表: 1… in (received, id) order."""
    ordered = sorted(opinions, key=Opinion.sort_key)
    return {opinion.id: number for number, opinion in enumerate(ordered, 1)}


@dataclass(frozen=True)
class OpinionNames:
    """The names a commit's ``Resolves:`` trailers may give ``slug``'s opinions: the names its
    folder had before it was renamed, and the ids its opinion files had before they were
    renamed, each with the commits made before that rename (as tags and ``Milestone:``
    trailers bind milestones across a renamed folder)."""

    slug: str
    #: (old folder name, the commits up to its rename).
    folders: tuple[tuple[str, frozenset[str]], ...] = ()
    #: (old id, new id, the commits up to that rename), in history order.
    ids: tuple[tuple[str, str, frozenset[str]], ...] = ()

    def resolved_by(self, commit: Commit) -> list[str]:
        """The ids (as they are now) of ``slug``'s opinions that ``commit`` resolves, in
        trailer order, once each. A ``Resolves:`` value that is no ``<slug>/<id>`` is left
        out (``commits check`` names it)."""
        names = {self.slug, *(old for old, before in self.folders if commit.sha in before)}
        found: list[str] = []
        for value in commit.trailer_values(RESOLVES):
            parsed = split_resolves(value)
            if parsed is None or parsed[0] not in names:
                continue
            opinion_id = parsed[1]
            for old, new, before in self.ids:
                if opinion_id == old and commit.sha in before:
                    opinion_id = new
            if opinion_id not in found:
                found.append(opinion_id)
        return found


def opinion_names(ws: Workspace, slug: str) -> OpinionNames:
    """``slug``'s ``OpinionNames``, from the renames the history pass saw."""
    folders = tuple((old, ws.ancestors(at)) for old, at in ws.folder_renames(slug))
    names = {slug, *(old for old, _ in folders)}
    ids = []
    for commit in ws.commits():
        for change in commit.changes:
            if change.status != "R" or change.old_path is None:
                continue
            old = split_opinion_path(change.old_path, ws.assessments_dir)
            new = split_opinion_path(change.path, ws.assessments_dir)
            if old and new and old[0] in names and new[0] in names and old[1] != new[1]:
                ids.append((old[1], new[1], ws.ancestors(commit.sha)))
    return OpinionNames(slug, folders, tuple(ids))


def resolving_commits(ws: Workspace, slug: str) -> dict[str, list[Commit]]:
    """Opinion id → the commits (history order) reachable from HEAD or a milestone tag whose
    ``Resolves:`` trailers name it (``OpinionNames``: also by an old folder name or id)."""
    names = opinion_names(ws, slug)
    commits: dict[str, list[Commit]] = {}
    for commit in ws.commits():
        for opinion_id in names.resolved_by(commit):
            commits.setdefault(opinion_id, []).append(commit)
    return commits


def answering_commits(ws: Workspace, resolvers: Sequence[Commit]) -> list[Commit]:
    """The commits whose changes answer an opinion that ``resolvers`` resolve, in history
    order: each resolver, and for a merge (a pull request merged with ``Resolves:`` in the
    merge commit's message) every commit it brought in, those reachable from it and not from
    its first parent."""
    wanted = {commit.sha for commit in resolvers}
    for commit in resolvers:
        if commit.is_merge:
            wanted |= ws.ancestors(commit.sha) - ws.ancestors(commit.parents[0])
    return [commit for commit in ws.commits() if commit.sha in wanted]


def opinions_answered(
    ws: Workspace, slug: str, commits: Iterable[Commit], end: str
) -> dict[str, list[str]]:
    """Commit (of ``commits``) → the ids of ``slug``'s opinions it answers: those its own
    ``Resolves:`` trailers name, then those of each merge reachable from ``end`` that brought
    it in (``answering_commits``)."""
    names = opinion_names(ws, slug)
    answered = {commit.sha: names.resolved_by(commit) for commit in commits}
    for merge in ws.commits():
        found = names.resolved_by(merge) if merge.is_merge else []
        if not found or merge.sha not in ws.ancestors(end):
            continue
        for commit in answering_commits(ws, [merge]):
            if commit.sha in answered:
                answered[commit.sha] = [*answered[commit.sha], *found]
    return answered
