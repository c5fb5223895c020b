"""The checks across the files of one assessment folder: items that share an ``order``, and the
names in ``items/`` and ``opinions/`` (only ``<id>.yaml``, each id once, no subfolders).

They take what the single-file checks found and the names of the files, never the files
themselves: no IO, and nothing here changes a file.
"""

from __future__ import annotations

from collections.abc import Sequence

from piakit.checks._items import ItemReport
from piakit.conventions import ITEM_SUFFIX, ITEMS_DIR, OPINIONS_DIR
from piakit.errors import Location, Problem

#: The other ending of YAML files: such an item file is reported, with the name to give it.
_MISSPELLED_SUFFIX = ".yml"


def check_orders(reports: Sequence[ItemReport]) -> list[Problem]:
    """Items of one assessment that share an ``order``: each of them is reported, naming the
    others, so that a check of one changed file still sees the clash."""
    groups: dict[int, list[ItemReport]] = {}
    for report in sorted(reports, key=lambda r: r.path):
        if report.order is not None and report.order_at is not None:
            groups.setdefault(report.order, []).append(report)
    problems = []
    for order, group in groups.items():
        if len(group) < 2:
            continue
        for report in group:
            assert report.order_at is not None
            others = ", ".join(
                f"{other.path}:{other.order_at.line}" if other.order_at else other.path
                for other in group
                if other is not report
            )
            problems.append(
                Problem(
                    report.order_at,
                    f"order {order} is also the order of {others}: give each item its own position",
                )
            )
    return problems


def check_item_names(items_dir: str, names: Sequence[str]) -> list[Problem]:
    """The entries of one ``items/`` folder (paths relative to it, ``/`` separated): only
    ``<id>.yaml`` files, each id once."""
    return _check_names(items_dir, names, ITEMS_DIR, "item")


def check_opinion_names(opinions_dir: str, names: Sequence[str]) -> list[Problem]:
    """The entries of one ``opinions/`` folder, as ``check_item_names`` those of ``items/``."""
    return _check_names(opinions_dir, names, OPINIONS_DIR, "opinion")


def _check_names(items_dir: str, names: Sequence[str], kind: str, noun: str) -> list[Problem]:
    """The entries of the folder ``kind`` (shown as ``items_dir``) of ``noun`` files."""
    problems = []
    ids: dict[str, str] = {}
    for name in sorted(names):
        where = Location(f"{items_dir}/{name}", 1, 1)
        stem, dot, suffix = name.rpartition(".")
        extension = dot + suffix
        if "/" in name:
            problems.append(
                Problem(
                    where,
                    f"{kind}/ has no subfolders: piakit reads only "
                    f"{kind}/<id>{ITEM_SUFFIX}; move the file up",
                )
            )
            continue
        if not dot or extension not in (ITEM_SUFFIX, _MISSPELLED_SUFFIX):
            problems.append(
                Problem(
                    where,
                    f"not an {noun} file: {kind}/ holds only <id>{ITEM_SUFFIX} files; "
                    "move it elsewhere",
                )
            )
            continue
        if extension == _MISSPELLED_SUFFIX:
            problems.append(
                Problem(
                    where,
                    f"{noun} files end in {ITEM_SUFFIX}: rename it to {stem}{ITEM_SUFFIX}",
                )
            )
        folded = stem.lower()
        if folded in ids:
            problems.append(
                Problem(
                    where, f"the id {stem!r} is not unique: {items_dir}/{ids[folded]} has it too"
                )
            )
        else:
            ids[folded] = name
    return problems
