"""The Japanese-aware text diff: tokens, readable operations, marked spans and table cells.

Properties first (the operations rebuild both texts, whatever the scripts), then the marks the
real seed table needs, exactly.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piakit.compare import cell_text
from piakit.model import DELETED_WORD, Mark
from piakit.textdiff import _align as textdiff
from piakit.textdiff import changed_spans, diff_ops, rebuild_texts, tokenize

# Kanji, hiragana, katakana, latin and digits in both widths, Japanese and ASCII punctuation,
# spaces of both widths, line breaks, and a combining mark and an ideographic variation selector.
ALPHABET = [
    *"個人情報保護評価書委託先事業者々",
    *"のをはがにとなどするいてー",
    *"システムパスワードセキュリティヴｶﾀ",
    *"abcIDＡＢｃ",
    *"0129０１",
    *"、。・「」（）()，,.：:【】<>",
    " ",
    "\u3000",
    "\n",
    "\n",
    "\u3099",
    "\U000e0100",
]
texts = st.text(alphabet=st.sampled_from(ALPHABET), max_size=60)
FAST = settings(max_examples=200, deadline=None)


@st.composite
def related_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """An old text and a new one made from it by a few edits, as revisions usually are."""
    old = draw(texts)
    new = old
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(new)))
        end = draw(st.integers(start, min(len(new), start + 6)))
        new = new[:start] + draw(st.text(st.sampled_from(ALPHABET), max_size=6)) + new[end:]
    return old, new


pairs = st.one_of(st.tuples(texts, texts), related_pairs())


def marked(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


# --- tokenize --------------------------------------------------------------------------------


@FAST
@given(st.one_of(texts, st.text(max_size=60)))
def test_tokens_rebuild_the_text(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert all(tokens)
    assert all(token == "\n" or "\n" not in token for token in tokens)


def test_tokens_are_script_runs() -> None:
    assert tokenize("特定個人情報の提供を行う際に、") == [
        "特定個人情報",
        "の",
        "提供",
        "を",
        "行",
        "う",
        "際",
        "に",
        "、",
    ]
    assert tokenize("ID・パスワード及び生体認証") == [
        "ID",
        "・",
        "パスワード",
        "及",
        "び",
        "生体認証",
    ]
    assert tokenize("平成29年4月1日") == ["平成", "29", "年", "4", "月", "1", "日"]
    assert tokenize("LTO媒体へ") == ["LTO", "媒体", "へ"]
    assert tokenize("データセンター") == ["データセンター"]
    assert tokenize("ｶﾀｶﾅ") == ["ｶﾀｶﾅ"]
    assert tokenize("人々と〆切、ヶ月") == ["人々", "と", "〆切", "、", "ヶ月"]


def test_punctuation_is_one_token_per_character() -> None:
    assert tokenize("（略）()「」、，。") == list("（略）()「」、，。")
    assert tokenize("【遠隔地保管】") == ["【", "遠隔地保管", "】"]


def test_line_breaks_and_spaces() -> None:
    assert tokenize("a\n\nb") == ["a", "\n", "\n", "b"]
    assert tokenize("[ ] 紙\u3000 \n") == ["[", " ", "]", " ", "紙", "\u3000 ", "\n"]


def test_widths_are_separate_runs() -> None:
    assert tokenize("ＩＤ12３４") == ["ＩＤ", "12", "３４"]


def test_combining_marks_stay_with_their_character() -> None:
    ivs = "葛\U000e0100飾区"
    assert tokenize(ivs + "の") == [ivs, "の"]
    assert tokenize("e\u0301t\u00e9") == ["e\u0301t\u00e9"]


# --- diff_ops --------------------------------------------------------------------------------


@FAST
@given(pairs)
def test_ops_rebuild_both_texts(pair: tuple[str, str]) -> None:
    old, new = pair
    ops = diff_ops(old, new)
    assert rebuild_texts(ops) == (old, new)
    assert all(text for _, text in ops)
    assert all(kind in {"equal", "delete", "insert"} for kind, _ in ops)
    kinds = [kind for kind, _ in ops]
    assert all(a != b for a, b in pairwise(kinds))
    assert ("insert", "delete") not in set(pairwise(kinds))


@FAST
@given(texts)
def test_equal_texts_have_one_equal_op(text: str) -> None:
    assert diff_ops(text, text) == ([("equal", text)] if text else [])
    assert changed_spans(text, text) == []


def test_ops_of_empty_texts() -> None:
    assert diff_ops("", "") == []
    assert diff_ops("", "新規") == [("insert", "新規")]
    assert diff_ops("旧", "") == [("delete", "旧")]


def test_a_short_unchanged_run_between_changes_is_merged() -> None:
    # パスワード moved and 生体認証 added: one mark over the words, not two around 及び.
    ops = diff_ops("ID及びパスワードによる", "ID・パスワード及び生体認証による")
    assert ops == [
        ("equal", "ID"),
        ("delete", "及びパスワード"),
        ("insert", "・パスワード及び生体認証"),
        ("equal", "による"),
    ]


def test_a_longer_unchanged_run_is_kept() -> None:
    ops = diff_ops("A・端末機器・B", "A、端末機器、B")
    assert ("equal", "端末機器") in ops


def test_a_two_character_word_between_changes_is_kept() -> None:
    assert marked("XY管理Z", changed_spans("A管理B", "XY管理Z")) == ["XY", "Z"]
    assert marked("新19新", changed_spans("旧19旧", "新19新")) == ["新", "新"]
    assert marked("新から新", changed_spans("旧から旧", "新から新")) == ["新から新"]
    assert marked("新の新", changed_spans("旧の旧", "新の新")) == ["新の新"]


def test_changes_are_never_merged_across_a_line_break() -> None:
    # Unrelated lines are not paired: removed and added whole, and marked line by line.
    assert diff_ops("甲\n乙", "丙\n丁") == [("delete", "甲\n乙"), ("insert", "丙\n丁")]
    assert changed_spans("甲\n乙", "丙\n丁") == [(0, 1), (2, 3)]
    # Paired lines keep their line break out of the marks.
    ops = diff_ops("個人情報の甲\n評価書の乙", "個人情報の丙\n評価書の丁")
    assert ("equal", "\n評価書の") in ops


def test_two_deletions_around_a_particle_stay_apart() -> None:
    # Merging them would underline の in the new text, which did not change.
    assert changed_spans("情報の提供記録", "の記録") == []


def test_shared_part_of_a_compound_is_not_marked() -> None:
    assert marked("委託先事業者", changed_spans("委託先業者", "委託先事業者")) == ["事"]
    assert marked("厚生年金", changed_spans("国民年金", "厚生年金")) == ["厚生"]
    # One shared kanji is not enough: the word is marked whole.
    assert marked("年度", changed_spans("年金", "年度")) == ["年度"]
    assert marked("次のとおり", changed_spans("次の通り", "次のとおり")) == ["とおり"]
    assert marked("2021年", changed_spans("2020年", "2021年")) == ["2021"]


def test_shared_kana_is_not_marked_around_a_plain_deletion() -> None:
    old = "搬送手段により実施し、移転については、担保されている。"
    new = "搬送手段により実施している。"
    assert changed_spans(old, new) == []
    assert marked("などの", changed_spans("の", "などの")) == ["など"]


def test_particle_carried_by_a_kana_run_is_not_marked() -> None:
    old = "プリンタなどの周辺装置"
    new = "プリンタ等の周辺装置"
    assert marked(new, changed_spans(old, new)) == ["等"]


# --- changed_spans ---------------------------------------------------------------------------


@FAST
@given(pairs)
def test_spans_cover_exactly_the_inserted_characters(pair: tuple[str, str]) -> None:
    old, new = pair
    spans = changed_spans(old, new)
    inserted: set[int] = set()
    at = 0
    for kind, text in diff_ops(old, new):
        if kind == "insert":
            inserted.update(range(at, at + len(text)))
        if kind != "delete":
            at += len(text)
    covered: set[int] = set()
    previous_end = -1
    for start, end in spans:
        assert previous_end < start < end <= len(new)
        piece = new[start:end]
        assert "\n" not in piece
        assert piece == piece.strip()
        covered.update(range(start, end))
        previous_end = end
    assert covered <= inserted
    assert {i for i in inserted if not new[i].isspace()} <= covered


def test_spans_are_split_at_line_breaks() -> None:
    assert changed_spans("", "一行目\n二行目") == [(0, 3), (4, 7)]
    assert changed_spans("A\nB", "A\nB\nC") == [(4, 5)]


def test_spans_drop_whitespace_at_the_edges() -> None:
    assert changed_spans("紙", "紙 \u3000") == []
    assert changed_spans("[ ] 紙", "[ ]  電子 紙") == [(5, 7)]


def test_real_punctuation_change_marks_only_the_punctuation() -> None:
    old = (
        "・サーバ・端末機器・記録媒体などの廃棄、保管移転又はリース返却時、"
        "行政情報を消去する際は、復元不可能な状態にすることとしている。"
    )
    new = (
        "・サーバ、端末機器、記録媒体の廃棄、保管移転又はリース返却時、"
        "行政情報を消去する際は、復元不可能な状態にすることとしている。"
    )
    assert changed_spans(old, new) == [(4, 5), (9, 10)]
    assert marked(new, changed_spans(old, new)) == ["、", "、"]
    assert new[5:9] == "端末機器"
    assert new[10:14] == "記録媒体"


def test_real_authentication_change_marks_whole_words() -> None:
    old = "システムを利用する職員を限定し、ID及びパスワードによる本人認証"
    new = "システムを利用する職員を限定し、ID・パスワード及び生体認証による本人認証"
    assert changed_spans(old, new) == [(18, 30)]
    assert marked(new, changed_spans(old, new)) == ["・パスワード及び生体認証"]


def test_width_variant_marks_one_character() -> None:
    old = "番号法（平成25年法律第27号）"
    new = "番号法(平成25年法律第27号）"
    assert changed_spans(old, new) == [(3, 4)]
    assert changed_spans("全角，読点", "全角,読点") == [(2, 3)]
    assert changed_spans("１０件", "１0件") == [(1, 2)]


def test_width_change_of_brackets_marks_the_brackets_not_the_word() -> None:
    # （略） → (略): the two bracket changes used to be folded with the unchanged 略 between
    # them into one mark (略). A change of punctuation alone changes no word: it joins nothing.
    assert marked("(略)", changed_spans("（略）", "(略)")) == ["(", ")"]
    assert marked("(略)する", changed_spans("（略）する", "(略)する")) == ["(", ")"]
    assert marked("「略」", changed_spans("（略）", "「略」")) == ["「", "」"]
    # A word change still takes a bracket changed next to it, but not the word after it.
    assert marked("丙(乙)", changed_spans("甲（乙）", "丙(乙)")) == ["丙(", ")"]
    # Two changed words still join over the punctuation between them.
    assert marked("年度、手当", changed_spans("年金、保険", "年度、手当")) == ["年度、手当"]
    assert rebuild_texts(diff_ops("（略）", "(略)")) == ("（略）", "(略)")


def test_real_rewrite_of_a_sentence() -> None:
    old = (
        "・記憶装置又は記録媒体を廃棄する場合は、消磁・破砕・溶解・その他の当該記憶装置又は"
        "記録媒体に記録されていたファイルおよびドキュメントの復元が不可能となるように措置する。"
    )
    new = (
        "・記憶装置又は記録媒体を廃棄する場合は、委託業者が原則職員立会いの下、消磁、破砕、"
        "溶解その他の当該記憶装置又は記録媒体に記録されていたファイル及びドキュメントの復元が"
        "不可能となるように措置する。立会いが困難な場合は職員が措置を行う。"
    )
    assert marked(new, changed_spans(old, new)) == [
        "委託業者が原則職員立会いの下、",
        "、",  # 消磁・破砕 → 消磁、破砕: the words themselves are not marked
        "、",
        "及び",
        "立会いが困難な場合は職員が措置を行う。",
    ]


def lcs_length(a: list[str], b: list[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        diagonal = 0
        for j, y in enumerate(b):
            diagonal, row[j + 1] = row[j + 1], (diagonal + 1 if x == y else max(row[j + 1], row[j]))
    return row[-1]


def check_opcodes(a: list[int], b: list[int], opcodes: list[tuple[str, int, int, int, int]]) -> int:
    """Assert that ``opcodes`` align ``a`` with ``b`` as difflib writes them; the equal count."""
    i = j = 0
    same = 0
    previous = ""
    for tag, i1, i2, j1, j2 in opcodes:
        assert (i1, j1) == (i, j)
        assert tag != previous or tag == "", opcodes  # never two of one kind in a row
        assert previous in ("", "equal") or tag == "equal"
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2] and i2 > i1
            same += i2 - i1
        elif tag == "delete":
            assert i2 > i1 and j2 == j1
        elif tag == "insert":
            assert j2 > j1 and i2 == i1
        else:
            assert tag == "replace" and i2 > i1 and j2 > j1
        i, j, previous = i2, j2, tag
    assert (i, j) == (len(a), len(b))
    return same


@FAST
@given(
    st.lists(st.sampled_from("abc、の"), max_size=30),
    st.lists(st.sampled_from("abc、の"), max_size=30),
)
def test_alignment_keeps_a_longest_common_subsequence(a: list[str], b: list[str]) -> None:
    ids = {token: n for n, token in enumerate("abc、の")}
    x, y = [ids[t] for t in a], [ids[t] for t in b]
    assert check_opcodes(x, y, textdiff._align(x, y)) == lcs_length(a, b)


@FAST
@given(
    st.lists(st.sampled_from("abc、の"), max_size=30),
    st.lists(st.sampled_from("abc、の"), max_size=30),
)
def test_alignment_beyond_the_lcs_matrix_is_still_valid(a: list[str], b: list[str]) -> None:
    # Above LCS_CELLS, Levenshtein's linear-memory alignment: valid, if not always longest.
    ids = {token: n for n, token in enumerate("abc、の")}
    x, y = [ids[t] for t in a], [ids[t] for t in b]
    old, new = "".join(a), "".join(b)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textdiff, "LCS_CELLS", 0)
        check_opcodes(x, y, textdiff._align(x, y))
        assert rebuild_texts(diff_ops(old, new)) == (old, new)


units = st.lists(
    st.sampled_from(["項目", "、", "の", "ID", "1", "・", "\n"]), min_size=1, max_size=3
)


@settings(max_examples=30, deadline=None)
@given(units.map("".join), texts, texts)
def test_repetitive_texts_beyond_the_matcher_budget(unit: str, old_end: str, new_end: str) -> None:
    # Few distinct tokens, many times over: difflib alone would take cubic time here.
    old = unit * 700 + old_end
    new = new_end + unit * 650
    ops = diff_ops(old, new)
    assert rebuild_texts(ops) == (old, new)
    text, _ = cell_text(old, old, new)
    assert text.replace(DELETED_WORD, "").replace("\n", "") == new.replace("\n", "")


def test_pathological_alternation_is_fast() -> None:
    # 1,000 × 項目、 against 項目。 took difflib's SequenceMatcher minutes.
    old = "、".join(["項目"] * 1000)
    new = "。".join(["項目"] * 1000)
    assert rebuild_texts(diff_ops(old, new)) == (old, new)
    assert cell_text(old, old, new)[0] == new


def test_long_texts_diff() -> None:
    line = "・特定個人情報の提供にあたっては、番号法第19条各号で定められた提供先についてのみ行う。"
    old_lines = [f"{line}{n}" for n in range(60)]
    new_lines = list(old_lines)
    new_lines[10] = new_lines[10].replace("提供先", "移転先")
    new_lines[30:32] = ["・ルールの遵守状況については、定期的な自己点検にて確認する。"]
    old, new = "\n".join(old_lines), "\n".join(new_lines)
    ops = diff_ops(old, new)
    assert rebuild_texts(ops) == (old, new)
    assert "移転先" in marked(new, changed_spans(old, new))


# --- cell_text -------------------------------------------------------------------------------


def removed_marks(marks: tuple[Mark, ...]) -> list[Mark]:
    return [mark for mark in marks if mark.kind == "removed"]


def changed_texts(text: str, marks: tuple[Mark, ...]) -> list[str]:
    return [text[mark.start : mark.end] for mark in marks if mark.kind == "changed"]


@FAST
@given(texts, pairs)
def test_cell_is_current_plus_placeholders(first: str, pair: tuple[str, str]) -> None:
    previous, current = pair
    text, marks = cell_text(first, previous, current)
    placeholders = {mark.start for mark in removed_marks(marks)}
    kept: list[str] = []
    at = 0
    for line in text.split("\n") if text else []:
        if at in placeholders:
            assert line == DELETED_WORD
        else:
            kept.append(line)
        at += len(line) + 1
    assert "\n".join(kept) == current
    assert all(text[m.start : m.end] == DELETED_WORD for m in removed_marks(marks))
    assert len(placeholders) <= sum(1 for line in first.split("\n") if line.strip())
    assert changed_texts(text, marks) == marked(current, changed_spans(previous, current))
    assert list(marks) == sorted(marks, key=lambda mark: (mark.start, mark.end))
    ends = [(m.start, m.end) for m in marks]
    assert all(a[1] <= b[0] for a, b in pairwise(ends))


@FAST
@given(pairs)
def test_no_placeholder_when_first_is_current(pair: tuple[str, str]) -> None:
    previous, current = pair
    _, marks = cell_text(current, previous, current)
    assert removed_marks(marks) == []


def test_nothing_marked_when_nothing_changed() -> None:
    text = "・一行目\n・二行目"
    assert cell_text(text, text, text) == (text, ())


def test_seed_example_line_removed_at_start() -> None:
    first = "A line\nB line"
    text, marks = cell_text(first, first, "B line\nC line")
    assert text == "(削除)\nB line\nC line"
    assert marks == (Mark(0, 4, "removed"), Mark(12, 18, "changed"))


def test_real_line_removed_at_end() -> None:
    kept = "・特定個人情報の提供を行う際に、提供の記録をシステム上で管理し、保管する。"
    first = kept + "\n・庁内のデータ連携による移転については、送信記録のログを取得している。"
    text, marks = cell_text(first, first, kept)
    assert text == kept + "\n(削除)"
    assert marks == (Mark(len(kept) + 1, len(kept) + 5, "removed"),)


def test_real_line_removed_and_line_added() -> None:
    first = (
        "・特定個人情報の移転にあたっては、千葉市電子情報処理規程に基づき、許可している。\n"
        "・特定個人情報の提供にあたっては、番号法第19条各号で定められた提供先・事項についてのみ行う。"
    )
    current = (
        "・特定個人情報の提供にあたっては、番号法第19条各号で定められた提供先・事項についてのみ行う。\n"
        "・ルールの遵守状況については、定期的な自己点検にて確認することとしている。"
    )
    text, marks = cell_text(first, first, current)
    assert text == "(削除)\n" + current
    assert removed_marks(marks) == [Mark(0, 4, "removed")]
    assert changed_texts(text, marks) == [current.split("\n")[1]]


def test_line_removed_in_the_middle() -> None:
    first = "・甲の記載\n・乙の記載\n・丙の記載"
    current = "・甲の記載\n・丙の記載"
    text, marks = cell_text(first, first, current)
    assert text == "・甲の記載\n(削除)\n・丙の記載"
    assert marks == (Mark(6, 10, "removed"),)


def test_several_removed_lines_give_one_placeholder_each() -> None:
    first = "・甲の記載\n・乙の記載\n・丙の記載\n・丁の記載"
    current = "・甲の記載\n・丁の記載"
    text, marks = cell_text(first, first, current)
    assert text == "・甲の記載\n(削除)\n(削除)\n・丁の記載"
    assert marks == (Mark(6, 10, "removed"), Mark(11, 15, "removed"))


def test_a_modified_line_is_not_removed() -> None:
    first = "・特定個人情報の提供を行う際に、提供の記録を管理する。\n・次の行"
    current = "・特定個人情報の提供を行う際に、提供の記録をシステム上で管理し、保管する。\n・次の行"
    text, marks = cell_text(first, first, current)
    assert text == current
    assert removed_marks(marks) == []
    assert changed_texts(text, marks) == ["システム上で", "し、保管"]


def test_a_modified_line_and_a_rewritten_line_are_not_removed() -> None:
    first = (
        "・入室については、課長の許可を受けた者に特定される。\n"
        "・クライアント端末については、盗難防止用ワイヤを取り付けている。\n"
        "・末尾"
    )
    current = "・入室については、課長・所長の許可を受けた者に特定される。\n・新しい記載\n・末尾"
    text, marks = cell_text(first, first, current)
    assert text == current
    assert removed_marks(marks) == []
    # ・新しい記載 is paired with no old line: it is new, bullet and all.
    assert changed_texts(text, marks) == ["・所長", "・新しい記載"]


def test_real_rewritten_value_has_no_placeholder() -> None:
    # The seed shows the new name alone, not (削除) above it.
    first = "日本電子計算株式会社"
    current = "NECフィールディング株式会社 千葉支社"
    assert cell_text(first, first, current) == (current, (Mark(0, len(current)),))


def test_real_line_rewritten_into_two_has_no_placeholder() -> None:
    first = (
        "【本人又は本人の代理人、日本年金機構からの入手】\n"
        "・本人又は本人の代理人、日本年金機構から入手する情報については、"
        "利用目的を本人に明示した上で入手する。\n"
        "【庁内連携により入手】"
    )
    current = (
        "【本人又は本人の代理人、日本年金機構からの入手】\n"
        "・国民年金法第12条、第105条等の関係法令において届出義務が明示されている。\n"
        "・申請書等に説明が記載されている。\n"
        "【庁内連携により入手】"
    )
    text, marks = cell_text(first, first, current)
    assert text == current
    assert removed_marks(marks) == []


def test_real_removed_line_before_a_modified_one() -> None:
    first = (
        "・特定個人情報の移転にあたっては、千葉市電子情報処理規程に基づき、あらかじめ移転先が"
        "移転元に協議し、移転元が利用目的、情報の移転方法、情報の内容を確認し適正と認められた"
        "場合に限り、許可している。\n"
        "・特定個人情報の提供にあたっては、提供先とあらかじめ定めた方法でのみ行う。"
    )
    current = (
        "・特定個人情報の提供にあたっては、既に確立されている搬送手段により実施している。\n"
        "・電子媒体については、提供先である日本年金機構から指定されたパスワードを設定する"
        "ことで、情報の保護をする方法でのみ行う。"
    )
    text, marks = cell_text(first, first, current)
    assert text == "(削除)\n" + current
    assert removed_marks(marks) == [Mark(0, 4, "removed")]
    # The unchanged 。 ending the rewritten line was folded into the mark of the added line
    # after it, over the line break.
    assert [text[m.start : m.end] for m in marks if m.kind == "changed"] == [
        "既に確立されている搬送手段により実施している",
        current.split("\n")[1],
    ]


def test_old_lines_left_over_after_a_rewrite_are_removed() -> None:
    first = "・甲の記載\n・乙の記載\n・丙の記載\n・末尾"
    current = "・全く別の文章です\n・末尾"
    text, marks = cell_text(first, first, current)
    assert text == "・全く別の文章です\n(削除)\n(削除)\n・末尾"
    assert removed_marks(marks) == [Mark(10, 14, "removed"), Mark(15, 19, "removed")]


def test_placeholder_of_an_earlier_column_stays() -> None:
    first = "・甲の記載\n・乙の記載\n・丙の記載"
    previous = "・甲の記載\n・丙の記載"
    current = "・甲の記載\n・丙の記載\n・丁の記載"
    text, marks = cell_text(first, previous, current)
    assert text == "・甲の記載\n(削除)\n・丙の記載\n・丁の記載"
    assert changed_texts(text, marks) == ["・丁の記載"]
    assert removed_marks(marks) == [Mark(6, 10, "removed")]


def test_removed_blank_line_has_no_placeholder() -> None:
    first = "【見出し】\n\n・本文"
    current = "【見出し】\n・本文"
    assert cell_text(first, current, current) == (current, ())


def test_everything_removed_or_added() -> None:
    assert cell_text("・甲\n・乙", "・甲\n・乙", "") == (
        "(削除)\n(削除)",
        (Mark(0, 4, "removed"), Mark(5, 9, "removed")),
    )
    assert cell_text("", "", "新規\n追加") == ("新規\n追加", (Mark(0, 2), Mark(3, 5)))
