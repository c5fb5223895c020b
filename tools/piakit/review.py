"""The editor's and reviewer's loop: the PR diff, the reason check of commits, one item's log.

Service functions over a ``Workspace``; they return records and never print:

- ``review_diff``: every item changed between the merge base of BASE and HEAD, with its old
  and new value, the reasons of the commits in ``BASE..HEAD`` that changed it, and warnings
  (commits without reasons, a 重要な変更, a renumbered item, a renamed file);
- ``check_commits``: the commits of a range that change an assessment's items after its first
  milestone and do not carry valid ``Reason-Category`` / ``Reason`` trailers, with what git
  saw in their messages (trailers glued to the body, a full-width colon, a misspelled key);
- ``check_message``: the same rule for a commit being made (the commit-msg hook);
- ``item_log``: one item's revisions, newest first, following renames of its file.

The rules about trailers themselves (``reason_problems``, ``message_hints``) are pure.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

from piakit import documents
from piakit.checks import did_you_mean
from piakit.compare import distinct_reasons
from piakit.conventions import MILESTONE, REASON, REASON_CATEGORY, SUBMISSION, split_item_path
from piakit.errors import GitError, InputError
from piakit.history import parse_trailers
from piakit.model import Commit, FileChange, Item, Reason
from piakit.textdiff import diff_ops
from piakit.versions import (
    ItemRevision,
    item_commits,
    item_histories,
    revising_touches,
    revision_value,
    unrevised,
    versions_at,
)
from piakit.workspace import Workspace, merge_wrote

Op = tuple[str, str]

# --- the rules about reasons (pure) ------------------------------------------------------------


def reason_problems(
    reasons: Sequence[Reason], allowed: Mapping[str, tuple[str, ...] | None]
) -> list[str]:
    """What is wrong with a commit's reasons for the assessments in ``allowed`` (slug → its
    ``reason_categories``, ``None`` for any). Empty when they are fine."""
    if not reasons:
        return [f"no {REASON_CATEGORY} and {REASON} trailers"]
    problems = []
    categories = list(dict.fromkeys(r.category for r in reasons if r.category))
    if not categories:
        problems.append(f"no {REASON_CATEGORY} trailer")
    elif any(r.category is None for r in reasons):
        problems.append(
            f"a {REASON} line stands before any {REASON_CATEGORY}: put the category first"
        )
    if not any(r.reason for r in reasons):
        problems.append(f"no {REASON} trailer")
    for slug, permitted in sorted(allowed.items()):
        if not permitted:
            continue
        for category in categories:
            if category not in permitted:
                problems.append(
                    f"{REASON_CATEGORY} {category!r} is not one of {slug}'s reason_categories "
                    f"({', '.join(permitted)}){did_you_mean(category, permitted)}"
                )
    return problems


_KEY_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<key>[^\s:：][^:：]{0,40}?)[ \t]*(?P<colon>[:：])")
_TRAILER_LINE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*[ \t]*:")
_JAPANESE_KEYS = ("理由", "修正区分", "区分", "修正理由", "理由区分")


def message_hints(message: str) -> list[str]:
    """Why git did not read reason trailers that a message seems to hold: each hint says
    what to change. Empty when the message has no line that looks like one."""
    paragraphs = _paragraphs(message)
    hints: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        for index, line in enumerate(paragraph):
            if number == 0 and index == 0:
                continue  # the subject
            match = _KEY_LINE.match(line)
            if match is None:
                continue
            key = match.group("key").strip()
            known = _known_key(key)
            if key in _JAPANESE_KEYS:
                hints.append(
                    f"{line.strip()!r}: git reads only ASCII keys; write "
                    f"{REASON_CATEGORY}: … and {REASON}: …"
                )
                continue
            if known is None:
                continue
            if match.group("colon") == "：":
                hints.append(f"{line.strip()!r}: write an ASCII colon ':' after {key}, not '：'")
            if key != known and key.lower() != known.lower():
                hints.append(f"{line.strip()!r}: the key is {known}, not {key}")
            if match.group("indent"):
                hints.append(f"{line.strip()!r}: a trailer starts at the beginning of the line")
            if number != len(paragraphs) - 1:
                hints.append(
                    "the trailers must be the last paragraph of the message: move them to the "
                    "end, after everything else"
                )
            else:
                before = [p for p in paragraph[:index] if not _TRAILER_LINE.match(p)]
                after = [
                    p
                    for p in paragraph[index:]
                    if not _TRAILER_LINE.match(p) and not p.startswith((" ", "\t"))
                ]
                if before:
                    hints.append(
                        "put a blank line before the trailers: git reads them only as a "
                        "paragraph of their own, and here they are glued to the text above"
                    )
                elif after:
                    hints.append(
                        f"every line of the trailer paragraph must be Key: value; move "
                        f"{after[0].strip()!r} above the blank line"
                    )
    return list(dict.fromkeys(hints))


def _known_key(key: str) -> str | None:
    """The trailer key piakit reads that ``key`` is, or is close to (``Reasons``)."""
    keys = {known.lower(): known for known in (REASON_CATEGORY, REASON, MILESTONE)}
    lowered = key.lower().replace(" ", "-").replace("_", "-")
    close = difflib.get_close_matches(lowered, list(keys), n=1, cutoff=0.8)
    return keys[close[0]] if close else None


def _paragraphs(message: str) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in message.rstrip("\n").split("\n"):
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def strip_comments(message: str, comment_char: str = "#") -> str:
    """A message as git will store it: comment lines and everything below the scissors line
    (``git commit -v``) removed."""
    kept = []
    for line in message.split("\n"):
        if line.startswith(f"{comment_char} ------------------------ >8 ------------------------"):
            break
        if not line.startswith(comment_char):
            kept.append(line)
    return "\n".join(kept)


# --- which commits need reasons ----------------------------------------------------------------


@dataclass(frozen=True)
class ReasonRule:
    """The reason requirement of one assessment: commits not reachable from its first bound
    milestone (``exempt``) that change its items need reasons from ``allowed``."""

    slug: str
    prefix: str
    first_milestone: str | None
    exempt: frozenset[str]
    allowed: tuple[str, ...] | None
    #: ``prefix`` and the items folders the assessment had before its folder was renamed.
    prefixes: tuple[str, ...] = ()

    def holds(self, path: str) -> bool:
        return path.startswith(self.prefixes or (self.prefix,))


def reason_rules(ws: Workspace) -> list[ReasonRule]:
    rules = []
    for slug in ws.slugs():
        assessment = ws.assessment(slug)
        bound = ws.bound_milestones(slug)
        first = bound[0].commit if bound else None
        rules.append(
            ReasonRule(
                slug=slug,
                prefix=ws.items_prefix(slug),
                first_milestone=first,
                exempt=frozenset(ws.ancestors(first)) if first else frozenset(),
                allowed=assessment.reason_categories,
                prefixes=ws.items_prefixes(slug),
            )
        )
    return rules


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


@dataclass(frozen=True)
class CommitFinding:
    """A commit that needs reasons and whose reasons are missing or wrong."""

    commit: Commit
    slugs: tuple[str, ...]
    problems: tuple[str, ...]
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubmissionWarning:
    """A commit that says ``Submission: 事後`` while it changes an ``important`` item."""

    commit: Commit
    slug: str
    item_id: str

    def __str__(self) -> str:
        return (
            f"commit {self.commit.short} says Submission: 事後 but changes {self.slug}/"
            f"{self.item_id}, an important item (重要な変更 are submitted 事前)"
        )


@dataclass(frozen=True)
class CommitsReport:
    spec: str
    checked: int
    needing: int
    findings: tuple[CommitFinding, ...]
    allowed: Mapping[str, tuple[str, ...] | None] = field(default_factory=dict)
    #: Assessments with no bound milestone yet, whose commits need no reasons.
    unpublished: tuple[str, ...] = ()
    #: Explicit 事後 on commits that change important items: allowed, but looked at.
    warnings: tuple[SubmissionWarning, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.findings


def check_commits(ws: Workspace, spec: str | None = None) -> CommitsReport:
    """Check the reasons of every commit in ``spec`` (a range such as ``origin/main..HEAD``;
    default: every commit reachable from HEAD)."""
    head = ws.repo.require_history()
    if spec is None:
        reachable = ws.ancestors(head)
        commits = [c for c in ws.commits() if c.sha in reachable]
        spec_shown = "HEAD"
    else:
        ws.repo.rev_list(spec)  # an unknown revision fails here with its hint
        commits = ws.log([spec])
        spec_shown = spec
    rules = reason_rules(ws)
    return _report(ws, spec_shown, commits, rules)


def _report(
    ws: Workspace, spec: str, commits: Sequence[Commit], rules: Sequence[ReasonRule]
) -> CommitsReport:
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


#: The values ``Submission:`` may take: 事前 (before the change takes effect) or 事後.
SUBMISSION_VALUES = ("事前", "事後")


def submission_problems(trailers: Iterable[tuple[str, str]]) -> list[str]:
    """What is wrong with a commit's ``Submission`` trailers (only 事前 and 事後 exist, and
    a commit is submitted one way)."""
    values = [value.strip() for key, value in trailers if key.lower() == SUBMISSION.lower()]
    problems = [
        f"{SUBMISSION}: {value!r} is neither 事前 nor 事後"
        for value in values
        if value not in SUBMISSION_VALUES
    ]
    if all(value in values for value in SUBMISSION_VALUES):
        problems.append(
            f"both {SUBMISSION}: 事前 and {SUBMISSION}: 事後: a change is submitted either "
            "before it takes effect or after; keep the one that is true"
        )
    return problems


def _late_important(ws: Workspace, commits: Sequence[Commit]) -> list[SubmissionWarning]:
    """Commits that say ``Submission: 事後`` while changing an ``important`` item: a 重要な
    変更 is submitted before it takes effect (事前). Reads the items' blobs only for such
    commits, in one batch."""
    late = [
        c
        for c in commits
        if any(k.lower() == SUBMISSION.lower() and v.strip() == "事後" for k, v in c.trailers)
    ]
    ws.assessments_dir + "/"
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


def _merge_written(ws: Workspace) -> list[str]:
    """The item files to which the merge being concluded writes text of its own (different
    from HEAD and from MERGE_HEAD, by the rule ``merge_wrote`` applies to merge commits)."""
    repo = ws.repo
    staged = [
        change
        for change in repo.staged_changes([ws.assessments_dir])
        if split_item_path(change.path, ws.assessments_dir) is not None
    ]
    if not staged:
        return []
    theirs = repo.ls_tree("MERGE_HEAD", ws.assessments_dir)
    judged = [
        replace(change, parent_blobs=(change.old_blob, theirs.get(change.path)))
        for change in staged
        if change.new_blob != theirs.get(change.path)
    ]
    contents = repo.read_blobs(
        blob for change in judged for blob in (*change.parent_blobs, change.new_blob) if blob
    )
    return [change.path for change in judged if merge_wrote(change, contents)]


def _revision_paths(changes: Iterable[FileChange]) -> list[str]:
    """The paths of the changes that revise a file's text (a pure rename does not)."""
    return _change_paths(change for change in changes if not change.is_pure_rename)


def _value_paths(ws: Workspace, changes: Sequence[FileChange]) -> list[str]:
    """``_revision_paths`` of the changes that revise an item's value: an edit of an item
    file that leaves the parsed item as it was (a comment, ``piakit fmt``) is none."""
    ws.assessments_dir + "/"
    edits = {}
    for change in changes:
        where = split_item_path(change.path, ws.assessments_dir)
        old = split_item_path(change.old_path, ws.assessments_dir) if change.old_path else where
        if where is not None and old is not None and where[1] == old[1]:
            edits[change] = (change.old_blob, change.new_blob, where[1])
    same = unrevised(ws, edits.values())
    return list(
        dict.fromkeys(_revision_paths(c for c in changes if c not in edits or edits[c] not in same))
    )


def _change_paths(changes: Iterable[FileChange]) -> list[str]:
    paths = []
    for change in changes:
        paths.append(change.path)
        if change.old_path:
            paths.append(change.old_path)
    return paths


@dataclass(frozen=True)
class MessageReport:
    """The commit-msg hook's verdict on a commit being made."""

    slugs: tuple[str, ...]  # assessments whose items the staged changes touch and need reasons
    files: tuple[str, ...]
    problems: tuple[str, ...]
    hints: tuple[str, ...]
    allowed: Mapping[str, tuple[str, ...] | None]
    skipped: str | None = None  # why nothing was required (merge, nothing staged…)
    #: What the message was judged against: the staged changes, a range's, or nothing.
    against: Literal["staged", "range", "required"] = "staged"

    @property
    def ok(self) -> bool:
        return not self.problems


def check_message(
    ws: Workspace, message: str, *, require: bool = False, range_spec: str | None = None
) -> MessageReport:
    """Check the message of a commit being made against the staged changes (the commit-msg
    hook). With ``range_spec`` the changes are those of the range's commits instead: the
    message is what a squash merge of them will carry (a PR description). With ``require``
    the message needs reasons whatever changed."""
    repo = ws.repo
    text = strip_comments(message.replace("\r\n", "\n"), repo.comment_char())
    rules = reason_rules(ws)
    allowed_all = {rule.slug: rule.allowed for rule in rules}
    if require:
        required = list(rules)
        files: list[str] = []
    else:
        head = repo.head()
        if head is None:
            return MessageReport((), (), (), (), allowed_all, skipped="the first commit")
        if range_spec is not None:
            repo.rev_list(range_spec)  # an unknown revision fails here with its hint
            commits = ws.log([range_spec])
            files = _value_paths(ws, [change for c in commits for change in c.changes])
        elif repo.is_merging():
            files = _merge_written(ws)
            if not files:
                return MessageReport(
                    (), (), (), (), allowed_all, skipped="the merge writes no text of its own"
                )
        else:
            files = _value_paths(ws, repo.staged_changes([ws.assessments_dir]))
        reachable = ws.ancestors(head)
        required = [
            rule
            for rule in rules
            if rule.first_milestone is not None
            and rule.first_milestone in reachable
            and any(rule.holds(path) for path in files)
        ]
        files = [path for path in files if any(r.holds(path) for r in required)]
        if not required:
            return MessageReport(
                (), (), (), (), allowed_all, skipped="no item of a published assessment changes"
            )
    reasons, _, extra = parse_trailers(repo.message_trailers(text))
    problems = reason_problems(reasons, {rule.slug: rule.allowed for rule in required})
    problems += submission_problems(extra)
    hints = message_hints(text) if problems else []
    return MessageReport(
        tuple(rule.slug for rule in required),
        tuple(files),
        tuple(problems),
        tuple(hints),
        {rule.slug: rule.allowed for rule in required},
        against="required" if require else "range" if range_spec is not None else "staged",
    )


# --- the PR diff -------------------------------------------------------------------------------

ChangeStatus = Literal["added", "deleted", "modified", "renamed"]


@dataclass(frozen=True)
class ItemChange:
    """One item that differs between the merge base and HEAD."""

    slug: str
    item_id: str
    file: str
    old_file: str | None
    status: ChangeStatus
    old: Item | None
    new: Item | None
    reasons: tuple[Reason, ...] = ()

    @property
    def old_id(self) -> str:
        return Path(self.old_file).stem if self.old_file else self.item_id

    @property
    def path(self) -> tuple[str, ...]:
        item = self.new or self.old
        return item.path if item else ()

    @property
    def page(self) -> int | None:
        item = self.new or self.old
        return item.page if item else None

    @property
    def important(self) -> bool:
        return bool((self.old and self.old.important) or (self.new and self.new.important))

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old.path != self.new.path

    @property
    def old_text(self) -> str:
        return self.old.plain() if self.old else ""

    @property
    def new_text(self) -> str:
        return self.new.plain() if self.new else ""

    def ops(self) -> list[Op]:
        return diff_ops(self.old_text, self.new_text)


WarningKind = Literal["no-reasons", "important", "renumbered", "renamed", "other-file"]


@dataclass(frozen=True)
class ReviewWarning:
    kind: WarningKind
    slug: str | None = None
    item: str | None = None
    commit: Commit | None = None
    detail: str = ""


@dataclass(frozen=True)
class ReviewDiff:
    base: str
    head: str
    base_rev: str
    head_rev: str
    merge_base: str
    commits: tuple[Commit, ...]
    changes: tuple[ItemChange, ...]
    warnings: tuple[ReviewWarning, ...]
    findings: tuple[CommitFinding, ...]
    titles: Mapping[str, str]
    other_files: tuple[str, ...] = ()


def review_diff(ws: Workspace, base: str, head: str | None = None) -> ReviewDiff:
    """What a pull request from ``base`` to ``head`` (default HEAD) changes in the items."""
    repo = ws.repo
    repo.require_history()
    head_rev = head or "HEAD"
    base_sha = _resolve(ws, base)
    head_sha = _resolve(ws, head_rev)
    if not (ws.has_commit(head_sha) and ws.has_commit(base_sha)):
        # A head (or base) that is not checked out: the history pass must start from it.
        ws = Workspace(repo, ws.assessments_dir, ws.scope, starts=(base_sha, head_sha))
    merge_base = repo.merge_base(base_sha, head_sha) or base_sha
    changes = repo.diff_raw(merge_base, head_sha, [ws.assessments_dir + "/"])
    commits = ws.log([head_sha], exclude=[base_sha])
    ws.assessments_dir + "/"

    # The assessment each changed folder belongs to now (its folder may have been renamed).
    owners: dict[str, str] = {}
    for slug in ws.slugs():
        owners[slug] = slug
        for old, _ in ws.folder_renames(slug):
            owners.setdefault(old, slug)
    slugs: list[str] = []
    other_files: list[str] = []
    renamed: list[ReviewWarning] = []
    for change in changes:
        found = [
            split_item_path(p, ws.assessments_dir) for p in (change.path, change.old_path) if p
        ]
        if not any(found):
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
    findings = _report(ws, f"{base}..{head_rev}", commits, rules).findings
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
        titles[slug] = " ".join(filter(None, [assessment.organization, assessment.title]))
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
    )


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


def _unique_commits(commits: Iterable[Commit]) -> list[Commit]:
    return list({commit.sha: commit for commit in commits}.values())


def _change_order(change: ItemChange) -> tuple[object, ...]:
    item = change.new or change.old
    key = item.sort_key() if item else (0, 0, (), change.item_id)
    return (change.slug, key)


# --- one item's log ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    """One commit that changed the item: its value after (``new``) and before (``old``)."""

    commit: Commit
    item_id: str
    old: Item | None
    new: Item | None
    renamed_from: str | None = None
    milestones: tuple[str, ...] = ()

    @property
    def status(self) -> ChangeStatus:
        if self.renamed_from is not None:
            return "renamed"
        if self.old is None:
            return "added"
        if self.new is None:
            return "deleted"
        return "modified"

    def ops(self) -> list[Op]:
        return diff_ops(self.old.plain() if self.old else "", self.new.plain() if self.new else "")


@dataclass(frozen=True)
class ItemLog:
    slug: str
    item_id: str
    file: str
    entries: tuple[LogEntry, ...]  # newest first

    @property
    def current(self) -> Item | None:
        return self.entries[0].new if self.entries else None


#: A rename without the same contents is followed when the texts are at least this similar
#: (git's own default for ``-M``).
RENAME_SIMILARITY = 0.5


def item_log(ws: Workspace, spec: str, cwd: Path | None = None) -> ItemLog:
    """The revisions of the item ``spec`` names (``slug/id``, an id, or its file's path),
    newest first, through renames of its file."""
    slug, item_id = _find_item(ws, spec, cwd or Path.cwd())
    histories = item_histories(ws, slug)
    bound: dict[str, list[str]] = {}
    for status in ws.milestones(slug):
        if status.bound is not None:
            bound.setdefault(status.bound.commit, []).append(status.milestone.id)
    by_commit: dict[str, list[ItemRevision]] = {}
    for revisions in histories.values():
        for revision in revisions:
            by_commit.setdefault(revision.commit.sha, []).append(revision)

    entries: list[LogEntry] = []
    current_id = item_id
    if item_id not in histories:
        # An id that a pure rename gave up: its history goes on under the new id.
        current_id = next(
            (
                key
                for key, found in histories.items()
                if any(item_id in (r.item_id, r.renamed_from) for r in found)
            ),
            item_id,
        )
    revisions = list(histories.get(current_id, []))
    seen: set[tuple[str, str]] = set()
    while revisions:
        oldest = revisions[0]
        renamed = None
        if oldest.previous is None and oldest.item is not None:
            renamed = _rename_source(oldest, by_commit.get(oldest.commit.sha, []))
        for revision in reversed(revisions[1:] if renamed else revisions):
            if _revises(revision):
                entries.append(_entry(revision, bound))
        if renamed is None or (renamed.item_id, oldest.commit.sha) in seen:
            break
        seen.add((renamed.item_id, oldest.commit.sha))
        entries.append(
            LogEntry(
                commit=oldest.commit,
                item_id=current_id,
                old=renamed.previous,
                new=oldest.item,
                renamed_from=renamed.item_id,
                milestones=tuple(bound.get(oldest.commit.sha, ())),
            )
        )
        earlier = histories.get(renamed.item_id, [])
        cut = next(i for i, r in enumerate(earlier) if r is renamed)
        revisions = earlier[:cut]
        current_id = renamed.item_id
    newest = entries[0].item_id if entries else item_id
    return ItemLog(slug, newest, f"{ws.items_prefix(slug)}{newest}.yaml", tuple(entries))


def _revises(revision: ItemRevision) -> bool:
    """Whether a commit revised the item: a comment, a reformat or new line endings that
    leave its ``revision_value`` as it was are no revision (``piakit commits check`` asks
    no reasons for them), and the log does not list them."""
    if revision.item is None or revision.previous is None or revision.renamed_from:
        return True
    return revision_value(revision.item) != revision_value(revision.previous)


def _entry(revision: ItemRevision, bound: Mapping[str, list[str]]) -> LogEntry:
    return LogEntry(
        commit=revision.commit,
        item_id=revision.item_id,
        old=revision.previous,
        new=revision.item,
        renamed_from=revision.renamed_from,
        milestones=tuple(bound.get(revision.commit.sha, ())),
    )


def _rename_source(added: ItemRevision, same_commit: Sequence[ItemRevision]) -> ItemRevision | None:
    """The deletion in the same commit that ``added`` continues: the same contents, or the
    one similar enough when the commit deletes and adds one item each."""
    assert added.item is not None
    deleted = [
        r
        for r in same_commit
        if r.item is None and r.previous is not None and r.item_id != added.item_id
    ]
    for revision in deleted:
        assert revision.previous is not None
        if dataclasses.replace(revision.previous, id=added.item_id) == added.item:
            return revision
    additions = [r for r in same_commit if r.previous is None and r.item is not None]
    if len(deleted) == 1 and len(additions) == 1:
        previous = deleted[0].previous
        assert previous is not None
        if previous.path == added.item.path:
            return deleted[0]
        ratio = SequenceMatcher(None, previous.plain(), added.item.plain(), autojunk=False).ratio()
        if ratio >= RENAME_SIMILARITY:
            return deleted[0]
    return None


def _find_item(ws: Workspace, spec: str, cwd: Path) -> tuple[str, str]:
    """(slug, id) of the item that ``spec`` names."""
    prefix = ws.assessments_dir + "/"
    if spec.endswith((".yaml", ".yml")):
        path = Path(spec)
        absolute = path if path.is_absolute() else cwd / path
        try:
            relative = absolute.resolve().relative_to(ws.repo.root.resolve()).as_posix()
        except ValueError:
            relative = spec
        where = split_item_path(relative, ws.assessments_dir)
        if where is None:
            raise InputError(
                f"{spec} is not an item file of this repository",
                hint=f"name an item as <slug>/<id>, its id, or {prefix}<slug>/items/<id>.yaml",
            )
        return where
    slugs = ws.slugs()
    if "/" in spec:
        slug, _, item_id = spec.partition("/")
        if slug not in slugs:
            raise InputError(
                f"unknown assessment {slug!r}",
                hint=f"known assessments: {', '.join(slugs) or 'none'}",
            )
        candidates = [(slug, item_id)] if _item_exists(ws, slug, item_id) else []
        known = _known_ids(ws, [slug])
    else:
        candidates = [(slug, spec) for slug in slugs if _item_exists(ws, slug, spec)]
        known = _known_ids(ws, slugs)
    if len(candidates) > 1:
        raise InputError(
            f"several assessments have an item {spec!r}",
            hint="name one: " + ", ".join(f"{s}/{i}" for s, i in candidates),
        )
    if not candidates:
        item_id = spec.rpartition("/")[2]
        raise InputError(
            f"no item {spec!r} in the current files or the history"
            + did_you_mean(item_id, [i for _, i in known]),
            hint="name an item by its id (its file name without .yaml), as <slug>/<id>, or by "
            "its file's path",
        )
    return candidates[0]


def _item_exists(ws: Workspace, slug: str, item_id: str) -> bool:
    if (ws.repo.root / f"{ws.items_prefix(slug)}{item_id}.yaml").is_file():
        return True
    histories = item_histories(ws, slug)
    return item_id in histories or any(
        item_id in (r.item_id, r.renamed_from) for found in histories.values() for r in found
    )


def _known_ids(ws: Workspace, slugs: Sequence[str]) -> list[tuple[str, str]]:
    known: list[tuple[str, str]] = []
    for slug in slugs:
        folder = ws.repo.root / ws.items_prefix(slug)
        ids = {p.stem for p in folder.glob("*.yaml")} | set(item_histories(ws, slug))
        known.extend((slug, item_id) for item_id in sorted(ids))
    return known
