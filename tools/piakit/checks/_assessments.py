"""The check of one ``assessment.yaml``: its folder name, its keys, its milestones (ids, labels,
days) and its reason categories, every problem with its line and column.

Pure: bytes and a path in, an ``AssessmentReport`` out; no IO, and nothing here changes a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from piakit import documents
from piakit.checks._walker import Walker, in_order, start
from piakit.conventions import (
    ASSESSMENT_KEYS,
    MILESTONE_ID_RE,
    MILESTONE_KEYS,
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
    if "milestones" in keys:
        milestone_ids = _check_milestones(walker, keys["milestones"][1])
    categories: list[str] | None = None
    if "reason_categories" in keys:
        categories = _check_categories(walker, keys["reason_categories"][1])
    return AssessmentReport(
        path,
        in_order(walker.problems),
        tuple(milestone_ids),
        tuple(categories) if categories else None,
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


def _check_milestones(walker: Walker, node: Node) -> list[str]:
    entries = walker.sequence(node, "milestones")
    ids: dict[str, Node] = {}
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
        if "date" in keys:
            _check_date(walker, keys["date"][1])
    return list(ids)


def _check_date(walker: Walker, node: Node) -> None:
    if walker.empty(node) or not walker.visit(node):
        return
    value = walker.scalar(node) if isinstance(node, ScalarNode) else None
    impossible = documents.impossible_value(node)
    if impossible is not None:
        walker.report(node, f"{impossible}; write a real day as YYYY-MM-DD")
    elif isinstance(value, dt.datetime):
        walker.report(node, "date must be a day, YYYY-MM-DD, without a time")
    elif not isinstance(value, dt.date) or str(node.tag) != "tag:yaml.org,2002:timestamp":
        shown = node.value if isinstance(node, ScalarNode) else walker.kind(node)
        walker.report(node, f"date must be written YYYY-MM-DD (e.g. 2020-06-30), not {shown!r}")


def _check_categories(walker: Walker, node: Node) -> list[str] | None:
    if walker.empty(node):
        return None
    categories = walker.texts(node, "reason_categories", "a reason category", "reason category")
    return list(dict.fromkeys(categories)) if categories is not None else None
