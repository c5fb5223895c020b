"""The domain records of piakit: items, assessments, milestones, commits, the comparison table.

Plain frozen dataclasses with no IO and no dependency beyond the standard library. Every other
module speaks in these types; nothing here may import git, YAML, click or mkdocs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from piakit.conventions import DEFAULT_OPINION_SOURCES

#: Text shown for a checked and an unchecked box in plain text.
CHECKED_MARK = "[○]"
UNCHECKED_MARK = "[ ]"

#: The words of the comparison table, as the hand-kept tables write them.
ABSENT_WORD = "(記載なし)"
DELETED_WORD = "(削除)"
UNCHANGED_WORD = "変更なし"
#: What became of an item between two versions, in the words the documents use.
ADDED_WORD = "追加"
REMOVED_WORD = "削除"
CHANGED_WORD = "変更"


def change_word(before: object | None, after: object | None) -> str:
    """追加 when there was nothing before, 削除 when there is nothing after, else 変更."""
    return ADDED_WORD if before is None else REMOVED_WORD if after is None else CHANGED_WORD


def full_title(organization: str | None, title: str) -> str:
    """``千葉市 国民年金に関する事務 全項目評価書``: the title after the organization, if known."""
    return f"{organization} {title}" if organization else title


#: The mark of an item whose change is a 重要な変更 (the assessment must be done again).
IMPORTANT_MARK = "※重要"


@dataclass(frozen=True)
class Choice:
    """One box of a checkbox group (``choices``): ``[○] 紙`` or ``[ ] その他 (…)``.

    ``note`` is the parenthesised free text the form lets one add after a box; ``""`` is an
    empty note that the form still prints as ``()``, ``None`` no note at all.
    """

    label: str
    checked: bool = False
    note: str | None = None

    def plain(self) -> str:
        mark = CHECKED_MARK if self.checked else UNCHECKED_MARK
        text = f"{mark} {self.label}"
        if self.note is not None:
            text += f" ({self.note})"
        return text


@dataclass(frozen=True)
class Selection:
    """One chosen option of a fixed list (``select``): ``[委託する] (3) 件``."""

    value: str
    suffix: str | None = None
    options: tuple[str, ...] | None = None

    def plain(self) -> str:
        text = f"[{self.value}]"
        if self.suffix:
            text += f" {self.suffix}"
        return text


ValueKind = Literal["text", "choices", "select"]


@dataclass(frozen=True)
class Item:
    """One item of an assessment, as one version of ``items/<id>.yaml`` holds it.

    Exactly one of ``text``, ``choices`` and ``select`` is set, or none when the item is kept
    with an empty value (which reads as 記載なし).
    """

    id: str
    path: tuple[str, ...]
    page: int | None = None
    order: int | None = None
    text: str | None = None
    choices: tuple[Choice, ...] | None = None
    select: Selection | None = None
    important: bool = False

    @property
    def kind(self) -> ValueKind | None:
        if self.text is not None:
            return "text"
        if self.choices is not None:
            return "choices"
        if self.select is not None:
            return "select"
        return None

    @property
    def is_empty(self) -> bool:
        return not self.plain()

    def plain(self) -> str:
        """The value as plain text: lines joined by ``\\n``, no trailing newline, no markup.
        Computed once per item: a table asks it of every version at every column."""
        return self._plain

    @cached_property
    def _plain(self) -> str:
        if self.text is not None:
            return "\n".join(line.rstrip() for line in self.text.strip("\n").split("\n")).strip()
        if self.choices is not None:
            return "\n".join(choice.plain() for choice in self.choices)
        if self.select is not None:
            return self.select.plain()
        return ""

    def sort_key(self) -> tuple[int, int, tuple[str, ...], str]:
        """Document order: ``order``, then ``page``, then ``path`` (then id, for stability)."""
        big = 1 << 62
        return (
            self.order if self.order is not None else big,
            self.page if self.page is not None else big,
            self.path,
            self.id,
        )


@dataclass(frozen=True)
class Milestone:
    """A milestone declared in ``assessment.yaml``: a stage of the document."""

    id: str
    label: str
    date: dt.date | None = None
    #: The stage of the assessment cycle it marks (``conventions.MILESTONE_KINDS``), if said.
    kind: str | None = None


@dataclass(frozen=True)
class Assessment:
    """``assessments/<slug>/assessment.yaml``."""

    slug: str
    title: str
    organization: str | None = None
    form: str | None = None
    milestones: tuple[Milestone, ...] = ()
    #: Allowed ``Reason-Category`` values; ``None`` means any.
    reason_categories: tuple[str, ...] | None = None
    #: The affair's short name, shown above the table's header (e.g. 国民年金).
    affair: str | None = None
    #: Where its opinions may come from (``opinion_sources``; default 意見募集, 第三者点検).
    opinion_sources: tuple[str, ...] = DEFAULT_OPINION_SOURCES

    def milestone(self, milestone_id: str) -> Milestone | None:
        for milestone in self.milestones:
            if milestone.id == milestone_id:
                return milestone
        return None


@dataclass(frozen=True)
class Opinion:
    """``assessments/<slug>/opinions/<id>.yaml``: an opinion (意見) received on the assessment
    and what the city did with it."""

    id: str
    source: str
    received: dt.date
    summary: str
    #: ``reflected`` (反映する), ``not-reflected`` (反映しない) or ``open`` (検討中).
    outcome: str
    #: Who gave it (``from``), e.g. 情報公開・個人情報保護審議会 第2部会.
    sender: str | None = None
    #: 市の考え方; empty while the opinion is open.
    response: str | None = None

    def sort_key(self) -> tuple[dt.date, tuple[str | int, ...], str]:
        """The 意見対応表's order: numbered 1… by (received, id), the digits of an id read as
        a number, so that ``bukai-2`` comes before ``bukai-10``; the id itself last, so that
        ``pc-01`` and ``pc-1`` still have one order whatever order they are given in."""
        parts = re.split(r"(\d+)", self.id)  # text, number, text, …: always in this order
        natural = tuple(int(p) if i % 2 else p for i, p in enumerate(parts))
        return (self.received, natural, self.id)


@dataclass(frozen=True)
class Reason:
    """One (category, reason) pair of a commit's trailers. ``reason`` is ``None`` for a
    category written with no ``Reason`` of its own."""

    category: str | None
    reason: str | None
    commit: str = ""

    def pair(self) -> tuple[str | None, str | None]:
        return (self.category, self.reason)


@dataclass(frozen=True)
class FileChange:
    """One path a commit changed against its first parent (from ``git log --raw``)."""

    status: str  # A, M, D, R, C, T
    path: str
    old_blob: str | None
    new_blob: str | None
    old_path: str | None = None  # for renames and copies
    #: For a merge (combined diff): the path's blob in each parent, ``None`` where absent.
    parent_blobs: tuple[str | None, ...] = ()

    @property
    def is_pure_rename(self) -> bool:
        """A file moved with its contents unchanged (``git mv``): no revision of its text."""
        return self.status == "R" and self.old_blob == self.new_blob and self.old_path != self.path


@dataclass(frozen=True)
class Commit:
    """A commit as the single history pass reads it."""

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_date: dt.datetime
    committer_date: dt.datetime
    subject: str
    reasons: tuple[Reason, ...] = ()
    #: ``<slug>/<id>`` values of the commit's ``Milestone:`` trailers.
    milestone_trailers: tuple[str, ...] = ()
    #: Any other trailers piakit reads (``Submission``, ``Submission-Note``), key → values.
    trailers: tuple[tuple[str, str], ...] = ()
    changes: tuple[FileChange, ...] = ()

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    def trailer(self, key: str) -> str | None:
        wanted = key.lower()
        for name, value in self.trailers:
            if name.lower() == wanted:
                return value
        return None

    def trailer_values(self, key: str) -> tuple[str, ...]:
        """Every value of the trailer ``key`` (``Resolves`` may come several times)."""
        wanted = key.lower()
        return tuple(value for name, value in self.trailers if name.lower() == wanted)


#: ``worktree``: the column of the files on disk, not committed (``table --worktree``).
BindingSource = Literal["tag", "trailer", "head", "worktree"]


@dataclass(frozen=True)
class BoundMilestone:
    """A milestone together with the commit it is bound to."""

    milestone: Milestone
    commit: str
    source: BindingSource


CellStatus = Literal["text", "unchanged", "absent", "deleted"]
MarkKind = Literal["changed", "removed"]

#: The legend under a comparison table, as marked segments: every format writes these words,
#: each marking 下線 and (削除) its own way.
LEGEND: tuple[tuple[str, MarkKind | None], ...] = (
    ("凡例: ", None),
    ("下線", "changed"),
    (" は直前の列から変更された箇所、", None),
    ("(削除)", "removed"),
    (
        " は削除された行または項目、変更なし は直前の列と同じ、(記載なし) は記載のない項目、"
        f"{IMPORTANT_MARK} は重要な変更にあたる項目。",
        None,
    ),
)


@dataclass(frozen=True)
class Mark:
    """A span ``[start, end)`` of a cell's text, in code points.

    ``changed``: characters that changed since the previous column (underlined).
    ``removed``: a ``(削除)`` placeholder standing where a line of the first column was removed.
    """

    start: int
    end: int
    kind: MarkKind = "changed"


@dataclass(frozen=True)
class Cell:
    status: CellStatus
    text: str | None = None
    marks: tuple[Mark, ...] = ()

    def display(self) -> str:
        """The cell as the hand-kept table writes it."""
        if self.status == "unchanged":
            return UNCHANGED_WORD
        if self.status == "absent":
            return ABSENT_WORD
        if self.status == "deleted":
            return DELETED_WORD
        return self.text or ""

    def segments(self) -> list[tuple[str, MarkKind | None]]:
        """The text cut at the marks: ``(piece, kind or None)``, for renderers."""
        text = self.display()
        if self.status != "text" or not self.marks:
            return [(text, None)] if text else []
        pieces: list[tuple[str, MarkKind | None]] = []
        at = 0
        for mark in sorted(self.marks, key=lambda m: (m.start, m.end)):
            if mark.start > at:
                pieces.append((text[at : mark.start], None))
            if mark.end > max(mark.start, at):
                pieces.append((text[max(mark.start, at) : mark.end], mark.kind))
            at = max(at, mark.end)
        if at < len(text):
            pieces.append((text[at:], None))
        return pieces


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    commit: str
    date: dt.date | None = None
    source: BindingSource = "tag"


@dataclass(frozen=True)
class Row:
    item: str
    path: tuple[str, ...]
    page: int | None
    cells: tuple[Cell, ...]
    reasons: tuple[Reason, ...] = ()
    important: bool = False
    #: The ids of the opinions that the commits behind ``reasons`` resolve (``Resolves:``).
    opinions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComparisonTable:
    """修正等を要する部分とその内容: the table between chosen milestones."""

    assessment: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    organization: str | None = None
    #: The affair's name shown above the header, as the seed does (e.g. 国民年金).
    affair: str | None = None
    #: Opinion id → its number in the 意見対応表 (（意見N） after a row's reasons).
    opinion_numbers: Mapping[str, int] = field(default_factory=dict)

    def opinion_label(self, opinion_id: str) -> str:
        """（意見N） for a numbered opinion, （意見 <id>） for one the records do not hold."""
        number = self.opinion_numbers.get(opinion_id)
        return f"（意見{number}）" if number is not None else f"（意見 {opinion_id}）"

    def to_json(self) -> dict[str, object]:
        """The JSON form of the table (docs/format.md), ``marks`` on text cells."""
        return {
            "assessment": self.assessment,
            "title": self.title,
            "columns": [
                {
                    "id": column.id,
                    "label": column.label,
                    "commit": column.commit,
                    "date": column.date.isoformat() if column.date else None,
                }
                for column in self.columns
            ],
            "rows": [
                {
                    "item": row.item,
                    "path": list(row.path),
                    "page": row.page,
                    "important": row.important,
                    "cells": [_cell_json(cell) for cell in row.cells],
                    "reasons": [
                        {"category": r.category, "reason": r.reason, "commit": r.commit}
                        for r in row.reasons
                    ],
                    "opinions": list(row.opinions),
                }
                for row in self.rows
            ],
        }


def _cell_json(cell: Cell) -> dict[str, object]:
    out: dict[str, object] = {"status": cell.status}
    if cell.status == "text":
        out["text"] = cell.text or ""
        out["marks"] = [{"start": m.start, "end": m.end, "kind": m.kind} for m in cell.marks]
    return out


SubmissionTiming = Literal["事前", "事後"]


@dataclass(frozen=True)
class ChangeEntry:
    """One row of 別添3 変更箇所: an item whose value changed between two milestones."""

    item: str
    path: tuple[str, ...]
    page: int | None
    #: 変更日: the date of the last commit in the range that changed the item.
    date: dt.date
    #: 変更前の記載 / 変更後の記載, as the table writes them (text, 記載なし, 削除).
    before: Cell
    after: Cell
    #: 提出時期 and 提出時期に係る説明.
    submission: SubmissionTiming
    submission_note: str
    important: bool
    commits: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeSheet:
    """別添3 変更箇所: the changes of an assessment since a milestone."""

    assessment: str
    title: str
    since: Column
    until: Column
    entries: tuple[ChangeEntry, ...]
    organization: str | None = None

    def to_json(self) -> dict[str, object]:
        def column(c: Column) -> dict[str, object]:
            date = c.date.isoformat() if c.date else None
            return {"id": c.id, "label": c.label, "commit": c.commit, "date": date}

        return {
            "assessment": self.assessment,
            "title": self.title,
            "since": column(self.since),
            "until": column(self.until),
            "entries": [
                {
                    "item": e.item,
                    "path": list(e.path),
                    "page": e.page,
                    "date": e.date.isoformat(),
                    "before": _cell_json(e.before),
                    "after": _cell_json(e.after),
                    "submission": e.submission,
                    "submission_note": e.submission_note,
                    "important": e.important,
                    "commits": list(e.commits),
                }
                for e in self.entries
            ],
        }
