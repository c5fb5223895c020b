"""Diff units for Japanese text: the scripts, the tokens a text is cut into, the word classes.

Japanese has no spaces to split words on, so a text is cut into runs of one script (kanji,
hiragana, katakana, latin, digits, each width apart; whitespace) and single punctuation
characters. The word classes here tell the tidying (``tidy``) what counts as a word.

Loaded only with the text diff (its regular expressions cost import time): nothing outside
``piakit.textdiff`` imports this module. It must never change a character: the tokens of a text
always join back into it.
"""

from __future__ import annotations

import re

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


def _run(chars: str) -> str:
    return f"(?:[{chars}][{_COMBINING}]*)+"


_TOKEN = re.compile(
    "|".join(
        [
            r"\n",
            _run(_KANJI),
            _run(_HIRAGANA),
            _run(_KATAKANA),
            _run(_LATIN),
            _run(_WIDE_LATIN),
            _run(_DIGITS),
            _run(_WIDE_DIGITS),
            r"[^\S\n]+",
            f"(?s:.)[{_COMBINING}]*",
        ]
    )
)
_WORD = re.compile(f"[{_KANJI}{_HIRAGANA}{_KATAKANA}{_COMBINING}]+")
_IS_COMBINING = re.compile(f"[{_COMBINING}]")
# A two-character run of one of these scripts is a word of its own (管理, ID, 19): it stays
# unmarked between two changes, unlike a particle (から) or a kana ending (及び).
_WHOLE_WORD = re.compile(
    "|".join(
        _run(chars) for chars in (_KANJI, _KATAKANA, _LATIN, _WIDE_LATIN, _DIGITS, _WIDE_DIGITS)
    )
)

# A character of a word: a change without any (punctuation, brackets, spaces) changes no word,
# so it is never folded together with the words next to it (see ``_readable``).
_WORD_CHAR = re.compile(
    f"[{_KANJI}{_HIRAGANA}{_KATAKANA}{_LATIN}{_WIDE_LATIN}{_DIGITS}{_WIDE_DIGITS}]"
)


def tokenize(text: str) -> list[str]:
    """Cut ``text`` into diff units: script runs, single punctuation characters, ``\\n``."""
    return _TOKEN.findall(text)
