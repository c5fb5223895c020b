"""The table importer's reading and planning: the seed read cell by cell, losslessly, the
history planned from it, a table of our own with four milestones (tsv and csv), and every
malformed input named by file and line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from piakit.errors import ImportTableError
from piakit.importers.eras import milestone_from_label
from piakit.importers.ids import item_id
from piakit.importers.paths import repair_paths, split_path
from piakit.importers.planning import ImportPlan, assign_groups, plan_import
from piakit.importers.table import ParsedTable, TableRow, read_table
from piakit.importers.values import (
    comparable,
    parse_cell,
    parse_choices,
    parse_reasons,
    text_lines,
)
from piakit.model import Choice, Item, Selection

SEED = Path(__file__).resolve().parents[1] / "examples" / "chiba-kokumin-nenkin.txt"
ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")


@pytest.fixture(scope="module")
def seed() -> ParsedTable:
    return read_table(SEED)


@pytest.fixture(scope="module")
def seed_plan(seed: ParsedTable) -> ImportPlan:
    return plan_import(
        seed,
        "chiba-kokumin-nenkin",
        title="国民年金に関する事務 全項目評価書",
        organization="千葉市",
        form="平成30年5月 様式4",
    )


def row_at(table: ParsedTable, line: int) -> TableRow:
    return next(row for row in table.rows if row.line == line)


def row_ending(table: ParsedTable, *tail: str) -> TableRow:
    return next(row for row in table.rows if row.path[-len(tail) :] == tail)


# --------------------------------------------------------------------------- the seed


def test_seed_rows_milestones_affair(seed: ParsedTable) -> None:
    # 10 + 9 + 5 + 2 + 3 + 2 + 5 + 1 data rows on the source's eight pages
    assert len(seed.rows) == 37
    assert [row.line for row in seed.rows][:3] == [7, 8, 9]
    assert [(m.id, m.label, m.date) for m in seed.milestones] == [
        ("current", "現在の評価書", None),
        ("R2.6.30", "修正案 (R2.6.30諮問時)", dt.date(2020, 6, 30)),
        ("R2.10.26", "修正案 (R2.10.26現在)", dt.date(2020, 10, 26)),
    ]
    assert seed.affair == "国民年金"
    assert seed.title == "修正等を要する部分とその内容（国民年金）"
    assert seed.warnings == ()
    assert [row.page for row in seed.rows][:4] == [4, 7, 7, 8]


def test_seed_checkbox_group_with_note(seed: ParsedTable) -> None:
    row = row_at(seed, 7)
    assert row.path[-1] == "③他のシステムとの接続"
    choices = row.values[0]
    assert isinstance(choices, tuple)
    assert [(c.label, c.checked) for c in choices] == [
        ("情報提供ネットワークシステム", False),
        ("庁内連携システム", False),
        ("住民基本台帳ネットワークシステム", False),
        ("既存住民基本台帳システム", True),
        ("宛名システム等", False),
        ("税務システム", True),
        ("その他", True),
    ]
    assert choices[-1].note == "介護システム、福祉システム、国民健康保険システム、中間サーバー"
    assert [c.note for c in choices[:-1]] == [None] * 6
    later = row.values[1]
    assert isinstance(later, tuple)
    assert later[-1].note == "介護システム、福祉システム、国民健康保険システム"
    assert row.cells[2].status == "unchanged" and row.values[2] == later


def test_seed_empty_notes_belong_to_the_box_before(seed: ParsedTable) -> None:
    row = row_at(seed, 8)
    assert row.values[0] == (
        Choice("本人又は本人の代理人", True, None),
        Choice("評価実施機関内の他部署", True, ""),
        Choice("行政機関・独立行政法人等", True, ""),
        Choice("地方公共団体・地方独立行政法人", False, ""),
        Choice("民間事業者", False, ""),
        Choice("その他", False, ""),
    )
    later = row.values[1]
    assert isinstance(later, tuple)
    assert [c.note for c in later[:3]] == [None, "区政推進課", "日本年金機構"]


def test_seed_html_checkbox_is_ticked(seed: ParsedTable) -> None:
    row = row_ending(seed, "委託事項3", "④委託先への特定個人情報ファイルの提供方法")
    before, after = row.values[0], row.values[2]
    assert isinstance(before, tuple) and isinstance(after, tuple)
    assert [c.label for c in after] == [
        "専用線",
        "電子メール",
        "電子記録媒体（フラッシュメモリを除く。）",
        "フラッシュメモリ",
        "紙",
        "その他（)",
    ]
    assert not any(c.checked for c in before)
    assert [c.checked for c in after] == [True, False, False, False, True, False]
    assert all(c.note is None for c in after)
    assert row.changed_columns() == (2,)


def test_seed_selection(seed: ParsedTable) -> None:
    row = row_ending(seed, "委託の有無")
    assert row.values == (
        Selection("委託する", "(2) 件"),
        Selection("委託する", "(2) 件"),
        Selection("委託する", "(3) 件"),
    )
    assert row.item(Selection("委託する", "(3) 件")).plain() == "[委託する] (3) 件"


def test_seed_headings_kept_html_dropped_placeholders(seed: ParsedTable) -> None:
    row = row_at(seed, 64)
    text = row.values[0]
    assert isinstance(text, str) and text.endswith("\n")
    lines = text.splitlines()
    assert lines[:3] == [
        "(略)",
        "<区役所等執務室について>",
        "・入室については、当該所属内利用管理者である課長・所長の許可を受けた者に特定される。",
    ]
    assert "<その他の対策>" in lines and "<電磁的記録媒体の保管について>" in lines
    assert lines.count("(略)") == 2
    assert "【遠隔地保管】" in lines
    for value in row.values:
        assert isinstance(value, str)
        assert "<p>" not in value and "<u>" not in value and "<ul" not in value
        assert "(削除)" not in value  # the table regenerates the placeholders
    assert "セキュリティワイヤを用いて管理している。" in text
    assert len(str(row.values[1]).splitlines()) == len(lines) - 1


def test_seed_inline_deleted_line_removed(seed: ParsedTable) -> None:
    row = row_at(seed, 57)
    assert (
        row.values[1]
        == "・特定個人情報の提供を行う際に、提供の記録をシステム上で管理し、保管する。\n"
    )
    row = row_at(seed, 58)
    assert str(row.values[1]).splitlines()[0].startswith("・特定個人情報の提供にあたっては")


def test_seed_whole_cell_deleted(seed: ParsedTable) -> None:
    row = row_at(seed, 28)
    assert [cell.status for cell in row.cells] == ["value", "deleted", "unchanged"]
    assert row.values[1:] == (None, None)
    assert row.changed_columns() == (1,)


def test_seed_unbulleted_lists_one_item_a_line(seed: ParsedTable) -> None:
    lines = str(row_at(seed, 52).values[2]).splitlines()
    assert "秘密の保持に関する事項" in lines
    assert "再委託の禁止に関する事項(ただし、発注者の書面による承諾を得た場合を除く。)" in lines
    assert lines[-1] == "契約の解除及び損害賠償に関する事項"
    lines = str(row_at(seed, 56).values[2]).splitlines()
    assert lines[0] == "【千葉市住民記録システム開発・保守サービス利用契約】※情報システム課事務取扱"
    assert lines[2] == "【区政事務センター業務委託】※区政推進課事務取扱"
    # the ISO number's space does not end a line
    assert any("(ISO 27001)" in line for line in str(row_at(seed, 40).values[0]).splitlines())


def test_seed_reasons(seed: ParsedTable) -> None:
    assert row_at(seed, 58).reasons == (
        ("事務所管課による修正", ("移転は行っていないため削除",)),
        ("事務所管課による修正", ("ルール遵守の確認方法の記載",)),
    )
    assert row_at(seed, 21).reasons == (
        ("部会の意見による修正", ()),
        ("部会の意見を反映", ("事務の実態に合わせ追加 (委託先の追加)",)),
    )
    assert row_at(seed, 64).reasons == (
        ("事務所管課による修正", ("二重表記のため削除",)),
        ("部会の意見による修正", ("サーバ等の消去・廃棄に関する記載の追加 + 表記の改善",)),
        (
            "事務所管課による修正",
            ("平成30年11月26日契約変更による修正（運用開始日 令和2年1月1日）",),
        ),
    )
    # a <ul> item without a bullet is a reason too
    assert row_at(seed, 51).reasons == (
        ("部会の意見による修正", ("事務の実態に合わせ追加(委託先の追加)",)),
    )


def test_seed_paths(seed: ParsedTable) -> None:
    assert row_at(seed, 26).path == (
        "II. 特定個人情報ファイルの概要",
        "4. 特定個人情報ファイルの取扱いの委託",
        "委託事項3",
        "⑥委託先名",
    )
    assert row_at(seed, 14).path[-1] == "委託事項3"
    assert row_at(seed, 11).path[1:] == ("4. 特定個人情報ファイルの取扱いの委託", "委託の有無")
    assert row_at(seed, 32).path[0] == "III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策"
    assert row_at(seed, 32).path[2] == "リスク 2：不適切な方法で入手が行われるリスク"
    assert row_at(seed, 56).path[0] == "Ⅲ、特定個人情報ファイルの取扱いプロセスにおけるリスク対策"
    assert row_at(seed, 7).path == (
        "I. 基本情報",
        "2. 特定個人情報ファイルを取り扱う事務において使用するシステム",
        "システム2",
        "③他のシステムとの接続",
    )
    assert all(" " not in part or re.match(r"\S+ \S", part) for r in seed.rows for part in r.path)


def test_seed_ids(seed: ParsedTable) -> None:
    ids = [row.item_id for row in seed.rows]
    assert len(set(ids)) == len(ids)
    assert all(ID_RE.fullmatch(i) and i.isascii() for i in ids)
    assert max(len(i) for i in ids) <= 64
    assert row_at(seed, 26).item_id == "2-4-itaku3-6-itaku-saki-mei"
    assert row_at(seed, 14).item_id == "2-4-itaku3"
    assert row_at(seed, 11).item_id == "2-4-itaku-umu"
    assert row_at(seed, 7).item_id.startswith("1-2-system2-3-")
    assert row_at(seed, 64).item_id.startswith("3-7-risk1-5-")
    assert row_at(seed, 56).item_id.startswith("3-4-")  # Ⅲ、 is section 3
    assert read_table(SEED) == seed  # deterministic


def test_seed_is_lossless(seed: ParsedTable) -> None:
    checked = 0
    for row in seed.rows:
        for cell, value in zip(row.cells, row.values, strict=True):
            if cell.status != "value":
                continue
            assert value is not None
            plain = row.item(value).plain()
            assert comparable(plain) == comparable(cell.source), (row.line, plain)
            checked += 1
    assert checked == 67


# --------------------------------------------------------------------------- the plan


def replay(plan: ImportPlan) -> dict[str, dict[str, Item]]:
    """The item files at each milestone, by executing the plan's writes in order."""
    state: dict[str, Item] = {}
    at: dict[str, dict[str, Item]] = {}
    for commit in plan.commits:
        for item_id_, item in commit.writes:
            if item is None:
                del state[item_id_]
            else:
                state[item_id_] = item
        if commit.milestone is not None:
            at[commit.milestone.split("/", 1)[1]] = dict(state)
    return at


def check_plan_rebuilds_table(table: ParsedTable, plan: ImportPlan) -> None:
    at = replay(plan)
    assert list(at) == [m.id for m in table.milestones]
    for row in table.rows:
        for milestone, value in zip(table.milestones, row.values, strict=True):
            item = at[milestone.id].get(row.item_id)
            assert (item is None) == (value is None), (row.line, milestone.id)
            if item is not None and value is not None:
                assert item == row.item(value)
    # every changed item is written exactly once per column where it changed
    for row in table.rows:
        for column, milestone in enumerate(table.milestones):
            writes = [
                commit
                for commit in plan.commits
                if commit.milestone_id == milestone.id
                and any(item_id_ == row.item_id for item_id_, _ in commit.writes)
            ]
            expected = row.values[0] is not None if column == 0 else column in row.changed_columns()
            assert len(writes) == (1 if expected else 0), (row.line, milestone.id)
    # one milestone trailer per column, on the column's last commit, columns in order
    for milestone in table.milestones:
        commits = [c for c in plan.commits if c.milestone_id == milestone.id]
        assert [c.milestone for c in commits] == [None] * (len(commits) - 1) + [
            f"{plan.assessment.slug}/{milestone.id}"
        ]
    order = [c.milestone_id for c in plan.commits]
    assert order == sorted(order, key=[m.id for m in table.milestones].index)
    for commit in plan.commits:
        assert "\n" not in commit.subject
        if commit.milestone_id != "current" and commit.writes:
            assert commit.reasons, commit.subject


def test_seed_plan_rebuilds_every_column(seed: ParsedTable, seed_plan: ImportPlan) -> None:
    check_plan_rebuilds_table(seed, seed_plan)
    first = seed_plan.commits[0]
    assert first.milestone_id == "current" and first.reasons == ()
    assert first.milestone == "chiba-kokumin-nenkin/current"
    assert len(first.writes) == 27  # the rows with text in 現在の評価書
    assert first.date == dt.date(2020, 6, 30)  # no date given: the first dated draft
    columns = [c.milestone_id for c in seed_plan.commits]
    assert columns.count("current") == 1
    assert columns.count("R2.6.30") == 13
    assert columns.count("R2.10.26") == 6
    assessment = seed_plan.assessment
    assert assessment.title == "国民年金に関する事務 全項目評価書"
    assert assessment.organization == "千葉市"
    assert [m.id for m in assessment.milestones] == ["current", "R2.6.30", "R2.10.26"]
    assert assessment.milestones[0].date is None
    assert assessment.reason_categories == (
        "事務所管課による修正",
        "部会の意見による修正",
        "部会の意見を反映",
    )
    assert seed_plan.affair == "国民年金"


def commits_writing(
    plan: ImportPlan, item: str
) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    return {
        commit.milestone_id: commit.reasons
        for commit in plan.commits
        if any(item_id_ == item for item_id_, _ in commit.writes)
    }


def test_seed_three_reason_groups_split_monotonically(
    seed: ParsedTable, seed_plan: ImportPlan
) -> None:
    row = row_at(seed, 64)  # ⑤物理的対策, page 24
    assert row.page == 24 and row.changed_columns() == (1, 2)
    assert commits_writing(seed_plan, row.item_id) == {
        "current": (),
        "R2.6.30": (("事務所管課による修正", ("二重表記のため削除",)),),
        # listed after the 部会 group, so it cannot go back to R2.6.30: the reason column
        # regenerates in the order the table lists it
        "R2.10.26": (
            ("部会の意見による修正", ("サーバ等の消去・廃棄に関する記載の追加 + 表記の改善",)),
            (
                "事務所管課による修正",
                ("平成30年11月26日契約変更による修正（運用開始日 令和2年1月1日）",),
            ),
        ),
    }


def test_seed_two_groups_of_one_change_share_a_commit(
    seed: ParsedTable, seed_plan: ImportPlan
) -> None:
    row = row_at(seed, 58)
    commits = [c for c in seed_plan.commits if any(i == row.item_id for i, _ in c.writes)]
    assert len(commits) == 2
    assert commits[1].reasons == (
        ("事務所管課による修正", ("移転は行っていないため削除",)),
        ("事務所管課による修正", ("ルール遵守の確認方法の記載",)),
    )
    assert [i for i, _ in commits[1].writes] == [row.item_id]


def test_seed_two_groups_two_changes(seed: ParsedTable, seed_plan: ImportPlan) -> None:
    for line in (40, 47):
        row = row_at(seed, line)
        reasons = commits_writing(seed_plan, row.item_id)
        assert reasons["R2.6.30"] == (row.reasons[0],)
        assert reasons["R2.10.26"] == (row.reasons[1],)


def test_seed_shared_commits(seed: ParsedTable, seed_plan: ImportPlan) -> None:
    added = [
        c
        for c in seed_plan.commits
        if c.reasons == (("部会の意見による修正", ("事務の実態に合わせ追加 (委託先の追加)",)),)
    ]
    assert len(added) == 1
    assert len(added[0].writes) == 13
    assert (
        added[0].subject == "修正案 (R2.10.26現在): 事務の実態に合わせ追加 (委託先の追加) (13項目)"
    )
    deleted = [c for c in seed_plan.commits if (row_at(seed, 28).item_id, None) in c.writes]
    assert len(deleted) == 1 and deleted[0].milestone_id == "R2.6.30"


def test_seed_plan_warnings(seed_plan: ImportPlan) -> None:
    text = "\n".join(seed_plan.warnings)
    assert ":56: changed in 2 columns but lists 1 reason group" in text
    assert "width or spacing" in text


def test_dates_and_default_title(seed: ParsedTable) -> None:
    plan = plan_import(
        seed,
        "x",
        title=None,
        organization=None,
        form=None,
        dates={"current": dt.date(2019, 4, 1)},
    )
    assert plan.commits[0].date == dt.date(2019, 4, 1)
    assert plan.assessment.milestones[0].date == dt.date(2019, 4, 1)
    assert plan.assessment.title == "国民年金に関する事務 特定個人情報保護評価書"
    with pytest.raises(ImportTableError, match="unknown milestones: R9"):
        plan_import(
            seed, "x", title="t", organization=None, form=None, dates={"R9": dt.date(2027, 1, 1)}
        )


# --------------------------------------------------------------------------- a table of our own

HEADER = "\t".join(
    [
        "対応する評価書の項目",
        "ページ",
        "現在の評価書",
        "修正案 (R3.4.1時点)",
        "修正案 (R3.7.15諮問時)",
        "修正案 (R3.11.2答申後)",
        "理由",
    ]
)
OWN_ROWS = [
    # reverted: changed at R3.4.1, back to the old text at R3.11.2
    "I. 基本情報 1. 特定個人情報ファイルを取り扱う事務 ②事務の内容\t2\t"
    "<p>国民年金に関する事務を行う。</p>\t・国民年金法に基づく事務を行う。 ・届出の受付を行う。\t"
    "変更なし\t<p>国民年金に関する事務を行う。</p>\t"
    "【法改正による修正】 ・法改正に伴う修正 【誤記の訂正】 ・修正前の記載に戻す",
    # added at R3.7.15, deleted at R3.11.2
    "II. 特定個人情報ファイルの概要 4. 特定個人情報ファイルの取扱いの委託 委託事項4 ①委託内容\t"
    "11\t(記載なし)\t(記載なし)\t窓口業務の委託\t(削除)\t"
    "【事務所管課による修正】 ・委託の開始 【誤記の訂正】 ・委託は行わないため削除",
    "II. 特定個人情報ファイルの概要 2. 基本情報 ④記録される項目\t5\t"
    "[] 10項目未満 [○] 10項目以上50項目未満 [] 50項目以上\t"
    "[] 10項目未満 [] 10項目以上50項目未満 [○] 50項目以上\t変更なし\t変更なし\t"
    "【法改正による修正】 ・番号法の改正による項目の追加",
    "II. 特定個人情報ファイルの概要 4. 特定個人情報ファイルの取扱いの委託 委託の有無\t9\t"
    "[委託する] (2) 件\t変更なし\t[委託する] (3) 件\t変更なし\t"
    "【事務所管課による修正】 ・委託の開始",
    "III. リスク対策 7. 特定個人情報の保管・消去 リスク1：漏えいリスク ⑩死者の個人番号\t30\t"
    "[保管している]\t変更なし\t変更なし\t[保管していない]\t"
    "<p>【誤記の訂正】</p><ul><li>記載誤り</li></ul>",
    "III. リスク対策 7. 特定個人情報の保管・消去 リスク1：漏えいリスク その他の措置の内容\t30\t"
    "・定期的に点検する。 ・記録を残す。\t変更なし\t変更なし\t変更なし\t",
]


def own_table(tmp_path: Path) -> Path:
    lines = ["", "修正等を要する部分とその内容（介護保険）", "", HEADER, "\t介護保険\t\t\t\t\t"]
    lines += OWN_ROWS[:3]
    lines += ["", HEADER.replace(" (", "（").replace(")\t", "）\t"), "\t介護保険\t\t\t\t\t"]
    lines += OWN_ROWS[3:]
    path = tmp_path / "kaigo.tsv"
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_own_table_four_milestones(tmp_path: Path) -> None:
    table = read_table(own_table(tmp_path))
    assert [(m.id, m.date) for m in table.milestones] == [
        ("current", None),
        ("R3.4.1", dt.date(2021, 4, 1)),
        ("R3.7.15", dt.date(2021, 7, 15)),
        ("R3.11.2", dt.date(2021, 11, 2)),
    ]
    assert table.affair == "介護保険"
    assert len(table.rows) == 6
    reverted, added, boxes, selection, dead, untouched = table.rows
    assert reverted.values[3] == reverted.values[0] == "国民年金に関する事務を行う。\n"
    assert reverted.values[1] == "・国民年金法に基づく事務を行う。\n・届出の受付を行う。\n"
    assert reverted.changed_columns() == (1, 3)
    assert added.values == (None, None, "窓口業務の委託\n", None)
    assert added.path[-2:] == ("委託事項4", "①委託内容")
    assert added.item_id == "2-4-itaku4-1-itaku-naiyou"
    assert isinstance(boxes.values[0], tuple) and boxes.values[0][1].checked
    assert selection.changed_columns() == (2,)
    assert dead.values[3] == Selection("保管していない")
    assert dead.reasons == (("誤記の訂正", ("記載誤り",)),)
    assert untouched.changed_columns() == ()

    plan = plan_import(table, "kaigo", title="介護保険", organization=None, form=None)
    check_plan_rebuilds_table(table, plan)
    assert commits_writing(plan, reverted.item_id) == {
        "current": (),
        "R3.4.1": (("法改正による修正", ("法改正に伴う修正",)),),
        "R3.11.2": (("誤記の訂正", ("修正前の記載に戻す",)),),
    }
    assert commits_writing(plan, added.item_id) == {
        "R3.7.15": (("事務所管課による修正", ("委託の開始",)),),
        "R3.11.2": (("誤記の訂正", ("委託は行わないため削除",)),),
    }
    # the deletion and the other 誤記の訂正 changes: one commit per distinct reason set
    last = [c for c in plan.commits if c.milestone_id == "R3.11.2"]
    assert [len(c.writes) for c in last] == [1, 1, 1]
    assert (added.item_id, None) in last[1].writes
    # the two 委託の開始 changes share one commit
    middle = [c for c in plan.commits if c.milestone_id == "R3.7.15"]
    assert len(middle) == 1 and len(middle[0].writes) == 2
    assert plan.assessment.reason_categories == (
        "法改正による修正",
        "誤記の訂正",
        "事務所管課による修正",
    )
    assert any("no change in any column" in w for w in plan.warnings)
    assert plan.commits[0].date == dt.date(2021, 4, 1)


def test_own_table_as_csv_with_a_multiline_cell(tmp_path: Path) -> None:
    tsv = read_table(own_table(tmp_path))
    import csv

    rows = [line.split("\t") for line in own_table(tmp_path).read_text("utf-8-sig").splitlines()]
    rows[5][3] = "・国民年金法に基づく事務を行う。\n・届出の受付を行う。"
    path = tmp_path / "kaigo.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    table = read_table(path)
    assert [row.values for row in table.rows] == [row.values for row in tsv.rows]
    assert [row.item_id for row in table.rows] == [row.item_id for row in tsv.rows]
    assert [row.line for row in table.rows] == [6, 8, 9, 13, 14, 15]


def test_column_without_changes_gets_an_empty_commit(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text(
        "項目\t頁\t現在の評価書\t修正案\t修正案 (令和元年5月7日)\t修正理由\n"
        "I. 基本情報 ①事務の名称\t１\t国民年金\t変更なし\t国民年金に関する事務\t【表記の改善】\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert [(m.id, m.date) for m in table.milestones] == [
        ("current", None),
        ("draft-1", None),
        ("R1.5.7", dt.date(2019, 5, 7)),
    ]
    assert table.rows[0].page == 1
    plan = plan_import(table, "t", title="t", organization=None, form=None)
    check_plan_rebuilds_table(table, plan)
    empty = [c for c in plan.commits if c.milestone_id == "draft-1"]
    assert len(empty) == 1 and empty[0].writes == () and empty[0].milestone == "t/draft-1"
    assert empty[0].date is None
    assert plan.commits[-1].reasons == (("表記の改善", ()),)


# --------------------------------------------------------------------------- bad input


def write(tmp_path: Path, *lines: str, name: str = "bad.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = "I. 基本情報 ①事務の名称\t1\t国民年金\t変更なし\t国民年金に関する事務\t【表記の改善】 ・改善"
H3 = "対応する評価書の項目\tページ\t現在の評価書\t修正案 (R2.6.30)\t修正案 (R2.10.26)\t理由"


def test_wrong_column_count(tmp_path: Path) -> None:
    path = write(tmp_path, "title", H3, GOOD, "I. 基本情報 ②x\t1\t国民年金\t変更なし\t理由")
    with pytest.raises(ImportTableError) as error:
        read_table(path)
    assert f"{path}:4: expected 6 columns, got 5" in str(error.value)
    assert "hint:" in str(error.value)


def test_unknown_header(tmp_path: Path) -> None:
    with pytest.raises(ImportTableError, match=r"bad.txt:2: unknown header"):
        read_table(write(tmp_path, "title", "項目名\tページ\tA\tB\t理由", GOOD))
    with pytest.raises(ImportTableError, match=r"bad.txt:1: unknown header"):
        read_table(write(tmp_path, GOOD, H3))
    with pytest.raises(ImportTableError, match=r"bad.txt:3: unknown header"):
        read_table(write(tmp_path, H3, GOOD, "対応する評価書の項目\tページ\tA\tB\tC\t備考"))
    with pytest.raises(ImportTableError, match="no header row"):
        read_table(write(tmp_path, "only a title"))


def test_repeated_header_with_other_milestones(tmp_path: Path) -> None:
    other = H3.replace("R2.10.26", "R2.11.1")
    with pytest.raises(ImportTableError, match=r"bad.txt:3: this header's milestones"):
        read_table(write(tmp_path, H3, GOOD, other, GOOD))
    # full-width parentheses and spacing do not make a header different
    same = H3.replace(" (", "（").replace(")\t", "）\t")
    assert (
        len(read_table(write(tmp_path, H3, GOOD, "", same, "\t国民年金\t\t\t\t", GOOD)).rows) == 2
    )


def test_page_not_a_number(tmp_path: Path) -> None:
    for page in ("p.4", "", "4-5"):
        row = GOOD.replace("\t1\t", f"\t{page}\t")
        with pytest.raises(ImportTableError, match=rf"bad.txt:2: page '{re.escape(page)}' is not"):
            read_table(write(tmp_path, H3, row))


def test_first_column_cannot_be_unchanged_or_deleted(tmp_path: Path) -> None:
    for word in ("変更なし", "(削除)"):
        row = GOOD.replace("\t国民年金\t", f"\t{word}\t", 1)
        with pytest.raises(ImportTableError, match=r"bad.txt:2: .*first milestone column"):
            read_table(write(tmp_path, H3, row))


def test_other_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(ImportTableError, match=r"neither\.txt:2: .* neither UTF-8 nor Shift_JIS"):
        path = tmp_path / "neither.txt"
        path.write_bytes((H3 + "\n").encode("utf-8") + b"\x81 \n")
        read_table(path)
    with pytest.raises(ImportTableError, match=r"\.xls tables"):
        read_table(write(tmp_path, H3, GOOD, name="t.xls"))
    with pytest.raises(ImportTableError, match=r"bad.txt:2: reason cell"):
        read_table(write(tmp_path, H3, GOOD.replace("【表記の改善】 ・改善", "改善")))
    with pytest.raises(ImportTableError, match=r"bad.txt:2: the item path"):
        read_table(write(tmp_path, H3, "\t1\ta\tb\tc\t【x】"))
    with pytest.raises(ImportTableError, match=r"bad.txt:1: the date .* does not exist"):
        read_table(write(tmp_path, H3.replace("R2.10.26", "R2.13.26"), GOOD))
    with pytest.raises(ImportTableError, match="no data rows"):
        read_table(write(tmp_path, H3))


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("修正案 (R2.6.30諮問時)", ("R2.6.30", dt.date(2020, 6, 30))),
        ("修正案（Ｒ２．１０．２６現在）", ("R2.10.26", dt.date(2020, 10, 26))),
        ("修正案 令和2年6月30日時点", ("R2.6.30", dt.date(2020, 6, 30))),
        ("令和元年5月1日", ("R1.5.1", dt.date(2019, 5, 1))),
        ("H31.4.30", ("H31.4.30", dt.date(2019, 4, 30))),
        ("平成元年1月8日", ("H1.1.8", dt.date(1989, 1, 8))),
        ("S64.1.7", ("S64.1.7", dt.date(1989, 1, 7))),
        ("2021年4月1日版", ("2021-04-01", dt.date(2021, 4, 1))),
        ("修正案", ("draft-3", None)),
    ],
)
def test_milestone_from_label(label: str, expected: tuple[str, dt.date | None]) -> None:
    assert milestone_from_label(label, 3) == expected


def test_milestone_ids_unique(tmp_path: Path) -> None:
    header = "項目\tページ\t現在\t案 (R2.6.30)\t案 (R2.6.30 再)\t案\t案\t理由"
    row = "I. x\t1\ta\tb\tc\td\te\t【x】"
    table = read_table(write(tmp_path, header, row))
    assert [m.id for m in table.milestones] == [
        "current",
        "R2.6.30",
        "R2.6.30-2",
        "draft-3",
        "draft-4",
    ]


def test_split_and_repair_paths() -> None:
    assert split_path("III 特定 リスク 2：不適切 ⑤物理的対策") == [
        "III 特定",
        "リスク 2：不適切",
        "⑤物理的対策",
    ]
    assert split_path("Ⅲ、特定 4. 委託 IV. 評価 リスク") == [
        "Ⅲ、特定",
        "4. 委託",
        "IV. 評価",
        "リスク",
    ]
    paths = repair_paths(
        [
            ["II. 概要", "4. 特定個人情報ファイルの取扱いの委託委託の有無"],
            ["III. 対策", "5. 特定個人情報ファイルの取扱いの委託"],
            ["II. 概要", "4. 特定個人情報ファイルの取扱いの委託委託事項12", "①委託内容"],
            ["II. 概要", "3. 特定個人情報の入手・使用"],
            ["II. 概要", "3. 特定個人情報の入手"],
            ["II. 概要", "5. 特定個人情報の入手の方法"],
            ["II. 概要", "委託事項1"],
            ["II. 概要", "委託事項10"],
            ["II. 概要", "再委託事項2"],
        ]
    )
    assert paths[6:] == [
        ["II. 概要", "委託事項1"],
        ["II. 概要", "委託事項10"],
        ["II. 概要", "再委託事項2"],
    ]
    assert paths[0] == ["II. 概要", "4. 特定個人情報ファイルの取扱いの委託", "委託の有無"]
    assert paths[2] == [
        "II. 概要",
        "4. 特定個人情報ファイルの取扱いの委託",
        "委託事項12",
        "①委託内容",
    ]
    assert paths[3] == ["II. 概要", "3. 特定個人情報の入手・使用"]  # ・ does not start a heading
    assert paths[5] == ["II. 概要", "5. 特定個人情報の入手の方法"]  # nor does a particle


def test_item_id_rule() -> None:
    assert item_id(["Ⅱ 概要", "4. 委託", "委託事項3", "⑥委託先名"]) == "2-4-itaku3-6-itaku-saki-mei"
    assert item_id(["III. 対策", "3. 使用", "リスク2：権限のない者", "その他の措置の内容"]) == (
        "3-3-risk2-sono-hokano-sochi-naiyou"
    )
    assert item_id(["IV. その他", "①"]) == "4-1"
    long = item_id(["委託元と委託先間の提供に関するルール内容及びルール遵守の確認方法"])
    assert len(long) <= 30 and ID_RE.fullmatch(long)


def test_assign_groups() -> None:
    # enough groups: every column gets one, preferred columns win, monotone
    assert assign_groups([1, 2, 1], [1, 2]) == [1, 2, 2]
    assert assign_groups([1, 1, 2], [1, 2]) == [1, 1, 2]
    assert assign_groups([2, 1], [1, 2]) == [1, 2]
    assert assign_groups([None, None, None], [1, 3]) == [1, 1, 3]
    assert assign_groups([3, 3, 3], [1, 2, 3]) == [1, 2, 3]
    # fewer groups than columns: the preferred column, else the earliest
    assert assign_groups([2], [1, 2, 3]) == [2]
    assert assign_groups([None], [1, 2]) == [1]
    assert assign_groups([3, 1], [1, 2, 3]) == [1, 1]  # one each way: the earliest
    assert assign_groups([], [1, 2]) == []


def test_text_lines_rules() -> None:
    assert text_lines("ID・パスワード及び生体認証 ・次の行") == [
        "ID・パスワード及び生体認証",
        "・次の行",
    ]
    assert text_lines("前文。 次の文。また続く。") == ["前文。", "次の文。また続く。"]
    assert text_lines("<p>a<u>b</u>c</p><P>d<BR>e</P>") == ["abc", "d", "e"]
    assert text_lines("【見出し】 本文 (略) 後") == ["【見出し】", "本文", "(略)", "後"]
    assert text_lines("<その他の対策> ・a") == ["<その他の対策>", "・a"]
    assert text_lines("<span class='x'>a&amp;b</span>") == ["a&b"]
    assert text_lines("一行目\n二行目") == ["一行目", "二行目"]


def test_parse_cell_words_and_shapes() -> None:
    assert parse_cell("") == ("absent", None)
    assert parse_cell("（記載なし）") == ("absent", None)
    assert parse_cell("<p>(削除)</p>") == ("deleted", None)
    assert parse_cell(" 変更なし ") == ("unchanged", None)
    assert parse_cell("[委託しない]") == ("value", Selection("委託しない"))
    assert parse_cell("[注] これは長い説明文であって選択肢ではないので本文として読む")[1] == (
        "[注] これは長い説明文であって選択肢ではないので本文として読む\n"
    )
    assert parse_cell("() 紙 (○) 電子メール (添付) () その他")[1] == (
        Choice("紙"),
        Choice("電子メール", True, "添付"),
        Choice("その他"),
    )
    # a full-width note stays in the label, so the text survives exactly
    assert parse_choices("[○] その他 （介護）") == (Choice("その他 （介護）", True),)
    assert parse_choices("本文 [○]") is None


def test_parse_reasons() -> None:
    assert parse_reasons("<p>【A】</p> <ul><li>x</li><li>y</li></ul> 【B】 【A】 ・z") == [
        ("A", ["x", "y"]),
        ("B", []),
        ("A", ["z"]),
    ]
    assert parse_reasons("") == []
    assert parse_reasons("【A】 ・消去・廃棄  の   記載") == [("A", ["消去・廃棄 の 記載"])]


SEGMENTS = st.sampled_from(
    [
        "・",
        "【見出し】",
        "<見出し>",
        "<p>",
        "</p>",
        "<u>",
        "</u>",
        "<ul>",
        "<li>",
        " ",
        "　",
        "。",
        "(略)",
        "文章",
        "ID・パスワード",
        "(ISO 27001)",
        "（注）",
        "\n",
        "[委託する]",
        "A",
    ]
)


@given(st.lists(SEGMENTS, min_size=1, max_size=25))
def test_text_cells_are_lossless(segments: list[str]) -> None:
    cell = "".join(segments)
    status, value = parse_cell(cell)
    if status != "value":
        return
    assert value is not None
    item = Item(
        id="x",
        path=("x",),
        text=value if isinstance(value, str) else None,
        choices=value if isinstance(value, tuple) else None,
        select=value if isinstance(value, Selection) else None,
    )
    assert comparable(item.plain()) == comparable(cell)


MARKS = st.sampled_from(["[]", "[ ]", "[○]", "(○)", '[<input type="checkbox"/>]', "［］"])
LABELS = st.sampled_from(
    [
        "紙",
        "電子記録媒体（フラッシュメモリを除く。）",
        "その他（)",
        "行政機関・独立行政法人等",
        "A B",
    ]
)
NOTES = st.sampled_from([None, "", "区政推進課", "介護システム、福祉システム"])
GAPS = st.sampled_from(["", " ", "  "])


@given(st.lists(st.tuples(MARKS, GAPS, LABELS, NOTES), min_size=1, max_size=6))
def test_checkbox_cells_are_lossless(
    boxes: list[tuple[str, str, str, str | None]],
) -> None:
    cell = " ".join(
        mark + gap + label + ("" if note is None else f" ({note})")
        for mark, gap, label, note in boxes
    )
    choices = parse_choices(cell)
    assert choices is not None
    assert [(c.label, c.checked, c.note) for c in choices] == [
        (label, "○" in mark or "input" in mark, note) for mark, _, label, note in boxes
    ]
    assert comparable(Item(id="x", path=("x",), choices=choices).plain()) == comparable(cell)


def test_spreadsheet_padding_and_affair_above_the_header(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\t国民年金\t\t\t\t\t\t",
        H3 + "\t\t",
        GOOD + "\t\t",
        GOOD.replace("②", "③").replace("①", "②").replace("\t【表記の改善】 ・改善", "\t"),
    )
    table = read_table(path)
    assert table.affair == "国民年金" and table.title is None
    assert len(table.rows) == 2
    assert table.rows[1].reasons == ()
    plan = plan_import(table, "t", title="t", organization=None, form=None)
    assert any(":4: the row changes but its reason cell is empty" in w for w in plan.warnings)


def test_cell_warnings(tmp_path: Path) -> None:
    rows = (
        "I. 基本情報 ①a\t1\t本文\t(記載なし)\t変更なし\t【x】 ・y",
        "I. 基本情報 ②b\t1\t(記載なし)\t(削除)\t本文\t【x】 ・y",
        "I. 基本情報 ②b\t1\t本文\t本文\t本文\t【x】 ・y",
    )
    table = read_table(write(tmp_path, H3, *rows))
    text = "\n".join(table.warnings)
    assert "bad.txt:2: 修正案 (R2.6.30): (記載なし) after an entry" in text
    assert "bad.txt:3: 修正案 (R2.6.30): (削除) but the column before has no entry" in text
    assert "bad.txt:4: same item path as line 3" in text
    assert table.rows[2].item_id == table.rows[1].item_id + "-2"
    plan = plan_import(table, "t", title="t", organization=None, form=None)
    assert any(":4: no change in any column" in w for w in plan.warnings)


def test_the_opinion_labels_piakit_writes_after_the_reasons_are_no_reason() -> None:
    # render/common.row_reason_lines ends a row's reasons with （意見N）…; reading the table
    # back must give the same reasons, and a reason that only mentions an opinion stays one.
    cell = "【部会の意見による修正】\n・表記の改善\n（意見2）（意見 bukai-1）"
    assert parse_reasons(cell) == [("部会の意見による修正", ["表記の改善"])]
    assert parse_reasons("【部会の意見による修正】\n・（意見2）を受けて修正") == [
        ("部会の意見による修正", ["（意見2）を受けて修正"])
    ]
