"""Reading and writing the YAML files of an assessment: ``assessment.yaml`` and ``items/<id>.yaml``.

Reading uses ruamel's safe loader (the C loader where it is installed) and turns every failure
into a ``DocumentError`` naming the file, line and column. Writing produces the canonical form
(key order, block scalars for text, no line wrapping, LF, final newline) through ruamel's
round-trip dumper. This module never talks to git and never overwrites a file on its own: the
caller decides where bytes go.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from piakit.errors import DocumentError, Location
from piakit.model import Assessment, Choice, Item, Milestone, Selection

#: Files larger than this are refused before parsing: an item is a paragraph, not a database.
MAX_FILE_BYTES = 1 << 20

#: The canonical key order of an item file.
ITEM_KEYS = ("path", "page", "order", "important", "text", "choices", "select")
#: The canonical key order of assessment.yaml.
ASSESSMENT_KEYS = ("title", "affair", "organization", "form", "milestones", "reason_categories")

_safe = YAML(typ="safe")


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
    text = decode(data, path) if isinstance(data, bytes) else data
    try:
        return _safe.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise DocumentError(location, f"invalid YAML: {problem}") from None
    except YAMLError as exc:
        raise DocumentError(Location(path), f"invalid YAML: {exc}") from None
    except RecursionError:
        raise DocumentError(Location(path), "invalid YAML: nested too deeply") from None


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
    return item_from_data(load_yaml(data, path), item_id, path)


def assessment_from_data(data: Any, slug: str, path: str) -> Assessment:
    mapping = _require_mapping(data, path)
    title = mapping.get("title")
    if not isinstance(title, str) or not title.strip():
        raise DocumentError(Location(path), "title is missing")
    milestones = []
    for entry in mapping.get("milestones") or []:
        if not isinstance(entry, Mapping) or entry.get("id") is None:
            raise DocumentError(Location(path), "each milestone needs an id")
        date = entry.get("date")
        if isinstance(date, dt.datetime):
            date = date.date()
        elif date is not None and not isinstance(date, dt.date):
            raise DocumentError(
                Location(path), f"milestone {entry['id']}: date must be YYYY-MM-DD, not {date!r}"
            )
        milestone_id = str(entry["id"])
        milestones.append(
            Milestone(id=milestone_id, label=str(entry.get("label") or milestone_id), date=date)
        )
    categories = mapping.get("reason_categories")
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


# --- writing -------------------------------------------------------------------------------


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 1 << 30  # never wrap: a save must not reformat text nobody edited
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    return yaml


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
            entry["label"] = choice.label
            if choice.checked:
                entry["checked"] = True
            if choice.note is not None:
                entry["note"] = choice.note
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
