"""Windows and Excel habits of Japanese offices (issue 9, part 4).

- A clone with ``core.autocrlf=true`` checks the item files out with CRLF: ``fmt --check`` and
  ``check`` accept them, ``fmt`` leaves ``git status`` clean, and a file ``fmt`` must change
  keeps its CRLF line ends (a real git repository, converted by git itself).
- ``import-table`` reads the seed saved as Excel saves it: CSV or tab-separated text in cp932
  (Shift_JIS), UTF-8 with or without BOM, UTF-16; ``--encoding`` names another; ``--sheet``
  picks a workbook's sheet, and errors name the file and line, or the sheet and row.
- piakit's own exports (``table --format csv|tsv|xlsx``) import back into the same table, and
  csv and tsv cells that a spreadsheet would run as a formula are escaped (OWASP's rule) in
  ``table`` and ``changes``; xlsx writes such text as text.
- The YAML examples of ``docs/format.md`` are whole files in the canonical form.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from piakit import documents
from piakit.canonical import same_but_line_ends, with_line_ends_of
from piakit.cli import cli
from piakit.errors import ImportTableError
from piakit.importers.ids import item_id
from piakit.importers.table import ParsedTable, read_table
from piakit.model import Assessment, Choice, Item, Milestone, Selection
from piakit.render.delimited import escape_formula, unescape_formula

from .conftest import SEED, GitRepo, item
from .test_import import assert_same_table, import_and_table

SLUG = "t"


def crlf_checkout(repo: GitRepo) -> None:
    """Commit the work tree as it is (LF), then check it out again as Windows git does."""
    repo.git("config", "core.autocrlf", "true")
    repo.commit("items")
    repo.git("rm", "-q", "--cached", "-r", ".")
    repo.git("reset", "-q", "--hard")


def test_line_end_helpers() -> None:
    canonical = b"path:\n  - a\n"
    assert same_but_line_ends(b"path:\r\n  - a\r\n", canonical)
    assert same_but_line_ends(b"path:\r\n  - a\n", canonical)  # mixed: still only line ends
    assert not same_but_line_ends(canonical, canonical)  # no CRLF: nothing to fold
    assert not same_but_line_ends(b"path:\r\n  - b\r\n", canonical)
    assert with_line_ends_of(b"x\r\ny\r\n", canonical) == b"path:\r\n  - a\r\n"
    assert with_line_ends_of(b"x\r\ny\n", canonical) == canonical  # mixed: canonical LF
    assert with_line_ends_of(b"x", canonical) == canonical


def test_autocrlf_checkout_is_canonical_and_fmt_keeps_git_status_clean(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "・一行目。\n・二行目。\n", order=10))
    repo.write_item(SLUG, item("b", "一行。", order=20))
    crlf_checkout(repo)
    item_file = repo.root / f"assessments/{SLUG}/items/a.yaml"
    assert b"\r\n" in item_file.read_bytes()  # git converted the checkout, as on Windows
    before = {p: p.read_bytes() for p in repo.root.glob("assessments/**/*.yaml")}

    runner = CliRunner()
    checked = runner.invoke(cli, ["-C", str(repo.root), "fmt", "--check"])
    assert checked.exit_code == 0, checked.output
    assert "0 files would be reformatted, 3 already canonical" in checked.output
    assert runner.invoke(cli, ["-C", str(repo.root), "check"]).exit_code == 0
    formatted = runner.invoke(cli, ["-C", str(repo.root), "fmt"])
    assert formatted.exit_code == 0, formatted.output
    assert {p: p.read_bytes() for p in before} == before  # no file rewritten
    assert repo.git("status", "--porcelain") == ""


def test_fmt_writes_a_real_change_with_the_files_crlf(repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "文。", order=10))
    crlf_checkout(repo)
    item_file = repo.root / f"assessments/{SLUG}/items/a.yaml"
    # an editor on Windows adds a comment and puts a key out of order, with CRLF
    messy = "# 注記\ntext: |\n  文。\npath:\n  - I. 基本情報\n  - a\npage: 1\norder: 10\n"
    messy = messy.replace("\n", "\r\n")
    item_file.write_bytes(messy.encode("utf-8"))

    result = CliRunner().invoke(cli, ["-C", str(repo.root), "fmt"])
    assert result.exit_code == 0, result.output
    assert "reformatted assessments/t/items/a.yaml" in result.output
    written = item_file.read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n")  # CRLF throughout, as it came
    expected = "# 注記\npath:\n  - I. 基本情報\n  - a\npage: 1\norder: 10\ntext: |\n  文。\n"
    assert written.replace(b"\r\n", b"\n").decode("utf-8") == expected
    # git sees the one real change (the comment), not the line ends
    assert repo.git("diff", "--numstat") == f"1\t0\tassessments/{SLUG}/items/a.yaml"
    assert CliRunner().invoke(cli, ["-C", str(repo.root), "fmt", "--check"]).exit_code == 0


def test_repository_ships_gitattributes_keeping_yaml_lf() -> None:
    root = Path(__file__).resolve().parents[1]
    lines = (root / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "*.yaml text eol=lf" in lines


# --- encodings -------------------------------------------------------------------------------

#: The seed's records, read-only: tests that change one copy it first.
SEED_RECORDS = tuple(
    tuple(line.split("\t")) for line in SEED.read_text(encoding="utf-8").split("\n")
)


def as_csv(records: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(records)  # as Excel writes it
    return buffer.getvalue()


def content(table: ParsedTable) -> list[object]:
    """What a parsed table says, without where it was read from."""
    return [
        table.affair,
        [(m.id, m.label, m.date) for m in table.milestones],
        [(r.item_id, r.path, r.page, r.values, r.reasons) for r in table.rows],
    ]


@pytest.mark.parametrize(
    ("name", "encoding", "detected"),
    [
        ("seed.csv", "cp932", "cp932"),  # 「CSV (コンマ区切り)」
        ("seed.csv", "utf-8-sig", "utf-8"),  # 「CSV UTF-8 (コンマ区切り)」
        ("seed.csv", "utf-8", "utf-8"),
        ("seed.txt", "cp932", "cp932"),  # 「テキスト (タブ区切り)」
        ("seed.txt", "utf-16", "utf-16"),  # 「Unicode テキスト」: UTF-16 with its BOM
    ],
)
def test_seed_in_every_encoding_excel_writes_reads_the_same(
    tmp_path: Path, name: str, encoding: str, detected: str
) -> None:
    text = as_csv(SEED_RECORDS) if name.endswith(".csv") else SEED.read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    table = read_table(path)
    assert table.origin is not None and table.origin.encoding == detected
    assert content(table) == content(read_table(SEED))
    # ① and the like are cp932's extensions to Shift_JIS: the seed has them
    assert "①" in SEED.read_text(encoding="utf-8")


def test_cp932_csv_imports_the_seed_end_to_end(repo: GitRepo, tmp_path: Path) -> None:
    source = tmp_path / "国民年金.csv"
    source.write_bytes(as_csv(SEED_RECORDS).encode("cp932"))
    table = import_and_table(repo.root, source, "chiba-kokumin-nenkin")
    assert_same_table(SEED, table)


def test_encoding_option_reads_what_detection_cannot(repo: GitRepo, tmp_path: Path) -> None:
    source = tmp_path / "euc.txt"
    source.write_bytes(SEED.read_text(encoding="utf-8").encode("euc_jis_2004"))
    runner = CliRunner()
    args = ["-C", str(repo.root), "import-table", str(source), "--assessment", "s"]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 1
    assert f"{source}:3: the table is neither UTF-8 nor Shift_JIS (cp932)" in refused.output
    assert "--encoding" in refused.output and "Traceback" not in refused.output
    assert repo.git("rev-list", "--all") == ""  # nothing written
    assert_same_table(SEED, import_and_table(repo.root, source, "s", "--encoding", "euc_jis_2004"))


def test_bad_encoding_options(repo: GitRepo, tmp_path: Path) -> None:
    source = tmp_path / "seed.csv"
    source.write_bytes(as_csv(SEED_RECORDS).encode("cp932"))
    runner = CliRunner()
    base = ["-C", str(repo.root), "import-table", str(source), "--assessment", "s"]
    for name in ("nonesuch", "base64"):  # unknown, and not a text encoding
        result = runner.invoke(cli, [*base, "--encoding", name])
        assert result.exit_code == 2, result.output
        assert f"{name!r} is not a text encoding" in result.output
    wrong = runner.invoke(cli, [*base, "--encoding", "utf-8"])
    assert wrong.exit_code == 1
    assert f"{source}:3: the table is not utf-8: cannot decode byte" in wrong.output
    strict = runner.invoke(cli, [*base, "--encoding", "shift_jis"])  # no ① in plain Shift_JIS
    assert strict.exit_code == 1 and "the table is not shift_jis" in strict.output
    assert repo.git("rev-list", "--all") == ""
    with pytest.raises(ImportTableError, match="unknown encoding 'nonesuch'"):
        read_table(source, encoding="nonesuch")


def test_text_that_is_neither_utf8_nor_cp932(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(as_csv(SEED_RECORDS[:3]).encode("utf-8") + "café,Noël\r\n".encode("cp1252"))
    with pytest.raises(ImportTableError) as info:
        read_table(path)
    # 0xe9 (é) reads as cp932 only as a private-use character: not taken for Shift_JIS
    assert f"{path}:4: the table is neither UTF-8 nor Shift_JIS (cp932): byte 0xe9" in str(
        info.value
    )


def test_excel_tab_text_saved_as_txt_is_told_to_be_tsv(tmp_path: Path) -> None:
    records = [list(record) for record in SEED_RECORDS if len(record) == 6]
    records[3][2] = "一行目\n二行目"  # Excel quotes a cell with a line break
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(records)
    for name in ("excel.txt", "excel.tsv"):
        (tmp_path / name).write_bytes(buffer.getvalue().encode("cp932"))
    with pytest.raises(ImportTableError, match=r"(?s)excel\.txt:4: expected 6 columns.*rename"):
        read_table(tmp_path / "excel.txt")
    table = read_table(tmp_path / "excel.tsv")
    assert [row.values[0] for row in table.rows].count("一行目\n二行目\n") == 1


# --- workbooks: --sheet --------------------------------------------------------------------


def two_sheet_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "メモ"
    notes.append(["部会に出す前に見直す"])
    table = workbook.create_sheet("対照表")
    for record in SEED_RECORDS:
        table.append([int(c) if i == 1 and c.isdigit() else c for i, c in enumerate(record)])
    workbook.save(path)
    return path


def test_sheet_option_picks_the_sheet(repo: GitRepo, tmp_path: Path) -> None:
    source = two_sheet_workbook(tmp_path / "book.xlsx")
    runner = CliRunner()
    base = ["-C", str(repo.root), "import-table", str(source), "--assessment", "s"]
    first = runner.invoke(cli, base)  # the first sheet is read by default: the notes
    assert first.exit_code == 1
    assert f"{source} [メモ]: no header row found" in first.output
    unknown = runner.invoke(cli, [*base, "--sheet", "表"])
    assert unknown.exit_code == 1
    assert "no sheet named '表'" in unknown.output and "メモ, 対照表" in unknown.output
    assert repo.git("rev-list", "--all") == ""
    assert_same_table(SEED, import_and_table(repo.root, source, "s", "--sheet", "対照表"))


def test_errors_in_a_sheet_name_the_sheet_and_row(tmp_path: Path) -> None:
    source = two_sheet_workbook(tmp_path / "book.xlsx")
    workbook = openpyxl.load_workbook(source)
    workbook["対照表"]["B12"] = "十"
    workbook.save(source)
    with pytest.raises(ImportTableError) as info:
        read_table(source, sheet="対照表")
    assert str(info.value).startswith(f"{source} [対照表] row 12: page '十' is not a number")


def test_sheet_and_encoding_options_fit_their_files(repo: GitRepo, tmp_path: Path) -> None:
    runner = CliRunner()
    book = two_sheet_workbook(tmp_path / "book.xlsx")
    text = tmp_path / "seed.txt"
    text.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    for source, option in ((book, ["--encoding", "cp932"]), (text, ["--sheet", "対照表"])):
        args = ["-C", str(repo.root), "import-table", str(source), "--assessment", "s", *option]
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert "applies to" in result.output


# --- piakit's own exports import back --------------------------------------------------------

EXPORTS = ("csv", "tsv", "xlsx")
TITLE = "国民年金に関する事務 特定個人情報保護評価書"


def table_json(root: Path, slug: str) -> dict[str, Any]:
    """``piakit table --format json``, without the commits (a new import makes new ones)."""
    result = CliRunner().invoke(cli, ["-C", str(root), "table", slug, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    for column in data["columns"]:
        del column["commit"]
    for row in data["rows"]:
        for reason in row["reasons"]:
            del reason["commit"]
    return data


def export(root: Path, slug: str, fmt: str, out: Path) -> Path:
    target = out / f"table.{fmt}"
    args = ["-C", str(root), "table", slug, "--format", fmt, "-o", str(target)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return target


def reimport(source: Path, root: Path, slug: str) -> dict[str, Any]:
    """``source`` imported into a new repository at ``root``: its table."""
    root.mkdir()
    GitRepo(root)
    args = ["import-table", str(source), "--assessment", slug, "--title", TITLE]
    result = CliRunner().invoke(cli, ["-C", str(root), *args, "--organization", "千葉市"])
    assert result.exit_code == 0, result.output
    return table_json(root, slug)


@pytest.fixture(scope="module")
def seed_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed") / "repo"
    root.mkdir()
    GitRepo(root)
    args = ["-C", str(root), "import-table", str(SEED), "--assessment", "s", "--title", TITLE]
    result = CliRunner().invoke(cli, [*args, "--organization", "千葉市"])
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("fmt", EXPORTS)
def test_seed_exports_import_back_into_the_same_table(
    seed_repo: Path, tmp_path: Path, fmt: str
) -> None:
    source = export(seed_repo, "s", fmt, tmp_path)
    assert reimport(source, tmp_path / "again", "s") == table_json(seed_repo, "s")


#: Texts that a spreadsheet would run, quotes that already escape them, quotes and commas.
#: (No tab: the importer squeezes whitespace inside a line in every table, piakit's or not.)
HOSTILE = (
    '=HYPERLINK("https://example.com","押して")\n-1 から始まる行\n',
    "+81 43 245 5111\n@SUM(A1:A3)\n",
    "'=すでに引用符が付いた式\n",
    "''-引用符が二つ\n",
    "'引用符だけ\n",
    '区切り, "引用"を含む行\n二行目;\n',
)


def hostile_repo(repo: GitRepo) -> None:
    """A small history whose texts begin like formulas, with an important item, a checkbox
    group and a selection; ids and labels as an import would make them."""
    repo.write(
        "assessments/h/assessment.yaml",
        documents.dump_assessment(
            Assessment(
                slug="h",
                title=TITLE,
                organization="千葉市",
                milestones=(
                    Milestone("current", "現在の評価書"),
                    Milestone("R2.6.30", "修正案 (R2.6.30諮問時)", date=dt.date(2020, 6, 30)),
                ),
            )
        ),
    )

    def put(number: int, heading: str, **value: Any) -> None:
        path = ("I. 基本情報", f"{'①②③④⑤⑥⑦'[number]}{heading}")
        written = Item(id=item_id(path), path=path, page=1, order=(number + 1) * 10, **value)
        repo.write_item("h", written)

    boxes = (Choice("紙", True), Choice("電子メール", False, "=備考"))
    for number, text in enumerate(HOSTILE[:3]):
        put(number, f"式{number}", text=text)
    put(3, "重要", text="-変更前\n", important=True)
    put(4, "方法", choices=boxes)
    put(5, "委託", select=Selection("委託する", suffix="(3) 件"))
    repo.commit("現在の評価書")
    repo.tag("h/current")
    for number, text in enumerate(HOSTILE[3:]):
        put(number, f"式{number}", text=text)
    put(3, "重要", text="@変更後\n", important=True)
    put(4, "方法", choices=(boxes[0], Choice("電子メール", True, "=備考")))
    put(5, "委託", select=Selection("委託しない"))
    repo.commit(
        "修正",
        trailers=[("Reason-Category", "=事務所管課による修正"), ("Reason", "-表記の改善")],
    )
    repo.tag("h/R2.6.30")


@pytest.mark.parametrize("fmt", EXPORTS)
def test_hostile_exports_import_back_into_the_same_table(
    repo: GitRepo, tmp_path: Path, fmt: str
) -> None:
    hostile_repo(repo)
    original = table_json(repo.root, "h")
    assert [row["important"] for row in original["rows"]] == [False] * 3 + [True, False, False]
    source = export(repo.root, "h", fmt, tmp_path)
    assert reimport(source, tmp_path / "again", "h") == original


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_escape_formulas(repo: GitRepo, tmp_path: Path, fmt: str) -> None:
    hostile_repo(repo)
    data = export(repo.root, "h", fmt, tmp_path).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, as Excel needs, for tsv as for csv
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n")
    records = list(
        csv.reader(io.StringIO(text, newline=""), delimiter="," if fmt == "csv" else "\t")
    )
    cells = [cell for record in records for cell in record]
    # no cell a spreadsheet would run
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    rows = {record[0]: record for record in records[1:]}
    formula = rows["I. 基本情報 ①式0"]
    assert formula[2] == "'" + HOSTILE[0].rstrip("\n")
    assert formula[3].startswith("'" + HOSTILE[3])  # ''-… gets one more quote
    assert rows["※重要 I. 基本情報 ④重要"][2] == "'-変更前"
    assert rows["I. 基本情報 ②式1"][3].startswith(HOSTILE[4])  # 'text: no formula, as it is
    assert rows["I. 基本情報 ③式2"][3].startswith(HOSTILE[5].rstrip("\n"))  # quoted, as it is
    assert formula[-1] == "【=事務所管課による修正】\n・-表記の改善"  # not at a cell's start


def test_change_sheet_csv_escapes_formulas(repo: GitRepo) -> None:
    hostile_repo(repo)
    result = CliRunner().invoke(cli, ["-C", str(repo.root), "changes", "h", "--format", "csv"])
    assert result.exit_code == 0, result.output
    records = list(csv.reader(io.StringIO(result.output, newline="")))
    before_after = {(record[2], record[3]) for record in records[1:]}
    assert ("'-変更前", "'@変更後") in before_after
    assert not [c for r in records for c in r if c[:1] in ("=", "+", "-", "@")]


def test_site_csv_downloads_escape_formulas(repo: GitRepo) -> None:
    from piakit.website import SiteOptions, build_site
    from piakit.workspace import Workspace

    hostile_repo(repo)
    site = build_site(Workspace.open(repo.root), SiteOptions())
    csv_files = {f.path: f.content for f in site.files if f.path.endswith(".csv")}
    assert len(csv_files) == 2, sorted(csv_files)  # the table's and the change sheet's
    for path, content in csv_files.items():
        records = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        cells = [cell for record in records for cell in record]
        assert "'-変更前" in cells, path
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")], path


def test_xlsx_writes_formula_like_text_as_text(repo: GitRepo, tmp_path: Path) -> None:
    hostile_repo(repo)
    book = openpyxl.load_workbook(export(repo.root, "h", "xlsx", tmp_path))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]
    formulas = [cell for cell in cells if str(cell.value).startswith(("=", "-", "+", "@"))]
    assert len(formulas) >= 3  # the texts are there, as they are
    assert all(cell.data_type == "s" for cell in formulas), [
        (c.coordinate, c.data_type) for c in formulas
    ]
    out = tmp_path / "changes.xlsx"
    args = ["-C", str(repo.root), "changes", "h", "--format", "xlsx", "-o", str(out)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    texts = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert any(str(cell.value).startswith("-") for cell in texts)
    assert all(
        cell.data_type == "s" for cell in texts if str(cell.value).startswith(("=", "-", "@"))
    )


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-", "@x", "\tx", "\rx", "'=x", "''@x", "'x", "x=1", "", "'", "・-"]
)
def test_formula_escape_round_trips(text: str) -> None:
    escaped = escape_formula(text)
    assert unescape_formula(escaped) == text
    assert escaped[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert escaped == text or escaped == "'" + text


# --- the examples of docs/format.md ----------------------------------------------------------

FORMAT_DOC = Path(__file__).resolve().parents[1] / "docs" / "format.md"


def test_format_doc_yaml_examples_pass_fmt_check_and_check(tmp_path: Path) -> None:
    """Each ```yaml block is written as the file it shows (a block starting with ``title:``
    is an assessment.yaml, any other an item) and must be canonical and valid as it is."""
    blocks = re.findall(
        r"^```yaml\n(.*?)^```$", FORMAT_DOC.read_text(encoding="utf-8"), re.M | re.S
    )
    assessments = [block for block in blocks if block.startswith("title:")]
    items = [block for block in blocks if not block.startswith("title:")]
    assert len(assessments) == 1 and len(items) >= 3
    folder = tmp_path / "assessments" / "doc"
    (folder / "items").mkdir(parents=True)
    (folder / "assessment.yaml").write_text(assessments[0], encoding="utf-8")
    for number, block in enumerate(items, start=1):
        (folder / "items" / f"example-{number}.yaml").write_text(block, encoding="utf-8")
    runner = CliRunner()
    formatted = runner.invoke(cli, ["-C", str(tmp_path), "fmt", "--check"])
    assert formatted.exit_code == 0, formatted.output
    assert f"0 files would be reformatted, {len(blocks)} already canonical" in formatted.output
    checked = runner.invoke(cli, ["-C", str(tmp_path), "check"])
    assert checked.exit_code == 0, checked.output
