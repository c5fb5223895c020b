"""Lines are paired before their characters are compared, and the diff's cost stays linear.

The seed's ⑤物理的対策 row is built from the example (imported as tests/test_import.py does) and
its marks checked; a property test proves that no character of a new line is left unmarked
unless it is kept from the one old line that line is paired with; and the diff's work is
counted (not timed) on thousands of changed lines, so a quadratic engine fails here.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from piakit.cli import cli
from piakit.compare import cell_text
from piakit.textdiff import _lines as textdiff
from piakit.textdiff import changed_spans, diff_ops, rebuild_texts

from .conftest import SEED, GitRepo
from .test_textdiff import ALPHABET

# --- the seed ------------------------------------------------------------------------------


def marked_lines(cell: dict[str, Any]) -> list[str]:
    """The cell's lines with its changed marks written as [..]."""
    text = cell["text"]
    out: list[str] = []
    at = 0
    for mark in cell["marks"]:
        if mark["kind"] == "changed":
            out += [text[at : mark["start"]], "[", text[mark["start"] : mark["end"]], "]"]
            at = mark["end"]
    out.append(text[at:])
    return "".join(out).split("\n")


@pytest.fixture(scope="module")
def seed_rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("seed")
    GitRepo(root)
    runner = CliRunner()
    slug = "chiba-kokumin-nenkin"
    imported = runner.invoke(
        cli, ["-C", str(root), "import-table", str(SEED), "--assessment", slug]
    )
    assert imported.exit_code == 0, imported.output
    table = runner.invoke(cli, ["-C", str(root), "table", slug, "--format", "json"])
    assert table.exit_code == 0, table.output
    data = json.loads(table.output)
    assert [c["id"] for c in data["columns"]] == ["current", "R2.6.30", "R2.10.26"]
    return {" ".join(row["path"]): row for row in data["rows"]}


def physical_row(rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    (row,) = [row for path, row in rows.items() if "⑤物理的対策" in path and "保管・消去" in path]
    return row


def test_seed_sentence_added_to_a_rewritten_line_is_marked_whole(
    seed_rows: dict[str, dict[str, Any]],
) -> None:
    # Before, 場合は and 。 were matched with the removed line ・業者委託する場合は、… below it.
    lines = marked_lines(physical_row(seed_rows)["cells"][2])
    (line,) = [line for line in lines if line.startswith("・記憶装置又は記録媒体を廃棄")]
    assert line.endswith("措置する。[立会いが困難な場合は職員が措置を行う。]")
    assert line == (
        "・記憶装置又は記録媒体を廃棄する場合は、[委託業者が原則職員立会いの下、]消磁[、]破砕[、]"
        "溶解その他の当該記憶装置又は記録媒体に記録されていたファイル[及び]ドキュメントの"
        "復元が不可能となるように措置する。[立会いが困難な場合は職員が措置を行う。]"
    )


def test_seed_line_rewritten_next_to_a_removed_one_is_marked(
    seed_rows: dict[str, dict[str, Any]],
) -> None:
    # …セキュリティワイヤを用いて管理している。 became …を取り付けている。 while the line
    # ・クライアント端末については、盗難防止用ワイヤを取り付けている。 was removed: the new
    # words were matched with the removed line, and nothing was marked.
    cell = physical_row(seed_rows)["cells"][1]
    lines = marked_lines(cell)
    at = lines.index(
        "・クライアント端末については、個人情報を保管していないが、セキュリティワイヤを"
        "[取り付け]ている。"
    )
    assert lines[at + 1] == "(削除)"
    assert [m["kind"] for m in cell["marks"]].count("removed") == 1


# --- the property: marks never lean on another line ------------------------------------------

line_texts = st.text(alphabet=st.sampled_from([c for c in ALPHABET if c != "\n"]), max_size=14)


@st.composite
def related_texts(draw: st.DrawFn) -> tuple[str, str]:
    """Old lines, and new lines made of them by editing, adding, removing and moving lines."""
    old = draw(st.lists(line_texts, max_size=7))
    new = list(old)
    for _ in range(draw(st.integers(0, 5))):
        move = draw(st.sampled_from(["edit", "add", "remove", "swap"]))
        at = draw(st.integers(0, max(0, len(new) - 1)))
        if move == "add" or not new:
            new.insert(at, draw(line_texts))
        elif move == "remove":
            del new[at]
        elif move == "swap" and at + 1 < len(new):
            new[at], new[at + 1] = new[at + 1], new[at]
        else:
            line = new[at]
            start = draw(st.integers(0, len(line)))
            end = draw(st.integers(start, len(line)))
            new[at] = line[:start] + draw(line_texts) + line[end:]
    return "\n".join(old), "\n".join(new)


def kept_sources(old: str, new: str) -> dict[int, int]:
    """For each character of ``new`` kept unchanged by ``diff_ops``, its index in ``old``."""
    kept: dict[int, int] = {}
    at_old = at_new = 0
    for kind, text in diff_ops(old, new):
        if kind == "equal":
            kept.update((at_new + k, at_old + k) for k in range(len(text)))
        if kind != "insert":
            at_old += len(text)
        if kind != "delete":
            at_new += len(text)
    return kept


def line_of(text: str) -> list[int]:
    """The line of each character (a line break belongs to the line it ends)."""
    out: list[int] = []
    line = 0
    for char in text:
        out.append(line)
        line += char == "\n"
    return out


@settings(max_examples=400, deadline=None)
@given(st.one_of(related_texts(), st.tuples(line_texts, line_texts)))
def test_unmarked_characters_come_from_the_paired_line(pair: tuple[str, str]) -> None:
    old, new = pair
    kept = kept_sources(old, new)
    assert all(old[q] == new[p] for p, q in kept.items())
    old_line, new_line = line_of(old), line_of(new)
    # Each new line takes its unchanged characters from one old line, its partner ...
    partner: dict[int, int] = {}
    for p, q in kept.items():
        assert partner.setdefault(new_line[p], old_line[q]) == old_line[q], (old, new)
    # ... and partners keep their order.
    ordered = [partner[line] for line in sorted(partner)]
    assert all(a < b for a, b in pairwise(ordered))
    # Every other character of the new text is marked (whitespace at a mark's edge aside).
    marked = {k for start, end in changed_spans(old, new) for k in range(start, end)}
    for p, char in enumerate(new):
        assert p in kept or p in marked or char.isspace(), (old, new, p)
    assert rebuild_texts(diff_ops(old, new)) == (old, new)


def line_spans(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` of each line of ``text``, its line break left out."""
    spans: list[tuple[int, int]] = []
    at = 0
    for line in text.split("\n"):
        spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


@settings(max_examples=400, deadline=None)
@given(st.one_of(related_texts(), st.tuples(line_texts, line_texts)))
def test_a_paired_line_is_marked_as_its_pair_alone(pair: tuple[str, str]) -> None:
    # The lines around a pair (added, removed, other pairs) never widen or move its marks.
    old, new = pair
    kept = kept_sources(old, new)
    old_lines, new_lines = old.split("\n"), new.split("\n")
    old_line, new_line = line_of(old), line_of(new)
    partner = {new_line[p]: old_line[q] for p, q in kept.items()}
    spans = changed_spans(old, new)
    for line, (start, end) in enumerate(line_spans(new)):
        if line not in partner:
            continue
        in_line = [(s - start, e - start) for s, e in spans if start <= s < end]
        alone = changed_spans(old_lines[partner[line]], new_lines[line])
        assert in_line == alone, (old, new, line)


@settings(max_examples=400, deadline=None)
@given(st.one_of(related_texts(), st.tuples(line_texts, line_texts)))
def test_a_mark_spans_a_line_break_only_with_a_wholly_added_line(pair: tuple[str, str]) -> None:
    old, new = pair
    kept_lines = {line_of(new)[p] for p in kept_sources(old, new)}
    lines = line_spans(new)
    at = 0
    for kind, text in diff_ops(old, new):
        if kind == "delete":
            continue
        if kind == "insert":
            for k, char in enumerate(text):
                if char != "\n":
                    continue
                before = bisect_right([s for s, _ in lines], at + k) - 1
                # The line the break ends, or the line after it, is inserted whole: the
                # insertion covers all of it and no character of it is kept from an old line.
                whole = [
                    line
                    for line in (before, before + 1)
                    if line not in kept_lines
                    and at <= lines[line][0]
                    and lines[line][1] <= at + len(text)
                ]
                assert whole, (old, new, at + k)
        at += len(text)


def test_an_added_line_does_not_widen_the_mark_of_the_next_line() -> None:
    # 甲は was folded into the mark of 丙 across the added line: the merge of a short unchanged
    # run reached over the line break. Only 丙 changed on the paired line.
    old = "甲は乙を管理する。"
    new = "新しい行です。\n甲は丙を管理する。"
    assert marked_spans(old, new) == ["新しい行です。", "丙"]
    assert diff_ops(old, new) == [
        ("insert", "新しい行です。\n"),
        ("equal", "甲は"),
        ("delete", "乙"),
        ("insert", "丙"),
        ("equal", "を管理する。"),
    ]
    # The same line added after the edited one.
    assert marked_spans(old, "甲は丙を管理する。\n新しい行です。") == ["丙", "新しい行です。"]
    text, marks = cell_text(old, old, new)
    assert [text[m.start : m.end] for m in marks] == ["新しい行です。", "丙"]


def test_reversed_lines_mark_what_the_placeholders_say_was_removed() -> None:
    # 一 is kept (the lines' longest common run); 三 and 二 are added before it and the old
    # 二 and 三 removed after it. Before, 一 was folded into the marks around it: three
    # marked lines beside two placeholders.
    old, new = "一\n二\n三", "三\n二\n一"
    assert diff_ops(old, new) == [
        ("insert", "三\n二\n"),
        ("equal", "一"),
        ("delete", "\n二\n三"),
    ]
    text, marks = cell_text(old, old, new)
    assert text == "三\n二\n一\n(削除)\n(削除)"
    assert [(text[m.start : m.end], m.kind) for m in marks] == [
        ("三", "changed"),
        ("二", "changed"),
        ("(削除)", "removed"),
        ("(削除)", "removed"),
    ]


def test_a_line_paired_with_none_is_marked_whole() -> None:
    old = "・入室を管理する。\n・端末を施錠する。"
    new = "・入室を管理する。\n・監視カメラを設置し、録画を保存する。\n・端末を施錠する。"
    assert diff_ops(old, new) == [
        ("equal", "・入室を管理する。\n"),
        ("insert", "・監視カメラを設置し、録画を保存する。\n"),
        ("equal", "・端末を施錠する。"),
    ]


def test_pairs_follow_similarity_not_position() -> None:
    # Two old lines become one: the new line is the first one modified; the second is gone.
    old = "・記録媒体を廃棄する場合は、措置する。\n・業者委託する場合は、証明書を提出させる。"
    new = "・記録媒体を廃棄する場合は、措置する。立会いが困難な場合は職員が措置を行う。"
    assert marked_spans(old, new) == ["立会いが困難な場合は職員が措置を行う。"]
    text, marks = cell_text(old, old, new)
    assert text == new + "\n(削除)"
    assert [mark.kind for mark in marks] == ["changed", "removed"]
    # The other way round: the second old line is the partner.
    old = "・業者委託する場合は、証明書を提出させる。\n・記録媒体を廃棄する場合は、措置する。"
    assert marked_spans(old, new) == ["立会いが困難な場合は職員が措置を行う。"]
    assert cell_text(old, old, new)[0] == "(削除)\n" + new


def marked_spans(old: str, new: str) -> list[str]:
    return [new[start:end] for start, end in changed_spans(old, new)]


def test_a_repeated_line_keeps_the_first_copy_unchanged() -> None:
    old = "・甲\n・乙\n・丙"
    new = "・甲\n・乙\n・丙\n・丁\n・丙"
    assert diff_ops(old, new) == [("equal", "・甲\n・乙\n・丙"), ("insert", "\n・丁\n・丙")]


# --- the cost: counted, not timed --------------------------------------------------------------


@contextmanager
def counting() -> Iterator[dict[str, int]]:
    """Count the diff's work: line comparisons, token alignments, items handed to the engine."""
    counts = {"compared": 0, "aligned": 0, "items": 0}

    def wrap(name: str, key: str, size: Callable[..., int]) -> None:
        real = getattr(textdiff, name)

        def counted(*args: Any) -> Any:
            counts[key] += size(*args)
            return real(*args)

        patch.setattr(textdiff, name, counted)

    with pytest.MonkeyPatch.context() as patch:
        wrap("_char_similarity", "compared", lambda a, b: 1)
        wrap("_Alignment", "aligned", lambda *args: 1)
        wrap("_align", "items", lambda a, b: len(a) + len(b))
        yield counts


def similar_lines(count: int, salt: str) -> list[str]:
    """Lines that all look alike, the worst case for pairing: every pair is a candidate."""
    return [f"・特定個人情報の記録を{salt}{n}回確認し、結果を保存している。" for n in range(count)]


def work(count: int) -> dict[str, int]:
    old = "\n".join(similar_lines(count, "年"))
    new = "\n".join(similar_lines(count, "月"))
    with counting() as counts:
        ops = diff_ops(old, new)
        text, _ = cell_text(old, old, new)
    assert rebuild_texts(ops) == (old, new)
    assert text == new
    # Every line is paired with its own old line, and only the changed word is marked.
    assert marked_spans(old, new)[:2] == ["月", "月"]
    return counts


def test_work_grows_linearly_with_changed_lines() -> None:
    # Before, pairing compared every old line with every new line of a changed block: 2,000
    # lines took 4 million comparisons (minutes). Now each line meets a band of neighbours.
    # work() pairs the block three times: diff_ops, and cell_text's marks and placeholders.
    small, large = work(500), work(2000)
    for key in small:
        assert large[key] <= 4.4 * small[key], (key, small, large)
    band = 2 * (textdiff.PAIR_WINDOW + 1) + 1
    assert large["compared"] <= 3 * band * 2000
    assert large["aligned"] <= 3 * textdiff.PAIR_CHOICES * 2000
    tokens = sum(len(textdiff.tokenize(line)) for line in similar_lines(2000, "年"))
    assert large["items"] <= 3 * textdiff.PAIR_CHOICES * 2 * tokens + 3 * 2 * 2000


def test_huge_line_stays_within_linear_memory() -> None:
    # One line of 60,000 tokens each side: beyond LCS_CELLS the Levenshtein alignment runs in
    # linear memory. The LCS's bit matrix here would be 450 MB.
    old = "".join(f"・記録{n}件を確認、" for n in range(6000))
    new = "".join(f"・記録{n}件を{'確認' if n % 3 else '点検'}、" for n in range(6000))
    spans = marked_spans(old, new)
    assert spans[:2] == ["点検", "点検"]
    assert len(spans) == 2000
    assert rebuild_texts(diff_ops(old, new)) == (old, new)


def test_window_caps_a_long_block(monkeypatch: pytest.MonkeyPatch) -> None:
    # In a block of 200 × 200 lines, a line moved 150 lines away is beyond the window: it is
    # shown removed and added, not paired, and the work stays within the band.
    lines = similar_lines(200, "年")
    moved = [*lines[150:151], *lines[:150], *lines[151:]]
    new = [line.replace("年", "月") for line in moved]
    with counting() as counts:
        ops = diff_ops("\n".join(lines), "\n".join(new))
    assert rebuild_texts(ops) == ("\n".join(lines), "\n".join(new))
    band = 2 * (textdiff.PAIR_WINDOW + 1) + 1
    assert counts["compared"] <= band * 200
    assert marked_spans("\n".join(lines), "\n".join(new))[0] == new[0]


def candidates(n: int, m: int) -> Sequence[tuple[int, int]]:
    return list(textdiff._candidates(n, m))


def test_candidates_cover_small_blocks_and_band_large_ones() -> None:
    full = textdiff.PAIR_WINDOW
    assert sorted(candidates(full, full)) == [(i, j) for i in range(full) for j in range(full)]
    # A stretched block: each old line reaches its share of the new lines, and a window more.
    stretched = set(candidates(2, 100))
    assert {(0, j) for j in range(50 + full)} <= stretched
    assert {(1, j) for j in range(50 - full, 100)} <= stretched
    assert len(set(candidates(1000, 1000))) <= 1000 * (2 * (full + 1) + 1)
    assert len(set(candidates(1000, 3000))) <= 1000 * (2 * (full + 3) + 1)
    assert all(0 <= i < 300 and 0 <= j < 40 for i, j in candidates(300, 40))
