"""別添3 変更箇所: the changes of an assessment between two milestones, from history. Pure.

One entry per item whose value differs between ``since`` and ``until``: 変更日 is the date of
the last commit in the range that changed it, 変更前 / 変更後 its text at both ends (the text
after has the changed characters marked), and 提出時期 comes from the commits' trailers:

- ``Submission: 事前`` or ``Submission: 事後`` on any commit of the range that changed the item
  (事前 wins when the commits disagree: the earlier deadline binds);
- without a trailer: 事前 for an ``important`` item (a 重要な変更 is submitted before it takes
  effect), 事後 otherwise;
- 提出時期に係る説明 is the ``Submission-Note`` trailers joined, or a default sentence saying
  which rule applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from piakit.compare import build_cells, changed_items
from piakit.model import ChangeEntry, ChangeSheet, Column, Commit, Item, SubmissionTiming

BEFORE: SubmissionTiming = "事前"
AFTER: SubmissionTiming = "事後"
DEFAULT_NOTE_IMPORTANT = "重要な変更に当たるため、事前に提出する。"
DEFAULT_NOTE = "重要な変更に当たらないため、事後に提出する。"


def _timing(commits: Sequence[Commit], important: bool) -> tuple[SubmissionTiming, str]:
    timings = [c.trailer("Submission") for c in commits]
    notes = [n for c in commits for n in [c.trailer("Submission-Note")] if n]
    written = [t.strip() for t in timings if t]
    if BEFORE in written:
        timing: SubmissionTiming = BEFORE
    elif AFTER in written:
        timing = AFTER
    else:
        timing = BEFORE if important else AFTER
    if notes:
        return timing, " ".join(dict.fromkeys(notes))
    if written:
        return timing, ""
    return timing, DEFAULT_NOTE_IMPORTANT if important else DEFAULT_NOTE


def build_change_sheet(
    *,
    assessment: str,
    title: str,
    since: Column,
    until: Column,
    before: Mapping[str, Item],
    after: Mapping[str, Item],
    commits: Mapping[str, Sequence[Commit]],
    fallback_date: dt.date,
    organization: str | None = None,
) -> ChangeSheet:
    """``commits`` maps an item id to the commits of the range that changed it, in order;
    ``fallback_date`` dates an item that differs although no commit of the range touched it
    (``since`` not an ancestor of ``until``)."""
    entries = []
    for item_id in changed_items([before, after]):
        old, new = before.get(item_id), after.get(item_id)
        reference = new or old
        assert reference is not None
        changed_by = commits.get(item_id, ())
        important = any(i.important for i in (old, new) if i is not None)
        timing, note = _timing(changed_by, important)
        first, second = build_cells([old, new])
        date = changed_by[-1].author_date.date() if changed_by else fallback_date
        entries.append(
            (
                reference.sort_key(),
                ChangeEntry(
                    item=item_id,
                    path=reference.path,
                    page=reference.page,
                    date=date,
                    before=first,
                    after=second,
                    submission=timing,
                    submission_note=note,
                    important=important,
                    commits=tuple(c.sha for c in changed_by),
                ),
            )
        )
    entries.sort(key=lambda pair: pair[0])
    return ChangeSheet(
        assessment=assessment,
        title=title,
        since=since,
        until=until,
        entries=tuple(entry for _, entry in entries),
        organization=organization,
    )
