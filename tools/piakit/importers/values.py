"""The cells of a hand-kept comparison table read into item values and reasons.

A cell holds text taken from a published document: fragments of its HTML (``<p>``,
``<ul …>``, ``<u>`` …), checkbox notations (``[]``, ``(○)``, ``[<input type="checkbox"/>]``),
a chosen option (``[委託する] (2) 件``), the table's own words (``変更なし``, ``(記載なし)``,
``(削除)``, ``(略)``) and, in the last column, reasons (``【category】 ・reason``). This module
turns one cell into one value (text lines, a checkbox group or a selection) or into reason
groups, and defines :func:`comparable`, the normal form in which an item's plain text must
equal the cell it came from: the importer's losslessness contract.

Pure functions of strings: no IO, and nothing is dropped except markup, whitespace and the
inline ``(削除)`` placeholders that the comparison table regenerates.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Literal

from piakit.model import ABSENT_WORD, DELETED_WORD, UNCHANGED_WORD, Choice, Selection

#: A cell's value: text (lines joined by ``\n``, with a final ``\n``), a checkbox group, or
#: a chosen option. Equal values mean an unchanged item.
CellValue = str | tuple[Choice, ...] | Selection

#: What a cell says about its column: a value, ``変更なし``, ``(記載なし)``/empty, ``(削除)``.
SourceCellStatus = Literal["value", "unchanged", "absent", "deleted"]

#: One ``【category】`` of a reason cell with the ``・reason`` lines written under it.
SourceReasons = tuple[str, tuple[str, ...]]

# Tags that end a line (paragraphs, list items, breaks, table cells) and tags that are only
# dropped. Anything in angle brackets whose name is not listed here is text, e.g. the heading
# ``<区役所等執務室について>``.
_BLOCK_TAGS = frozenset(
    {
        *("p", "br", "li", "ul", "ol", "div", "hr", "pre", "blockquote"),
        *("table", "tbody", "thead", "tfoot", "tr", "td", "th", "dl", "dt", "dd"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer"),
    }
)
_INLINE_TAGS = frozenset(
    {
        *("u", "span", "b", "i", "em", "strong", "a", "font", "sup", "sub", "s", "strike"),
        *("ins", "del", "input", "img", "small", "big", "mark", "label", "abbr", "code"),
        *("cite", "q", "tt", "nobr", "wbr", "ruby", "rt", "rp", "center", "col", "colgroup"),
        *("caption", "meta", "o:p"),
    }
)
_HTML_TAGS = _BLOCK_TAGS | _INLINE_TAGS
_TAG_RE = re.compile(
    r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*(?::[A-Za-z0-9]+)?)(?=[\s/>])[^<>]*>", re.S
)

_CHECK_CHARS = "○〇◯●✓✔"
# ``[<input type="checkbox"/>]``: the source's HTML rendered a ticked box.
_INPUT_BOX_RE = re.compile(r"[\[［]\s*<input\b[^<>]*>\s*[\]］]", re.I)
_BOX_RE = re.compile(rf"[\[［]\s*[{_CHECK_CHARS}]?\s*[\]］]|[(（]\s*[{_CHECK_CHARS}]\s*[)）]")
# In a group written with parentheses only (``(○) 紙 () 電子メール``) ``()`` is a box too.
_PAREN_BOX_RE = re.compile(
    rf"[\[［]\s*[{_CHECK_CHARS}]?\s*[\]］]|[(（]\s*[{_CHECK_CHARS}]?\s*[)）]"
)
_EMPTY_PAREN_RE = re.compile(r"[(（]\s*[)）]")
_SELECT_RE = re.compile(r"\[([^\[\]]+)\]\s*([^\[\]]*)")
_SELECT_SUFFIX_MAX = 20

_ABSENT_KEYS = frozenset({ABSENT_WORD, "記載なし", "(記載無し)"})  # compared after NFKC
_DELETED_KEYS = frozenset({DELETED_WORD})
_UNCHANGED_KEYS = frozenset({UNCHANGED_WORD, "変更無し"})
_PLACEHOLDER_RE = re.compile(r"(?:^|(?<=\s))[(（](?:略|削除)[)）](?=\s|$)")
_REMOVED_LINE_RE = re.compile(r"[(（]削除[)）]")

_SPACES_RE = re.compile(r"[ \t\r\f\v\xa0]+")
# Where a line ends inside a paragraph: before a bullet ``・`` (a middle dot glued between
# two words is not a bullet), before a 【heading】 or an <angle heading>, after a sentence
# followed by whitespace (the items of an unbulleted list).
_BREAK_RES = (
    re.compile(r"\s+(?=・)"),
    re.compile(r"\s+(?=【)|(?<=[。】])(?=【)"),
    re.compile(r"\s+(?=<[^<>\s][^<>]*>)|(?<=。)(?=<[^<>\s][^<>]*>)"),
    re.compile(r"(?<=。)\s+"),
)
# A heading line ends at the first whitespace after ``【…】`` or ``<…>`` and an optional
# ``※note`` glued to it: ``【区政事務センター業務委託】※区政推進課事務取扱 契約書において…``.
_HEADING_THEN_TEXT_RE = re.compile(r"((?:【[^】]*】|<[^<>]+>)(?:※\S*)?)\s+(\S.*)")
# The items of a ``<ul>`` written without bullets are separated by whitespace only: split
# where a Japanese character is on either side (not inside ``ISO 27001``) and not before a
# parenthesis (``… (委託先の追加)`` stays one line).
_LIST_ITEM_BREAK_RE = re.compile(r"(?<=[^\x00-\x7f\s])\s+(?![(（])|\s+(?=[^\x00-\x7f\s(（])")


def nfkc(text: str) -> str:
    """NFKC-normalized text with every whitespace removed: the key for comparing names."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _html_blocks(cell: str) -> list[tuple[str, bool]]:
    """The cell cut at block tags, inline tags dropped: ``(text, inside a <ul>/<ol>)``."""
    blocks: list[tuple[str, bool]] = []
    buffer: list[str] = []
    in_list = False
    had_tags = False

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        if text.strip():
            blocks.append((text, in_list))

    position = 0
    for match in _TAG_RE.finditer(cell):
        buffer.append(cell[position : match.start()])
        position = match.end()
        if match.group(2) is None:  # a comment
            had_tags = True
            continue
        name = match.group(2).lower()
        if name not in _HTML_TAGS:
            buffer.append(match.group(0))
            continue
        had_tags = True
        if name in _BLOCK_TAGS:
            flush()
            closing = match.group(1) == "/"
            if name in ("ul", "ol"):
                in_list = not closing
            elif name == "p":
                # A paragraph cannot sit in a list: a <ul> the source left open ends here.
                in_list = False
    buffer.append(cell[position:])
    flush()
    if had_tags:
        blocks = [(html.unescape(text), in_list) for text, in_list in blocks]
    return blocks


def _split(lines: list[str], pattern: re.Pattern[str]) -> list[str]:
    return [piece for line in lines for piece in pattern.split(line)]


def _isolate_placeholders(line: str) -> list[str]:
    return _PLACEHOLDER_RE.sub(lambda m: f"\n{m.group(0)}\n", line).split("\n")


def _split_heading(line: str) -> list[str]:
    match = _HEADING_THEN_TEXT_RE.fullmatch(line)
    if match is None:
        return [line]
    return [match.group(1), *_split_heading(match.group(2))]


def _block_lines(text: str, in_list: bool, sentences: bool) -> list[str]:
    lines = [_SPACES_RE.sub(" ", piece).strip() for piece in text.split("\n")]
    for pattern in _BREAK_RES if sentences else _BREAK_RES[:3]:
        lines = _split(lines, pattern)
    lines = [piece for line in lines for piece in _isolate_placeholders(line)]
    lines = [piece.strip() for line in lines for piece in _split_heading(line.strip())]
    if sentences and in_list and not any(line.startswith("・") for line in lines):
        lines = _split(lines, _LIST_ITEM_BREAK_RE)
    return [line.strip() for line in lines if line.strip()]


def text_lines(cell: str, *, sentences: bool = True) -> list[str]:
    """The cell as lines: HTML dropped, one paragraph, bullet, heading or placeholder a line.

    ``<p>``, ``<li>``, ``<br>`` and the other block tags end a line; inline tags (``<u>``,
    ``<span>`` …) are dropped; angle brackets that are not HTML (``<その他の対策>``) are kept.
    A line also ends before a bullet ``・`` that follows whitespace, before ``【…】`` and
    ``<…>`` headings, after a heading (with its ``※…`` note) followed by whitespace, around a
    standalone ``(略)`` or ``(削除)``, after ``。`` followed by whitespace, and, in a ``<ul>``
    without bullets, at whitespace next to Japanese text. Lines are stripped, runs of spaces
    squeezed, empty lines dropped; ``(削除)`` lines are kept here (see :func:`parse_cell`).
    With ``sentences=False`` (reasons) neither ``。`` nor whitespace in a list ends a line.
    """
    return [
        line
        for text, in_list in _html_blocks(cell)
        for line in _block_lines(text, in_list, sentences)
    ]


def _flat(cell: str) -> str:
    return " ".join(text_lines(cell))


def _split_note(segment: str) -> tuple[str, str | None]:
    """``label (note)`` → ``(label, note)``; a parenthesis glued to the label is the label's.

    Only half-width parentheses make a note: ``Choice.plain`` prints a note as ``(…)``, so a
    full-width ``（…）`` stays in the label and the text survives exactly.
    """
    if not segment.endswith(")"):
        return segment, None
    depth = 0
    for index in range(len(segment) - 1, -1, -1):
        char = segment[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                if index > 0 and segment[index - 1].isspace():
                    return segment[:index].strip(), segment[index + 1 : -1].strip()
                return segment, None
    return segment, None


def parse_choices(cell: str) -> tuple[Choice, ...] | None:
    """A checkbox group, or ``None`` when the cell does not start with a box.

    Boxes: ``[]``/``[ ]`` unchecked; ``[○]``, ``(○)`` and ``[<input type="checkbox"/>]``
    (the source's HTML for a ticked box) checked. A label runs to the next box; a trailing
    `` (…)`` after whitespace is the box's note (``()`` an empty one). A group that starts
    with ``()`` is written with parentheses only, and there every ``()`` is an unchecked box.
    """
    flat = _flat(_INPUT_BOX_RE.sub("[○]", cell))
    paren_style = _EMPTY_PAREN_RE.match(flat) is not None
    pattern = _PAREN_BOX_RE if paren_style else _BOX_RE
    if pattern.match(flat) is None:
        return None
    boxes = list(pattern.finditer(flat))
    choices: list[Choice] = []
    for index, box in enumerate(boxes):
        end = boxes[index + 1].start() if index + 1 < len(boxes) else len(flat)
        label, note = _split_note(flat[box.end() : end].strip())
        checked = any(char in box.group(0) for char in _CHECK_CHARS)
        choices.append(Choice(label=label, checked=checked, note=note))
    return tuple(choices)


def parse_selection(line: str) -> Selection | None:
    """``[委託する] (2) 件`` → ``Selection("委託する", "(2) 件")``; ``None`` if not that shape."""
    match = _SELECT_RE.fullmatch(line)
    if match is None:
        return None
    value, rest = match.group(1).strip(), match.group(2).strip()
    if not value or value in _CHECK_CHARS or "<" in value or len(rest) > _SELECT_SUFFIX_MAX:
        return None
    return Selection(value=value, suffix=rest or None)


def parse_cell(cell: str) -> tuple[SourceCellStatus, CellValue | None]:
    """What one milestone cell says: its status and, for ``"value"``, the value.

    ``変更なし`` → ``unchanged``; empty or ``(記載なし)`` → ``absent``; only ``(削除)`` →
    ``deleted``. Otherwise a checkbox group (:func:`parse_choices`), a selection (one line
    ``[X] suffix``, :func:`parse_selection`) or text: the :func:`text_lines` without the
    inline ``(削除)`` placeholders (the table regenerates them), joined by ``\\n`` with a
    final ``\\n``.
    """
    lines = text_lines(cell)
    word = nfkc(" ".join(lines))
    if not word or word in _ABSENT_KEYS:
        return "absent", None
    if word in _DELETED_KEYS:
        return "deleted", None
    if word in _UNCHANGED_KEYS:
        return "unchanged", None
    if word[0] in "[(":  # NFKC folds ［ and （
        choices = parse_choices(cell)
        if choices is not None:
            return "value", choices
    lines = [line for line in lines if not _REMOVED_LINE_RE.fullmatch(line)]
    if not lines:
        return "deleted", None
    if len(lines) == 1:
        selection = parse_selection(lines[0])
        if selection is not None:
            return "value", selection
    return "value", "\n".join(lines) + "\n"


#: The line that piakit writes after a row's reasons to name the opinions its changes resolve
#: (``ComparisonTable.opinion_label``: （意見3）（意見 bukai-1）), here after NFKC. No reason:
#: the opinions live in ``opinions/``, and the ``Resolves:`` trailers are the link.
_OPINION_LABELS_RE = re.compile(r"(?:\(意見[^()]*\))+")


def parse_reasons(cell: str) -> list[tuple[str, list[str]]]:
    """The reason cell: ``[(category, [reason, …]), …]`` in the order written.

    ``【category】`` opens a group; each ``・reason`` line (or a line without ``・``, as a
    ``<ul>`` item) is a reason of the open group. A category with no reasons stands alone;
    a category may repeat. Only whitespace is normalized. Text before the first category
    is a ``ValueError`` (the caller names the line). The line of opinion labels that
    piakit's own tables end the cell with is skipped.
    """
    groups: list[tuple[str, list[str]]] = []
    for line in text_lines(cell, sentences=False):
        if _OPINION_LABELS_RE.fullmatch(unicodedata.normalize("NFKC", line).replace(" ", "")):
            continue
        match = re.fullmatch(r"【([^】]*)】\s*(.*)", line)
        if match is not None:
            groups.append((match.group(1).strip(), []))
            line = match.group(2)
        reason = line.lstrip("・").strip()
        if not reason:
            continue
        if not groups:
            raise ValueError(f"reason {reason!r} is not under a 【category】")
        groups[-1][1].append(reason)
    return groups


def comparable(text: str) -> str:
    """The normal form of the losslessness contract.

    An item's ``plain()`` and the cell it was read from are equal in this form: HTML tags
    (the known ones) and all whitespace removed, ticked boxes (``(○)``, ``[<input…/>]``,
    ``[✓]`` …) written ``[○]``, unchecked ``[]``/``[ ]`` written ``[]``, and every
    ``(削除)`` placeholder removed.
    """
    text = _INPUT_BOX_RE.sub("[○]", text)
    stripped = _TAG_RE.sub(
        lambda m: "" if m.group(2) is None or m.group(2).lower() in _HTML_TAGS else m.group(0),
        text,
    )
    if stripped != text:
        stripped = html.unescape(stripped)
    text = re.sub(rf"[\[［(（]\s*[{_CHECK_CHARS}]\s*[\]］)）]", "[○]", stripped)
    text = re.sub(r"[\[［]\s*[\]］]", "[]", text)
    if _EMPTY_PAREN_RE.match(text.strip()):
        text = _EMPTY_PAREN_RE.sub("[]", text)
    text = _REMOVED_LINE_RE.sub("", text)
    return re.sub(r"\s+", "", text)
