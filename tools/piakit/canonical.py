"""``piakit fmt``: the canonical form of an item, assessment or opinion file, comments kept.

The canonical form is what the importer writes: keys in the documented order (unknown keys
after them, in their own order), block collections, multi-line strings as literal block
scalars (``|``; an opinion's ``summary`` and ``response`` always, one line or many), no line
wrapping, LF line ends, one final newline, no BOM. The file is read in
ruamel's round-trip mode, so comments, quoting and the text of every value survive.

Line ends are git's business on Windows clones (``core.autocrlf=true`` checks files out with
CRLF): a file that differs from the canonical form only by CRLF line ends is canonical
(:func:`same_but_line_ends`), and a file that must change is written back with the line ends it
had (:func:`with_line_ends_of`), so that ``fmt`` never rewrites a file for its line ends alone
and ``git status`` shows only real changes.

``format_document`` must never change what a file means: it loads the result again and
compares it, value by value and type by type, with the original before it returns anything.
Pure: bytes in, text out; writing files is ``files``' job.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
)

from piakit import documents
from piakit.conventions import (
    ASSESSMENT_KEYS,
    CHOICE_KEYS,
    ITEM_KEYS,
    MILESTONE_KEYS,
    OPINION_KEYS,
    SELECT_KEYS,
)
from piakit.errors import DocumentError, Location, PiakitError

FileKind = Literal["item", "assessment", "opinion"]
#: The keys of an opinion written as block scalars even when they hold one line: the texts of
#: the 意見対応表, which an editor extends by lines.
_OPINION_BLOCKS = ("summary", "response")


def format_document(data: bytes, path: str, kind: FileKind) -> str:
    """The canonical text of a file. A file that is not YAML is a DocumentError naming the
    line; an empty file is returned as it is."""
    # YAML reads CRLF as LF everywhere, inside scalars too: folding it first changes nothing
    # and lets a CRLF checkout of a canonical file take the fast path.
    text = documents.decode(data, path).replace("\r\n", "\n")
    if kind == "item" and _written_by_piakit(text, path):
        return text
    return reformat(text, path, kind)


def same_but_line_ends(data: bytes, canonical: bytes) -> bool:
    """Whether ``data`` is ``canonical`` (LF line ends) with some line ends written CRLF."""
    return b"\r\n" in data and data.replace(b"\r\n", b"\n") == canonical


def with_line_ends_of(original: bytes, canonical: bytes) -> bytes:
    """``canonical`` (LF line ends) with CRLF line ends when every line of ``original`` ended
    with CRLF, as a Windows checkout writes them; else as it is. The canonical text holds no
    carriage return of its own (the emitter escapes one inside a value), so every LF in it
    is a line end."""
    line_ends = original.count(b"\n")
    if line_ends and original.count(b"\r\n") == line_ends:
        return canonical.replace(b"\n", b"\r\n")
    return canonical


def reformat(text: str, path: str, kind: FileKind) -> str:
    """``format_document`` without its shortcut: always the round trip."""
    document = documents.load_round_trip(text, path)
    if document is None:
        return text
    if not isinstance(document, CommentedMap):
        raise DocumentError(
            Location(path, 1, 1),
            "expected a mapping of keys; piakit fmt only formats item, assessment and opinion "
            "files",
            hint="see what is wrong with piakit check",
        )
    original = documents.load_yaml(text, path)
    canonicalize(document, kind)
    formatted = documents.dump_round_trip(document)
    if not same_meaning(original, documents.load_yaml(formatted, path)):
        # ruamel cannot write some odd scalars back as they were styled (a folded block of
        # spaces followed by a comment): let the emitter choose their style instead.
        _unstyle(document)
        formatted = documents.dump_round_trip(document)
        if not same_meaning(original, documents.load_yaml(formatted, path)):
            raise PiakitError(
                f"{path}: formatting would change what the file means, so it was left as it is",
                hint="this is a bug in piakit fmt; please report it with the file",
            )
    return formatted


def _written_by_piakit(text: str, path: str) -> bool:
    """Whether ``text`` is exactly what ``dump_item`` writes for the item it holds: then it is
    canonical as it is (the property tests show fmt leaves every such text alone), and the
    round trip, three times slower, is skipped. Nearly every file is like that."""
    try:
        item = documents.item_from_data(documents.load_yaml(text, path), "x", path)
    except DocumentError:
        return False
    return documents.dump_item(item) == text


def canonicalize(document: CommentedMap, kind: FileKind) -> None:
    """Put a round-trip document into the canonical form, in place."""
    if kind == "item":
        _reorder(document, ITEM_KEYS)
        choices = document.get("choices")
        if isinstance(choices, CommentedSeq):
            for entry in choices:
                if isinstance(entry, CommentedMap):
                    _reorder(entry, CHOICE_KEYS)
        select = document.get("select")
        if isinstance(select, CommentedMap):
            _reorder(select, SELECT_KEYS)
    elif kind == "opinion":
        _reorder(document, OPINION_KEYS)
        for key in _OPINION_BLOCKS:
            value = document.get(key)
            if (
                isinstance(value, str)
                and value.strip()
                and not isinstance(value, LiteralScalarString)
                and documents.fits_literal_block(value)
            ):
                document[key] = LiteralScalarString(str(value))
    else:
        _reorder(document, ASSESSMENT_KEYS)
        milestones = document.get("milestones")
        if isinstance(milestones, CommentedSeq):
            for entry in milestones:
                if isinstance(entry, CommentedMap):
                    _reorder(entry, MILESTONE_KEYS)
    _normalize_styles(document)


def _reorder(mapping: CommentedMap, order: Sequence[str]) -> None:
    """Known keys in ``order``, then the others as they were. A key's comments travel with
    it (ruamel keeps a comment line with the key it follows)."""
    keys = list(mapping.keys())
    wanted = [key for key in order if key in mapping]
    wanted += [key for key in keys if key not in wanted]
    if wanted == keys:
        return
    values = {key: mapping[key] for key in keys}
    comments = {key: mapping.ca.items.get(key) for key in keys}
    for key in keys:
        del mapping[key]
    for key in wanted:
        mapping[key] = values[key]
        if comments[key] is not None:
            mapping.ca.items[key] = comments[key]


def _normalize_styles(node: Any) -> None:
    """Block style for every collection; a literal block for every multi-line string."""
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        for key in list(node.keys()):
            node[key] = _scalar_style(node[key])
            _normalize_styles(node[key])
    elif isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for index, value in enumerate(node):
            node[index] = _scalar_style(value)
            if isinstance(value, CommentedMap) and value.fa.flow_style():
                _keep_line_comment(node, index, value)
            _normalize_styles(value)


def _keep_line_comment(seq: CommentedSeq, index: int, mapping: CommentedMap) -> None:
    """A comment after a flow mapping in a list (``- {label: 甲}  # note``) belongs to that
    entry. ruamel keeps it on the list item, which in block style is the line of the dash
    alone, and the next ``fmt`` moves it again: put it after the entry's last value, where it
    stays on the entry's line and a second ``fmt`` leaves it."""
    slot = seq.ca.items.get(index)
    if not slot or slot[0] is None or not mapping:
        return
    last = list(mapping.keys())[-1]
    here = mapping.ca.items.setdefault(last, [None, None, None, None])
    if here[2] is None:
        here[2], slot[0] = slot[0], None


def _unstyle(node: Any) -> None:
    """Every string a plain ``str``, so that the emitter picks a style that holds it."""
    items: Any = node.items() if isinstance(node, CommentedMap) else enumerate(node)
    for key, value in list(items):
        if isinstance(value, str) and not isinstance(value, PlainScalarString):
            # A plain str would take the old style back (ruamel keeps a key's string type);
            # a plain-style string lets the emitter quote it where plain cannot hold it.
            node[key] = PlainScalarString(str(value))
        elif isinstance(value, CommentedMap | CommentedSeq):
            _unstyle(value)


def _scalar_style(value: Any) -> Any:
    if isinstance(value, float) and type(value) is not float:
        # ruamel writes some round-trip floats back with another value (a digit lost in
        # 3.778775470769456e-278): a plain float is written exactly. The format has no floats.
        return float(value)
    if (
        isinstance(value, str)
        and "\n" in value
        and not isinstance(value, LiteralScalarString)
        and documents.fits_literal_block(value)
    ):
        # The emitter falls back to a quoted scalar by itself when a block cannot hold the
        # string exactly (trailing spaces, control characters), but not for a tab where the
        # block's indentation is read: that is asked first.
        return LiteralScalarString(str(value))
    if isinstance(value, FoldedScalarString):
        # One line: a folded block is no canonical style for it; plain style, quoted by the
        # emitter where plain cannot hold the string.
        return PlainScalarString(str(value))
    return value


def same_meaning(first: Any, second: Any) -> bool:
    """Equal as YAML data: same types (``1`` is not ``true``, ``'1'`` is not ``1``), same
    values, mappings compared without regard to key order."""
    if isinstance(first, bool) or isinstance(second, bool):
        return type(first) is type(second) and first == second
    if isinstance(first, dict) and isinstance(second, dict):
        if len(first) != len(second):
            return False
        matched = dict(second.items())
        for key, value in first.items():
            partner = next((k for k in matched if same_meaning(k, key)), _MISSING)
            if partner is _MISSING or not same_meaning(value, matched.pop(partner)):
                return False
        return not matched
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(
            same_meaning(a, b) for a, b in zip(first, second, strict=True)
        )
    for kind in (str, int, float, dt.datetime, dt.date, bytes, type(None)):
        if isinstance(first, kind) or isinstance(second, kind):
            if not (isinstance(first, kind) and isinstance(second, kind)):
                return False
            if isinstance(first, float) and isinstance(second, float):
                return first == second or (math.isnan(first) and math.isnan(second))
            if kind is dt.date and (
                isinstance(first, dt.datetime) != isinstance(second, dt.datetime)
            ):
                return False
            return bool(first == second)
    return bool(first == second)


_MISSING = object()
