"""``piakit opinions`` and the site's opinions page: the 意見対応表 of one assessment, each
opinion (意見) with its number, what the city thinks (市の考え方), what became of it, and the
items that the commits resolving it changed.

Reads the opinions on disk and the ``Resolves:`` trailers (``resolutions``) and the item
files those commits revised (``versions``: a pure rename or a reformatting is no revision;
items are named by their id at HEAD, through renames of their files). Never prints; never
renders.
"""

from __future__ import annotations

from collections.abc import Mapping

from piakit.errors import InputError
from piakit.model import Commit, Item
from piakit.render.opinions import renderer
from piakit.reports import OpinionEntry, OpinionItem, OpinionsTable
from piakit.resolutions import (
    answering_commits,
    opinion_numbers,
    read_opinions,
    resolving_commits,
)
from piakit.versions import Touch, items_at, keyed_touches, load_versions, revising_touches
from piakit.workspace import Workspace


def opinions_file(ws: Workspace, slug: str, source: str | None, fmt: str) -> bytes:
    """``piakit opinions``: the 意見対応表 written in ``fmt`` (``render.opinions.FORMATS``).
    The format is checked before anything is read."""
    write = renderer(fmt)
    return write(opinions_table(ws, slug, source))


def opinions_table(ws: Workspace, slug: str, source: str | None = None) -> OpinionsTable:
    """The 意見対応表 of ``slug``: every opinion numbered 1… in (received, id) order, then
    those of ``source`` kept when it is given (their numbers stay). A source that
    ``opinion_sources`` does not name, or an opinion file that cannot be read, is refused."""
    assessment = ws.assessment(slug)
    if source is not None and source not in assessment.opinion_sources:
        known = ", ".join(assessment.opinion_sources)
        raise InputError(
            f"{slug} has no opinion source {source!r}",
            hint=f"its sources (opinion_sources in assessment.yaml): {known}",
        )
    opinions = read_opinions(ws, slug)
    numbers = opinion_numbers(opinions)
    resolving = resolving_commits(ws, slug) if opinions else {}
    touched = _touched_items(ws, slug, resolving)
    entries = tuple(
        OpinionEntry(
            opinion=opinion,
            number=numbers[opinion.id],
            items=touched.get(opinion.id, ()),
            commits=tuple(resolving.get(opinion.id, ())),
        )
        for opinion in opinions
        if source is None or opinion.source == source
    )
    return OpinionsTable(
        assessment=slug,
        title=assessment.title,
        entries=entries,
        organization=assessment.organization,
        source=source,
    )


def _touched_items(
    ws: Workspace, slug: str, resolving: Mapping[str, list[Commit]]
) -> dict[str, tuple[OpinionItem, ...]]:
    """Opinion id → the items its resolving commits revised, in the document's order, each
    with those commits. Items are named by their id at HEAD; an item deleted since keeps
    the id and headings of its last version."""
    if not resolving:
        return {}
    # A merge resolves through the commits it brought in.
    answering = {key: answering_commits(ws, resolvers) for key, resolvers in resolving.items()}
    wanted = {commit.sha for commits in answering.values() for commit in commits}
    commits = [commit for commit in ws.commits() if commit.sha in wanted]
    revising = {
        (commit.sha, touch.item_id, touch.old_blob, touch.new_blob)
        for commit, touch in revising_touches(ws, slug, commits)
    }
    head = ws.head()
    # Item id at HEAD → the commits that revised it, and its newest touch.
    revised: dict[str, list[str]] = {}
    newest: dict[str, Touch] = {}
    for commit, key, touch in keyed_touches(ws, slug, commits, head):
        if (commit.sha, touch.item_id, touch.old_blob, touch.new_blob) not in revising:
            continue
        shas = revised.setdefault(key, [])
        if commit.sha not in shas:
            shas.append(commit.sha)
        newest[key] = touch
    items = _items_named(ws, slug, head, newest)
    touched: dict[str, tuple[OpinionItem, ...]] = {}
    for opinion_id, answers in answering.items():
        mine = {commit.sha for commit in answers}
        found = [
            OpinionItem(
                item=key,
                path=items[key].path,
                commits=tuple(sha for sha in shas if sha in mine),
            )
            for key, shas in revised.items()
            if mine.intersection(shas)
        ]
        found.sort(key=lambda entry: items[entry.item].sort_key())
        touched[opinion_id] = tuple(found)
    return touched


def _items_named(
    ws: Workspace, slug: str, head: str, newest: Mapping[str, Touch]
) -> dict[str, Item]:
    """Each revised item as HEAD has it, or, when HEAD has it no more, its last version
    (a version that cannot be read stands as its id)."""
    at_head = items_at(ws, slug, [head])[0]
    gone = {
        key: (touch.new_blob or touch.old_blob, touch.item_id)
        for key, touch in newest.items()
        if key not in at_head and (touch.new_blob or touch.old_blob)
    }
    load_versions(
        ws, {(blob, item_id): f"{item_id}.yaml" for blob, item_id in gone.values() if blob}
    )
    items: dict[str, Item] = {}
    for key in newest:
        if key in at_head:
            items[key] = at_head[key]
            continue
        blob, item_id = gone.get(key, (None, key))
        last = ws.cache.items.get((blob, item_id)) if blob else None
        items[key] = last if last is not None else Item(id=key, path=(key,))
    return items
