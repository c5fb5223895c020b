"""The first column of a comparison table read into an item's heading path.

The column holds the headings above an item, run together with spaces and written as the
source printed them: ``※重要`` before an important item's path, numbering (``II.``,
``Ⅱ``, ``4.``, ``⑥``, ``リスク 2：``), and headings the source glued to the next one
(``…の委託委託の有無``, ``…委託事項1``). This module splits the text into headings and
repairs the glued ones; it also spells the Roman heading numbers once, for the ids made
from these headings.

Pure functions of strings: it never drops a character of a heading, never normalizes the
headings it returns (they are stored as written) and never makes ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from piakit.model import IMPORTANT_MARK

__all__ = [
    "ROMAN_NUMERAL",
    "repair_paths",
    "roman_value",
    "split_important",
    "split_path",
]

#: A Roman heading number, I to X, as a regular expression (``Ⅱ`` reads as ``II`` after NFKC).
ROMAN_NUMERAL = "I{1,3}|IV|VI{0,3}|IX|X"
_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_MARKER_TOKEN_RE = re.compile(rf"(?:{ROMAN_NUMERAL}|[Ⅰ-Ⅹ]|[0-9０-９]+)[.．、]?|リスク")


def roman_value(numeral: str) -> int:
    """The number a :data:`ROMAN_NUMERAL` stands for: ``IV`` → 4."""
    return _ROMANS.index(numeral) + 1


def split_important(path_text: str) -> tuple[str, bool]:
    """The path without the ``※重要`` mark that piakit writes before the path of an item whose
    change is a 重要な変更, and whether it was there."""
    text = path_text.strip()
    rest = text.removeprefix(IMPORTANT_MARK)
    if rest != text and rest[:1].isspace():
        return rest, True
    return path_text, False


def split_path(text: str) -> list[str]:
    """The first column as headings: split on whitespace, a lone numbering token kept with
    the word after it (``II. 特定個人情報ファイルの概要``, ``リスク 2：…``)."""
    tokens = text.split()
    parts: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        is_marker = _MARKER_TOKEN_RE.fullmatch(token) is not None
        if token == "リスク" and not (following and following[0].isdigit()):
            is_marker = False
        if is_marker and following is not None:
            parts.append(f"{token} {following}")
            index += 2
        else:
            parts.append(token)
            index += 1
    return parts


_NUMBERING_RE = re.compile(
    rf"(?:{ROMAN_NUMERAL})(?=[.．、\s]|$)[.．、]?\s*|[Ⅰ-Ⅹ][.．、]?\s*"
    r"|[0-9０-９]+[.．、](?![0-9０-９])\s*|[①-⑳]"
)
_GLUED_ITAKU_RE = re.compile(r"(.{4,}?)(?<!再)(委託事項\s*[0-9０-９]+)")


def _title(component: str) -> tuple[str, str]:
    """``(numbering, title)`` of a heading: ``4. 特定…の委託`` → ``("4. ", "特定…の委託")``."""
    match = _NUMBERING_RE.match(component)
    if match is None:
        return "", component
    return match.group(0), component[match.end() :]


def repair_paths(paths: Sequence[Sequence[str]]) -> list[list[str]]:
    """Split headings that the source ran together.

    A heading that is another row's whole heading of 4 characters or more (the same title,
    any numbering) plus more text is split in two: ``4. 特定個人情報ファイルの取扱いの委託
    委託の有無`` where another row has ``4. 特定個人情報ファイルの取扱いの委託``. The rest must
    start like a heading: not with hiragana (a particle or an inflection), ``ー``,
    punctuation or a digit, so ``特定個人情報の入手`` never cuts ``特定個人情報の入手・使用``
    and ``委託事項1`` never cuts ``委託事項10``. A glued ``委託事項<N>`` is split off too.
    """
    titles = {_title(part)[1] for path in paths for part in path}
    repaired: list[list[str]] = []
    for path in paths:
        parts: list[str] = []
        for part in path:
            numbering, title = _title(part)
            # the longest other heading (of 4 characters or more) that this one starts with
            cut = next(
                (
                    end
                    for end in range(len(title) - 1, 3, -1)
                    if title[:end] in titles and _starts_heading(title[end:])
                ),
                None,
            )
            if cut is not None:
                head, rest = numbering + title[:cut], title[cut:]
            else:
                head, rest = part, ""
            glued = _GLUED_ITAKU_RE.fullmatch(head) if not rest else None
            if glued is not None:
                head, rest = glued.group(1), glued.group(2)
            parts.append(head)
            if rest:
                parts.append(rest)
        repaired.append(parts)
    return repaired


def _starts_heading(rest: str) -> bool:
    first = unicodedata.normalize("NFKC", rest[0])
    return not (
        "\u3040" <= first <= "\u309f"  # hiragana: a particle or an inflection
        or unicodedata.category(first).startswith(("P", "Z", "N", "S"))
        or first in "ー"
        or first.isascii()
    )
