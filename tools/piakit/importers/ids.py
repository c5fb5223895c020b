"""Stable, readable item ids made from an item's heading path.

An id is the file name of the item (``<id>.yaml``) and must stay the same on every import
of the same table: it is made from the headings alone, numbers kept (``II.`` → ``2``,
``委託事項3`` → ``itaku3``), words romanized (pykakasi, Hepburn) without particles, and made
unique in the table's row order. The same suffixing makes milestone ids unique.

Pure but for pykakasi's dictionary, loaded once on first use: it never reads the repository,
so an id never depends on which items exist already.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from piakit.importers.paths import ROMAN_NUMERAL, roman_value

__all__ = ["item_id", "item_ids", "romanize", "unique_id"]

_ID_PART_MAX = 20
_ID_LEAF_MAX = 30
#: Particles and function words (に関する, に対する, における, となる, による …) left out of ids.
_PARTICLES = frozenset(
    {
        *("no", "wo", "ni", "he", "heno", "to", "tono", "ga", "wa", "de", "na", "oyobi"),
        *("nado", "kansu", "kansuru", "ru", "taisuru", "okeru", "tonaru", "yoru", "suru"),
    }
)
_DOMAIN_PREFIXES = ("特定個人情報ファイルの", "特定個人情報の", "特定個人情報")
#: Numbered words of the form: ``リスク2：…`` → ``risk2``, ``委託事項3`` → ``itaku3``.
_NUMBERED_WORDS = (
    ("リスク", "risk"),
    ("再委託事項", "saiitaku"),
    ("委託事項", "itaku"),
    ("提供先", "teikyou"),
    ("移転先", "iten"),
    ("システム", "system"),
)


@functools.lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi  # lazily: only the importer needs it

    factory: Any = pykakasi.kakasi  # untyped
    return factory()


@functools.lru_cache(maxsize=4096)
def romanize(text: str, limit: int = _ID_PART_MAX) -> str:
    """Hepburn words of ``text``, particles dropped, joined by ``-``, cut at a word boundary
    to at most ``limit`` characters (a first word longer than that is cut)."""
    for prefix in _DOMAIN_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    words: list[str] = []
    for token in _kakasi().convert(unicodedata.normalize("NFKC", text)):
        romaji = re.sub(r"[^a-z0-9]+", " ", str(token["hepburn"]).lower())
        words.extend(word for word in romaji.split() if word not in _PARTICLES)
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > limit:
            if not result:
                result = word[:limit]
            break
        result = candidate
    return result


def _component_id(component: str, leaf: bool) -> str:
    text = component.strip()
    number: str | None = None
    if text[:1] and "①" <= text[0] <= "⑳":  # before NFKC, which turns ⑥ into 6
        number, text = str(ord(text[0]) - ord("①") + 1), text[1:]
    text = unicodedata.normalize("NFKC", text)
    match = re.match(rf"({ROMAN_NUMERAL})(?=[.、\s]|$)[.、]?\s*", text)
    if number is not None:
        pass
    elif match is not None:
        number, text = str(roman_value(match.group(1))), text[match.end() :]
    elif (match := re.match(r"(\d+)[.、](?!\d)\s*", text)) is not None:
        number, text = match.group(1), text[match.end() :]
    else:
        for word, ascii_word in _NUMBERED_WORDS:
            match = re.match(rf"{word}\s*(\d+)\s*[:：]?\s*", text)
            if match is not None:
                number, text = f"{ascii_word}{match.group(1)}", text[match.end() :]
                break
    if number is None:
        return romanize(text, _ID_LEAF_MAX if leaf else _ID_PART_MAX) or "x"
    if leaf and text:
        title = romanize(text, _ID_LEAF_MAX)
        return f"{number}-{title}" if title else number
    return number


def item_id(path: Sequence[str]) -> str:
    """The readable id of an item at ``path`` (before making it unique).

    One part per heading, joined by ``-``:

    - a numbered heading gives its number: ``II. …``/``Ⅱ …`` → ``2``, ``4. …`` → ``4``,
      ``⑥…`` → ``6``, ``リスク2：…`` → ``risk2``, ``委託事項3`` → ``itaku3``, ``システム2``
      → ``system2`` (and 提供先N ``teikyouN``, 移転先N ``itenN``, 再委託事項N ``saiitakuN``);
      the last heading keeps its title too: ``⑥委託先名`` → ``6-itaku-saki-mei``;
    - an unnumbered heading is romanized (pykakasi, Hepburn), without a leading
      特定個人情報(ファイル)の, without particles and function words (no, ni, to, he,
      oyobi, kansuru, taisuru, okeru …), lowercased, other characters as ``-``, cut at a
      word boundary to 20 characters (30 for the last heading, which names the item).

    ``II. … 4. …の委託 / 委託事項3 / ⑥委託先名`` → ``2-4-itaku3-6-itaku-saki-mei``.
    """
    parts = [
        _component_id(component, leaf=index == len(path) - 1)
        for index, component in enumerate(path)
    ]
    text = "-".join(part for part in parts if part)
    text = re.sub(r"-{2,}", "-", text).strip("-")
    return text or "item"


def item_ids(paths: Iterable[Sequence[str]]) -> list[str]:
    """:func:`item_id` of each path, made unique in order with ``-2``, ``-3`` …"""
    seen: set[str] = set()
    return [unique_id(item_id(path), seen) for path in paths]


def unique_id(base: str, seen: set[str]) -> str:
    """``base``, else the first of ``base-2``, ``base-3`` … not in ``seen``; added to ``seen``."""
    unique, suffix = base, 1
    while unique in seen:
        suffix += 1
        unique = f"{base}-{suffix}"
    seen.add(unique)
    return unique
