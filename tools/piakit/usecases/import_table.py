"""``piakit import-table``: a hand-kept comparison table made into item files, commits,
trailers and milestone tags, all at once or not at all.

Reads and plans everything first (``importers.table``, ``importers.planning``), then
writes through the git layer's ``HistoryWriter``: objects first, then one ref transaction.
Never prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from piakit import documents
from piakit.conventions import (
    ASSESSMENTS_DIR,
    MILESTONE,
    NAME_RE,
    REASON,
    REASON_CATEGORY,
    assessment_path,
    item_path,
)
from piakit.errors import InputError, PiakitError
from piakit.history import Repository
from piakit.importers.planning import plan_import
from piakit.importers.reading import check_encoding
from piakit.importers.table import read_table
from piakit.opening import locate_assessments_dir

#: Commits made by the importer are dated at 09:00 Japan time on the milestone's day.
JST = dt.timezone(dt.timedelta(hours=9), "JST")


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


def known_encoding(name: str) -> bool:
    """Whether ``--encoding NAME`` names a text encoding Python can read a table in."""
    try:
        check_encoding(name)
    except LookupError:
        return False
    return True


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
    if not NAME_RE.match(slug):
        raise InputError(
            f"assessment name {slug!r} is not a valid slug",
            hint="use lower-case ASCII letters, digits, '.', '_' and '-', "
            "e.g. chiba-kokumin-nenkin",
        )
    repo = Repository.discover(start)
    assessments_dir = locate_assessments_dir(repo, start, assessments_dir)
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
    dirty = repo.dirty_entries([folder])
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
                    files[assessment_path(assessments_dir, slug)] = documents.dump_assessment(
                        assessment
                    ).encode("utf-8")
                for item_id, item in planned.writes:
                    files[item_path(assessments_dir, slug, item_id)] = (
                        None if item is None else documents.dump_item(item).encode("utf-8")
                    )
                trailers: list[tuple[str, str]] = []
                for category, reasons in planned.reasons:
                    trailers.append((REASON_CATEGORY, category))
                    trailers.extend((REASON, reason) for reason in reasons)
                if planned.milestone:
                    trailers.append((MILESTONE, planned.milestone))
                when = _commit_time(planned.date)
                sha = writer.commit(
                    files, _message(planned.subject, planned.body, trailers), date=when
                )
                made_commits.append(sha)
                if planned.milestone:
                    milestone = plan.assessment.milestone(planned.milestone_id)
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
