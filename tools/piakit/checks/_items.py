"""The check of one item file: its name, its keys, its value (text, choices or select), every
problem with its line and column.

Most files are in the canonical form that ``piakit fmt`` writes; those are read without a YAML
parser and, when nothing can be wrong with them, reported clean without being walked. Pure:
bytes and a path in, an ``ItemReport`` out; no IO, and nothing here changes a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from piakit import documents
from piakit.checks._walker import BOM, Walker, did_you_mean, in_order, start
from piakit.conventions import (
    CHOICE_KEYS,
    ITEM_KEYS,
    NAME_RE,
    REQUIRED_ITEM_KEYS,
    SELECT_KEYS,
    VALUE_KEYS,
)
from piakit.errors import DocumentError, Location, Problem


@dataclass(frozen=True)
class ItemReport:
    """What checking one item file found, and what the checks across files need."""

    path: str
    problems: tuple[Problem, ...]
    order: int | None = None
    order_at: Location | None = None
    #: The headings of ``path``, outermost first, each with its line and column (a
    #: ``Location`` in ``path`` is made only for a heading that is warned about).
    headings: tuple[tuple[str, int | None, int | None], ...] = ()


def check_item(data: bytes, path: str, item_id: str | None = None) -> ItemReport:
    """Every problem of one item file. ``item_id`` is its file stem (checked against the
    id pattern); ``None`` skips that check."""
    return _clean_canonical_item(data, path, item_id) or _check_item(data, path, item_id)


def _clean_canonical_item(data: bytes, path: str, item_id: str | None) -> ItemReport | None:
    """The report of a file in the canonical form (``documents.read_canonical_item``) that
    none of the checks of ``_check_item`` would fault, made without composing it; None for any
    other file, which then takes the full check.

    Nearly every file of a repository is such a file, and composing and walking six thousand
    of them was most of ``piakit check``'s time. What the canonical form cannot rule out is
    tested here (required keys, a value, page 1 or more, distinct labels and options, a value
    among its options); tests/test_fast_paths.py holds this to the full check."""
    if len(data) > documents.MAX_FILE_BYTES or data.startswith(BOM):
        return None
    if _misnamed(item_id) is not None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    item = documents.read_canonical_item(text)
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
    # "path:" on line 1, then "  - <heading>" from line 2: each heading in column 5.
    headings = tuple((heading, line, 5) for line, heading in enumerate(item["path"], start=2))
    return ItemReport(path, (), item["order"], Location(path, order_line, 8), headings)


def _check_item(data: bytes, path: str, item_id: str | None) -> ItemReport:
    walker, root = start(data, path, _misnamed(item_id))
    if root is None:
        return ItemReport(path, tuple(walker.problems))
    hints = {
        "id": f"unknown key 'id': an item's id is its file name ({item_id or 'the file stem'}); "
        "remove the key",
    }
    keys = walker.top_keys(root, ITEM_KEYS, REQUIRED_ITEM_KEYS, "an item", hints)
    if isinstance(root, MappingNode):
        values = [key for key in VALUE_KEYS if key in keys]
        if not values and not walker.suggested.intersection(VALUE_KEYS):
            walker.report(root, "missing the value: add text:, choices: or select:")
        elif len(values) > 1:
            second = keys[values[1]][0]
            walker.report(second, f"an item has one value, found {' and '.join(values)}")
    order: int | None = None
    order_at: Location | None = None
    headings: tuple[tuple[str, int | None, int | None], ...] = ()
    if "path" in keys:
        headings = _check_path(walker, keys["path"][1])
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
    return ItemReport(path, in_order(walker.problems), order, order_at, headings)


def _misnamed(item_id: str | None) -> str | None:
    """What is wrong with ``item_id`` as an item id; None when nothing is, or it is not known."""
    if item_id is None or NAME_RE.match(item_id):
        return None
    return (
        f"{item_id!r} cannot be an item id: the file name (its id) must be lower-case "
        "ASCII letters, digits, '.', '_' and '-', starting with a letter or digit"
    )


def _check_path(walker: Walker, node: Node) -> tuple[tuple[str, int | None, int | None], ...]:
    """The headings of ``path`` that are text, each with its place (for the checks across
    files); every problem of ``path`` reported."""
    headings = walker.sequence(node, "path")
    if headings is None:
        return ()
    if not headings:
        walker.report(node, "path is empty: list the headings of the form, outermost first")
    found = []
    for heading in headings:
        text = walker.text(heading, "a heading of path")
        if text is not None:
            where = walker.at(heading)
            found.append((text, where.line, where.column))
    # A path with a heading that is not text has no siblings to compare.
    return tuple(found) if len(found) == len(headings) else ()


def _check_text(walker: Walker, node: Node) -> None:
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


def _check_choices(walker: Walker, node: Node) -> None:
    if walker.empty(node):
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
                walker.first_time(
                    labels, label, keys["label"][1], f"choice {label!r} appears twice"
                )
        if "checked" in keys:
            walker.boolean(keys["checked"][1], "checked")
        if "note" in keys:
            walker.text(keys["note"][1], "note", empty_ok=True)


def _check_select(walker: Walker, node: Node) -> None:
    if walker.empty(node) or not walker.visit(node):
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
    options = walker.texts(keys["options"][1], "options", "an option", "option")
    if value is not None and options and value not in options:
        walker.report(
            keys["value"][1],
            f"select value {value!r} is not one of its options: {', '.join(options)}"
            + did_you_mean(value, options),
        )
