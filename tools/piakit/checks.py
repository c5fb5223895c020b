"""Validation of item and assessment files against the format, every problem with its line.

Pure: the bytes of a file and its path in, ``Problem`` records (``path:line:col: message``) out.
The YAML is composed, not constructed, so that every key and value keeps its line and column,
duplicate keys and aliases are seen instead of silently resolved, and nothing is expanded.
Checks that need several files (duplicate ``order``, the names in ``items/``) take what the
single-file checks found. No IO, no git: finding and reading the files is ``worktree``'s job,
and nothing here ever changes a file.
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
from piakit.conventions import (
    ASSESSMENT_KEYS,
    CHOICE_KEYS,
    ITEM_KEYS,
    MILESTONE_ID_RE,
    MILESTONE_KEYS,
    NAME_RE,
    REQUIRED_ASSESSMENT_KEYS,
    REQUIRED_ITEM_KEYS,
    SELECT_KEYS,
    VALUE_KEYS,
)
from piakit.documents import fast_reader
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


@dataclass(frozen=True)
class ItemReport:
    """What checking one item file found, and what the checks across files need."""

    path: str
    problems: tuple[Problem, ...]
    order: int | None = None
    order_at: Location | None = None


@dataclass(frozen=True)
class AssessmentReport:
    path: str
    problems: tuple[Problem, ...]
    milestone_ids: tuple[str, ...] = ()
    reason_categories: tuple[str, ...] | None = None


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


# --- the walker --------------------------------------------------------------------------------


@dataclass
class _Walker:
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

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not self.visit(node):
            return None
        if not isinstance(node, SequenceNode):
            self.report(
                node, f"{what} must be a list (lines starting with '- '), not {self.kind(node)}"
            )
            return None
        return list(node.value)


def _in_order(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.location.line or 0, p.location.column or 0)))


def _load(data: bytes, path: str, problems: list[Problem]) -> Node | None:
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


# --- items -------------------------------------------------------------------------------------


def check_item(data: bytes, path: str, item_id: str | None = None) -> ItemReport:
    """Every problem of one item file. ``item_id`` is its file stem (checked against the
    id pattern); ``None`` skips that check."""
    return _clean_canonical_item(data, path, item_id) or _check_item(data, path, item_id)


def _clean_canonical_item(data: bytes, path: str, item_id: str | None) -> ItemReport | None:
    """The report of a file in the canonical form (``fast_reader.read_item``) that none of the
    checks of ``_check_item`` would fault, made without composing it; None for any other file,
    which then takes the full check.

    Nearly every file of a repository is such a file, and composing and walking six thousand
    of them was most of ``piakit check``'s time. What the canonical form cannot rule out is
    tested here (required keys, a value, page 1 or more, distinct labels and options, a value
    among its options); tests/test_fast_paths.py holds this to the full check."""
    if len(data) > documents.MAX_FILE_BYTES or data.startswith(BOM):
        return None
    if item_id is not None and not NAME_RE.match(item_id):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    item = fast_reader.read_item(text)
    if item is None or any(key not in item for key in REQUIRED_ITEM_KEYS):
        return None
    if not any(key in item for key in VALUE_KEYS) or item["page"] < 1:
        return None
    labels = [choice["label"] for choice in item.get("choices", ())]
    if len(set(labels)) != len(labels):
        return None
    options = item.get("select", {}).get("options")
    if options and (len(set(options)) != len(options) or item["select"]["value"] not in options):
        return None
    try:
        documents.guard_structure(text, path)
    except DocumentError:
        return None
    # "path:", a line per heading, "page: N" if any, then "order: N": its value in column 8.
    order_line = len(item["path"]) + 2 + ("page" in item)
    return ItemReport(path, (), item["order"], Location(path, order_line, 8))


def _check_item(data: bytes, path: str, item_id: str | None) -> ItemReport:
    problems: list[Problem] = []
    if item_id is not None and not NAME_RE.match(item_id):
        problems.append(
            Problem(
                Location(path, 1, 1),
                f"{item_id!r} cannot be an item id: the file name (its id) must be lower-case "
                "ASCII letters, digits, '.', '_' and '-', starting with a letter or digit",
            )
        )
    root = _load(data, path, problems)
    if root is None:
        return ItemReport(path, tuple(problems))
    walker = _Walker(path)
    walker.visit(root)
    hints = {
        "id": f"unknown key 'id': an item's id is its file name ({item_id or 'the file stem'}); "
        "remove the key",
    }
    keys = walker.mapping(root, ITEM_KEYS, "an item", hints)
    if isinstance(root, MappingNode):
        for key in REQUIRED_ITEM_KEYS:
            if key not in keys and key not in walker.suggested:
                walker.report(root, f"missing key {key!r}")
        values = [key for key in VALUE_KEYS if key in keys]
        if not values and not walker.suggested.intersection(VALUE_KEYS):
            walker.report(root, "missing the value: add text:, choices: or select:")
        elif len(values) > 1:
            second = keys[values[1]][0]
            walker.report(second, f"an item has one value, found {' and '.join(values)}")
    order: int | None = None
    order_at: Location | None = None
    if "path" in keys:
        _check_path(walker, keys["path"][1])
    if "page" in keys:
        walker.integer(keys["page"][1], "page", minimum=1)
    if "order" in keys:
        order = walker.integer(keys["order"][1], "order", minimum=0)
        order_at = walker.at(keys["order"][1])
    if "important" in keys:
        walker.boolean(keys["important"][1], "important")
    if "text" in keys:
        _check_text(walker, keys["text"][1])
    if "choices" in keys:
        _check_choices(walker, keys["choices"][1])
    if "select" in keys:
        _check_select(walker, keys["select"][1])
    return ItemReport(path, _in_order(problems + walker.problems), order, order_at)


def _check_path(walker: _Walker, node: Node) -> None:
    headings = walker.sequence(node, "path")
    if headings is None:
        return
    if not headings:
        walker.report(node, "path is empty: list the headings of the form, outermost first")
    for heading in headings:
        walker.text(heading, "a heading of path")


def _check_text(walker: _Walker, node: Node) -> None:
    text = walker.text(node, "text", empty_ok=True)
    if not text:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if line != line.rstrip():
            walker.report(
                node,
                f"line {number} of text ends with spaces: remove them (they print as nothing "
                "and keep the text from being a block)",
            )
            break


def _check_choices(walker: _Walker, node: Node) -> None:
    if str(node.tag) == "tag:yaml.org,2002:null":
        walker.visit(node)
        return
    entries = walker.sequence(node, "choices")
    if entries is None:
        return
    labels: dict[str, Node] = {}
    for entry in entries:
        if not walker.visit(entry):
            continue
        if isinstance(entry, ScalarNode):
            walker.report(
                entry,
                f"a choice needs its keys: - label: {entry.value} (and checked: true when ticked)",
            )
            continue
        keys = walker.mapping(entry, CHOICE_KEYS, "a choice")
        if not isinstance(entry, MappingNode):
            continue
        if "label" not in keys:
            walker.report(entry, "a choice needs a label")
        else:
            label = walker.text(keys["label"][1], "label")
            if label is not None:
                if label in labels:
                    first = walker.at(labels[label])
                    walker.report(
                        keys["label"][1],
                        f"choice {label!r} appears twice (first at line {first.line})",
                    )
                else:
                    labels[label] = keys["label"][1]
        if "checked" in keys:
            walker.boolean(keys["checked"][1], "checked")
        if "note" in keys:
            walker.text(keys["note"][1], "note", empty_ok=True)


def _check_select(walker: _Walker, node: Node) -> None:
    if str(node.tag) == "tag:yaml.org,2002:null":
        walker.visit(node)
        return
    if not walker.visit(node):
        return
    if isinstance(node, ScalarNode):
        walker.report(node, f"select needs its keys: select: {{value: {node.value}}}")
        return
    keys = walker.mapping(node, SELECT_KEYS, "select")
    if not isinstance(node, MappingNode):
        return
    value: str | None = None
    if "value" not in keys:
        walker.report(node, "select needs a value: the option chosen")
    else:
        value = walker.text(keys["value"][1], "the value of select")
    if "suffix" in keys:
        walker.text(keys["suffix"][1], "suffix", empty_ok=True)
    if "options" not in keys:
        return
    entries = walker.sequence(keys["options"][1], "options")
    if entries is None:
        return
    options: list[str] = []
    for entry in entries:
        option = walker.text(entry, "an option")
        if option is None:
            continue
        if option in options:
            walker.report(entry, f"option {option!r} is listed twice")
        options.append(option)
    if value is not None and options and value not in options:
        walker.report(
            keys["value"][1],
            f"select value {value!r} is not one of its options: {', '.join(options)}"
            + did_you_mean(value, options),
        )


# --- assessments -------------------------------------------------------------------------------


def check_assessment(data: bytes, path: str, slug: str | None = None) -> AssessmentReport:
    """Every problem of one ``assessment.yaml``. ``slug`` is its folder name."""
    problems: list[Problem] = []
    if slug is not None and not NAME_RE.match(slug):
        problems.append(
            Problem(
                Location(path, 1, 1),
                f"{slug!r} cannot be an assessment name: the folder name must be lower-case "
                "ASCII letters, digits, '.', '_' and '-'",
            )
        )
    root = _load(data, path, problems)
    if root is None:
        return AssessmentReport(path, tuple(problems))
    walker = _Walker(path)
    walker.visit(root)
    keys = walker.mapping(root, ASSESSMENT_KEYS, "an assessment")
    if isinstance(root, MappingNode):
        for key in REQUIRED_ASSESSMENT_KEYS:
            if key not in keys and key not in walker.suggested:
                walker.report(root, f"missing key {key!r}")
    if "title" in keys:
        walker.text(keys["title"][1], "title")
    for key in ("affair", "organization", "form"):
        if key in keys:
            walker.text(keys[key][1], key)
    milestone_ids: list[str] = []
    if "milestones" in keys:
        milestone_ids = _check_milestones(walker, keys["milestones"][1])
    categories: list[str] | None = None
    if "reason_categories" in keys:
        categories = _check_categories(walker, keys["reason_categories"][1])
    return AssessmentReport(
        path,
        _in_order(problems + walker.problems),
        tuple(milestone_ids),
        tuple(categories) if categories else None,
    )


def _check_milestones(walker: _Walker, node: Node) -> list[str]:
    entries = walker.sequence(node, "milestones")
    ids: list[str] = []
    first_at: dict[str, Location] = {}
    for entry in entries or []:
        if not walker.visit(entry):
            continue
        keys = walker.mapping(entry, MILESTONE_KEYS, "a milestone")
        if not isinstance(entry, MappingNode):
            continue
        if "id" not in keys:
            walker.report(entry, "a milestone needs an id (e.g. id: R2.6.30)")
        else:
            id_node = keys["id"][1]
            milestone_id = walker.text(id_node, "a milestone id")
            if milestone_id is not None:
                if milestone_id in first_at:
                    walker.report(
                        id_node,
                        f"milestone {milestone_id!r} is declared twice "
                        f"(first at line {first_at[milestone_id].line})",
                    )
                else:
                    first_at[milestone_id] = walker.at(id_node)
                    ids.append(milestone_id)
                if not MILESTONE_ID_RE.match(milestone_id) or ".." in milestone_id:
                    walker.report(
                        id_node,
                        f"{milestone_id!r} cannot be a milestone id: use ASCII letters, digits, "
                        "'.', '_' and '-' (it becomes part of a tag name)",
                    )
        if "label" not in keys:
            walker.report(entry, "a milestone needs a label (e.g. label: 修正案 (R2.6.30諮問時))")
        else:
            walker.text(keys["label"][1], "a milestone label")
        if "date" in keys:
            _check_date(walker, keys["date"][1])
    return ids


def _check_date(walker: _Walker, node: Node) -> None:
    if not walker.visit(node):
        return
    value = walker.scalar(node) if isinstance(node, ScalarNode) else None
    if str(node.tag) == "tag:yaml.org,2002:null":
        return
    impossible = documents.impossible_value(node)
    if impossible is not None:
        walker.report(node, f"{impossible}; write a real day as YYYY-MM-DD")
    elif isinstance(value, dt.datetime):
        walker.report(node, "date must be a day, YYYY-MM-DD, without a time")
    elif not isinstance(value, dt.date) or str(node.tag) != "tag:yaml.org,2002:timestamp":
        shown = node.value if isinstance(node, ScalarNode) else walker.kind(node)
        walker.report(node, f"date must be written YYYY-MM-DD (e.g. 2020-06-30), not {shown!r}")


def _check_categories(walker: _Walker, node: Node) -> list[str] | None:
    if str(node.tag) == "tag:yaml.org,2002:null":
        walker.visit(node)
        return None
    entries = walker.sequence(node, "reason_categories")
    if entries is None:
        return None
    categories: list[str] = []
    for entry in entries:
        category = walker.text(entry, "a reason category")
        if category is None:
            continue
        if category in categories:
            walker.report(entry, f"reason category {category!r} is listed twice")
            continue
        categories.append(category)
    return categories


# --- across files ------------------------------------------------------------------------------


def check_orders(reports: Sequence[ItemReport]) -> list[Problem]:
    """Items of one assessment that share an ``order``: each of them is reported, naming the
    others, so that a check of one changed file still sees the clash."""
    groups: dict[int, list[ItemReport]] = {}
    for report in sorted(reports, key=lambda r: r.path):
        if report.order is not None and report.order_at is not None:
            groups.setdefault(report.order, []).append(report)
    problems = []
    for order, group in groups.items():
        if len(group) < 2:
            continue
        for report in group:
            assert report.order_at is not None
            others = ", ".join(
                f"{other.path}:{other.order_at.line}" if other.order_at else other.path
                for other in group
                if other is not report
            )
            problems.append(
                Problem(
                    report.order_at,
                    f"order {order} is also the order of {others}: give each item its own position",
                )
            )
    return problems


def check_item_names(items_dir: str, names: Sequence[str]) -> list[Problem]:
    """The entries of one ``items/`` folder (paths relative to it, ``/`` separated): only
    ``<id>.yaml`` files, each id once."""
    problems = []
    ids: dict[str, str] = {}
    for name in sorted(names):
        where = Location(f"{items_dir}/{name}", 1, 1)
        stem, dot, suffix = name.rpartition(".")
        if "/" in name:
            problems.append(
                Problem(
                    where,
                    "items/ has no subfolders: piakit reads only items/<id>.yaml; move the file up",
                )
            )
            continue
        if not dot or suffix not in ("yaml", "yml"):
            problems.append(
                Problem(
                    where, "not an item file: items/ holds only <id>.yaml files; move it elsewhere"
                )
            )
            continue
        if suffix == "yml":
            problems.append(Problem(where, f"item files end in .yaml: rename it to {stem}.yaml"))
        folded = stem.lower()
        if folded in ids:
            problems.append(
                Problem(
                    where, f"the id {stem!r} is not unique: {items_dir}/{ids[folded]} has it too"
                )
            )
        else:
            ids[folded] = name
    return problems
