"""The editor's and reviewer's loop: the PR diff, the reason check of commits, one item's log.

Use cases over a ``Workspace``, one module each; they return records and never print (the
presentation is ``piakit.render.review_*``):

- ``pr_diff.review_diff``: every item changed between the merge base of BASE and HEAD, with
  its old and new value, the reasons of the commits in ``BASE..HEAD`` that changed it, and
  warnings (commits without reasons, a 重要な変更, a renumbered item, a renamed file);
- ``commits.check_commits``: the commits of a range that change an assessment's items after
  its first milestone and do not carry valid ``Reason-Category`` / ``Reason`` trailers, and
  those whose ``Resolves:`` trailers name no opinion;
- ``trailers.check_message``: the same rule for a commit being made (the commit-msg hook);
  ``trailers`` also holds the rules about trailers themselves (pure);
- ``item_log.item_log``: one item's revisions, newest first, following renames of its file.

This module only names the public surface; the logic lives in the modules above.
"""

from __future__ import annotations

from piakit.reports import (
    ChangeStatus,
    CommitFinding,
    CommitsReport,
    ItemChange,
    ItemLog,
    LogEntry,
    MessageReport,
    ReviewDiff,
    ReviewWarning,
    SubmissionWarning,
)
from piakit.usecases.review.commits import check_commits
from piakit.usecases.review.item_log import item_log
from piakit.usecases.review.pr_diff import review_diff
from piakit.usecases.review.trailers import (
    ReasonRule,
    check_message,
    message_hints,
    reason_problems,
    reason_rules,
    resolves_problems,
    submission_problems,
)

__all__ = [
    "ChangeStatus",
    "CommitFinding",
    "CommitsReport",
    "ItemChange",
    "ItemLog",
    "LogEntry",
    "MessageReport",
    "ReasonRule",
    "ReviewDiff",
    "ReviewWarning",
    "SubmissionWarning",
    "check_commits",
    "check_message",
    "item_log",
    "message_hints",
    "reason_problems",
    "reason_rules",
    "resolves_problems",
    "review_diff",
    "submission_problems",
]
