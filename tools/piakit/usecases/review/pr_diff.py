"""The PR diff: every item a pull request changes, with its old and new value, the reasons
of the commits that changed it, and what a reviewer must look at (``piakit diff``).

Items are compared between the merge base of BASE and HEAD as the table compares them
(``Workspace.versions``: keyed by their id at HEAD, through pure renames of their files and
of the assessment's folder); an item whose value is the same is no change. Warnings: commits
without valid reasons (``commits``' rule), a 重要な変更, a renumbered item, a renamed file, a
changed file that is no item (an opinion file is none of these). The opinions the PR's
commits resolve (``Resolves:``) and those still open in the assessments it touches. It returns
records and never prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from piakit.compare import distinct_reasons
from piakit.conventions import RESOLVES, split_item_path, split_opinion_path, split_resolves
from piakit.errors import GitError, InputError
from piakit.model import Commit, Opinion, full_title
from piakit.reports import ChangeStatus, ItemChange, OpinionMention, ReviewDiff, ReviewWarning
from piakit.resolutions import opinion_numbers, read_opinions
from piakit.usecases.review.commits import commits_report
from piakit.usecases.review.trailers import reason_rules
from piakit.versions import item_commits, versions_at
from piakit.workspace import Workspace


def review_diff(ws: Workspace, base: str, head: str | None = None) -> ReviewDiff:
    """What a pull request from ``base`` to ``head`` (default HEAD) changes in the items."""
    ws.head()  # a shallow clone or an empty history fails here with what to do
    repo = ws.repo
    head_rev = head or "HEAD"
    base_sha = _resolve(ws, base)
    head_sha = _resolve(ws, head_rev)
    if not (ws.has_commit(head_sha) and ws.has_commit(base_sha)):
        # A head (or base) that is not checked out: the history pass must start from it.
        ws = Workspace(repo, ws.assessments_dir, ws.scope, starts=(base_sha, head_sha))
    merge_base = repo.merge_base(base_sha, head_sha) or base_sha
    changes = repo.diff_raw(merge_base, head_sha, [ws.assessments_dir + "/"])
    commits = ws.log([head_sha], exclude=[base_sha])

    # The assessment each changed folder belongs to now (its folder may have been renamed).
    owners: dict[str, str] = {}
    for slug in ws.slugs():
        owners[slug] = slug
        for old, _ in ws.folder_renames(slug):
            owners.setdefault(old, slug)
    slugs: list[str] = []
    opinion_slugs: list[str] = []
    other_files: list[str] = []
    renamed: list[ReviewWarning] = []
    for change in changes:
        found = [
            split_item_path(p, ws.assessments_dir) for p in (change.path, change.old_path) if p
        ]
        opinions = [
            split_opinion_path(p, ws.assessments_dir) for p in (change.path, change.old_path) if p
        ]
        opinion_slugs.extend(owners.get(where[0], where[0]) for where in opinions if where)
        if not any(found) and not any(opinions):
            other_files.append(change.path)
        slugs.extend(owners.get(where[0], where[0]) for where in found if where)
        if len(found) == 2 and found[0] and found[1] and found[0][1] != found[1][1]:
            # A file renamed and edited: the table (and this diff) has a deletion and an
            # addition (pairing by similarity could fold two items into one), but the new id
            # is worth a look.
            slug = owners.get(found[0][0], found[0][0])
            rename = ReviewWarning("renamed", slug, found[0][1], detail=found[1][1])
            renamed.append(rename)

    item_changes: list[ItemChange] = []
    for slug in dict.fromkeys(slugs):
        item_changes += _slug_changes(ws, slug, merge_base, head_sha, renamed)
    item_changes.sort(key=_change_order)

    rules = reason_rules(ws)
    findings = commits_report(ws, f"{base}..{head_rev}", commits, rules).findings
    warnings: list[ReviewWarning] = [
        ReviewWarning("no-reasons", commit=f.commit, detail="; ".join(f.problems)) for f in findings
    ]
    for item_change in item_changes:
        if item_change.important:
            warnings.append(ReviewWarning("important", item_change.slug, item_change.item_id))
        if item_change.renumbered:
            warnings.append(ReviewWarning("renumbered", item_change.slug, item_change.item_id))
    warnings += list(dict.fromkeys(renamed))
    titles = {}
    for slug in dict.fromkeys(c.slug for c in item_changes):
        try:
            assessment = ws.assessment(slug)
        except InputError:
            continue
        titles[slug] = full_title(assessment.organization, assessment.title)
    resolved, still_open = _opinions(ws, commits, [*slugs, *opinion_slugs], owners)
    return ReviewDiff(
        base=base_sha,
        head=head_sha,
        base_rev=base,
        head_rev=head_rev,
        merge_base=merge_base,
        commits=tuple(commits),
        changes=tuple(item_changes),
        warnings=tuple(warnings),
        findings=tuple(findings),
        titles=titles,
        other_files=tuple(other_files),
        resolved=tuple(resolved),
        open_opinions=tuple(still_open),
    )


def _opinions(
    ws: Workspace,
    commits: Sequence[Commit],
    touched: Iterable[str],
    owners: Mapping[str, str],
) -> tuple[list[OpinionMention], list[OpinionMention]]:
    """The opinions ``commits`` resolve, and those still ``open`` in the assessments the PR
    touches (its items or opinion files changed, or a commit resolves one of its opinions).
    A ``Resolves:`` naming a folder's old name (``owners``: folder → the assessment it is now)
    names that assessment's opinion. Read from the opinion files on disk; one that cannot be
    read fails with its path."""
    named: dict[tuple[str, str], list[Commit]] = {}
    for commit in commits:
        for value in commit.trailer_values(RESOLVES):
            parsed = split_resolves(value)
            if parsed is None:
                continue
            key = (owners.get(parsed[0], parsed[0]), parsed[1])
            if commit not in named.setdefault(key, []):
                named[key].append(commit)
    slugs = list(dict.fromkeys([*touched, *(slug for slug, _ in named)]))
    records: dict[str, dict[str, Opinion]] = {}
    numbers: dict[str, dict[str, int]] = {}
    for slug in slugs:
        opinions = read_opinions(ws, slug)
        records[slug] = {opinion.id: opinion for opinion in opinions}
        numbers[slug] = opinion_numbers(opinions)
    resolved = [
        OpinionMention(
            slug,
            opinion_id,
            records[slug].get(opinion_id),
            numbers[slug].get(opinion_id),
            tuple(resolving),
        )
        for (slug, opinion_id), resolving in named.items()
    ]
    resolved.sort(
        key=lambda m: (slugs.index(m.slug), m.number is None, m.number or 0, m.opinion_id)
    )
    still_open = [
        OpinionMention(slug, opinion.id, opinion, numbers[slug][opinion.id])
        for slug in slugs
        for opinion in records[slug].values()
        if opinion.outcome == "open"
    ]
    still_open.sort(key=lambda m: (slugs.index(m.slug), m.number or 0))
    return resolved, still_open


def _slug_changes(
    ws: Workspace, slug: str, merge_base: str, head: str, renamed: list[ReviewWarning]
) -> list[ItemChange]:
    """The items of ``slug`` whose value differs between ``merge_base`` and ``head``, keyed
    as the table keys them (``Workspace.versions``: by the id at ``head``, through pure
    renames of their files and of the folder), with the reasons of the commits that changed
    them (``Workspace.item_commits``). A renamed file is added to ``renamed``, changed or not."""
    before, after = versions_at(ws, slug, [merge_base, head], changed_only=True)
    commits = item_commits(ws, slug, merge_base, head)
    folder = ws.items_prefix(slug)
    found = []
    for item_id in sorted(set(before) | set(after)):
        old, new = before.get(item_id), after.get(item_id)
        old_id = old.id if old is not None and old.id != item_id else None
        if old_id is not None:
            renamed.append(ReviewWarning("renamed", slug, item_id, detail=old_id))
        if (old.plain() if old else None) == (new.plain() if new else None):
            continue  # the table's rule: no row where the value is the same
        status: ChangeStatus
        if old is None:
            status = "added"
        elif new is None:
            status = "deleted"
        elif old_id is not None:
            status = "renamed"
        else:
            status = "modified"
        found.append(
            ItemChange(
                slug=slug,
                item_id=item_id,
                file=f"{folder}{item_id}.yaml",
                old_file=f"{folder}{old_id}.yaml" if old_id else None,
                status=status,
                old=old,
                new=new,
                reasons=distinct_reasons(
                    [reason for commit in commits.get(item_id, []) for reason in commit.reasons]
                ),
            )
        )
    return found


def _resolve(ws: Workspace, rev: str) -> str:
    sha = ws.repo.resolve(rev)
    if sha is None:
        raise GitError(
            f"unknown revision {rev!r}",
            hint="name a commit, branch or tag that exists here, e.g. origin/main; a branch of "
            "the remote may need fetching first: git fetch origin",
        )
    return sha


def _change_order(change: ItemChange) -> tuple[object, ...]:
    item = change.new or change.old
    key = item.sort_key() if item else (0, 0, (), change.item_id)
    return (change.slug, key)
