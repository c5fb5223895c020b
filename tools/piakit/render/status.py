"""``piakit status`` as text (Japanese, one block per assessment) and as JSON (the contract of
docs/cli.md: ``{"today", "assessments": [...]}``)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from piakit.model import full_title

if TYPE_CHECKING:
    from piakit.reports import AssessmentStatus, CycleMilestone, Overdue, StatusReport

#: What each passed deadline is called.
OVERDUE_WORDS: dict[Overdue, str] = {"review": "見直し", "reassessment": "再実施"}
#: What the text says of an assessment with no 公表 bound to a commit.
UNPUBLISHED_WORD = "未公表"
REASSESSMENT_REQUIRED = "再実施が必要"


def status_json(report: StatusReport) -> str:
    """The report as indented JSON, Japanese kept readable."""
    data = {
        "today": report.today.isoformat(),
        "assessments": [assessment_json(status) for status in report.assessments],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def assessment_json(status: AssessmentStatus) -> dict[str, object]:
    return {
        "slug": status.slug,
        "title": status.title,
        "last_published": _milestone_json(status.last_published),
        "reassessment_due": _date(status.reassessment_due),
        "last_reviewed": _milestone_json(status.last_reviewed),
        "review_due": _date(status.review_due),
        "changes_since_published": list(status.changes_since_published),
        "important_changes": list(status.important_changes),
        "requires_reassessment": status.requires_reassessment,
        "open_opinions": list(status.open_opinions),
        "overdue": list(status.overdue),
    }


def status_text(report: StatusReport) -> str:
    """One block per assessment, then a line saying what needs attention."""
    blocks = [f"{report.today.isoformat()} 時点"]
    blocks += [assessment_text(status) for status in report.assessments]
    if not report.assessments:
        blocks.append("評価書はまだありません。")
    attention = report.needs_attention
    if attention:
        names = "、".join(status.slug for status in attention)
        blocks.append(f"期限切れ、または再実施が必要な評価書: {len(attention)} 件 ({names})")
    elif report.assessments:
        blocks.append("期限切れ、または再実施が必要な評価書はありません。")
    return "\n\n".join(blocks) + "\n"


def assessment_text(status: AssessmentStatus) -> str:
    lines = [f"{status.slug}: {full_title(status.organization, status.title)}"]
    if status.last_published is None:
        lines.append(f"  {UNPUBLISHED_WORD}: {_unpublished_text(status)}")
    else:
        lines.append(f"  最新の公表: {milestone_text(status.last_published)}")
        lines.append(f"  再実施期限: {due_text(status.reassessment_due, status.today)}")
    if status.last_reviewed is not None:
        if status.last_reviewed != status.last_published:
            lines.append(f"  最新の見直し・修正: {milestone_text(status.last_reviewed)}")
        lines.append(f"  次回見直し期限: {due_text(status.review_due, status.today)}")
    if status.last_published is not None:
        changes = f"  公表後の変更: {len(status.changes_since_published)} 件"
        if status.important_changes:
            changes += (
                f" (うち重要な変更 {len(status.important_changes)} 件: {REASSESSMENT_REQUIRED})"
            )
        lines.append(changes)
        if status.important_changes:
            lines.append(f"    重要な変更の項目: {', '.join(status.important_changes)}")
    opinions = f"  検討中の意見: {len(status.open_opinions)} 件"
    if status.open_opinions:
        opinions += f" ({', '.join(status.open_opinions)})"
    lines.append(opinions)
    if status.overdue:
        lines.append(f"  期限切れ: {'、'.join(OVERDUE_WORDS[o] for o in status.overdue)}")
    return "\n".join(lines)


def milestone_text(milestone: CycleMilestone) -> str:
    """``2020-10-01 公表版 [R2]``: the date, the label and the id."""
    return f"{milestone.date.isoformat()} {milestone.milestone.label} [{milestone.milestone.id}]"


def _unpublished_text(status: AssessmentStatus) -> str:
    """Why no deadline is counted, and what would count one."""
    if not status.declares_kinds:
        return "版に種類 (kind) がありません。公表した版に kind: 公表 と書くと、期限を数えます"
    text = "種類が 公表 の版で、コミットに結び付いたものはまだありません"
    planned = status.planned_publication
    if planned is not None:
        date = f"{planned.date.isoformat()} " if planned.date else ""
        text += f" (予定: {date}{planned.label} [{planned.id}])"
    return text


def due_text(due: dt.date | None, today: dt.date) -> str:
    """``2025-10-01 (あと 30 日)``, ``(今日まで)`` or ``(期限切れ: 3 日過ぎています)``."""
    if due is None:
        return "-"
    days = (due - today).days
    if days > 0:
        return f"{due.isoformat()} (あと {days} 日)"
    if days == 0:
        return f"{due.isoformat()} (今日まで)"
    return f"{due.isoformat()} (期限切れ: {-days} 日過ぎています)"


def _milestone_json(milestone: CycleMilestone | None) -> dict[str, str] | None:
    if milestone is None:
        return None
    return {"id": milestone.milestone.id, "date": milestone.date.isoformat()}


def _date(date: dt.date | None) -> str | None:
    return date.isoformat() if date is not None else None
