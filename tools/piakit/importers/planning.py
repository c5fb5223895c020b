"""The history that rebuilds a parsed comparison table: an :class:`ImportPlan`.

:func:`plan_import` turns the table's columns into commits: the first column
(``current``) in one commit, then for each later column the items that changed there,
grouped by the reason groups their commits carry (a row's reason groups spread over the
columns where it changed, :func:`assign_groups`), each column ending in its milestone.

Pure: values in, a plan out. It never reads the table (``importers.table`` does), writes
a file, runs git or looks at the repository; ``usecases.import_table`` carries the plan out.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from piakit.errors import ImportTableError
from piakit.importers.table import CURRENT_ID, ParsedTable, TableRow
from piakit.importers.values import SourceReasons, nfkc
from piakit.model import ADDED_WORD, REMOVED_WORD, Assessment, Item, Milestone

__all__ = ["ImportPlan", "PlannedCommit", "assign_groups", "plan_import"]


@dataclass(frozen=True)
class PlannedCommit:
    """One commit to make: the item files it writes and the trailers it carries."""

    milestone_id: str  # the column this commit belongs to
    date: dt.date | None  # the milestone's date (for ``current``: see plan_import)
    subject: str
    body: str
    reasons: tuple[SourceReasons, ...]  # (category, reasons) in trailer order
    milestone: str | None  # "<slug>/<id>" for the Milestone trailer (last commit of a column)
    writes: tuple[tuple[str, Item | None], ...]  # item id -> new Item, or None = delete


@dataclass(frozen=True)
class ImportPlan:
    """Everything the import will write, in order: the assessment and its commits."""

    assessment: Assessment
    commits: tuple[PlannedCommit, ...]
    affair: str | None
    warnings: tuple[str, ...]


def _group_key(group: SourceReasons) -> tuple[str, tuple[str, ...]]:
    return nfkc(group[0]), tuple(nfkc(reason) for reason in group[1])


def _preferences(
    rows: Sequence[TableRow],
) -> tuple[dict[tuple[str, tuple[str, ...]], Counter[int]], dict[str, Counter[int]]]:
    by_group: dict[tuple[str, tuple[str, ...]], Counter[int]] = defaultdict(Counter)
    by_category: dict[str, Counter[int]] = defaultdict(Counter)
    for row in rows:
        changed = row.changed_columns()
        if len(changed) != 1:
            continue
        for group in row.reasons:
            by_group[_group_key(group)][changed[0]] += 1
            by_category[nfkc(group[0])][changed[0]] += 1
    return by_group, by_category


def _spelling_warnings(rows: Sequence[TableRow]) -> list[str]:
    spellings: dict[str, dict[str, None]] = defaultdict(dict)
    for row in rows:
        for _, reasons in row.reasons:
            for reason in reasons:
                spellings[nfkc(reason)][reason] = None
    return [
        "reasons differ only in width or spacing and stay as written (separate commits): "
        + " / ".join(repr(spelling) for spelling in written)
        for written in spellings.values()
        if len(written) > 1
    ]


def _preferred(counts: Counter[int] | None) -> int | None:
    if not counts:
        return None
    return min(counts, key=lambda column: (-counts[column], column))


def assign_groups(preferred: Sequence[int | None], columns: Sequence[int]) -> list[int]:
    """For each reason group (in the order listed) the column it belongs to.

    The assignment is monotone (a group never goes to an earlier column than the group
    listed before it) and, when there are at least as many groups as ``columns``, gives
    every column at least one group. Among those it places the most groups in their
    ``preferred`` column; ties go to the earliest columns.
    """
    groups, count = len(preferred), len(columns)
    if groups == 0 or count == 0:
        return []
    cover = groups >= count

    def gain(j: int, c: int) -> int:
        return 1 if preferred[j] == columns[c] else 0

    def following(c: int) -> range:
        return range(c, min(c + 2, count)) if cover else range(c, count)

    # best[j][c]: the most preferred placements of groups j… with group j in columns[c];
    # -1 where that cannot lead to a valid assignment.
    best = [[-1] * count for _ in range(groups)]
    for j in range(groups - 1, -1, -1):
        for c in range(count):
            if cover and (c > j or count - 1 - c > groups - 1 - j):
                continue  # earlier columns or later columns could not all be covered
            if j == groups - 1:
                best[j][c] = gain(j, c)
                continue
            scores = [best[j + 1][n] for n in following(c) if best[j + 1][n] >= 0]
            if scores:
                best[j][c] = gain(j, c) + max(scores)
    starts = range(1) if cover else range(count)
    top = max(best[0][c] for c in starts)
    chosen = next(c for c in starts if best[0][c] == top)
    assignment = [chosen]
    for j in range(1, groups):
        need = best[j - 1][chosen] - gain(j - 1, chosen)
        chosen = next(n for n in following(chosen) if best[j][n] == need)
        assignment.append(chosen)
    return [columns[c] for c in assignment]


def _row_groups(
    row: TableRow,
    changed: Sequence[int],
    by_group: Mapping[tuple[str, tuple[str, ...]], Counter[int]],
    by_category: Mapping[str, Counter[int]],
) -> tuple[dict[int, tuple[SourceReasons, ...]], bool]:
    """The reason groups of each changed column of ``row``; ``True`` if some were reused."""
    groups = list(dict.fromkeys(row.reasons))
    if len(changed) == 1:
        return {changed[0]: tuple(groups)}, False
    preferred = [
        _preferred(by_group.get(_group_key(group))) or _preferred(by_category.get(nfkc(group[0])))
        for group in groups
    ]
    columns = assign_groups(preferred, changed)
    result: dict[int, list[SourceReasons]] = {column: [] for column in changed}
    for group, column in zip(groups, columns, strict=True):
        result[column].append(group)
    reused = False
    if groups:
        for index, column in enumerate(changed):
            if result[column]:
                continue
            earlier = [result[c] for c in changed[:index] if result[c]]
            later = [result[c] for c in changed[index + 1 :] if result[c]]
            result[column] = list(earlier[-1] if earlier else later[0])
            reused = True
    return {column: tuple(groups) for column, groups in result.items()}, reused


def _tag(slug: str, milestone: Milestone) -> str:
    """The milestone's tag, ``<slug>/<id>``, which its column's last commit names."""
    return f"{slug}/{milestone.id}"


def _summary(groups: Sequence[SourceReasons], limit: int = 50) -> str:
    """The subject's words: the first reason (or the category) of each group."""
    if not groups:
        return "理由なし"
    text = "、".join(reasons[0] if reasons else category for category, reasons in groups)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _body(writes: Sequence[tuple[TableRow, str]], intro: str | None = None, limit: int = 30) -> str:
    lines = [intro] if intro else []
    for row, note in writes[:limit]:
        mark = f" ({note})" if note else ""
        lines.append(f"- {row.item_id}{mark}: {' / '.join(row.path)}")
    if len(writes) > limit:
        lines.append(f"ほか {len(writes) - limit} 項目")
    return "\n".join(lines)


def plan_import(
    table: ParsedTable,
    slug: str,
    *,
    title: str | None,
    organization: str | None,
    form: str | None,
    dates: Mapping[str, dt.date] | None = None,
) -> ImportPlan:
    """The assessment and the commits that rebuild ``table`` as history.

    - Commit 1 is the first column (``current``): every item with a value there, no
      reasons, milestone ``<slug>/current``. Its date is ``dates["current"]`` if given,
      else the earliest date of a later milestone (the import cannot know when the
      published text was written; the first dated draft is the latest it can be).
    - For each later column, the items whose value changed there (changed, added or
      deleted). A row's reason groups are spread over the columns where it changed:

      * a row that changed in one column gets all its groups there;
      * otherwise each group has a preferred column, learned from the rows that changed
        in exactly one column: the column where the same (category, reasons) group was
        seen most often (compared after NFKC and without whitespace), else where its
        category was seen most often (ties: the earlier column);
      * groups are then assigned monotonically in the order listed (reasons are listed
        in commit order), every changed column getting at least one group when there are
        enough, maximizing the groups placed in their preferred column, ties going to the
        earliest columns (:func:`assign_groups`);
      * a changed column left without a group (fewer groups than changes) reuses the
        groups of the nearest earlier column (else later), with a warning.

    - In each column, the items with identical groups share one commit whose trailers carry
      all those groups; commits are ordered by where their first group first appears across
      the rows, then by row. Reasons are kept exactly as written: spellings that differ only
      in width or spacing make separate commits (with a warning), so the regenerated reason
      column matches the table. The last commit of a column carries ``<slug>/<id>``; a column
      without changes gets one commit without writes.
    - ``dates`` gives or overrides milestone dates by id (``current`` included).
    - ``title`` defaults to ``<affair>に関する事務 特定個人情報保護評価書`` (or the slug).
    """
    dates = dict(dates or {})
    milestone_ids = [milestone.id for milestone in table.milestones]
    unknown = sorted(set(dates) - set(milestone_ids))
    if unknown:
        raise ImportTableError(
            f"dates given for unknown milestones: {', '.join(unknown)}",
            hint=f"the table's milestones are: {', '.join(milestone_ids)}",
        )
    warnings = list(table.warnings)
    milestones = tuple(
        Milestone(
            id=m.id,
            label=m.label,
            date=dates.get(m.id, m.date if m.id != CURRENT_ID else None),
        )
        for m in table.milestones
    )
    later_dates = [m.date for m in milestones[1:] if m.date is not None]
    for earlier, later in itertools.pairwise(later_dates):
        if later < earlier:
            warnings.append(f"milestone dates are not in column order: {earlier} then {later}")
    current_date = milestones[0].date or (min(later_dates) if later_dates else None)

    if title is None:
        title = f"{table.affair}に関する事務 特定個人情報保護評価書" if table.affair else slug
        warnings.append(f"no title given; using {title!r}")

    categories = list(dict.fromkeys(category for row in table.rows for category, _ in row.reasons))
    assessment = Assessment(
        slug=slug,
        title=title,
        organization=organization,
        form=form,
        milestones=milestones,
        reason_categories=tuple(categories) if categories else None,
    )

    warnings.extend(_spelling_warnings(table.rows))
    by_group, by_category = _preferences(table.rows)
    # column -> row -> groups
    assigned: dict[int, dict[int, tuple[SourceReasons, ...]]] = defaultdict(dict)
    for row in table.rows:
        changed = row.changed_columns()
        where = table.where(row.line)
        if not changed:
            if row.values[0] is None:
                warnings.append(f"{where}: no entry in any column; not imported")
            else:
                warnings.append(f"{where}: no change in any column; imported as current only")
            continue
        if not row.reasons:
            warnings.append(f"{where}: the row changes but its reason cell is empty")
        groups, reused = _row_groups(row, changed, by_group, by_category)
        if reused:
            warnings.append(
                f"{where}: changed in {len(changed)} columns but lists "
                f"{len(row.reasons)} reason group(s); a group is reused for a later change"
            )
        for column, column_groups in groups.items():
            assigned[column][row.index] = column_groups

    commits: list[PlannedCommit] = []
    current_rows = [row for row in table.rows if row.values[0] is not None]
    first = milestones[0]
    commits.append(
        PlannedCommit(
            milestone_id=first.id,
            date=current_date,
            subject=f"{first.label}: 取り込み ({len(current_rows)}項目)",
            body=_body(
                [(row, "") for row in current_rows], intro=f"取り込み元: {table.source.name}"
            ),
            reasons=(),
            milestone=_tag(slug, first),
            writes=tuple(
                (row.item_id, row.item(value))
                for row in current_rows
                if (value := row.values[0]) is not None
            ),
        )
    )
    rows_by_index = {row.index: row for row in table.rows}
    for column in range(1, len(milestones)):
        commits.extend(
            _column_commits(slug, milestones[column], column, assigned[column], rows_by_index)
        )
    return ImportPlan(
        assessment=assessment,
        commits=tuple(commits),
        affair=table.affair,
        warnings=tuple(warnings),
    )


def _column_commits(
    slug: str,
    milestone: Milestone,
    column: int,
    assigned: Mapping[int, tuple[SourceReasons, ...]],
    rows: Mapping[int, TableRow],
) -> list[PlannedCommit]:
    if not assigned:
        return [
            PlannedCommit(
                milestone_id=milestone.id,
                date=milestone.date,
                subject=f"{milestone.label}: 変更なし",
                body="この段階で変更された項目はない。",
                reasons=(),
                milestone=_tag(slug, milestone),
                writes=(),
            )
        ]
    first_seen: dict[SourceReasons, int] = {}
    members: dict[tuple[SourceReasons, ...], list[int]] = {}
    for index in sorted(assigned):
        groups = assigned[index]
        for group in groups:
            first_seen.setdefault(group, len(first_seen))
        members.setdefault(groups, []).append(index)
    never = len(first_seen) + 1
    ordered = sorted(
        members.items(),
        key=lambda entry: (first_seen[entry[0][0]] if entry[0] else never, entry[1][0]),
    )
    commits: list[PlannedCommit] = []
    for number, (groups, indexes) in enumerate(ordered, start=1):
        writes: list[tuple[str, Item | None]] = []
        described: list[tuple[TableRow, str]] = []
        for index in indexes:
            row = rows[index]
            value, before = row.values[column], row.values[column - 1]
            writes.append((row.item_id, None if value is None else row.item(value)))
            note = REMOVED_WORD if value is None else ADDED_WORD if before is None else ""
            described.append((row, note))
        commits.append(
            PlannedCommit(
                milestone_id=milestone.id,
                date=milestone.date,
                subject=f"{milestone.label}: {_summary(groups)} ({len(indexes)}項目)",
                body=_body(described),
                reasons=groups,
                milestone=_tag(slug, milestone) if number == len(ordered) else None,
                writes=tuple(writes),
            )
        )
    return commits
