"""Diff units for Japanese text: the scripts, the tokens a text is cut into, the word classes.

Japanese has no spaces to split words on, so a text is cut into runs of one script (kanji,
hiragana, katakana, latin, digits, each width apart; whitespace) and single punctuation
characters. The word classes here tell the tidying (``tidy``) what counts as a word.

The word classes first give every character of the Basic Multilingual Plane a class letter
(one ``str.translate``), and their patterns match class letters, never the scripts' ranges:
compiling a pattern over those ranges fills a table per code point, and the four patterns
took about 10 ms at every start of ``piakit table``; the class table is built from the
ranges' ends in microseconds. Characters outside that plane (CJK extension B and later,
variation selectors) keep their own code points, and the patterns name their ranges. Only
``tokenize``'s pattern, which runs on every line compared, is over the ranges themselves.

Nothing outside ``piakit.textdiff`` imports this module. It must never change a character:
the tokens of a text always join back into it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping

# Combining marks and variation selectors (IVS are common in official Japanese text) stay with
# the character before them, so a token never starts with one.
_COMBINING = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a"
    "\ufe00-\ufe0f\ufe20-\ufe2f\U000e0100-\U000e01ef"
)
# Kangxi and CJK radicals are included: text copied from PDFs often has them instead of kanji.
_KANJI = (
    "\u2e80-\u2fdf\u3005\u3006\u3007\u303b\u30f5\u30f6"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
)
# ー (U+30FC) also lengthens hiragana (すごーい).
_HIRAGANA = "\u3041-\u3096\u3099-\u309c\u309d-\u309f\u30fc"
# ・ (U+30FB) and ゠ (U+30A0) sit in the katakana block but are punctuation.
_KATAKANA = "\u30a1-\u30f4\u30f7-\u30fa\u3099-\u309c\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
# Half- and full-width letters and digits are separate runs, so that a width change (０ → 0)
# marks only the characters whose width changed.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
_WIDE_LATIN = "\uff21-\uff3a\uff41-\uff5a"
_DIGITS = "0-9"
_WIDE_DIGITS = "\uff10-\uff19"


#: The classes, each as the ranges of a regular-expression character class.
_RANGES = {
    "kanji": _KANJI,
    "hiragana": _HIRAGANA,
    "katakana": _KATAKANA,
    "latin": _LATIN,
    "wide_latin": _WIDE_LATIN,
    "digits": _DIGITS,
    "wide_digits": _WIDE_DIGITS,
    "combining": _COMBINING,
}


def _spans(chars: str) -> Iterable[tuple[int, int]]:
    """The code point ranges (first, last) of a character class body such as ``a-z\\u3005``."""
    at = 0
    while at < len(chars):
        if at + 2 < len(chars) and chars[at + 1] == "-":
            yield ord(chars[at]), ord(chars[at + 2])
            at += 3
        else:
            yield ord(chars[at]), ord(chars[at])
            at += 1


def _class_table(ranges: Mapping[str, str]) -> tuple[str, dict[str, str], dict[str, str]]:
    """The translation table (a letter for every code point of the Basic Multilingual
    Plane, one letter per set of classes a code point belongs to), each class's letters,
    and each class's ranges above that plane. Built from the ranges' ends only."""
    ends: set[int] = {0, 0x10000}
    wide: dict[str, str] = {name: "" for name in ranges}
    spans = {name: list(_spans(chars)) for name, chars in ranges.items()}
    for name, pairs in spans.items():
        for first, last in pairs:
            if first >= 0x10000:
                wide[name] += f"{chr(first)}-{chr(last)}"
            else:
                ends.update((first, min(last, 0xFFFF) + 1))
    pool = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    letter_of: dict[frozenset[str], str] = {}
    table = bytearray(0x10000)
    bounds = sorted(ends)
    for start, stop in itertools.pairwise(bounds):
        member = frozenset(
            name for name, pairs in spans.items() if any(a <= start <= b for a, b in pairs)
        )
        if member not in letter_of:
            letter_of[member] = next(pool)
        letter = letter_of[member]
        table[start:stop] = letter.encode() * (stop - start)
    letters = {
        name: "".join(letter for member, letter in letter_of.items() if name in member)
        for name in ranges
    }
    return table.decode("ascii"), letters, wide


_TABLE, _LETTERS, _WIDE = _class_table(_RANGES)


def _any(*names: str) -> str:
    """A character class of the letters (and wide ranges) of any of ``names``."""
    return "[" + "".join(_LETTERS[name] + _WIDE[name] for name in names) + "]"


def _run(name: str) -> str:
    return f"(?:{_any(name)}{_any('combining')}*)+"


def _chars_run(chars: str) -> str:
    return f"(?:[{chars}][{_COMBINING}]*)+"


# The tokens are cut from the text itself: ``tokenize`` runs on every line a table compares,
# and mapping tokens of class letters back to the text costs more there than this one
# pattern's compilation does.
_TOKEN = re.compile(
    "|".join(
        [
            r"\n",
            _chars_run(_KANJI),
            _chars_run(_HIRAGANA),
            _chars_run(_KATAKANA),
            _chars_run(_LATIN),
            _chars_run(_WIDE_LATIN),
            _chars_run(_DIGITS),
            _chars_run(_WIDE_DIGITS),
            r"[^\S\n]+",
            f"(?s:.)[{_COMBINING}]*",
        ]
    )
)
_WORD = re.compile(_any("kanji", "hiragana", "katakana", "combining") + "+")
_COMBINING_CHAR = re.compile(_any("combining"))
# A two-character run of one of these scripts is a word of its own (管理, ID, 19): it stays
# unmarked between two changes, unlike a particle (から) or a kana ending (及び).
_WHOLE_WORD = re.compile(
    "|".join(
        _run(name) for name in ("kanji", "katakana", "latin", "wide_latin", "digits", "wide_digits")
    )
)

# A character of a word: a change without any (punctuation, brackets, spaces) changes no word,
# so it is never folded together with the words next to it (see ``_readable``).
_WORD_CHAR = re.compile(
    _any("kanji", "hiragana", "katakana", "latin", "wide_latin", "digits", "wide_digits")
)


def classes(text: str) -> str:
    """``text`` with each character replaced by its class letter (same length)."""
    return text.translate(_TABLE)


def tokenize(text: str) -> list[str]:
    """Cut ``text`` into diff units: script runs, single punctuation characters, ``\\n``."""
    return _TOKEN.findall(text)


def is_combining_at(text: str, at: int) -> bool:
    """Whether the character at ``at`` is a combining mark or a variation selector."""
    return at < len(text) and _COMBINING_CHAR.match(classes(text[at])) is not None


def is_word(text: str) -> bool:
    """Whether ``text`` is all kanji and kana (a word, or words, of Japanese)."""
    return _WORD.fullmatch(classes(text)) is not None


def has_kana_or_kanji(text: str) -> bool:
    """Whether ``text`` has a kanji, a kana or a combining mark."""
    return _WORD.search(classes(text)) is not None


def has_word_char(text: str) -> bool:
    """Whether ``text`` has a character of a word (any script; not punctuation or space)."""
    return _WORD_CHAR.search(classes(text)) is not None


def is_whole_word(text: str) -> bool:
    """Whether ``text`` is one run of kanji, katakana, latin or digits."""
    return _WHOLE_WORD.fullmatch(classes(text)) is not None
