"""The tokenizer's word classes: built from a table of class letters, they must classify
every text exactly as the regular expressions over the scripts' ranges did, and the tokens
must stay what they were.

The oracle below is those expressions, kept here verbatim; the module builds its word classes
another way (``_tokens._class_table``) because compiling these cost about 10 ms at start."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from piakit.textdiff import _tokens as tokens

_C = tokens._COMBINING
_K, _H, _T = tokens._KANJI, tokens._HIRAGANA, tokens._KATAKANA
_L, _WL, _D, _WD = tokens._LATIN, tokens._WIDE_LATIN, tokens._DIGITS, tokens._WIDE_DIGITS


def _run(chars: str) -> str:
    return f"(?:[{chars}][{_C}]*)+"


ORACLE_TOKEN = re.compile(
    "|".join(
        [
            r"\n",
            *(_run(chars) for chars in (_K, _H, _T, _L, _WL, _D, _WD)),
            r"[^\S\n]+",
            f"(?s:.)[{_C}]*",
        ]
    )
)
ORACLE_WORD = re.compile(f"[{_K}{_H}{_T}{_C}]+")
ORACLE_COMBINING = re.compile(f"[{_C}]")
ORACLE_WHOLE_WORD = re.compile("|".join(_run(chars) for chars in (_K, _T, _L, _WL, _D, _WD)))
ORACLE_WORD_CHAR = re.compile(f"[{_K}{_H}{_T}{_L}{_WL}{_D}{_WD}]")


def _same_as_the_oracle(text: str) -> None:
    assert tokens.tokenize(text) == ORACLE_TOKEN.findall(text), repr(text)
    assert tokens.is_word(text) == (ORACLE_WORD.fullmatch(text) is not None), repr(text)
    assert tokens.has_kana_or_kanji(text) == (ORACLE_WORD.search(text) is not None)
    assert tokens.has_word_char(text) == (ORACLE_WORD_CHAR.search(text) is not None)
    assert tokens.is_whole_word(text) == (ORACLE_WHOLE_WORD.fullmatch(text) is not None)
    for at in range(len(text) + 1):
        expected = at < len(text) and ORACLE_COMBINING.match(text, at) is not None
        assert tokens.is_combining_at(text, at) == expected, (text, at)


def test_every_character_of_the_basic_plane_is_classed_as_the_ranges_say() -> None:
    everything = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    # One text of every character: each token and each boundary between two neighbours.
    assert tokens.tokenize(everything) == ORACLE_TOKEN.findall(everything)
    for char in everything:
        after_kana = "あ" + char + "ア"
        assert tokens.tokenize(after_kana) == ORACLE_TOKEN.findall(after_kana), repr(char)
        assert tokens.is_word(char) == (ORACLE_WORD.fullmatch(char) is not None), repr(char)
        assert tokens.has_word_char(char) == (ORACLE_WORD_CHAR.search(char) is not None)
        assert tokens.is_whole_word(char * 2) == (
            ORACLE_WHOLE_WORD.fullmatch(char * 2) is not None
        ), repr(char)
        assert tokens.is_combining_at(char, 0) == (ORACLE_COMBINING.match(char) is not None)


def test_characters_beyond_the_basic_plane_keep_their_ranges() -> None:
    for text in (
        "𠮷野家",
        "葛\U000e0100城",
        "😀が\u3099",
        "𠀋\U000e0101\U000e0102の",
        "\U0003ffff\U00040000",
    ):
        _same_as_the_oracle(text)


_BOUNDARIES = sorted(
    {
        chr(c)
        for chars in (_C, _K, _H, _T, _L, _WL, _D, _WD)
        for first, last in tokens._spans(chars)
        for c in (first - 1, first, last, last + 1)
        if 0 <= c <= 0x10FFFF and not 0xD800 <= c <= 0xDFFF
    }
    | set(" \t\n\u3000。、「」・ー")
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_BOUNDARIES) | st.characters(), max_size=24))
def test_any_text_is_cut_and_classed_as_the_ranges_say(text: str) -> None:
    _same_as_the_oracle(text)
