"""Reading an item file that is in the canonical form, without a YAML parser.

Nearly every version of every item file in a repository is in the form ``piakit fmt`` and the
importer write (``documents.dump_item``): known keys in a fixed order, block literals for text,
plain scalars that need no quoting. This module reads exactly that form, line by line, about
ten times faster than ruamel's C loader, and returns what ``YAML(typ="safe").load`` would
return. Anything else, down to a single unusual character, makes it answer ``None`` and the
caller parses the file with ruamel: this module never guesses, so it can never read a file
differently. Pure: text in, data out.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.resolver import Resolver

#: A plain scalar that reads as text, exactly as written: no indicator at its start, nothing
#: that starts a comment or a mapping inside it, no whitespace at its ends, only characters
#: YAML prints as they are (no control characters, no line or paragraph separators, no BOM).
_PLAIN = re.compile(
    r"[^\-?:,\[\]{}#&*!|>'\"%@`\s\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
    r"\ud800-\udfff]"
    r"(?:[^\s\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff:#]"
    r"|[ ](?!\#)|:(?![ ]))*"
    r"(?<![ :])"
)
#: A line of a block literal: two spaces of indentation, then printable text that neither
#: starts nor ends with whitespace (a deeper indentation or a tab would change the reading).
_LITERAL_LINE = re.compile(
    r"  [^\s\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]"
    r"(?:[^\t\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]*"
    r"[^\s\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff])?"
)
_WHOLE_NUMBER = re.compile(r"0|[1-9][0-9]{0,17}")
#: YAML 1.2's implicit types by first character: a plain scalar that one of them matches is
#: not text (``true``, ``12``, ``null``, ``2020-01-01``).
_IMPLICIT = Resolver.yaml_implicit_resolvers


def _text(value: str) -> str | None:
    """``value`` when it is a plain scalar that reads as exactly this text, else None."""
    if _PLAIN.fullmatch(value) is None:
        return None
    for _tag, regexp in (*_IMPLICIT.get(value[0], ()), *_IMPLICIT.get(None, ())):
        if regexp.match(value):
            return None
    return value


def _value(line: str, key: str) -> str | None:
    """The text after ``key: `` on ``line``, or None when the line is not that key."""
    if line.startswith(key) and line[len(key) : len(key) + 2] == ": ":
        return line[len(key) + 2 :]
    return None


class _Lines:
    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.lines.pop()  # the text ends with a line break: nothing after it
        self.at = 0

    def peek(self) -> str | None:
        return self.lines[self.at] if self.at < len(self.lines) else None

    def take(self) -> str:
        line = self.lines[self.at]
        self.at += 1
        return line


def read_item(text: str) -> dict[str, Any] | None:
    """The data of a canonical item file, as ``YAML(typ="safe").load(text)`` gives it, or
    None when ``text`` is not in the canonical form (the caller then parses it with ruamel)."""
    if not text.endswith("\n") or "\r" in text:
        return None
    lines = _Lines(text)
    data: dict[str, Any] = {}
    if lines.peek() != "path:":
        return None
    lines.take()
    headings = _sequence(lines, "  - ")
    if not headings:
        return None
    data["path"] = headings
    for key in ("page", "order"):
        line = lines.peek()
        raw = _value(line, key) if line is not None else None
        if raw is not None:
            if _WHOLE_NUMBER.fullmatch(raw) is None:
                return None
            data[key] = int(raw)
            lines.take()
    if lines.peek() == "important: true":
        data["important"] = True
        lines.take()
    line = lines.peek()
    if line is None:
        return data
    lines.take()
    if line == "text: ''":
        data["text"] = ""
    elif line == "text: |":
        block = []
        while (line := lines.peek()) is not None and line.startswith("  "):
            if _LITERAL_LINE.fullmatch(line) is None:
                return None
            block.append(line[2:])
            lines.take()
        if not block:
            return None
        data["text"] = "\n".join(block) + "\n"
    elif line == "choices:":
        choices = _choices(lines)
        if choices is None:
            return None
        data["choices"] = choices
    elif line == "select:":
        select = _select(lines)
        if select is None:
            return None
        data["select"] = select
    else:
        return None
    return data if lines.peek() is None else None


def _sequence(lines: _Lines, indicator: str) -> list[str] | None:
    """Plain scalars on lines starting with ``indicator`` (``  - ``), at least one."""
    values = []
    while (line := lines.peek()) is not None and line.startswith(indicator):
        value = _text(line[len(indicator) :])
        if value is None:
            return None
        values.append(value)
        lines.take()
    return values or None


def _choices(lines: _Lines) -> list[dict[str, Any]] | None:
    choices: list[dict[str, Any]] = []
    while (line := lines.peek()) is not None and line.startswith("  - "):
        label = _value(line[4:], "label")
        if label is None or _text(label) is None:
            return None
        lines.take()
        choice: dict[str, Any] = {"label": label}
        if lines.peek() == "    checked: true":
            choice["checked"] = True
            lines.take()
        line = lines.peek()
        note = _value(line[4:], "note") if line is not None and line.startswith("    ") else None
        if note is not None:
            if note == "''":
                choice["note"] = ""
            elif _text(note) is not None:
                choice["note"] = note
            else:
                return None
            lines.take()
        choices.append(choice)
    return choices or None


def _select(lines: _Lines) -> dict[str, Any] | None:
    line = lines.peek()
    value = _value(line, "  value") if line is not None else None
    if value is None or _text(value) is None:
        return None
    lines.take()
    select: dict[str, Any] = {"value": value}
    line = lines.peek()
    suffix = _value(line, "  suffix") if line is not None else None
    if suffix is not None:
        if _text(suffix) is None:
            return None
        select["suffix"] = suffix
        lines.take()
    if lines.peek() == "  options:":
        lines.take()
        options = _sequence(lines, "    - ")
        if options is None:
            return None
        select["options"] = options
    return select
