"""The check of one ``assessment.yaml``: its folder name, its keys, its milestones (ids, labels,
kinds, days), its reason categories and its opinion sources, every problem with its line and
column.

Pure: bytes and a path in, an ``AssessmentReport`` out; no IO, and nothing here changes a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node

from piakit.checks._walker import Walker, did_you_mean, in_order, start
from piakit.conventions import (
    ASSESSMENT_KEYS,
    MILESTONE_ID_RE,
    MILESTONE_KEYS,
    MILESTONE_KINDS,
    NAME_RE,
    REQUIRED_ASSESSMENT_KEYS,
)
from piakit.errors import Problem


@dataclass(frozen=True)
class AssessmentReport:
    path: str
    problems: tuple[Problem, ...]
    milestone_ids: tuple[str, ...] = ()
    reason_categories: tuple[str, ...] | None = None
    #: The sources its opinions may name; ``None`` when it names none (the default ones).
    opinion_sources: tuple[str, ...] | None = None
    #: (id, kind, day) of each milestone that says its kind, as far as they read.
    milestone_kinds: tuple[tuple[str, str, dt.date | None], ...] = ()


def check_assessment(data: bytes, path: str, slug: str | None = None) -> AssessmentReport:
    """Every problem of one ``assessment.yaml``. ``slug`` is its folder name."""
    walker, root = start(data, path, _misnamed(slug))
    if root is None:
        return AssessmentReport(path, tuple(walker.problems))
    keys = walker.top_keys(root, ASSESSMENT_KEYS, REQUIRED_ASSESSMENT_KEYS, "an assessment")
    if "title" in keys:
        walker.text(keys["title"][1], "title")
    for key in ("affair", "organization", "form"):
        if key in keys:
            walker.text(keys[key][1], key)
    milestone_ids: list[str] = []
    kinds: list[tuple[str, str, dt.date | None]] = []
    if "milestones" in keys:
        milestone_ids = _check_milestones(walker, keys["milestones"][1], kinds)
    categories: list[str] | None = None
    if "reason_categories" in keys:
        categories = _check_categories(walker, keys["reason_categories"][1])
    sources: list[str] | None = None
    if "opinion_sources" in keys:
        sources = _check_sources(walker, keys["opinion_sources"][1])
    return AssessmentReport(
        path,
        in_order(walker.problems),
        tuple(milestone_ids),
        tuple(categories) if categories else None,
        tuple(sources) if sources else None,
        tuple(kinds),
    )


def _misnamed(slug: str | None) -> str | None:
    """What is wrong with ``slug`` as an assessment's name; None when nothing is, or it is not
    known."""
    if slug is None or NAME_RE.match(slug):
        return None
    return (
        f"{slug!r} cannot be an assessment name: the folder name must be lower-case "
        "ASCII letters, digits, '.', '_' and '-'"
    )


def _check_milestones(
    walker: Walker, node: Node, kinds: list[tuple[str, str, dt.date | None]]
) -> list[str]:
    """The ids of the milestones; ``kinds`` gets (id, kind, day) of each that says its kind."""
    entries = walker.sequence(node, "milestones")
    ids: dict[str, Node] = {}
    for entry in entries or []:
        if not walker.visit(entry):
            continue
        keys = walker.mapping(entry, MILESTONE_KEYS, "a milestone")
        if not isinstance(entry, MappingNode):
            continue
        milestone_id: str | None = None
        if "id" not in keys:
            walker.report(entry, "a milestone needs an id (e.g. id: R2.6.30)")
        else:
            id_node = keys["id"][1]
            milestone_id = walker.text(id_node, "a milestone id")
            if milestone_id is not None:
                twice = f"milestone {milestone_id!r} is declared twice"
                walker.first_time(ids, milestone_id, id_node, twice)
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
        day: dt.date | None = None
        if "date" in keys and not walker.empty(keys["date"][1]):
            day = walker.day(keys["date"][1], "date")
        if "kind" in keys and not walker.empty(keys["kind"][1]):
            kind = _check_kind(walker, keys["kind"][1])
            if kind is not None:
                kinds.append((milestone_id or "", kind, day))
    return list(ids)


def _check_kind(walker: Walker, node: Node) -> str | None:
    """A milestone's ``kind``: one of ``MILESTONE_KINDS``."""
    kind = walker.text(node, "a milestone kind")
    if kind is None or not kind.strip():
        return None
    if kind not in MILESTONE_KINDS:
        walker.report(
            node,
            f"kind {kind!r} is not a stage of the assessment cycle: write one of "
            f"{', '.join(MILESTONE_KINDS)}{did_you_mean(kind, MILESTONE_KINDS)}",
        )
        return None
    return kind


def _check_sources(walker: Walker, node: Node) -> list[str] | None:
    """``opinion_sources``: distinct, non-empty texts; absent or empty: the default ones."""
    if walker.empty(node):
        return None
    sources = walker.texts(node, "opinion_sources", "an opinion source", "opinion source")
    if sources is None:
        return None
    if not sources:
        walker.report(
            node,
            "opinion_sources is an empty list: list where opinions come from, or remove the key "
            "for the default ones (意見募集, 第三者点検)",
        )
    return [source for source in dict.fromkeys(sources) if source.strip()]


def _check_categories(walker: Walker, node: Node) -> list[str] | None:
    if walker.empty(node):
        return None
    categories = walker.texts(node, "reason_categories", "a reason category", "reason category")
    return list(dict.fromkeys(categories)) if categories is not None else None
