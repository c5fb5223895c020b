"""Reading an assessment's YAML files: bytes in, parsed data, node trees or records out.

Reading uses ruamel's safe loader (the C loader where it is installed) and turns every failure
into a ``DocumentError`` naming the file, line and column. Before a text is loaded, the guard
refuses what would hang or crash the loader (a huge file, deep nesting, a YAML bomb). An item
in the canonical form is read by ``fast_reader`` instead, with the same result.

This module never writes a file, never talks to git, and never hands a parser a text whose
size and nesting the guard has not passed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import Resolver
from ruamel.yaml.tag import Tag

from piakit.documents._fast_reader import read_item as read_canonical_item
from piakit.documents._mapping import assessment_from_data, item_from_data, opinion_from_data
from piakit.documents._writing import round_trip_yaml
from piakit.errors import DocumentError, Location
from piakit.model import Assessment, Item, Opinion

#: Files larger than this are refused before parsing: an item is a paragraph, not a database.
MAX_FILE_BYTES = 1 << 20


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
    return _parse(round_trip_yaml().load, data, path)


def load_item(data: bytes | str, item_id: str, path: str) -> Item:
    """The item of an item file; the first structural problem is a DocumentError."""
    text = decode(data, path) if isinstance(data, bytes) else data
    # Nearly every version of an item is in the canonical form, which reads without a YAML
    # parser; anything else goes through ruamel, with the same result.
    canonical = read_canonical_item(text)
    if canonical is None:
        return item_from_data(load_yaml(text, path), item_id, path)
    guard_structure(text, path)
    return item_from_data(canonical, item_id, path)


def load_assessment(data: bytes | str, slug: str, path: str) -> Assessment:
    """The assessment of an ``assessment.yaml``; the first structural problem is a
    DocumentError."""
    return assessment_from_data(load_yaml(data, path), slug, path)


def load_opinion(data: bytes | str, opinion_id: str, path: str) -> Opinion:
    """The opinion of an ``opinions/<id>.yaml``; the first structural problem is a
    DocumentError."""
    return opinion_from_data(load_yaml(data, path), opinion_id, path)
