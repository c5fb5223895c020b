"""The check across the items of one assessment that sibling headings are spelled one way:
two headings under the same parent that differ only in spelling (Ⅲ and III, full- and
half-width letters, a separator, a known synonym) are warned about, since the document then
shows two groups where the form has one.

Takes what the single-file checks found (each item's headings and their lines); no IO, and
nothing here changes a file. A warning, not an error: the spelling may be the form's own.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from piakit.checks._items import ItemReport
from piakit.errors import Location, Problem

#: Words the forms are written with two ways for one thing: (variant, the word it is read as).
#: Keep this list short and certain; each entry makes two headings one.
HEADING_SYNONYMS: tuple[tuple[str, str], ...] = (("情報連携", "情報提供"),)

#: After NFKC: spaces and the separators written after a heading's number (III. / Ⅲ、 / 2：);
#: a point between two digits is part of the number (1.1 is not 11).
_SEPARATORS_RE = re.compile(r"\s+|[、。・]|(?<!\d)[.,:]|[.,:](?!\d)")


@functools.cache  # a repository writes each heading in many files
def heading_key(heading: str) -> str:
    """``heading`` as the check compares it: NFKC (Ⅲ is III, full-width letters and digits
    are half-width), the synonyms read as one word, no spaces or separators."""
    key = unicodedata.normalize("NFKC", heading)
    for variant, word in HEADING_SYNONYMS:
        key = key.replace(variant, word)
    return _SEPARATORS_RE.sub("", key)


def check_heading_spellings(reports: Sequence[ItemReport]) -> list[Problem]:
    """A warning at each file's first use of a heading spelled differently from a sibling
    (same parent, read through ``heading_key``). The spelling most items use is the one to
    keep and is not warned about; when no spelling is used most, every one is."""
    # (parent's keys, heading's key) → spelling → the places it is written, in file order.
    spellings: dict[
        tuple[tuple[str, ...], str], dict[str, list[tuple[str, int | None, int | None]]]
    ] = {}
    for report in sorted(reports, key=lambda r: r.path):
        keys = tuple(heading_key(text) for text, _, _ in report.headings)
        for depth, (text, line, column) in enumerate(report.headings):
            group = spellings.setdefault((keys[:depth], keys[depth]), {})
            group.setdefault(text, []).append((report.path, line, column))
    problems: list[Problem] = []
    for group in spellings.values():
        if len(group) < 2:
            continue
        files = {
            text: list(dict.fromkeys(path for path, _, _ in places))
            for text, places in group.items()
        }
        ranked = sorted(group, key=lambda text: -len(files[text]))
        kept = ranked[0] if len(files[ranked[0]]) > len(files[ranked[1]]) else None
        for text, places in group.items():
            if text == kept:
                continue
            others = "; ".join(
                f"{other!r} ({Location(*seen[0])}, {_items(len(files[other]))})"
                for other, seen in group.items()
                if other != text
            )
            first_in_file: dict[str, Location] = {}
            for path, line, column in places:
                first_in_file.setdefault(path, Location(path, line, column))
            problems.extend(
                Problem(
                    where,
                    f"the heading {text!r} differs only in spelling from its sibling {others}: "
                    "the document shows them as two headings; write them one way",
                    warning=True,
                )
                for where in first_in_file.values()
            )
    return problems


def _items(count: int) -> str:
    return f"{count} item{'s' if count != 1 else ''}"
