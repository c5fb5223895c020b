"""One item's log: its revisions, newest first, following renames of its file (``piakit log``).

An item is named by ``slug/id``, its id alone, or its file's path. Its history is the
``Workspace``'s (``histories``); a file renamed with edits is followed when the deletion and
the addition in one commit have the same contents or are similar enough (git's ``-M``
default). A commit that leaves the item's value as it was (a comment, a reformat) is no
revision and is not listed. It returns records and never prints.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from pathlib import Path

from piakit.checks import did_you_mean
from piakit.conventions import split_item_path
from piakit.errors import InputError
from piakit.reports import ItemLog, LogEntry
from piakit.versions import ItemRevision, item_histories, revision_value
from piakit.workspace import Workspace

#: A rename without the same contents is followed when the texts are at least this similar
#: (git's own default for ``-M``).
RENAME_SIMILARITY = 0.5


def item_log(ws: Workspace, spec: str, cwd: Path | None = None) -> ItemLog:
    """The revisions of the item ``spec`` names (``slug/id``, an id, or its file's path),
    newest first, through renames of its file."""
    slug, item_id = _find_item(ws, spec, cwd or Path.cwd())
    histories = item_histories(ws, slug)
    bound: dict[str, list[str]] = {}
    for status in ws.milestones(slug):
        if status.bound is not None:
            bound.setdefault(status.bound.commit, []).append(status.milestone.id)
    by_commit: dict[str, list[ItemRevision]] = {}
    for revisions in histories.values():
        for revision in revisions:
            by_commit.setdefault(revision.commit.sha, []).append(revision)

    entries: list[LogEntry] = []
    current_id = item_id
    if item_id not in histories:
        # An id that a pure rename gave up: its history goes on under the new id.
        current_id = next(
            (
                key
                for key, found in histories.items()
                if any(item_id in (r.item_id, r.renamed_from) for r in found)
            ),
            item_id,
        )
    revisions = list(histories.get(current_id, []))
    seen: set[tuple[str, str]] = set()
    while revisions:
        oldest = revisions[0]
        renamed = None
        if oldest.previous is None and oldest.item is not None:
            renamed = _rename_source(oldest, by_commit.get(oldest.commit.sha, []))
        for revision in reversed(revisions[1:] if renamed else revisions):
            if _revises(revision):
                entries.append(_entry(revision, bound))
        if renamed is None or (renamed.item_id, oldest.commit.sha) in seen:
            break
        seen.add((renamed.item_id, oldest.commit.sha))
        entries.append(
            LogEntry(
                commit=oldest.commit,
                item_id=current_id,
                old=renamed.previous,
                new=oldest.item,
                renamed_from=renamed.item_id,
                milestones=tuple(bound.get(oldest.commit.sha, ())),
            )
        )
        earlier = histories.get(renamed.item_id, [])
        cut = next(i for i, r in enumerate(earlier) if r is renamed)
        revisions = earlier[:cut]
        current_id = renamed.item_id
    newest = entries[0].item_id if entries else item_id
    return ItemLog(slug, newest, f"{ws.items_prefix(slug)}{newest}.yaml", tuple(entries))


def _revises(revision: ItemRevision) -> bool:
    """Whether a commit revised the item: a comment, a reformat or new line endings that
    leave its ``revision_value`` as it was are no revision (``piakit commits check`` asks
    no reasons for them), and the log does not list them."""
    if revision.item is None or revision.previous is None or revision.renamed_from:
        return True
    return revision_value(revision.item) != revision_value(revision.previous)


def _entry(revision: ItemRevision, bound: Mapping[str, list[str]]) -> LogEntry:
    return LogEntry(
        commit=revision.commit,
        item_id=revision.item_id,
        old=revision.previous,
        new=revision.item,
        renamed_from=revision.renamed_from,
        milestones=tuple(bound.get(revision.commit.sha, ())),
    )


def _rename_source(added: ItemRevision, same_commit: Sequence[ItemRevision]) -> ItemRevision | None:
    """The deletion in the same commit that ``added`` continues: the same contents, or the
    one similar enough when the commit deletes and adds one item each."""
    assert added.item is not None
    deleted = [
        r
        for r in same_commit
        if r.item is None and r.previous is not None and r.item_id != added.item_id
    ]
    for revision in deleted:
        assert revision.previous is not None
        if dataclasses.replace(revision.previous, id=added.item_id) == added.item:
            return revision
    additions = [r for r in same_commit if r.previous is None and r.item is not None]
    if len(deleted) == 1 and len(additions) == 1:
        previous = deleted[0].previous
        assert previous is not None
        if previous.path == added.item.path:
            return deleted[0]
        ratio = SequenceMatcher(None, previous.plain(), added.item.plain(), autojunk=False).ratio()
        if ratio >= RENAME_SIMILARITY:
            return deleted[0]
    return None


def _find_item(ws: Workspace, spec: str, cwd: Path) -> tuple[str, str]:
    """(slug, id) of the item that ``spec`` names."""
    prefix = ws.assessments_dir + "/"
    if spec.endswith((".yaml", ".yml")):
        path = Path(spec)
        absolute = path if path.is_absolute() else cwd / path
        try:
            relative = absolute.resolve().relative_to(ws.repo.root.resolve()).as_posix()
        except ValueError:
            relative = spec
        where = split_item_path(relative, ws.assessments_dir)
        if where is None:
            raise InputError(
                f"{spec} is not an item file of this repository",
                hint=f"name an item as <slug>/<id>, its id, or {prefix}<slug>/items/<id>.yaml",
            )
        return where
    slugs = ws.slugs()
    if "/" in spec:
        slug, _, item_id = spec.partition("/")
        if slug not in slugs:
            raise InputError(
                f"unknown assessment {slug!r}",
                hint=f"known assessments: {', '.join(slugs) or 'none'}",
            )
        candidates = [(slug, item_id)] if _item_exists(ws, slug, item_id) else []
        known = _known_ids(ws, [slug])
    else:
        candidates = [(slug, spec) for slug in slugs if _item_exists(ws, slug, spec)]
        known = _known_ids(ws, slugs)
    if len(candidates) > 1:
        raise InputError(
            f"several assessments have an item {spec!r}",
            hint="name one: " + ", ".join(f"{s}/{i}" for s, i in candidates),
        )
    if not candidates:
        item_id = spec.rpartition("/")[2]
        raise InputError(
            f"no item {spec!r} in the current files or the history"
            + did_you_mean(item_id, [i for _, i in known]),
            hint="name an item by its id (its file name without .yaml), as <slug>/<id>, or by "
            "its file's path",
        )
    return candidates[0]


def _item_exists(ws: Workspace, slug: str, item_id: str) -> bool:
    if (ws.repo.root / f"{ws.items_prefix(slug)}{item_id}.yaml").is_file():
        return True
    histories = item_histories(ws, slug)
    return item_id in histories or any(
        item_id in (r.item_id, r.renamed_from) for found in histories.values() for r in found
    )


def _known_ids(ws: Workspace, slugs: Sequence[str]) -> list[tuple[str, str]]:
    known: list[tuple[str, str]] = []
    for slug in slugs:
        folder = ws.repo.root / ws.items_prefix(slug)
        ids = {p.stem for p in folder.glob("*.yaml")} | set(item_histories(ws, slug))
        known.extend((slug, item_id) for item_id in sorted(ids))
    return known
