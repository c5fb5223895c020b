"""The terminal's text of the review records: the commits check, the commit-msg hook, a log.

Pure functions from ``review`` records to strings, in English like the rest of the CLI; an
item's changes are shown as one redline (``[-old-]{+new+}`` as ``git diff --word-diff``
writes them, or the caller's colours). They never read git or files and never print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from piakit.conventions import REASON, REASON_CATEGORY
from piakit.model import ABSENT_WORD
from piakit.render.common import path_text, reason_lines
from piakit.render.redline import markup, op_lines

if TYPE_CHECKING:
    from piakit.reports import CommitFinding, CommitsReport, ItemLog, LogEntry, MessageReport


#: Between the headings of an item's path, in the terminal and in the PR comment.
PATH_SEPARATOR = " › "
#: How a run of changed text is shown: (text, "delete" | "insert") → the marked text.
Marker = Callable[[str, str], str]


def redline(ops: Iterable[tuple[str, str]], marker: Marker) -> list[str]:
    """One text with deletions and insertions inline, as lines (for the terminal)."""
    return [markup([line], str, marker) for line in op_lines(ops)]


def plain_marker(text: str, kind: str) -> str:
    """``[-deleted-]`` and ``{+inserted+}``, as ``git diff --word-diff`` writes them."""
    return f"[-{text}-]" if kind == "delete" else f"{{+{text}+}}"


# --- commits check -----------------------------------------------------------------------------


def trailer_template(allowed: Mapping[str, tuple[str, ...] | None]) -> list[str]:
    """The lines that show how the end of a message should look."""
    categories = sorted({c for permitted in allowed.values() if permitted for c in permitted})
    example = categories[0] if categories else "事務所管課による修正"
    lines = [
        "    (a blank line)",
        f"    {REASON_CATEGORY}: {example}",
        f"    {REASON}: why the change is made (one line; repeat {REASON}: for more)",
    ]
    if categories:
        lines.append(f"  allowed categories: {', '.join(categories)}")
    return lines


def finding_lines(finding: CommitFinding) -> list[str]:
    commit = finding.commit
    lines = [f"{commit.short} {commit.subject} (changes items of {', '.join(finding.slugs)})"]
    lines += [f"    {problem}" for problem in finding.problems]
    lines += [f"    hint: {hint}" for hint in finding.hints]
    return lines


def commits_text(report: CommitsReport) -> str:
    """What ``piakit commits check`` prints when commits lack reasons."""
    lines: list[str] = []
    for finding in report.findings:
        lines += finding_lines(finding)
    lines += [
        "",
        "Each of these commits changes items after the assessment's first milestone, so its "
        "message must end with the reason trailers:",
        "",
        *trailer_template({s: report.allowed.get(s) for f in report.findings for s in f.slugs}),
        "",
        "How to fix:",
        "  the last commit of your branch:  git commit --amend",
        "  older commits of your branch:    git rebase -i <base> (mark them 'reword'), then",
        "                                   git push --force-with-lease",
        "  a squash merge keeps only the pull request's description: write the trailers there",
    ]
    return "\n".join(lines)


def message_text(report: MessageReport) -> str:
    """What the commit-msg hook prints when the message lacks reasons."""
    changed = ", ".join(report.files[:5]) + (" …" if len(report.files) > 5 else "")
    subject = {
        "staged": "this commit changes items of",
        "range": "these commits change items of",
        "required": "the message is for changes to",
    }[report.against]
    lines = [
        f"{subject} {', '.join(report.slugs) or 'the assessments'}"
        + (f" ({changed})" if changed else "")
        + " and its message needs reason trailers:",
        *(f"    {problem}" for problem in report.problems),
        *(f"    hint: {hint}" for hint in report.hints),
        "",
        "End the message with:",
        "",
        *trailer_template(report.allowed),
        "",
        "Your message is kept in .git/COMMIT_EDITMSG; to edit it again:",
        "    git commit -e -F .git/COMMIT_EDITMSG",
    ]
    return "\n".join(lines)


# --- log ---------------------------------------------------------------------------------------


def log_text(log: ItemLog, marker: Marker = plain_marker) -> str:
    """One item's history for the terminal, newest first, each revision with its redline."""
    current = log.current
    heading = f"{log.slug}/{log.item_id}"
    latest = next((e.new or e.old for e in log.entries if e.new or e.old), None)
    if latest is not None:
        page = f" (p. {latest.page})" if latest.page is not None else ""
        heading += f"  {path_text(latest.path, PATH_SEPARATOR)}{page}"
    lines = [heading]
    if current is None and log.entries:
        lines.append("(deleted: the item has no file at HEAD)")
    if not log.entries:
        lines.append("(no commit has changed this item)")
    for entry in log.entries:
        lines.append("")
        lines += _entry_lines(entry, marker)
    return "\n".join(lines) + "\n"


def _entry_lines(entry: LogEntry, marker: Marker) -> list[str]:
    commit = entry.commit
    date = commit.author_date.date().isoformat()
    lines = [f"{commit.short}  {date}  {commit.author_name}  {commit.subject}"]
    facts = []
    if entry.milestones:
        facts.append("milestone " + ", ".join(entry.milestones))
    if entry.status != "modified":
        facts.append(
            f"renamed from {entry.renamed_from}" if entry.status == "renamed" else entry.status
        )
    if entry.old and entry.new and entry.old.path != entry.new.path:
        facts.append(f"path was: {path_text(entry.old.path, PATH_SEPARATOR)}")
    if facts:
        lines.append("    (" + "; ".join(facts) + ")")
    for line in reason_lines(commit.reasons):
        lines.append(f"    {line}")
    if not commit.reasons:
        lines.append("    (no reason trailers)")
    ops = entry.ops()
    if not ops and entry.new is not None and entry.new.is_empty:
        lines.append(f"    {ABSENT_WORD}")
    for line in redline(ops, marker):
        lines.append(f"    | {line}")
    return lines
