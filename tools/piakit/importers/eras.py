"""Dates in a milestone column's label: Japanese era dates (令和, 平成, 昭和) and Gregorian ones.

A later column of the comparison table is named like ``修正案 (R2.6.30諮問時)``; this module
reads the date out of such a label and makes the milestone's id from it, the numbers as
written. Pure: a string in, an id and a date out. It never decides what a column is (the
table's reader does) nor makes ids unique.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

__all__ = ["milestone_from_label"]

#: The Gregorian year before each era's first year (令和元年 is 2019).
_ERA_BASE = {"R": 2018, "H": 1988, "S": 1925}
_ERA_LETTER = {"令和": "R", "平成": "H", "昭和": "S"}
_ERA_DOTTED_RE = re.compile(
    r"(?<![A-Za-z])([RHS])\s*(\d{1,2}|元)\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{1,2})(?!\d)"
)
_ERA_WORDS_RE = re.compile(
    r"(令和|平成|昭和)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_GREGORIAN_RE = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")


def milestone_from_label(label: str, position: int) -> tuple[str, dt.date | None]:
    """``(id, date)`` of a later milestone column from its label.

    ``修正案 (R2.6.30諮問時)`` → ``("R2.6.30", 2020-06-30)``: a Japanese era date (R 令和,
    H 平成, S 昭和, also written ``令和2年6月30日``; 元年 is 1) gives an id with the era letter
    and the numbers as written; a western date (``2020年6月30日``, ``2020-06-30``) gives
    ``2020-06-30``. A label without a date gives ``draft-<position>`` and no date. Raises
    ``ValueError`` for a date that does not exist.
    """
    text = unicodedata.normalize("NFKC", label)
    match = _ERA_DOTTED_RE.search(text)
    era: str | None = None
    if match is not None:
        era = match.group(1)
    else:
        match = _ERA_WORDS_RE.search(text)
        if match is not None:
            era = _ERA_LETTER[match.group(1)]
    if match is not None and era is not None:
        year_text = "1" if match.group(2) == "元" else match.group(2)
        month, day = match.group(3), match.group(4)
        date = dt.date(_ERA_BASE[era] + int(year_text), int(month), int(day))
        return f"{era}{year_text}.{month}.{day}", date
    western = _GREGORIAN_RE.search(text)
    if western is not None:
        date = dt.date(int(western.group(1)), int(western.group(2)), int(western.group(3)))
        return date.isoformat(), date
    return f"draft-{position}", None
