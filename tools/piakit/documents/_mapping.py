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

from piakit.conventions import (
    ASSESSMENT_KEYS,
    CHOICE_KEYS,
    DEFAULT_OPINION_SOURCES,
    ITEM_KEYS,
    MILESTONE_KEYS,
    MILESTONE_KINDS,
    OUTCOMES,
    SELECT_KEYS,
    VALUE_KEYS,
)
from piakit.errors import DocumentError, Location
from piakit.model import Assessment, Choice, Item, Milestone, Opinion, Selection


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
    values = [key for key in VALUE_KEYS if mapping.get(key) is not None]
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
        kind = entry.get("kind")
        if kind is not None and kind not in MILESTONE_KINDS:
            raise DocumentError(
                Location(path),
                f"milestone {milestone_id}: kind must be one of {', '.join(MILESTONE_KINDS)}, "
                f"not {kind!r}",
                hint=_CHECK_HINT,
            )
        milestones.append(
            Milestone(
                id=milestone_id,
                label=str(entry.get("label") or milestone_id),
                date=date,
                kind=kind,
            )
        )
    categories = _list_or_empty(mapping.get("reason_categories"), "reason_categories", path)
    sources = _list_or_empty(mapping.get("opinion_sources"), "opinion_sources", path)
    return Assessment(
        slug=slug,
        title=title,
        organization=_str_or_none(mapping.get("organization")),
        form=_str_or_none(mapping.get("form")),
        milestones=tuple(milestones),
        reason_categories=tuple(str(c) for c in categories) if categories else None,
        affair=_str_or_none(mapping.get("affair")),
        opinion_sources=tuple(str(s) for s in sources) if sources else DEFAULT_OPINION_SOURCES,
    )


def opinion_from_data(data: Any, opinion_id: str, path: str) -> Opinion:
    """The opinion of an ``opinions/<id>.yaml``; the first structural problem is a
    DocumentError (``piakit check`` lists them all, each with its line)."""
    mapping = _require_mapping(data, path)
    for key in ("source", "summary", "outcome"):
        if not isinstance(mapping.get(key), str) or not mapping[key].strip():
            raise DocumentError(Location(path), f"opinion {opinion_id}: {key} is missing")
    received = mapping.get("received")
    if isinstance(received, dt.datetime) or not isinstance(received, dt.date):
        raise DocumentError(
            Location(path),
            f"opinion {opinion_id}: received must be a day, YYYY-MM-DD, not {received!r}",
            hint=_CHECK_HINT,
        )
    outcome = mapping["outcome"]
    if outcome not in OUTCOMES:
        raise DocumentError(
            Location(path),
            f"opinion {opinion_id}: outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}",
            hint=_CHECK_HINT,
        )
    return Opinion(
        id=opinion_id,
        source=mapping["source"],
        received=received,
        summary=mapping["summary"],
        outcome=outcome,
        sender=_str_or_none(mapping.get("from")),
        response=_str_or_none(mapping.get("response")) or None,
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


def fits_literal_block(text: str) -> bool:
    """Whether a literal block (``|``) can hold ``text`` so that it reads back. A block takes
    its indentation from its first line that is not blank: a tab there (``\tfoo``, or a
    line of only a tab) is read as indentation, which YAML forbids, and the file could not
    be read. Such a text is written quoted instead."""
    for line in text.split("\n"):
        if line.strip(" ") == "":
            continue
        return not line.lstrip(" ").startswith("\t") and line.strip() != ""
    return True


def _block(text: str) -> str | LiteralScalarString:
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    if not text:
        return ""
    if not fits_literal_block(text):
        return text + "\n"
    block: LiteralScalarString = LiteralScalarString(text + "\n")
    return block


def _multiline(value: str) -> str | LiteralScalarString:
    """A string with a line break in the literal block style ``fmt`` gives it, so that what
    piakit writes is already canonical (quoted where a block cannot hold it)."""
    if "\n" in value and fits_literal_block(value):
        block: LiteralScalarString = LiteralScalarString(value)
        return block
    return value


def _in_order(keys: tuple[str, ...], values: Mapping[str, Any]) -> CommentedMap:
    """``values`` as a mapping in the canonical key order ``keys``; a key whose value is None
    is left out, as the canonical form writes no empty key."""
    assert set(values) <= set(keys), f"keys outside the canonical order: {set(values) - set(keys)}"
    data = CommentedMap()
    for key in keys:
        value = values.get(key)
        if value is not None:
            data[key] = value
    return data


def item_to_data(item: Item) -> CommentedMap:
    """The data of an item file in the canonical form: what ``dump_item`` writes."""
    values: dict[str, Any] = {
        "path": CommentedSeq(item.path),
        "page": item.page,
        "order": item.order,
        "important": item.important or None,
    }
    if item.text is not None:
        values["text"] = _block(item.text)
    elif item.choices is not None:
        values["choices"] = CommentedSeq(_choice_to_data(choice) for choice in item.choices)
    elif item.select is not None:
        values["select"] = _selection_to_data(item.select)
    return _in_order(ITEM_KEYS, values)


def _choice_to_data(choice: Choice) -> CommentedMap:
    return _in_order(
        CHOICE_KEYS,
        {
            "label": _multiline(choice.label),
            "checked": choice.checked or None,
            "note": None if choice.note is None else _multiline(choice.note),
        },
    )


def _selection_to_data(select: Selection) -> CommentedMap:
    return _in_order(
        SELECT_KEYS,
        {
            "value": select.value,
            "suffix": select.suffix or None,
            "options": CommentedSeq(select.options) if select.options else None,
        },
    )


def assessment_to_data(assessment: Assessment) -> CommentedMap:
    """The data of an ``assessment.yaml`` in the canonical form: what ``dump_assessment``
    writes."""
    milestones = CommentedSeq(
        _in_order(
            MILESTONE_KEYS,
            {
                "id": milestone.id,
                "label": milestone.label,
                "kind": milestone.kind,
                "date": milestone.date,
            },
        )
        for milestone in assessment.milestones
    )
    categories = assessment.reason_categories
    return _in_order(
        ASSESSMENT_KEYS,
        {
            "title": assessment.title,
            "affair": assessment.affair or None,
            "organization": assessment.organization or None,
            "form": assessment.form or None,
            "milestones": milestones,
            "reason_categories": CommentedSeq(categories) if categories else None,
            "opinion_sources": (
                CommentedSeq(assessment.opinion_sources)
                if assessment.opinion_sources != DEFAULT_OPINION_SOURCES
                else None
            ),
        },
    )
