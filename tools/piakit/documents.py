"""Reading and writing the YAML files of an assessment: ``assessment.yaml`` and ``items/<id>.yaml``.

Reading uses ruamel's safe loader (the C loader where it is installed) and turns every failure
into a ``DocumentError`` naming the file, line and column. Writing produces the canonical form
(key order, block scalars for text, no line wrapping, LF, final newline) through ruamel's
round-trip dumper. This module never talks to git and never overwrites a file on its own: the
caller decides where bytes go.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import Resolver
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.tag import Tag

from piakit.canonical import read_item as read_canonical_item
from piakit.errors import DocumentError, Location
from piakit.model import Assessment, Choice, Item, Milestone, Selection

#: Files larger than this are refused before parsing: an item is a paragraph, not a database.
MAX_FILE_BYTES = 1 << 20

#: The canonical key order of an item file.
#: The canonical key order of assessment.yaml.


try:  # ruamel.yaml.clib: the reader, scanner and parser in C
    from _ruamel_yaml import CParser as _CParser
except ImportError:  # pragma: no cover - the pure-Python parser below
    _CParser = None


class _SafeYAML:
    """``YAML(typ="safe")``'s ``load`` and ``compose``, three times faster.

    ``YAML.load`` builds a new loader class on every call and resolves every scalar through
    the versioned resolver; with the C parser the version is always 1.2, so this loader (the C
    parser, the safe constructor, the YAML 1.2 resolver, duplicate keys refused) gives the same
    values, nodes and errors at a third of the cost, which is what a repository of thousands of
    items needs. Without ruamel.yaml.clib it is ``YAML(typ="safe")`` itself."""

    def __init__(self) -> None:
        self._pure = YAML(typ="safe") if _CParser is None or not _SIMPLE_RESOLVER else None

    def _loader(self, text: str) -> Any:
        loader = _CSafeLoader(text)
        loader.allow_duplicate_keys = False
        return loader

    def load(self, text: str) -> Any:
        if self._pure is not None:
            return self._pure.load(text)
        loader = self._loader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()

    def compose(self, text: str) -> Node | None:
        if self._pure is not None:
            node: Node | None = self._pure.compose(text)
            return node
        loader = self._loader(text)
        try:
            composed: Node | None = loader.get_single_node()
            return composed
        finally:
            loader.dispose()


#: The tags the resolver gives, shared (see ``_CSafeLoader.resolve``).
_TAGS: dict[str, Any] = {}

# The shortcut in _CSafeLoader.resolve holds only for a resolver like this one.
_SIMPLE_RESOLVER = not Resolver.yaml_path_resolvers and None not in Resolver.yaml_implicit_resolvers

if _CParser is not None and _SIMPLE_RESOLVER:

    class _CSafeLoader(_CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            self._parser = self._composer = self
            SafeConstructor.__init__(self, loader=self)
            Resolver.__init__(self, loadumper=self)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            """``Resolver.resolve`` for a resolver with no path resolvers and no implicit
            resolver for every first character (as ruamel's YAML 1.2 ``Resolver`` is), giving
            one shared Tag per tag: ruamel makes a new one for every number and boolean, whose
            name is then decoded character by character, which was a tenth of a check."""
            if kind is ScalarNode and implicit[0]:
                for tag, regexp in Resolver.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        shared = _TAGS.get(tag)
                        if shared is None:
                            shared = _TAGS[tag] = Tag(suffix=tag)
                        return shared
                return Resolver.DEFAULT_SCALAR_TAG
            if kind is ScalarNode:
                return Resolver.DEFAULT_SCALAR_TAG
            if kind is SequenceNode:
                return Resolver.DEFAULT_SEQUENCE_TAG
            if kind is MappingNode:
                return Resolver.DEFAULT_MAPPING_TAG
            return None

        @property
        def processing_version(self) -> tuple[int, int]:
            # What the versioned resolver answers with the C parser: the constructor reads
            # numbers by YAML 1.2's rules, as the resolver recognised them.
            return (1, 2)


_safe = _SafeYAML()


def decode(data: bytes, path: str) -> str:
    """UTF-8 text of a file, without a BOM; anything else is a DocumentError with the line."""
    if len(data) > MAX_FILE_BYTES:
        raise DocumentError(
            Location(path),
            f"file is {len(data):,} bytes, larger than the {MAX_FILE_BYTES:,} an item may be",
            hint="an item holds one entry of the form; split it or remove what does not belong",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DocumentError(
            Location(path, line, column),
            "text is not UTF-8",
            hint="save the file as UTF-8 (not Shift_JIS)",
        ) from None


def load_yaml(data: bytes | str, path: str) -> Any:
    """Parse one YAML document; a syntax error names the file, line and column."""
    return _parse(_safe.load, data, path)


def _parse(parse: Callable[[str], Any], data: bytes | str, path: str) -> Any:
    """Decode, guard and parse one document; every parser error becomes a DocumentError
    naming the file, line and column."""
    text = decode(data, path) if isinstance(data, bytes) else data
    guard_structure(text, path)
    try:
        return parse(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise DocumentError(location, _describe_yaml_error(exc, text)) from None
    except YAMLError as exc:
        raise DocumentError(Location(path), f"invalid YAML: {exc}") from None
    except RecursionError:
        raise DocumentError(Location(path), "invalid YAML: nested too deeply") from None
    except (ValueError, OverflowError) as exc:
        # The parse went well but a value could not be built: an impossible date
        # (2020-02-30), a number too long for Python. The error has no mark: find the value.
        raise _unreadable_value(text, path, exc) from None


# --- values the constructor cannot build -------------------------------------------------------

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_DATE_PARTS = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
#: Builds one scalar at a time, to find the one the loader could not build.
_SCALAR_BUILDER = YAML(typ="safe")


def impossible_value(node: Node) -> str | None:
    """Why the scalar ``node`` cannot be built as its tag says (``2020-02-30`` is resolved as
    a date but there is no such day), or None when it can."""
    if not isinstance(node, ScalarNode):
        return None
    constructor = _SCALAR_BUILDER.constructor
    try:
        constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:
        return _describe_impossible(node, exc)
    except YAMLError:
        return None  # not a value problem: the parse reports it
    finally:
        constructor.constructed_objects.clear()
    return None


def _describe_impossible(node: ScalarNode, exc: Exception) -> str:
    value = str(node.value)
    if str(node.tag) == _TIMESTAMP_TAG:
        parts = _DATE_PARTS.match(value)
        if parts is not None:
            year, month, day = (int(part) for part in parts.groups())
            if not 1 <= month <= 12:
                return f"{value} is not a date: there is no month {month}"
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                return f"{value} is not a date: {year}-{month:02d} has {days} days"
        return f"{value} is not a date and time: {exc}"
    shown = value if len(value) <= 40 else value[:20] + "…"
    if str(node.tag) == "tag:yaml.org,2002:int":
        return f"{shown} is a number of {len(value):,} digits, too long to read"
    return f"{shown} cannot be read as {str(node.tag).rsplit(':', 1)[-1]}"


def _impossible_value_hint(node: ScalarNode) -> str:
    value = str(node.value)
    if str(node.tag) == _TIMESTAMP_TAG:
        return (
            "write a real day as YYYY-MM-DD (e.g. 2020-02-29), "
            f"or quote the value ('{value}') if it is text, not a date"
        )
    return "quote the value if it is text; a number in an item is a page or an order"


def _unreadable_value(text: str, path: str, exc: Exception) -> DocumentError:
    """The DocumentError for a document whose parse raised ``exc`` while building a value:
    located at the first scalar that cannot be built."""
    try:
        root = _safe.compose(text)
    except (YAMLError, RecursionError):
        root = None
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        problem = impossible_value(node)
        if problem is not None and isinstance(node, ScalarNode):
            mark = node.start_mark
            return DocumentError(
                Location(path, mark.line + 1, mark.column + 1),
                problem,
                hint=_impossible_value_hint(node),
            )
        stack.extend(reversed(_children(node)))
    return DocumentError(Location(path), f"a value cannot be read: {exc}")


# --- guarding the parser --------------------------------------------------------------------

#: Nesting deeper than this (flow brackets, or compact ``- - -`` indicators) is refused before
#: any parser sees it: the C parser overflows the stack on a file of open brackets (a crash,
#: not an exception) and grows slow long before that. Items nest three or four levels.
MAX_NESTING = 1000
#: Compact block indicators (``- - - x``) in a row beyond this are refused for the same reason.
MAX_COMPACT_INDICATORS = 100
#: A document whose anchors and aliases expand to more values than this is a YAML bomb.
MAX_EXPANDED_NODES = 100_000

_COMPACT_RUN = re.compile(f"(?:[-?:][ \t]+){{{MAX_COMPACT_INDICATORS},}}")
_BRACKETS = re.compile(r"[\[\]{}]")
_ALIAS = re.compile(r"(?:^|[\s\[{,])(\*[^\s\[\]{},]+)", re.MULTILINE)


def _offset_location(path: str, text: str, offset: int) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def guard_structure(text: str, path: str) -> None:
    """Refuse what would hang or crash a YAML parser, before one sees it.

    Cheap for ordinary files: two counts and one regular-expression search; the deeper looks
    run only on a file with many brackets or with aliases. A problem is a DocumentError naming
    the line."""
    if text.count("[") + text.count("{") > MAX_NESTING:
        depth = 0
        for match in _BRACKETS.finditer(text):
            depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
            if depth > MAX_NESTING:
                raise DocumentError(
                    _offset_location(path, text, match.start()),
                    f"nested more than {MAX_NESTING} levels deep",
                    hint="an item needs a few levels; this file is broken or hostile",
                )
    compact = _COMPACT_RUN.search(text)
    if compact is not None:
        raise DocumentError(
            _offset_location(path, text, compact.start()),
            f"more than {MAX_COMPACT_INDICATORS} nested '- ' in a row",
            hint="an item needs a few levels; this file is broken or hostile",
        )
    if "*" in text:
        try:
            node = _safe.compose(text)
        except (YAMLError, RecursionError):
            return  # the parse proper reports it
        if node is not None and _expanded_size(node) > MAX_EXPANDED_NODES:
            alias = _ALIAS.search(text)
            raise DocumentError(
                _offset_location(path, text, alias.start(1) if alias else 0),
                f"anchors and aliases (&, *) expand to more than {MAX_EXPANDED_NODES:,} values "
                "(a YAML bomb)",
                hint="write the values out: item files need no anchors or aliases",
            )


def _expanded_size(root: Node) -> int:
    """How many nodes the document has once every alias is expanded, counted without
    expanding anything (each node is visited once; an alias is the same node object)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
            if sizes[id(node)] > MAX_EXPANDED_NODES:
                return sizes[id(node)]
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _describe_yaml_error(exc: MarkedYAMLError, text: str) -> str:
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return "a tab in the indentation: indent with spaces (YAML does not allow tabs there)"
    if "another document" in problem or "expected a single document" in problem:
        return "more than one YAML document ('---'): a file holds exactly one"
    duplicate = re.search(r'duplicate key "(.*?)"', problem)
    if duplicate is not None:
        return f"duplicate key {duplicate.group(1)!r}: remove one of them"
    return f"invalid YAML: {problem}"


def compose_yaml(data: bytes | str, path: str) -> Node | None:
    """The node tree of one YAML document, with the line and column of every key and value,
    for validation (``piakit check``). Aliases are not expanded and duplicate keys are kept:
    the caller reports them. ``None`` for an empty file."""
    node: Node | None = _parse(_safe.compose, data, path)
    return node


def load_round_trip(data: bytes | str, path: str) -> Any:
    """Parse for rewriting (``fmt``, ``milestone add``): ruamel's round-trip loader, which keeps
    comments, key order and scalar styles. Errors as in ``load_yaml``."""
    return _parse(_round_trip().load, data, path)


def _require_mapping(data: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        kind = "empty" if data is None else type(data).__name__
        raise DocumentError(Location(path, 1, 1), f"expected a mapping of keys, found {kind}")
    return data


def _int_or_none(value: Any, key: str, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DocumentError(Location(path), f"{key} must be a whole number, not {value!r}")
    return value


def item_from_data(data: Any, item_id: str, path: str) -> Item:
    """Build an ``Item`` from parsed YAML. Structural problems are DocumentErrors; the full
    validation with line numbers is ``piakit check``'s job."""
    mapping = _require_mapping(data, path)
    raw_path = mapping.get("path")
    if isinstance(raw_path, str):
        heading_path: tuple[str, ...] = (raw_path,)
    elif isinstance(raw_path, list) and all(isinstance(p, str) for p in raw_path):
        heading_path = tuple(raw_path)
    else:
        raise DocumentError(Location(path), "path must be a list of headings")
    values = [key for key in ("text", "choices", "select") if mapping.get(key) is not None]
    if len(values) > 1:
        raise DocumentError(Location(path), f"an item has one value, found {', '.join(values)}")
    text = mapping.get("text")
    if text is not None and not isinstance(text, str):
        text = str(text)
    choices: tuple[Choice, ...] | None = None
    raw_choices = mapping.get("choices")
    if raw_choices is not None:
        if not isinstance(raw_choices, list):
            raise DocumentError(Location(path), "choices must be a list of {label, checked, note}")
        built = []
        for entry in raw_choices:
            if isinstance(entry, str):
                built.append(Choice(label=entry))
                continue
            if not isinstance(entry, Mapping) or not isinstance(entry.get("label"), str):
                raise DocumentError(Location(path), "each choice needs a label")
            note = entry.get("note")
            built.append(
                Choice(
                    label=entry["label"],
                    checked=bool(entry.get("checked", False)),
                    note=None if note is None else str(note),
                )
            )
        choices = tuple(built)
    select: Selection | None = None
    raw_select = mapping.get("select")
    if raw_select is not None:
        if isinstance(raw_select, str):
            select = Selection(value=raw_select)
        elif isinstance(raw_select, Mapping) and raw_select.get("value") is not None:
            options = raw_select.get("options")
            suffix = raw_select.get("suffix")
            select = Selection(
                value=str(raw_select["value"]),
                suffix=None if suffix is None else str(suffix),
                options=tuple(str(o) for o in options) if isinstance(options, list) else None,
            )
        else:
            raise DocumentError(Location(path), "select needs a value")
    return Item(
        id=item_id,
        path=heading_path,
        page=_int_or_none(mapping.get("page"), "page", path),
        order=_int_or_none(mapping.get("order"), "order", path),
        text=text,
        choices=choices,
        select=select,
        important=bool(mapping.get("important", False)),
    )


def load_item(data: bytes | str, item_id: str, path: str) -> Item:
    text = decode(data, path) if isinstance(data, bytes) else data
    # Nearly every version of an item is in the canonical form, which reads without a YAML
    # parser; anything else goes through ruamel, with the same result.
    canonical = read_canonical_item(text)
    if canonical is None:
        return item_from_data(load_yaml(text, path), item_id, path)
    guard_structure(text, path)
    return item_from_data(canonical, item_id, path)


def assessment_from_data(data: Any, slug: str, path: str) -> Assessment:
    mapping = _require_mapping(data, path)
    title = mapping.get("title")
    if not isinstance(title, str) or not title.strip():
        raise DocumentError(Location(path), "title is missing")
    milestones = []
    for entry in _list_or_empty(mapping.get("milestones"), "milestones", path):
        if not isinstance(entry, Mapping) or entry.get("id") is None:
            raise DocumentError(Location(path), "each milestone needs an id", hint=_CHECK_HINT)
        if isinstance(entry["id"], (list, Mapping)):
            raise DocumentError(
                Location(path),
                f"a milestone id must be a word, not {entry['id']!r}",
                hint=_CHECK_HINT,
            )
        date = entry.get("date")
        if isinstance(date, dt.datetime):  # as check says: a day, not a moment
            raise DocumentError(
                Location(path),
                f"milestone {entry['id']}: date must be a day, YYYY-MM-DD, without a time "
                f"(not {date.isoformat(sep=' ')})",
                hint=_CHECK_HINT,
            )
        if date is not None and not isinstance(date, dt.date):
            raise DocumentError(
                Location(path), f"milestone {entry['id']}: date must be YYYY-MM-DD, not {date!r}"
            )
        milestone_id = str(entry["id"])
        milestones.append(
            Milestone(id=milestone_id, label=str(entry.get("label") or milestone_id), date=date)
        )
    categories = _list_or_empty(mapping.get("reason_categories"), "reason_categories", path)
    return Assessment(
        slug=slug,
        title=title,
        organization=_str_or_none(mapping.get("organization")),
        form=_str_or_none(mapping.get("form")),
        milestones=tuple(milestones),
        reason_categories=tuple(str(c) for c in categories) if categories else None,
        affair=_str_or_none(mapping.get("affair")),
    )


def load_assessment(data: bytes | str, slug: str, path: str) -> Assessment:
    return assessment_from_data(load_yaml(data, path), slug, path)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


#: Reading a document for a command reports the first structural problem only.
_CHECK_HINT = "piakit check lists every problem with its line"


def _list_or_empty(value: Any, key: str, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DocumentError(
            Location(path),
            f"{key} must be a list (lines starting with '- '), not {value!r}",
            hint=_CHECK_HINT,
        )
    return value


# --- writing -------------------------------------------------------------------------------


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 1 << 30  # never wrap: a save must not reformat text nobody edited
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    return yaml


def dump_round_trip(data: Any) -> str:
    """Serialize round-trip data exactly: unlike ``dump_yaml`` nothing is stripped from the
    end, so a ``|+`` block keeps its trailing lines. LF line ends, one final newline."""
    stream = io.StringIO()
    _round_trip().dump(data, stream)
    text = stream.getvalue()
    return text if text.endswith("\n") else text + "\n"


def dump_yaml(data: Any) -> str:
    """Serialize with the canonical round-trip settings; LF line ends, one final newline."""
    stream = io.StringIO()
    _round_trip().dump(data, stream)
    return stream.getvalue().rstrip("\n") + "\n"


def _block(text: str) -> str | LiteralScalarString:
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    if not text:
        return ""
    block: LiteralScalarString = LiteralScalarString(text + "\n")
    return block


def _multiline(value: str) -> str | LiteralScalarString:
    """A string with a line break in the literal block style ``fmt`` gives it, so that what
    piakit writes is already canonical."""
    if "\n" in value:
        block: LiteralScalarString = LiteralScalarString(value)
        return block
    return value


def item_to_data(item: Item) -> CommentedMap:
    data = CommentedMap()
    data["path"] = CommentedSeq(item.path)
    if item.page is not None:
        data["page"] = item.page
    if item.order is not None:
        data["order"] = item.order
    if item.important:
        data["important"] = True
    if item.text is not None:
        data["text"] = _block(item.text)
    elif item.choices is not None:
        seq = CommentedSeq()
        for choice in item.choices:
            entry = CommentedMap()
            entry["label"] = _multiline(choice.label)
            if choice.checked:
                entry["checked"] = True
            if choice.note is not None:
                entry["note"] = _multiline(choice.note)
            seq.append(entry)
        data["choices"] = seq
    elif item.select is not None:
        entry = CommentedMap()
        entry["value"] = item.select.value
        if item.select.suffix:
            entry["suffix"] = item.select.suffix
        if item.select.options:
            entry["options"] = CommentedSeq(item.select.options)
        data["select"] = entry
    return data


def dump_item(item: Item) -> str:
    """The canonical text of an item file."""
    return dump_yaml(item_to_data(item))


def assessment_to_data(assessment: Assessment) -> CommentedMap:
    data = CommentedMap()
    data["title"] = assessment.title
    if assessment.affair:
        data["affair"] = assessment.affair
    if assessment.organization:
        data["organization"] = assessment.organization
    if assessment.form:
        data["form"] = assessment.form
    milestones = CommentedSeq()
    for milestone in assessment.milestones:
        entry = CommentedMap()
        entry["id"] = milestone.id
        entry["label"] = milestone.label
        if milestone.date is not None:
            entry["date"] = milestone.date
        milestones.append(entry)
    data["milestones"] = milestones
    if assessment.reason_categories:
        data["reason_categories"] = CommentedSeq(assessment.reason_categories)
    return data


def dump_assessment(assessment: Assessment) -> str:
    return dump_yaml(assessment_to_data(assessment))
