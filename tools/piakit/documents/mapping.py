"""The mapping between an assessment's YAML data and piakit's records (``Item``, ``Assessment``).

``item_from_data`` and ``assessment_from_data`` build records from parsed YAML and report the
first structural problem as a ``DocumentError`` (``piakit check`` reports them all, with lines).
``item_to_data`` and ``assessment_to_data`` give the data of the canonical form: keys in the
order of ``piakit.conventions``, text as block literals. Pure: this module never parses or
prints YAML text and never reads or writes a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from piakit.errors import DocumentError, Location
from piakit.model import Assessment, Choice, Item, Milestone, Selection


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
