"""The reason-trailer rules: what a commit message must carry, and the commit-msg check.

- ``reason_problems``: what is wrong with a commit's ``Reason-Category`` / ``Reason``
  trailers for the assessments whose items it changes (pure);
- ``message_hints``: why git did not read trailers a message seems to hold (glued to the text
  above, a full-width colon, a misspelled or Japanese key) (pure);
- ``submission_problems``: the values ``Submission:`` may take (pure);
- ``resolves_problems``: ``Resolves:`` values that are no ``<slug>/<opinion id>`` or name an
  opinion that does not exist (pure: whether one exists is the caller's question);
- ``reason_rules``: which assessments ask reasons, from their first bound milestone;
- ``check_message``: the same rules for a commit being made (the commit-msg hook), a squash
  merge's message (a range) or a PR description.

It reads git only through the ``Workspace`` and never prints: it returns records.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from piakit.checks import did_you_mean
from piakit.conventions import (
    ITEM_SUFFIX,
    MILESTONE,
    REASON,
    REASON_CATEGORY,
    RESOLVES,
    SUBMISSION,
    opinion_path,
    opinions_prefix,
    split_item_path,
    split_resolves,
)
from piakit.history import parse_trailers
from piakit.model import FileChange, Reason
from piakit.reports import MessageReport
from piakit.versions import unrevised
from piakit.workspace import Workspace, merge_wrote

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
    keys = {known.lower(): known for known in (REASON_CATEGORY, REASON, MILESTONE, RESOLVES)}
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


#: A ``Resolves:`` value as the messages show it.
RESOLVES_EXAMPLE = f"{RESOLVES}: kokumin-nenkin/bukai-2020-07-01"


def resolves_problems(
    values: Iterable[str],
    assessments_dir: str,
    exists: Callable[[str, str], bool],
    nowhere: str,
    known: Callable[[str], Iterable[str]] = lambda slug: (),
) -> list[str]:
    """What is wrong with ``Resolves:`` values: one that is no ``<slug>/<opinion id>`` (ASCII,
    no ``..``, one ``/``), or whose opinion does not exist (``exists(slug, id)`` is false;
    ``nowhere`` says where it was looked for, ``known(slug)`` the ids that do exist there)."""
    problems = []
    for raw in values:
        value = raw.strip()
        parsed = split_resolves(value)
        if parsed is None or ".." in value:
            several = " (one trailer per opinion)" if ("," in value or " " in value) else ""
            problems.append(
                f"{RESOLVES}: {value!r} is not <slug>/<opinion id>{several}: the assessment's "
                "folder name, a '/', and the opinion file's name without .yaml, in lower-case "
                f"ASCII letters, digits and hyphens, e.g. {RESOLVES_EXAMPLE}"
            )
            continue
        slug, opinion_id = parsed
        if not exists(slug, opinion_id):
            path = opinion_path(assessments_dir, slug, opinion_id)
            problems.append(
                f"{RESOLVES}: {value} names no opinion: {path} is {nowhere}"
                + did_you_mean(opinion_id, known(slug))
            )
    return problems


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


# --- the commit-msg check -------------------------------------------------------------------------


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


def check_message(
    ws: Workspace, message: str, *, require: bool = False, range_spec: str | None = None
) -> MessageReport:
    """Check the message of a commit being made against the staged changes (the commit-msg
    hook). With ``range_spec`` the changes are those of the range's commits instead: the
    message is what a squash merge of them will carry (a PR description). With ``require``
    the message needs reasons whatever changed. Its ``Resolves:`` trailers, whatever
    changed, must each name an opinion whose file is in the work tree."""
    report = _check_reasons(ws, message, require=require, range_spec=range_spec)
    if RESOLVES.lower() not in message.lower():
        return report  # no git call for the trailers of a message that cannot hold one
    text = strip_comments(message.replace("\r\n", "\n"), ws.repo.comment_char())
    _, _, extra = parse_trailers(ws.repo.message_trailers(text))
    values = [value for key, value in extra if key.lower() == RESOLVES.lower()]
    root = ws.repo.root

    def exists(slug: str, opinion_id: str) -> bool:
        return (root / opinion_path(ws.assessments_dir, slug, opinion_id)).is_file()

    def known(slug: str) -> list[str]:
        folder = root / opinions_prefix(ws.assessments_dir, slug)
        return sorted(path.stem for path in folder.glob(f"*{ITEM_SUFFIX}"))

    problems = resolves_problems(values, ws.assessments_dir, exists, "not in the work tree", known)
    return replace(report, resolves=tuple(problems))


def _check_reasons(
    ws: Workspace, message: str, *, require: bool, range_spec: str | None
) -> MessageReport:
    """``check_message`` without the ``Resolves:`` trailers."""
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
