"""The check of one ``assessment.yaml``: its folder name, its keys, its milestones (ids, labels,
days) and its reason categories, every problem with its line and column.

Pure: bytes and a path in, an ``AssessmentReport`` out; no IO, and nothing here changes a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from piakit import documents
from piakit.checks.walker import Walker, compose, in_order
from piakit.conventions import (
    ASSESSMENT_KEYS,
    MILESTONE_ID_RE,
    MILESTONE_KEYS,
    NAME_RE,
    REQUIRED_ASSESSMENT_KEYS,
)
from piakit.errors import Location, Problem


@dataclass(frozen=True)
class AssessmentReport:
    path: str
    problems: tuple[Problem, ...]
    milestone_ids: tuple[str, ...] = ()
    reason_categories: tuple[str, ...] | None = None


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
    root = compose(data, path, problems)
    if root is None:
        return AssessmentReport(path, tuple(problems))
    walker = Walker(path)
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
        in_order(problems + walker.problems),
        tuple(milestone_ids),
        tuple(categories) if categories else None,
    )


def _check_milestones(walker: Walker, node: Node) -> list[str]:
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


def _check_date(walker: Walker, node: Node) -> None:
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


def _check_categories(walker: Walker, node: Node) -> list[str] | None:
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
