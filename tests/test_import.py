"""The importer end to end: a hand-kept table in, a git history out, and the same table back
from ``piakit table``: every row, page, cell status, cell text (up to whitespace and markup)
and reason. The source side is read here with a few lines of our own, independently of the
importer's parser, so the test cannot agree with a bug in it."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from piakit.cli import cli

from .conftest import SEED, GitRepo

SLUG = "chiba-kokumin-nenkin"

_TAG = re.compile(r"</?(?:p|ul|li|u|br|span|ol|div)\b[^<>]*>", re.I)
_INPUT_BOX = re.compile(r"\[\s*<input[^<>]*>\s*\]", re.I)


def normalize(text: str) -> str:
    """Whitespace and markup removed; the notations of a checked / unchecked box unified."""
    text = _INPUT_BOX.sub("[○]", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = text.replace("(○)", "[○]").replace("[]", "[ ]")
    return re.sub(r"\s+", "", text)


def reason_pairs(cell: str) -> list[tuple[str, str | None]]:
    """【category】 ・reason … of a source cell as (category, reason) pairs, whitespace-free."""
    text = _TAG.sub(" ", cell)
    pairs: list[tuple[str, str | None]] = []
    for category, body in re.findall(r"【([^】]+)】([^【]*)", text):
        reasons = [
            r
            for r in (re.sub(r"\s+", "", part) for part in re.split(r"(?:^|\s)・", body.strip()))
            if r
        ]
        if not reasons:
            pairs.append((category.strip(), None))
        pairs.extend((category.strip(), reason) for reason in reasons)
    return pairs


def source_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    header: list[str] = []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 4:
            continue
        if cells[1].strip() == "ページ":
            header = header or cells
            continue
        if not cells[0].strip():
            continue  # the affair row
        rows.append(cells)
    return header, rows


def expected_status(cell: str) -> str:
    stripped = normalize(cell)
    return {"変更なし": "unchanged", "(記載なし)": "absent", "(削除)": "deleted", "": "absent"}.get(
        stripped, "text"
    )


def import_and_table(root: Path, source: Path, slug: str, *extra: str) -> dict[str, object]:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["-C", str(root), "import-table", str(source), "--assessment", slug, *extra]
    )
    assert result.exit_code == 0, result.output
    table = runner.invoke(cli, ["-C", str(root), "table", slug, "--format", "json"])
    assert table.exit_code == 0, table.output
    data: dict[str, object] = json.loads(table.output)
    return data


def assert_same_table(source: Path, table: dict[str, object]) -> None:
    header, rows = source_rows(source)
    columns = table["columns"]
    assert [c["label"] for c in columns] == header[2:-1]  # type: ignore[index]
    out_rows = table["rows"]
    assert len(out_rows) == len(rows)  # type: ignore[arg-type]
    for src, row in zip(rows, out_rows, strict=True):  # type: ignore[call-overload]
        where = f"{source.name}: {src[0][:40]}"
        assert row["page"] == int(src[1]), where
        assert normalize(" ".join(row["path"])) == normalize(src[0]), where
        for src_cell, cell in zip(src[2:-1], row["cells"], strict=True):
            assert cell["status"] == expected_status(src_cell), (where, src_cell[:60])
            if cell["status"] == "text":
                assert normalize(cell["text"]) == normalize(src_cell), where
        got = [
            (r["category"], re.sub(r"\s+", "", r["reason"] or "") or None) for r in row["reasons"]
        ]
        assert got == reason_pairs(src[-1]), where


def test_seed_round_trips_every_cell(repo: GitRepo) -> None:
    table = import_and_table(
        repo.root,
        SEED,
        SLUG,
        "--title",
        "国民年金に関する事務 全項目評価書",
        "--organization",
        "千葉市",
    )
    assert_same_table(SEED, table)
    assert [c["id"] for c in table["columns"]] == ["current", "R2.6.30", "R2.10.26"]  # type: ignore[index]


def test_seed_history_has_trailers_tags_and_dates(repo: GitRepo) -> None:
    import_and_table(repo.root, SEED, SLUG)
    assert repo.git("tag").split() == [f"{SLUG}/R2.10.26", f"{SLUG}/R2.6.30", f"{SLUG}/current"]
    log = repo.git("log", "--format=%ad %(trailers:key=Milestone,valueonly)", "--date=short")
    assert f"2020-10-26 {SLUG}/R2.10.26" in log
    assert f"2020-06-30 {SLUG}/R2.6.30" in log
    # without tags (they may not travel), the trailers alone bind the milestones
    for tag in repo.git("tag").split():
        repo.git("tag", "-d", tag)
    table = json.loads(
        CliRunner().invoke(cli, ["-C", str(repo.root), "table", SLUG, "--format", "json"]).output
    )
    assert_same_table(SEED, table)
    categories = repo.git("log", "-1", "--format=%(trailers:key=Reason-Category,valueonly)")
    assert "部会の意見による修正" in categories


FOUR_MILESTONES = (
    "\n".join(
        [
            "変更箇所一覧（介護保険）",
            "",
            "\t".join(
                [
                    "対応する評価書の項目",
                    "ページ",
                    "現在の評価書",
                    "修正案 (R3.4.1時点)",
                    "修正案 (R3.7.15諮問時)",
                    "修正案 (R3.11.2答申後)",
                    "理由",
                ]
            ),
            "\t".join(["", "介護保険", "", "", "", "", ""]),
            "\t".join(
                [
                    "I. 基本情報 1. 特定個人情報ファイルを取り扱う事務 ①事務の名称",
                    "2",
                    "介護保険に関する事務",
                    "介護保険の給付に関する事務",
                    "変更なし",
                    "変更なし",
                    "【法改正による修正】 ・介護保険法の改正",
                ]
            ),
            "\t".join(
                [
                    "I. 基本情報 5. 個人番号の利用 法令上の根拠",
                    "3",
                    "・番号法第9条第1項 別表第一の68の項",
                    "変更なし",
                    "・番号法第9条第1項 別表第一の68の項 ・番号法第19条第8号",
                    "変更なし",
                    "【誤記の訂正】 ・根拠条文の追加",
                ]
            ),
            "\t".join(
                [
                    "II. 特定個人情報ファイルの概要 4. 特定個人情報ファイルの取扱いの委託 "
                    "委託事項2",
                    "9",
                    "(記載なし)",
                    "コールセンター業務",
                    "(削除)",
                    "変更なし",
                    "【所管課による修正】 ・委託の追加 【部会の意見による修正】 ・委託の取りやめ",
                ]
            ),
            "\t".join(
                [
                    "II. 特定個人情報ファイルの概要 4. 特定個人情報ファイルの取扱いの委託 "
                    "委託の有無",
                    "9",
                    "[委託する] (1) 件",
                    "[委託する] (2) 件",
                    "[委託する] (1) 件",
                    "変更なし",
                    "【所管課による修正】 ・委託の追加 【部会の意見による修正】 ・委託の取りやめ",
                ]
            ),
            "\t".join(
                [
                    "III. リスク対策 7. 特定個人情報の保管・消去 ⑤物理的対策 具体的な対策の内容",
                    "24",
                    "<p>・入退室を管理する。</p><p>・端末を施錠する。</p><p>・監視カメラを設置する。</p>",
                    "変更なし",
                    "変更なし",
                    "<p>・入退室を管理する。</p><p>(削除)</p><p>・監視カメラを設置し、<u>録画を保存する</u>。</p>",
                    "【部会の意見による修正】 ・表記の改善 ・二重表記のため削除",
                ]
            ),
        ]
    )
    + "\n"
)


def test_second_table_with_four_milestones_and_other_categories(
    repo: GitRepo, tmp_path: Path
) -> None:
    source = tmp_path / "kaigo.txt"
    source.write_text(FOUR_MILESTONES, encoding="utf-8")
    table = import_and_table(repo.root, source, "kaigo", "--date", "current=2021-01-15")
    assert_same_table(source, table)
    assert [c["id"] for c in table["columns"]] == ["current", "R3.4.1", "R3.7.15", "R3.11.2"]  # type: ignore[index]
    assert repo.git("log", "--reverse", "--format=%ad", "--date=short").split()[0] == "2021-01-15"
    rows = {row["path"][-1]: row for row in table["rows"]}  # type: ignore[union-attr]
    reverted = rows["委託の有無"]["cells"]
    assert [c["status"] for c in reverted] == ["text", "text", "text", "unchanged"]
    added_then_deleted = rows["委託事項2"]["cells"]
    assert [c["status"] for c in added_then_deleted] == ["absent", "text", "deleted", "unchanged"]
    assessment = (repo.root / "assessments/kaigo/assessment.yaml").read_text(encoding="utf-8")
    assert "法改正による修正" in assessment and "誤記の訂正" in assessment


def test_csv_source_with_multiline_cells(repo: GitRepo, tmp_path: Path) -> None:
    import csv
    import io

    rows = [line.split("\t") for line in FOUR_MILESTONES.splitlines() if "\t" in line]
    rows[-1][2] = "・入退室を管理する。\n・端末を施錠する。\n・監視カメラを設置する。"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    source = tmp_path / "kaigo.csv"
    source.write_text(buffer.getvalue(), encoding="utf-8-sig")
    table = import_and_table(repo.root, source, "kaigo")
    cell = table["rows"][-1]["cells"][0]  # type: ignore[index]
    assert cell["text"] == "・入退室を管理する。\n・端末を施錠する。\n・監視カメラを設置する。"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda lines: lines.__setitem__(4, lines[4] + "\t余分な列"), ":5:"),
        (
            lambda lines: lines.__setitem__(2, lines[2].replace("対応する評価書の項目", "項番")),
            ":3:",
        ),
        (lambda lines: lines.__setitem__(5, lines[5].replace("\t3\t", "\t三\t")), ":6:"),
    ],
    ids=["column-count", "unknown-header", "page-not-a-number"],
)
def test_bad_tables_name_the_line_and_commit_nothing(
    repo: GitRepo, tmp_path: Path, mutate: object, message: str
) -> None:
    lines = FOUR_MILESTONES.splitlines()
    mutate(lines)  # type: ignore[operator]
    source = tmp_path / "bad.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    repo.write("README.md", "readme\n")
    head = repo.commit("start")
    result = CliRunner().invoke(
        cli, ["-C", str(repo.root), "import-table", str(source), "--assessment", "kaigo"]
    )
    assert result.exit_code == 1, result.output
    assert f"bad.txt{message}" in result.output
    assert repo.git("rev-parse", "HEAD") == head
    assert repo.git("status", "--porcelain") == ""
    assert repo.git("tag") == ""


def test_refuses_dirty_tree_and_existing_assessment(repo: GitRepo) -> None:
    repo.write("notes.txt", "x\n")
    repo.commit("start")
    repo.write("notes.txt", "changed\n")
    runner = CliRunner()
    result = runner.invoke(
        cli, ["-C", str(repo.root), "import-table", str(SEED), "--assessment", SLUG]
    )
    assert result.exit_code == 1 and "uncommitted changes" in result.output
    repo.commit("save")
    assert (
        runner.invoke(
            cli, ["-C", str(repo.root), "import-table", str(SEED), "--assessment", SLUG]
        ).exit_code
        == 0
    )
    again = runner.invoke(
        cli, ["-C", str(repo.root), "import-table", str(SEED), "--assessment", SLUG]
    )
    assert again.exit_code == 1 and "already exists" in again.output


def test_failed_write_is_undone(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    from piakit.errors import GitError
    from piakit.history import HistoryWriter

    repo.write("README.md", "readme\n")
    head = repo.commit("start")
    calls = {"n": 0}
    real_commit = HistoryWriter.commit

    def failing_commit(self: HistoryWriter, *args: object, **kwargs: object) -> str:
        calls["n"] += 1
        if calls["n"] == 5:
            raise GitError("simulated failure")
        return real_commit(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(HistoryWriter, "commit", failing_commit)
    result = CliRunner().invoke(
        cli, ["-C", str(repo.root), "import-table", str(SEED), "--assessment", SLUG]
    )
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert repo.git("rev-parse", "HEAD") == head
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""
    assert repo.git("tag") == ""


def test_import_into_empty_repository_undone_to_empty(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from piakit.errors import GitError
    from piakit.history import HistoryWriter

    def failing_tag(self: HistoryWriter, *args: object, **kwargs: object) -> None:
        raise GitError("simulated failure")

    monkeypatch.setattr(HistoryWriter, "tag", failing_tag)
    result = CliRunner().invoke(
        cli, ["-C", str(repo.root), "import-table", str(SEED), "--assessment", SLUG]
    )
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert repo.git("rev-list", "--all") == ""
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""


def test_xlsx_source_round_trips_the_seed(repo: GitRepo, tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t") if line else []
        # a spreadsheet stores the page as a number
        sheet.append([int(c) if i == 1 and c.isdigit() else c for i, c in enumerate(cells)])
    source = tmp_path / "kokumin-nenkin.xlsx"
    workbook.save(source)
    table = import_and_table(repo.root, source, SLUG)
    assert_same_table(SEED, table)
