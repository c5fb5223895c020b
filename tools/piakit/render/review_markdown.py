"""The PR comment: the ``piakit diff`` record as GitHub Markdown.

A pure function from a ``ReviewDiff`` to a string. The comment is in Japanese, for the
department, the information-systems section and the council who read it; it starts with a
hidden marker so that the workflow updates its one comment instead of adding another.
Changed characters are marked ``<del>`` (old) and ``<ins>`` (new), which GitHub keeps; every
character of item text is escaped, so a text can never produce markup. With a length limit,
whole parts are left out and counted, never cut. It never reads git or files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from piakit.conventions import OUTCOMES, REASON, REASON_CATEGORY
from piakit.model import ABSENT_WORD, ADDED_WORD, CHANGED_WORD, DELETED_WORD, REMOVED_WORD, Reason
from piakit.render.common import category_line, path_text, reason_groups
from piakit.render.markdown import escape
from piakit.render.redline import Piece, markup, tag
from piakit.render.review_text import PATH_SEPARATOR

if TYPE_CHECKING:
    from piakit.reports import ItemChange, OpinionMention, ReviewDiff, ReviewWarning


#: The first line of the PR comment; the workflow finds its comment by it.
MARKER = "<!-- piakit-diff -->"

STATUS_LABELS = {
    "added": ADDED_WORD,
    "deleted": REMOVED_WORD,
    "modified": CHANGED_WORD,
    "renamed": "ファイル名の変更",
}


def sides(ops: Iterable[tuple[str, str]]) -> tuple[list[list[Piece]], list[list[Piece]]]:
    """The old and the new text of a diff, each cut into lines of marked pieces."""
    old: list[list[Piece]] = [[]]
    new: list[list[Piece]] = [[]]
    for kind, text in ops:
        targets = []
        if kind in ("equal", "delete"):
            targets.append((old, "del" if kind == "delete" else None))
        if kind in ("equal", "insert"):
            targets.append((new, "ins" if kind == "insert" else None))
        for lines, mark in targets:
            for index, part in enumerate(text.split("\n")):
                if index:
                    lines.append([])
                if part:
                    lines[-1].append((part, mark))
    return old, new


def reason_inline(reasons: Iterable[Reason]) -> str:
    """Reasons on one line: ``【category】reason、reason 【category】…``."""
    parts = []
    for group in reason_groups(reasons):
        head = category_line(group.category) if group.category is not None else ""
        parts.append(head + "、".join(group.reasons))
    return " ".join(parts)


def reason_markdown(reasons: Iterable[Reason]) -> list[str]:
    """Reasons as a Markdown list: each category, its reasons nested under it."""
    lines = []
    for group in reason_groups(reasons):
        if group.category is not None:
            lines.append(f"- {escape(category_line(group.category))}")
            lines += [f"  - {escape(text)}" for text in group.reasons]
        else:
            lines += [f"- {escape(text)}" for text in group.reasons]
    return lines


#: The smallest ``max_chars`` of the PR comment: what is always there (the heading, the
#: summary with both revisions) and the note of what was left out fit in it.
MIN_MAX_CHARS = 500
#: A revision name longer than this (once escaped) is shown by its commit id instead.
_REV_CHARS = 60


def diff_markdown(diff: ReviewDiff, *, max_chars: int | None = None) -> str:
    """The PR comment. With ``max_chars`` (GitHub allows 65,536 in a comment; at least
    ``MIN_MAX_CHARS``) the whole comment is at most that long: warnings, items and commits
    that do not fit are left out whole, never cut, and a note at the end counts them."""
    base_rev = _rev_shown(diff.base_rev, diff.base)
    head_rev = _rev_shown(diff.head_rev, diff.head)
    head = [
        MARKER,
        "## 評価書の変更 (piakit diff)",
        "",
        f"`{base_rev}` ({diff.base[:7]}) → `{head_rev}` "
        f"({diff.head[:7]}): 変更された項目 {len(diff.changes)} 件、"
        f"コミット {len(diff.commits)} 件" + _opinion_counts(diff),
        "",
    ]
    opening = "\n".join(head) + "\n"
    warnings = [f"> - {line}\n" for line in _warning_lines(diff)]
    opinions = _opinion_lines(diff)
    several = len({change.slug for change in diff.changes}) > 1
    sections = [_item_section(change, diff, several) for change in diff.changes]
    if not diff.changes:
        sections = ["評価書の項目に変更はありません。\n\n"]
    commits = [line + "\n" for line in _commit_section(diff)[2:]]
    full = _comment(opening, warnings, sections, commits, opinions)
    if max_chars is None or len(full) <= max_chars:
        return full
    # Reserve the note for the most that could be left out (its numbers only get shorter).
    note_room = len(
        _omitted_note(base_rev, head_rev, len(sections), len(commits), len(warnings), len(opinions))
    )
    always = [] if diff.changes else sections  # "no change to the items" is never left out
    room = max_chars - note_room - len(_comment(opening, [], always, []))
    kept_warnings, room = _fitting(warnings, room, len(_WARNING_HEAD) + 1)
    kept_opinions, room = _fitting(opinions, room, len(_OPINION_HEAD) + 1)
    kept_sections, room = _fitting(sections, room, 0) if diff.changes else (always, room)
    kept_commits, room = _fitting(commits, room, len(_COMMIT_HEAD))
    note = _omitted_note(
        base_rev,
        head_rev,
        len(sections) - len(kept_sections),
        len(commits) - len(kept_commits),
        len(warnings) - len(kept_warnings),
        len(opinions) - len(kept_opinions),
    )
    return _comment(opening, kept_warnings, kept_sections, kept_commits, kept_opinions) + note


_WARNING_HEAD = "> [!WARNING]\n> **確認が必要です**\n>\n"
_COMMIT_HEAD = "### コミット\n\n"
_OPINION_HEAD = "### 意見への対応\n\n"


def _comment(
    opening: str,
    warnings: list[str],
    sections: list[str],
    commits: list[str],
    opinions: Sequence[str] = (),
) -> str:
    """The comment from its parts, each part whole: a warning, opinion or commit line, an
    item."""
    out = opening
    if warnings:
        out += _WARNING_HEAD + "".join(warnings) + "\n"
    if opinions:
        out += _OPINION_HEAD + "".join(opinions) + "\n"
    out += "".join(sections)
    if commits:
        out += _COMMIT_HEAD + "".join(commits)
    return out


def _fitting(parts: list[str], room: int, heading: int) -> tuple[list[str], int]:
    """The first of ``parts`` that fit in ``room`` characters (with their ``heading`` when
    any is kept), and the room left."""
    kept: list[str] = []
    for part in parts:
        cost = len(part) + (heading if not kept else 0)
        if cost > room:
            break
        kept.append(part)
        room -= cost
    return kept, room


def _omitted_note(
    base_rev: str, head_rev: str, items: int, commits: int, warnings: int, opinions: int = 0
) -> str:
    counts = [
        f"{count} {unit}"
        for count, unit in (
            (items, "項目"),
            (commits, "件のコミット"),
            (warnings, "件の警告"),
            (opinions, "件の意見"),
        )
        if count
    ]
    if not counts:
        return ""
    return (  # a paragraph of its own, not a line of the list above it
        f"\nほか {'、'.join(counts)}はコメントの長さの上限のため省略しました。"
        f"全体は `piakit diff {base_rev} {head_rev}` で見られます。\n"
    )


def _rev_shown(rev: str, commit: str) -> str:
    """``rev`` escaped, or the commit id when the name is too long to show (a branch name
    can be hundreds of characters): the comment's length must not depend on it."""
    shown = escape(rev)
    return shown if len(shown) <= _REV_CHARS else commit[:12]


def _warning_lines(diff: ReviewDiff) -> list[str]:
    changes = {(c.slug, c.item_id): c for c in diff.changes}
    lines = []
    for warning in diff.warnings:
        change = changes.get((warning.slug or "", warning.item or ""))
        lines.append(_warning_text(warning, change))
    for path in diff.other_files:
        lines.append(f"**その他のファイルの変更**: `{escape(path)}`")
    return lines


def _warning_text(warning: ReviewWarning, change: ItemChange | None) -> str:
    name = (
        f"「{escape(path_text(change.path, PATH_SEPARATOR))}」" if change else f"`{warning.item}`"
    )
    if warning.kind == "no-reasons" and warning.commit is not None:
        label = (
            "理由のないコミット"
            if not warning.commit.reasons
            else "理由の書き方に問題があるコミット"
        )
        return (
            f"**{label}**: `{warning.commit.short}` {escape(warning.commit.subject)} "
            f"({escape(warning.detail)})。コミットメッセージの末尾に空行をはさんで "
            f"`{REASON_CATEGORY}:` と `{REASON}:` を書いてください"
        )
    if warning.kind == "important":
        return (
            f"**重要な変更**: {name} は重要な変更にあたる項目です。変更すると評価の再実施が必要です"
        )
    if warning.kind == "renumbered" and change is not None and change.old and change.new:
        return (
            f"**見出しの変更 (番号の振り直し)**: 「{_path(change.old.path)}」→ "
            f"「{_path(change.new.path)}」"
        )
    if warning.kind == "renamed":
        return (
            f"**ファイル名の変更**: `{escape(warning.detail)}` → `{escape(warning.item or '')}`。"
            "項目の ID (ファイル名) は変えないのが原則です"
        )
    return escape(warning.detail)


def _path(path: Sequence[str]) -> str:
    return escape(path_text(path, PATH_SEPARATOR))


def _cell(lines: list[list[Piece]], empty: str) -> str:
    if not any(lines):
        return empty
    return markup(lines, escape, tag)


def _item_section(change: ItemChange, diff: ReviewDiff, several: bool) -> str:
    page = f" (p. {change.page})" if change.page is not None else ""
    title = path_text(change.path, PATH_SEPARATOR) or change.item_id
    out = [f"### {escape(title)}{page}", ""]
    facts = [f"`{escape(change.file)}`", STATUS_LABELS[change.status]]
    if several:
        facts.insert(0, escape(diff.titles.get(change.slug, change.slug)))
    if change.important:
        facts.append("**※重要な変更にあたる項目**")
    out += [" · ".join(facts), ""]
    old_lines, new_lines = sides(change.ops())
    old_cell = _cell(old_lines, ABSENT_WORD)
    new_cell = _cell(new_lines, DELETED_WORD if change.new is None else ABSENT_WORD)
    out += ["| 変更前 | 変更後 |", "| --- | --- |", f"| {old_cell} | {new_cell} |", ""]
    reasons = reason_markdown(change.reasons)
    if reasons:
        out += ["**理由**", "", *reasons]
    else:
        out.append("**理由**: (なし)")
    out.append("")
    return "\n".join(out) + "\n"


def _opinion_counts(diff: ReviewDiff) -> str:
    """``、対応する意見 2 件、検討中の意見 1 件`` for the summary line; ``""`` for none."""
    counts = []
    if diff.resolved:
        counts.append(f"対応する意見 {len(diff.resolved)} 件")
    if diff.open_opinions:
        counts.append(f"検討中の意見 {len(diff.open_opinions)} 件")
    return "".join(f"、{count}" for count in counts)


def _opinion_lines(diff: ReviewDiff) -> list[str]:
    """The opinions the PR resolves, then those still open, one part per opinion; each
    group's heading goes with its first opinion, so a part left out never strands it."""
    several = len({m.slug for m in (*diff.resolved, *diff.open_opinions)}) > 1
    parts: list[str] = []
    for heading, mentions, resolved in (
        ("**このプルリクエストで対応する意見**", diff.resolved, True),
        ("**検討中の意見**", diff.open_opinions, False),
    ):
        for index, mention in enumerate(mentions):
            line = _opinion_line(mention, diff, several, resolved=resolved)
            if index == 0:
                line = ("\n" if parts else "") + f"{heading}\n\n{line}"
            parts.append(line + "\n")
    return parts


def _opinion_line(
    mention: OpinionMention, diff: ReviewDiff, several: bool, *, resolved: bool
) -> str:
    where = f"{escape(diff.titles.get(mention.slug, mention.slug))}: " if several else ""
    commits = ", ".join(f"`{commit.short}`" for commit in mention.commits)
    opinion = mention.opinion
    if opinion is None:
        named = f"`{escape(mention.slug)}/{escape(mention.opinion_id)}`"
        return f"- {where}{named} (記録にない意見) {commits}"
    summary = opinion.summary.strip().split("\n", 1)[0]
    label = f"（意見{mention.number}）" if mention.number is not None else ""
    line = f"- {where}{label}{escape(summary)} — {OUTCOMES.get(opinion.outcome, opinion.outcome)}"
    if resolved and opinion.outcome == "open":
        # Answered here but still recorded as undecided: the record should say what was done.
        line += (
            " ⚠️ 記録はまだ検討中です。反映したなら `outcome: reflected` と `response` を"
            "書いてください"
        )
    return f"{line} ({commits})" if resolved and commits else line


def _commit_section(diff: ReviewDiff) -> list[str]:
    if not diff.commits:
        return []
    failing = {f.commit.sha for f in diff.findings}
    out = ["### コミット", ""]
    for commit in reversed(diff.commits):
        reasons = escape(reason_inline(commit.reasons))
        if commit.is_merge:
            note = "(マージ)"
        elif commit.sha in failing:
            note = "⚠ 理由がありません" if not commit.reasons else f"⚠ {reasons}"
        else:
            note = reasons or "(項目の変更なし)"
        out.append(f"- `{commit.short}` {escape(commit.subject)} — {note}")
    return out
