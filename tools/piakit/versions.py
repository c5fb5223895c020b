"""Item versions read from the history: an assessment's items at given commits, the commits
and reasons that revised each item, and each item's history through renames of its file.

Functions over a ``Workspace``: they read trees and blobs in batches through it and keep
what they parse in its ``ItemCache`` (each version of a file parsed once per workspace).
A pure rename (``git mv``) is followed, never counted as a revision. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from piakit import documents
from piakit.conventions import item_id_under
from piakit.errors import DocumentError, Location
from piakit.model import Commit, Item, Reason
from piakit.workspace import HEAD_ID, Workspace, symlink_message

#: Heading and text that stand for a version of an item file that cannot be read.
UNREADABLE_HEADING = "(読み込めない版)"


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


def items_at(
    ws: Workspace,
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
    prefixes = ws.items_prefixes(slug)
    listings = _folders_files(ws, [(c, p) for c in commits for p in prefixes])
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
            if item_id is not None and (blob, item_id) not in ws.cache.items:
                wanted[(blob, item_id)] = path
    for (blob, item_id), exc in load_versions(ws, wanted).items():
        path = wanted[(blob, item_id)]
        at = next(i for i, (_, tree) in enumerate(trees) if tree.get(path) == blob)
        name = names[at] if at < len(names) else None
        problem = exc
        if _is_symlink(ws, commits[at], path):
            problem = DocumentError(Location(path, 1, 1), symlink_message("item"))
        raise _unreadable_version(problem, slug, commits[at], name)
    versions = []
    for prefix, tree in trees:
        version = {}
        for path, blob in tree.items():
            item_id = item_id_under(path, prefix)
            if item_id is not None:
                version[item_id] = ws.cache.items[(blob, item_id)]
        versions.append(version)
    return versions


def _is_symlink(ws: Workspace, commit: str, path: str) -> bool:
    """Whether ``path`` is a symbolic link at ``commit`` (its blob is then the path it
    points to). Asked only to explain a version that cannot be read."""
    entry = ws.repo.git("ls-tree", commit, "--", path, check=False)
    return entry.startswith(b"120000 ")


def load_versions(
    ws: Workspace, wanted: Mapping[tuple[str, str], str]
) -> dict[tuple[str, str], DocumentError]:
    """Parse the versions (blob id, item id) → the path to name them by that are not
    parsed yet, into the item cache, from one blob batch. Returns the ones that cannot be
    read, each with its error; what to do with them is the caller's rule."""
    missing = [key for key in wanted if key not in ws.cache.items]
    contents = ws.repo.read_blobs(blob for blob, _ in missing)
    failed: dict[tuple[str, str], DocumentError] = {}
    for blob, item_id in missing:
        try:
            ws.cache.items[(blob, item_id)] = documents.load_item(
                contents[blob], item_id, wanted[(blob, item_id)]
            )
        except DocumentError as exc:
            failed[(blob, item_id)] = exc
    return failed


def _folders_files(ws: Workspace, requests: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    """The files directly in each (commit, folder), listed once per workspace, those not
    listed yet all in one git process."""
    missing = [r for r in dict.fromkeys(requests) if r not in ws.cache.trees]
    for request, files in zip(missing, ws.repo.folders_files(missing), strict=True):
        ws.cache.trees[request] = files
    return [ws.cache.trees[request] for request in requests]


def versions_at(
    ws: Workspace,
    slug: str,
    commits: Sequence[str],
    names: Sequence[str] = (),
    *,
    changed_only: bool = False,
) -> list[dict[str, Item]]:
    """``items_at_many``, each item keyed by the id its file has at the last commit: an
    item file renamed (``git mv``, text unchanged) between two of the commits is one item,
    not a deletion and an addition."""
    raw = items_at(ws, slug, commits, names, changed_only=changed_only)
    if not commits:
        return raw
    renames = item_renames(ws, slug)
    keyed = []
    for commit, version in zip(commits, raw, strict=True):
        later = [
            r
            for r in renames
            if ws.descends(commits[-1], r.commit) and not ws.descends(commit, r.commit)
        ]
        keyed.append(_rekey(version, later))
    return keyed


def item_renames(ws: Workspace, slug: str) -> list[ItemRename]:
    """Every pure rename of one of ``slug``'s item files to another id, in history
    order. Renames with edits are not followed: git pairs files by similarity, and
    pairing two different items would hide a deletion, so they stay a deletion and an
    addition."""
    prefixes = ws.items_prefixes(slug)
    renames = []
    for commit in ws.commits():
        for change in commit.changes:
            if not change.is_pure_rename or change.old_path is None:
                continue
            new, old = _item_key(change.path, prefixes), _item_key(change.old_path, prefixes)
            if new is not None and old is not None and new != old:
                renames.append(ItemRename(commit.sha, old, new))
    return renames


def item_touches(ws: Workspace, slug: str, commit: Commit) -> list[Touch]:
    """What ``commit`` did to ``slug``'s item files, one entry per item id."""
    prefixes = ws.items_prefixes(slug)
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


def keyed_touches(
    ws: Workspace, slug: str, commits: Sequence[Commit], until: str
) -> list[tuple[Commit, str, Touch]]:
    """Each touch of ``commits`` (in history order, all reachable from ``until``) with
    the id its item has at ``until``, following the renames that came after it."""
    renames = [r for r in item_renames(ws, slug) if r.commit in ws.ancestors(until)]
    # A rename applies to every commit that does not descend from it: those before it
    # and those on a branch beside it, whose edits a merge carries into the new file.
    after = {r.commit: ws.descendants(r.commit) for r in renames}
    keyed = []
    for commit in commits:
        later = [r for r in renames if commit.sha not in after[r.commit]]
        for touch in item_touches(ws, slug, commit):
            keyed.append((commit, _follow(touch.item_id, later), touch))
    return keyed


def item_commits(ws: Workspace, slug: str, start: str | None, end: str) -> dict[str, list[Commit]]:
    """For each item (by its id at ``end``), the commits after ``start`` up to ``end``
    that revised it (a pure rename is no revision), in commit order."""
    ws.require_scope(slug)
    in_range = ws.ancestors(end) - (ws.ancestors(start) if start else set())
    commits: dict[str, list[Commit]] = {}
    chosen = [c for c in ws.commits() if c.sha in in_range]
    for commit, item_id, touch in keyed_touches(ws, slug, chosen, end):
        if touch.renamed_from is not None:
            continue
        revised = commits.setdefault(item_id, [])
        if commit not in revised:
            revised.append(commit)
    return commits


def revising_touches(
    ws: Workspace, slug: str, commits: Sequence[Commit]
) -> list[tuple[Commit, Touch]]:
    """The touches of ``commits`` to ``slug``'s item files that revise an item
    (``revision_value`` differs, or it is added or deleted). A pure rename, and an edit
    that leaves the parsed item as it was (a comment, ``piakit fmt``'s reformatting, line
    endings), is none. The changed files' blobs are read in one batch."""
    touches = [
        (commit, touch)
        for commit in commits
        for touch in item_touches(ws, slug, commit)
        if touch.renamed_from is None
    ]
    same = unrevised(
        ws,
        (
            (touch.old_blob, touch.new_blob, touch.item_id)
            for _, touch in touches
            if touch.old_blob is not None and touch.new_blob is not None
        ),
    )
    return [
        (commit, touch)
        for commit, touch in touches
        if (touch.old_blob, touch.new_blob, touch.item_id) not in same
    ]


def unrevised(
    ws: Workspace, edits: Iterable[tuple[str | None, str | None, str]]
) -> set[tuple[str | None, str | None, str]]:
    """The edits (old blob, new blob, item id) after which the item's
    ``revision_value`` is what it was. A version that cannot be read counts as a
    revision. One blob batch for the versions not parsed yet."""
    edits = [e for e in dict.fromkeys(edits) if e[0] is not None and e[1] is not None]
    unreadable = load_versions(
        ws,
        {
            (blob, item_id): f"{item_id}.yaml@{blob[:7]}"
            for old, new, item_id in edits
            for blob in (old, new)
            if blob is not None
        },
    )
    same: set[tuple[str | None, str | None, str]] = set()
    for old, new, item_id in edits:
        if old is None or new is None or {(old, item_id), (new, item_id)} & unreadable.keys():
            continue
        before, after = ws.cache.items[(old, item_id)], ws.cache.items[(new, item_id)]
        if revision_value(before) == revision_value(after):
            same.add((old, new, item_id))
    return same


def item_reasons(ws: Workspace, slug: str, start: str | None, end: str) -> dict[str, list[Reason]]:
    """For each item, the reasons of the commits after ``start`` up to ``end`` that changed
    its file, in commit order."""
    return {
        item_id: [reason for commit in commits for reason in commit.reasons]
        for item_id, commits in item_commits(ws, slug, start, end).items()
    }


def item_histories(
    ws: Workspace, slug: str, until: str | None = None
) -> dict[str, list[ItemRevision]]:
    """Every revision of every item of ``slug`` reachable from ``until`` (default HEAD),
    oldest first, keyed by the item's id at ``until`` (through renames of its file). One
    log pass (shared) and one blob batch in all."""
    ws.require_scope(slug)
    until = until or ws.head()
    reachable = ws.ancestors(until)
    touched = keyed_touches(ws, slug, [c for c in ws.commits() if c.sha in reachable], until)
    prefix = ws.items_prefix(slug)
    failed = load_versions(
        ws,
        {
            (blob, item_id): f"{prefix}{item_id}.yaml@{blob[:7]}"
            for _, _, touch in touched
            for blob, item_id in (
                (touch.old_blob, touch.renamed_from or touch.item_id),
                (touch.new_blob, touch.item_id),
            )
            if blob is not None
        },
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
        return ws.cache.items.get((blob, item_id)) or unreadable[(blob, item_id)]

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


def last_change(ws: Workspace, slug: str, until: str | None = None) -> Commit | None:
    """The newest commit reachable from ``until`` (default HEAD) that changed a file in
    ``slug``'s folder (its items or its ``assessment.yaml``, under any name the folder had):
    what the working draft is as of, whatever commits to other files came after it. Read from
    the history pass already made; no git."""
    until = until or ws.head()
    folders = (slug, *(old for old, _ in ws.folder_renames(slug)))
    prefixes = tuple(f"{ws.assessments_dir}/{folder}/" for folder in folders)
    reachable = ws.ancestors(until)
    for commit in reversed(ws.commits()):
        if commit.sha in reachable and any(
            change.path.startswith(prefixes)
            or (change.old_path is not None and change.old_path.startswith(prefixes))
            for change in commit.changes
        ):
            return commit
    return None
