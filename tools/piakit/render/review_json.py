"""The review records as JSON: ``--format json`` of ``diff``, ``commits check`` and ``log``.

Pure functions from ``review`` records to plain dicts the caller serializes: commits with
their reasons, items with their headings, page, text and the diff's operations. They never
read git or files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from piakit.model import Commit, Item, Reason

if TYPE_CHECKING:
    from piakit.reports import CommitsReport, ItemLog, OpinionMention, ReviewDiff


def _item_json(item: Item | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "path": list(item.path),
        "page": item.page,
        "order": item.order,
        "important": item.important,
        "text": item.plain(),
    }


def _reasons_json(reasons: Iterable[Reason]) -> list[dict[str, str | None]]:
    return [{"category": r.category, "reason": r.reason, "commit": r.commit} for r in reasons]


def _commit_json(commit: Commit) -> dict[str, Any]:
    return {
        "commit": commit.sha,
        "short": commit.short,
        "subject": commit.subject,
        "author": commit.author_name,
        "date": commit.author_date.isoformat(),
        "merge": commit.is_merge,
        "reasons": _reasons_json(commit.reasons),
    }


def diff_json(diff: ReviewDiff) -> dict[str, Any]:
    return {
        "base": {"rev": diff.base_rev, "commit": diff.base},
        "head": {"rev": diff.head_rev, "commit": diff.head},
        "merge_base": diff.merge_base,
        "commits": [_commit_json(c) for c in diff.commits],
        "items": [
            {
                "assessment": change.slug,
                "item": change.item_id,
                "file": change.file,
                "old_file": change.old_file,
                "status": change.status,
                "path": list(change.path),
                "page": change.page,
                "important": change.important,
                "renumbered": change.renumbered,
                "old": _item_json(change.old),
                "new": _item_json(change.new),
                "ops": [list(op) for op in change.ops()],
                "reasons": _reasons_json(change.reasons),
            }
            for change in diff.changes
        ],
        "warnings": [
            {
                "kind": w.kind,
                "assessment": w.slug,
                "item": w.item,
                "commit": w.commit.sha if w.commit else None,
                "detail": w.detail,
            }
            for w in diff.warnings
        ],
        "other_files": list(diff.other_files),
        "opinions": {
            "resolved": [_opinion_json(m) for m in diff.resolved],
            "open": [_opinion_json(m) for m in diff.open_opinions],
        },
    }


def _opinion_json(mention: OpinionMention) -> dict[str, Any]:
    opinion = mention.opinion
    return {
        "assessment": mention.slug,
        "id": mention.opinion_id,
        "number": mention.number,
        "source": opinion.source if opinion else None,
        "received": opinion.received.isoformat() if opinion else None,
        "summary": opinion.summary if opinion else None,
        "outcome": opinion.outcome if opinion else None,
        "commits": [commit.sha for commit in mention.commits],
    }


def commits_json(report: CommitsReport) -> dict[str, Any]:
    return {
        "range": report.spec,
        "checked": report.checked,
        "needing_reasons": report.needing,
        "ok": report.ok,
        "unpublished": list(report.unpublished),
        "findings": [
            {
                **_commit_json(f.commit),
                "assessments": list(f.slugs),
                "problems": list(f.problems),
                "hints": list(f.hints),
            }
            for f in report.findings
        ],
        "warnings": [
            {**_commit_json(w.commit), "assessment": w.slug, "item": w.item_id, "message": str(w)}
            for w in report.warnings
        ],
    }


def log_json(log: ItemLog) -> dict[str, Any]:
    return {
        "assessment": log.slug,
        "item": log.item_id,
        "file": log.file,
        "revisions": [
            {
                **_commit_json(entry.commit),
                "item": entry.item_id,
                "status": entry.status,
                "renamed_from": entry.renamed_from,
                "milestones": list(entry.milestones),
                "old": _item_json(entry.old),
                "new": _item_json(entry.new),
                "ops": [list(op) for op in entry.ops()],
            }
            for entry in log.entries
        ],
    }
