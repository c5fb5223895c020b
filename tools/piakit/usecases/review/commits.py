"""The commits check: which commits of a range revise a published assessment's items and do
not carry valid reasons (``piakit commits check``, the CI check of a pull request).

``check_commits`` reads the range, ``commits_report`` judges commits already read (the PR
diff judges its own). A commit needs reasons when it revises an item after the assessment's
first milestone: a pure rename, an edit that leaves the item's value as it was, and a merge
that writes no text of its own need none. What the reasons must be is ``trailers``' rule.
``check_commits`` also checks the ``Resolves:`` trailers of every commit of the range, whatever
it changes: each must name an opinion whose file is in the commit's own tree or at the tip of
the range (a pull request may add the record in a later commit than the one that answers it).
It returns records and never prints.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from piakit import documents
from piakit.conventions import (
    ITEM_SUFFIX,
    RESOLVES,
    SUBMISSION,
    opinion_path,
    opinions_prefix,
    split_item_path,
    split_resolves,
)
from piakit.model import Commit
from piakit.reports import CommitFinding, CommitsReport, SubmissionWarning
from piakit.usecases.review.trailers import (
    ReasonRule,
    message_hints,
    reason_problems,
    reason_rules,
    resolves_problems,
    submission_problems,
)
from piakit.versions import revising_touches
from piakit.workspace import Workspace


def check_commits(ws: Workspace, spec: str | None = None) -> CommitsReport:
    """Check the reasons of every commit in ``spec`` (a range such as ``origin/main..HEAD``;
    default: every commit reachable from HEAD)."""
    head = ws.head()
    if spec is None:
        reachable = ws.ancestors(head)
        commits = [c for c in ws.commits() if c.sha in reachable]
        spec_shown = "HEAD"
    else:
        ws.repo.rev_list(spec)  # an unknown revision fails here with its hint
        commits = ws.log([spec])
        spec_shown = spec
    rules = reason_rules(ws)
    report = commits_report(ws, spec_shown, commits, rules)
    return dataclasses.replace(report, resolves=tuple(resolves_findings(ws, commits)))


def commits_report(
    ws: Workspace, spec: str, commits: Sequence[Commit], rules: Sequence[ReasonRule]
) -> CommitsReport:
    """The verdict on ``commits`` (already read, ``spec`` names them) under ``rules``."""
    findings: list[CommitFinding] = []
    needing = 0
    # A merge lists only the text it wrote itself (Workspace.log): that is a revision.
    revising = _revising(ws, commits, rules)
    for commit in commits:
        required = [rule for rule in rules if commit.sha in revising.get(rule.slug, ())]
        submission = submission_problems(commit.trailers)
        if required:
            needing += 1
        problems = submission
        if required:
            allowed = {rule.slug: rule.allowed for rule in required}
            problems = reason_problems(commit.reasons, allowed) + submission
        if problems:
            findings.append(CommitFinding(commit, tuple(r.slug for r in required), tuple(problems)))
    if findings:
        messages = ws.repo.messages([f.commit.sha for f in findings])
        findings = [
            dataclasses.replace(f, hints=tuple(message_hints(messages.get(f.commit.sha, ""))))
            for f in findings
        ]
    return CommitsReport(
        spec=spec,
        checked=len(commits),
        needing=needing,
        findings=tuple(findings),
        allowed={rule.slug: rule.allowed for rule in rules},
        unpublished=tuple(rule.slug for rule in rules if rule.first_milestone is None),
        warnings=tuple(_late_important(ws, commits)),
    )


def _revising(
    ws: Workspace, commits: Sequence[Commit], rules: Sequence[ReasonRule]
) -> dict[str, frozenset[str]]:
    """For each published assessment, the commits that revise one of its items after its
    first milestone: through renames of its folder, and not a pure rename of a file nor an
    edit that leaves the item's value as it was (``versions.revising_touches``)."""
    return {
        rule.slug: frozenset(
            commit.sha
            for commit, _ in revising_touches(
                ws, rule.slug, [c for c in commits if c.sha not in rule.exempt]
            )
        )
        for rule in rules
        if rule.first_milestone is not None
    }


def _late_important(ws: Workspace, commits: Sequence[Commit]) -> list[SubmissionWarning]:
    """Commits that say ``Submission: 事後`` while changing an ``important`` item: a 重要な
    変更 is submitted before it takes effect (事前). Reads the items' blobs only for such
    commits, in one batch."""
    late = [
        c
        for c in commits
        if any(k.lower() == SUBMISSION.lower() and v.strip() == "事後" for k, v in c.trailers)
    ]
    changes = [
        (commit, change, where)
        for commit in late
        for change in commit.changes
        if not change.is_pure_rename
        and (where := split_item_path(change.path, ws.assessments_dir)) is not None
    ]
    if not changes:
        return []
    blobs = ws.repo.read_blobs(
        blob for _, change, _ in changes for blob in (change.old_blob, change.new_blob) if blob
    )
    warnings: list[SubmissionWarning] = []
    for commit, change, (slug, item_id) in changes:
        versions = [
            documents.load_item(blobs[blob], item_id, f"{change.path}@{commit.short}")
            for blob in (change.old_blob, change.new_blob)
            if blob is not None
        ]
        if any(version.important for version in versions):
            warnings.append(SubmissionWarning(commit, slug, item_id))
    return warnings


def resolves_findings(ws: Workspace, commits: Sequence[Commit]) -> list[CommitFinding]:
    """The commits whose ``Resolves:`` trailers are malformed or name an opinion whose file is
    neither in the commit's tree nor at a tip of ``commits`` (one no other of them descends
    from). The opinions folders are listed in one batch read, for those commits only."""
    resolving = [c for c in commits if c.trailer_values(RESOLVES)]
    if not resolving:
        return []
    parents = {parent for commit in commits for parent in commit.parents}
    tips = [commit.sha for commit in commits if commit.sha not in parents]
    slugs = sorted(
        {
            parsed[0]
            for commit in resolving
            for value in commit.trailer_values(RESOLVES)
            if (parsed := split_resolves(value)) is not None
        }
    )
    requests = [
        (sha, opinions_prefix(ws.assessments_dir, slug))
        for sha in dict.fromkeys([*(c.sha for c in resolving), *tips])
        for slug in slugs
    ]
    files: dict[str, set[str]] = {}
    for (sha, _), listing in zip(requests, ws.repo.folders_files(requests), strict=True):
        files.setdefault(sha, set()).update(listing)
    at_tips: set[str] = set().union(*(files.get(sha, set()) for sha in tips))
    shown_tips = ", ".join(sha[:7] for sha in tips)

    def known(slug: str) -> list[str]:
        prefix = opinions_prefix(ws.assessments_dir, slug)
        return sorted(
            path[len(prefix) : -len(ITEM_SUFFIX)]
            for path in at_tips
            if path.startswith(prefix) and path.endswith(ITEM_SUFFIX)
        )

    findings = []
    for commit in resolving:
        present = files.get(commit.sha, set()) | at_tips
        values = commit.trailer_values(RESOLVES)

        def exists(slug: str, opinion_id: str, present: set[str] = present) -> bool:
            return opinion_path(ws.assessments_dir, slug, opinion_id) in present

        problems = resolves_problems(
            values,
            ws.assessments_dir,
            exists,
            f"neither in commit {commit.short} nor at the tip of the range ({shown_tips})",
            known,
        )
        if problems:
            named = (parsed[0] for value in values if (parsed := split_resolves(value)))
            findings.append(CommitFinding(commit, tuple(dict.fromkeys(named)), tuple(problems)))
    return findings
