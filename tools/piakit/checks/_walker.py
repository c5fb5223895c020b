"""The walker of one composed YAML file: it reads every node with its line and column, the
scalars as the safe loader would construct them, and collects a ``Problem`` for each thing that
is wrong instead of stopping at the first.

Duplicate keys, aliases, merge keys and foreign tags are seen here, never silently resolved,
and nothing is expanded. It knows the YAML, not the format: which keys a file has is the item
and assessment checks' business. It never reads a file from disk and never changes one.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from piakit import documents
from piakit.errors import DocumentError, Location, Problem

BOM = b"\xef\xbb\xbf"

#: Constructs scalar values for every walker: making a YAML instance per file (it looks for
#: plug-ins on disk) cost more than checking the file.
_SCALARS = YAML(typ="safe")

_TAGS = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a decimal number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:null": "empty",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:map": "a mapping of keys",
    "tag:yaml.org,2002:seq": "a list",
}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'page'?)`` when a choice is close to ``word``, else ``""``."""
    close = _closest(word, choices)
    return f" (did you mean {close!r}?)" if close is not None else ""


def _closest(word: str, choices: Iterable[str]) -> str | None:
    options = list(choices)
    lowered = {choice.lower(): choice for choice in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


@dataclass
class Walker:
    """Collects problems while walking one composed document."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    #: Known keys that an unknown key was taken for (``pgae`` → ``page``): a missing key that
    #: is one of them is not reported again.
    suggested: set[str] = field(default_factory=set)
    _seen: set[int] = field(default_factory=set)
    _alias_reported: bool = False
    _yaml: YAML = field(default_factory=lambda: _SCALARS)

    def at(self, node: Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def report(self, node: Node | Location, message: str) -> None:
        location = node if isinstance(node, Location) else self.at(node)
        self.problems.append(Problem(location, message))

    def visit(self, node: Node) -> bool:
        """False (and one problem per file) when ``node`` was met before: an alias."""
        if id(node) in self._seen:
            if not self._alias_reported:
                self._alias_reported = True
                self.report(node, "anchors and aliases (&, *) are not allowed: write the value out")
            return False
        self._seen.add(id(node))
        if not str(node.tag).startswith("tag:yaml.org,2002:"):
            self.report(node, f"unknown tag {node.tag}: remove it")
            return False
        return True

    def empty(self, node: Node) -> bool:
        """True (and the node visited) for an empty value, ``key:`` with nothing after it:
        where a value may be left out, that is the same as leaving it out."""
        if str(node.tag) != "tag:yaml.org,2002:null":
            return False
        self.visit(node)
        return True

    def first_time(self, seen: dict[str, Node], value: str, node: Node, twice: str) -> bool:
        """True when ``value`` is not in ``seen`` (it is added, with its node); else reports
        ``twice`` at ``node``, with the line of the first."""
        if value in seen:
            self.report(node, f"{twice} (first at line {self.at(seen[value]).line})")
            return False
        seen[value] = node
        return True

    def kind(self, node: Node) -> str:
        return _TAGS.get(str(node.tag), str(node.tag))

    def scalar(self, node: Node) -> Any:
        """The value of a scalar node, as the safe loader would construct it."""
        try:
            value = self._yaml.constructor.construct_object(node, deep=True)
        except (YAMLError, ValueError):
            return node.value
        finally:
            self._yaml.constructor.constructed_objects.clear()
        return value

    def top_keys(
        self,
        root: Node,
        allowed: Sequence[str],
        required: Sequence[str],
        what: str,
        hints: dict[str, str] | None = None,
    ) -> dict[str, tuple[Node, Node]]:
        """The keys of a file's top mapping, as ``mapping`` reads them; reports each of
        ``required`` that is missing (unless an unknown key was taken for it)."""
        keys = self.mapping(root, allowed, what, hints)
        if isinstance(root, MappingNode):
            for key in required:
                if key not in keys and key not in self.suggested:
                    self.report(root, f"missing key {key!r}")
        return keys

    def mapping(
        self, node: Node, allowed: Sequence[str], what: str, hints: dict[str, str] | None = None
    ) -> dict[str, tuple[Node, Node]]:
        """The keys of a mapping node (key → (key node, value node)); reports duplicate,
        unknown and non-text keys."""
        found: dict[str, tuple[Node, Node]] = {}
        if not isinstance(node, MappingNode):
            self.report(node, f"{what} must be a mapping of keys, not {self.kind(node)}")
            return found
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or str(key_node.tag) != "tag:yaml.org,2002:str":
                if str(key_node.tag) == "tag:yaml.org,2002:merge":
                    self.report(key_node, "merge keys (<<) are not allowed: write the keys out")
                else:
                    self.report(key_node, f"a key must be a word, not {self.kind(key_node)}")
                continue
            key = key_node.value
            if key in found:
                first = self.at(found[key][0])
                self.report(key_node, f"duplicate key {key!r} (first at line {first.line})")
                continue
            found[key] = (key_node, value_node)
            if key not in allowed:
                if hints and key in hints:
                    self.report(key_node, hints[key])
                else:
                    suggestion = did_you_mean(key, allowed)
                    close = _closest(key, allowed)
                    if close is not None:
                        self.suggested.add(close)
                    self.report(
                        key_node,
                        f"unknown key {key!r}{suggestion}; {what} has {', '.join(allowed)}",
                    )
        return found

    def text(self, node: Node, what: str, *, empty_ok: bool = False) -> str | None:
        """A text scalar; reports a number, a date, a list... ``None`` when not text."""
        if not self.visit(node):
            return None
        tag = str(node.tag)
        if tag == "tag:yaml.org,2002:null" and empty_ok:
            return None
        if not isinstance(node, ScalarNode):
            self.report(node, f"{what} must be text, not {self.kind(node)}")
            return None
        if tag != "tag:yaml.org,2002:str":
            self.report(
                node,
                f"{what} must be text, but {node.value!r} reads as {self.kind(node)}: "
                f"quote it ('{node.value}')",
            )
            return None
        value = str(node.value)
        if not value.strip() and not empty_ok:
            self.report(node, f"{what} is empty")
        return value

    def integer(self, node: Node, what: str, *, minimum: int) -> int | None:
        if not self.visit(node):
            return None
        if str(node.tag) != "tag:yaml.org,2002:int":
            hint = " (write the number without quotes)" if str(node.tag).endswith(":str") else ""
            self.report(node, f"{what} must be a whole number, not {self.kind(node)}{hint}")
            return None
        raw = node.value
        if len(raw) > 18:  # no page or order is that long; past 4,300 digits Python refuses it
            self.report(
                node, f"{what} must be a small whole number, not one of {len(raw):,} digits"
            )
            return None
        if raw.isascii() and raw.isdigit() and (raw == "0" or raw[0] != "0"):
            value = int(raw)  # what the constructor makes of it, without the constructor
        else:
            value = self.scalar(node)
        if not isinstance(value, int):
            return None
        if value < minimum:
            self.report(node, f"{what} must be {minimum} or more, not {value}")
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        if not self.visit(node):
            return None
        if str(node.tag) != "tag:yaml.org,2002:bool":
            self.report(node, f"{what} must be true or false, not {node.value!r}")
            return None
        return bool(self.scalar(node))

    def day(self, node: Node, what: str) -> dt.date | None:
        """A day written ``YYYY-MM-DD``; reports an impossible day (2020-02-30), a time of
        day, or anything else. ``None`` when it is not a day."""
        if not self.visit(node):
            return None
        value = self.scalar(node) if isinstance(node, ScalarNode) else None
        impossible = documents.impossible_value(node)
        if impossible is not None:
            self.report(node, f"{impossible}; write a real day as YYYY-MM-DD")
        elif isinstance(value, dt.datetime):
            self.report(node, f"{what} must be a day, YYYY-MM-DD, without a time")
        elif not isinstance(value, dt.date) or str(node.tag) != "tag:yaml.org,2002:timestamp":
            shown = node.value if isinstance(node, ScalarNode) else self.kind(node)
            self.report(node, f"{what} must be written YYYY-MM-DD (e.g. 2020-06-30), not {shown!r}")
        else:
            return value
        return None

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not self.visit(node):
            return None
        if not isinstance(node, SequenceNode):
            self.report(
                node, f"{what} must be a list (lines starting with '- '), not {self.kind(node)}"
            )
            return None
        return list(node.value)

    def texts(self, node: Node, what: str, entry: str, name: str) -> list[str] | None:
        """The texts of a list (``what``, each one ``entry``), in order, repeats included;
        reports every repeat (``option 'a' is listed twice``, ``name`` being ``option``)."""
        entries = self.sequence(node, what)
        if entries is None:
            return None
        texts: list[str] = []
        for entry_node in entries:
            text = self.text(entry_node, entry)
            if text is None:
                continue
            if text in texts:
                self.report(entry_node, f"{name} {text!r} is listed twice")
            texts.append(text)
        return texts


def start(data: bytes, path: str, misnamed: str | None) -> tuple[Walker, Node | None]:
    """A walker for one file, and the file's top node, visited; None when the file cannot be
    walked (too big, no YAML, empty), which the walker's problems say. ``misnamed`` is what is
    wrong with the file's name, if anything: reported first, at the top of the file."""
    walker = Walker(path)
    if misnamed is not None:
        walker.report(Location(path, 1, 1), misnamed)
    root = _compose(data, path, walker.problems)
    if root is not None:
        walker.visit(root)
    return walker, root


def in_order(problems: list[Problem]) -> tuple[Problem, ...]:
    """The problems by line and column; those at one place in the order they were found."""
    return tuple(sorted(problems, key=lambda p: (p.location.line or 0, p.location.column or 0)))


def _compose(data: bytes, path: str, problems: list[Problem]) -> Node | None:
    """Compose the file; a problem that stops the check is appended and None returned."""
    if len(data) > documents.MAX_FILE_BYTES:
        problems.append(
            Problem(
                Location(path, 1, 1),
                f"the file is {len(data):,} bytes, more than the {documents.MAX_FILE_BYTES:,} "
                "a file of an assessment may have: is it the right file?",
            )
        )
        return None
    if data.startswith(BOM):
        problems.append(
            Problem(
                Location(path, 1, 1),
                "the file starts with a byte order mark (BOM): save it as UTF-8 without BOM "
                "(piakit fmt does it)",
            )
        )
    try:
        node = documents.compose_yaml(data, path)
    except DocumentError as exc:
        problems.append(Problem(exc.location, exc.detail))
        return None
    if node is None:
        problems.append(Problem(Location(path, 1, 1), "the file is empty"))
    return node
