"""Reading one assessment from the ``Workspace`` into an ``AssessmentData``: milestones and
their commits, the comparison table, the items at the newest milestone and at HEAD, every
item's revisions (one history pass shared by all of them), 別添3 and the downloads, rendered.

The only part of the site that calls the workspace. It never writes HTML or files; an
assessment or item name that cannot become a URL stops the build here.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import replace

from piakit.bindings import select_milestones
from piakit.conventions import NAME_RE
from piakit.errors import InputError
from piakit.model import BoundMilestone, ChangeSheet, ComparisonTable, Item, Reason
from piakit.render import FORMATS, render
from piakit.render.sheet import render_changes
from piakit.reports import OpinionsTable
from piakit.resolutions import opinion_files
from piakit.usecases.opinions import opinions_table
from piakit.usecases.sheet import change_sheet
from piakit.usecases.status import assessment_status
from piakit.usecases.table import comparison_table
from piakit.versions import item_histories, item_reasons, items_at, last_change, versions_at
from piakit.website.html import plain_value
from piakit.website.records import AssessmentData, SiteOptions
from piakit.workspace import Workspace

#: The downloads the 別添3 page offers.
CHANGE_DOWNLOAD_FORMATS: tuple[str, ...] = ("csv", "xlsx")


# Item ids and assessment slugs become folders of the site: the name rule (docs/format.md),
# checked again here because a file name in git is not validated by anything before it
# reaches a URL.
def _check_name(kind: str, name: str, where: str) -> None:
    if not NAME_RE.match(name):
        raise InputError(
            f"{where}: the {kind} {name!r} cannot be published: it must be lower-case ASCII "
            "letters, digits, '.', '_' and '-', starting with a letter or digit",
            hint=f"rename it in a commit of its own (git mv); piakit check lists every such {kind}",
        )


def gather(workspace: Workspace, slug: str, options: SiteOptions) -> AssessmentData:
    """Read what the pages of ``slug`` need. Every call here reuses the workspace's single
    history pass; the number of git processes does not depend on the number of items."""
    _check_name("assessment name", slug, f"{workspace.assessments_dir}/{slug}")
    assessment = workspace.assessment(slug)
    statuses = tuple(workspace.milestones(slug))
    bound = [s.bound for s in statuses if s.bound is not None]
    published = bound[-1] if bound else None
    head = _draft(workspace, slug) if options.show_draft else None

    commits = [c for c in (*bound, head) if c is not None]
    table: ComparisonTable | None = None
    if bound or options.milestones.get(slug):
        chosen = list(options.milestones.get(slug, ())) or None
        # Every version the pages show (the table's columns, the document, the draft) read in
        # one batch: the table alone would read only the files that change between columns.
        columns = select_milestones(workspace, slug, chosen)
        items_at(workspace, slug, [c.commit for c in (*columns, *commits)])
        table = comparison_table(workspace, slug, chosen)

    versions = versions_at(workspace, slug, [c.commit for c in commits])
    by_milestone = {b.milestone.id: v for b, v in zip(bound, versions[: len(bound)], strict=True)}
    document: Mapping[str, Item] = versions[len(bound) - 1] if published is not None else {}
    draft: Mapping[str, Item] = versions[-1] if head is not None else {}
    draft_reasons: Mapping[str, Sequence[Reason]] = {}
    if head is not None and published is not None and head.commit != published.commit:
        draft_reasons = item_reasons(workspace, slug, published.commit, head.commit)

    if head is not None:
        histories = item_histories(workspace, slug)
    elif published is not None:
        histories = item_histories(workspace, slug, published.commit)
    else:
        histories = {}
    prefix = workspace.items_prefix(slug)
    for item_id in histories:
        _check_name("item id", item_id, f"{prefix}{item_id}.yaml")

    included_in: dict[str, str] = {}
    for milestone in bound:
        for sha in workspace.ancestors(milestone.commit):
            included_in.setdefault(sha, milestone.milestone.label)

    downloads: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    if table is not None:
        for fmt in (*options.downloads, "html"):
            data = _render_download(table, fmt)
            if data is None:
                skipped.append(fmt)
            else:
                downloads.append((fmt, data))

    changes: ChangeSheet | None = None
    change_downloads: list[tuple[str, bytes]] = []
    last = head or published
    if bound and last is not None:
        changes = change_sheet(workspace, slug, bound[0].milestone.id, last.milestone.id)
        for fmt in CHANGE_DOWNLOAD_FORMATS:
            try:
                change_downloads.append((fmt, render_changes(changes, fmt)))
            except ImportError:
                continue

    return AssessmentData(
        slug=slug,
        title=assessment.title,
        organization=assessment.organization,
        form=assessment.form,
        affair=assessment.affair,
        statuses=statuses,
        published=published,
        head=head,
        table=table,
        document=document,
        draft=draft,
        draft_reasons=draft_reasons,
        histories=histories,
        included_in=included_in,
        draft_changed=_draft_changes(document, draft) if head and published else frozenset(),
        downloads=tuple(downloads),
        skipped_downloads=tuple(skipped),
        changes=changes,
        change_downloads=tuple(change_downloads),
        versions=by_milestone,
        opinions=_opinions(workspace, slug),
        changed_since_published=(
            head is not None
            and published is not None
            and not workspace.descends(published.commit, head.commit)
        ),
        status=assessment_status(workspace, slug, options.today or dt.date.today()),
    )


def _opinions(workspace: Workspace, slug: str) -> OpinionsTable | None:
    """The 意見と対応 of ``slug`` (the 意見対応表 of ``piakit opinions``), or ``None`` when it
    has no opinion file: then it gets no page."""
    if not opinion_files(workspace, slug):
        return None
    return opinions_table(workspace, slug)


def _draft(workspace: Workspace, slug: str) -> BoundMilestone:
    """The working draft as of the last commit that changed the assessment's folder: a
    later commit that changed only other files (the package, the docs) is not a new draft,
    and its date is not the draft's."""
    head = workspace.head_milestone()
    changed = last_change(workspace, slug)
    if changed is None:
        return head
    date = changed.author_date.date()
    return BoundMilestone(replace(head.milestone, date=date), changed.sha, head.source)


def _render_download(table: ComparisonTable, fmt: str) -> bytes | None:
    """The table in ``fmt``, or ``None`` when that format's renderer does not exist (yet) or
    its optional dependency is not installed."""
    module = FORMATS.get(fmt)
    if module is None:
        return None
    try:
        importlib.import_module(module)
        return render(table, fmt)
    except ImportError:
        return None


def _draft_changes(document: Mapping[str, Item], draft: Mapping[str, Item]) -> frozenset[str]:
    """Ids of the items whose value, headings or page differ between the newest milestone and
    the working draft."""
    changed = set()
    for item_id in document.keys() | draft.keys():
        before, after = document.get(item_id), draft.get(item_id)
        if plain_value(before) != plain_value(after) or (
            before is not None
            and after is not None
            and (before.path, before.page, before.important)
            != (after.path, after.page, after.important)
        ):
            changed.add(item_id)
    return frozenset(changed)
