"""``piakit opinions`` (the 意見対応表) in every format, the （意見N） labels on the comparison
table in every format, and the opinions in the PR comment, all from one real history
(``opinions_fixtures``)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from piakit.cli import cli
from piakit.workspace import Workspace

from .conftest import GitRepo
from .opinions_fixtures import SENDER, SLUG, opinions_history

#: The 意見対応表's columns, as every format writes them.
COLUMNS = ["番号", "区分", "受付日", "意見の概要", "市の考え方", "反映", "関係する項目", "記録"]

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")


def invoke(repo: GitRepo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(repo.root), *args])


@pytest.fixture
def history(repo: GitRepo) -> dict[str, str]:
    return opinions_history(repo)


def test_the_table_numbers_every_opinion_and_names_what_resolved_it(
    repo: GitRepo, history: dict[str, str]
) -> None:
    from piakit.usecases.opinions import opinions_table

    table = opinions_table(Workspace.open(repo.root), SLUG)
    assert [(e.number, e.opinion.id) for e in table.entries] == [
        (1, "pub-1"),
        (2, "bukai-1"),
        (3, "bukai-2"),
        (4, "pub-2"),
    ]
    by_id = {e.opinion.id: e for e in table.entries}
    # Resolved by two commits; the item renamed afterwards (old-c → c) is named as at HEAD;
    # the deleted item keeps its last headings; the reformatted one (d) is no revision.
    bukai1 = by_id["bukai-1"]
    assert [c.sha for c in bukai1.commits] == [history["both"], history["second"]]
    assert [(i.item, i.path[-1], i.commits) for i in bukai1.items] == [
        ("a", "① 委託の有無", (history["both"],)),
        ("b", "② 保管", (history["both"],)),
        ("c", "③ 研修", (history["second"],)),
        ("e", "⑤ 廃止", (history["second"],)),
    ]
    # One commit resolves two opinions.
    assert [c.sha for c in by_id["bukai-2"].commits] == [history["both"]]
    assert [i.item for i in by_id["bukai-2"].items] == ["a", "b"]
    # Not reflected, and open: no commit, no item.
    for opinion_id in ("pub-1", "pub-2"):
        assert by_id[opinion_id].commits == () and by_id[opinion_id].items == ()


def test_json_follows_the_contract(repo: GitRepo, history: dict[str, str]) -> None:
    result = invoke(repo, "opinions", SLUG, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"assessment", "opinions"}
    assert data["assessment"] == SLUG
    first = data["opinions"][1]
    assert first == {
        "id": "bukai-1",
        "number": 2,
        "source": "第三者点検",
        "received": "2024-01-10",
        "from": SENDER,
        "summary": "委託先の管理の視点について記載すること。\n再委託も含めること。\n",
        "response": "委託先の管理の視点を追記する。\n",
        "outcome": "reflected",
        "items": [
            {"item": "a", "path": ["I. 基本情報", "① 委託の有無"], "commits": [history["both"]]},
            {"item": "b", "path": ["I. 基本情報", "② 保管"], "commits": [history["both"]]},
            {"item": "c", "path": ["I. 基本情報", "③ 研修"], "commits": [history["second"]]},
            {"item": "e", "path": ["I. 基本情報", "⑤ 廃止"], "commits": [history["second"]]},
        ],
        "commits": [history["both"], history["second"]],
    }
    assert data["opinions"][3]["response"] is None
    assert data["opinions"][3]["outcome"] == "open"


def test_source_keeps_the_numbers_and_an_unknown_one_is_refused(
    repo: GitRepo, history: dict[str, str]
) -> None:
    result = invoke(repo, "opinions", SLUG, "--source", "意見募集", "--format", "json")
    assert result.exit_code == 0, result.output
    kept = json.loads(result.output)["opinions"]
    assert [(o["number"], o["id"]) for o in kept] == [(1, "pub-1"), (4, "pub-2")]
    md = invoke(repo, "opinions", SLUG, "--source", "第三者点検").output
    assert "意見対応表（第三者点検）" in md
    assert "| 2 |" in md and "| 3 |" in md and "| 1 |" not in md

    target = repo.root / "out.md"
    refused = invoke(repo, "opinions", SLUG, "--source", "部会", "-o", str(target))
    assert refused.exit_code == 1
    assert "部会" in refused.output and "意見募集, 第三者点検" in refused.output
    assert not target.exists()
    unknown = invoke(repo, "opinions", "nope")
    assert unknown.exit_code == 1
    assert "unknown assessment 'nope'" in unknown.output


def test_a_broken_opinion_file_is_refused_with_its_place_and_nothing_written(
    repo: GitRepo, history: dict[str, str]
) -> None:
    repo.write(
        f"assessments/{SLUG}/opinions/bad.yaml",
        "source: 第三者点検\nreceived: 2024-02-30\nsummary: x\noutcome: open\n",
    )
    target = repo.root / "out.xlsx"
    result = invoke(repo, "opinions", SLUG, "--format", "xlsx", "-o", str(target))
    assert result.exit_code == 1
    assert f"assessments/{SLUG}/opinions/bad.yaml:2:11" in result.output
    assert not target.exists()


def test_markdown_csv_and_html_say_the_same(repo: GitRepo, history: dict[str, str]) -> None:
    short = {name: sha[:7] for name, sha in history.items()}
    md = invoke(repo, "opinions", SLUG).output
    assert md.startswith("# テスト市 テスト事務 全項目評価書\n\n## 意見対応表\n")
    assert "| 番号 | 区分 | 受付日 | 意見の概要 | 市の考え方 | 反映 | 関係する項目 | 記録 |" in md
    row = next(line for line in md.splitlines() if line.startswith("| 2 |"))
    assert f"第三者点検<br>{SENDER}" in row
    assert "I. 基本情報 ③ 研修 (c)" in row and "old-c" not in row
    assert f"`{short['both']}`<br>`{short['second']}`" in row
    assert "| 反映する |" in row
    assert "| 反映しない |" in md and "| 検討中 |" in md

    raw = invoke(repo, "opinions", SLUG, "--format", "csv").stdout_bytes
    assert raw.startswith("\ufeff".encode())
    records = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert records[0] == [
        "番号",
        "区分",
        "受付日",
        "意見の概要",
        "市の考え方",
        "反映",
        "関係する項目",
        "記録",
    ]
    assert records[1][3] == "'=マイナンバーの利用をやめるべき。"  # no formula
    assert records[2][6].split("\n") == [
        "I. 基本情報 ① 委託の有無 (a)",
        "I. 基本情報 ② 保管 (b)",
        "I. 基本情報 ③ 研修 (c)",
        "I. 基本情報 ⑤ 廃止 (e)",
    ]
    assert records[2][7] == f"{short['both']}\n{short['second']}"
    assert [r[0] for r in records[1:]] == ["1", "2", "3", "4"]

    html = invoke(repo, "opinions", SLUG, "--format", "html").output
    assert "size: A4 landscape" in html
    assert '<tr id="opinion-bukai-1">' in html
    assert "I. 基本情報 ③ 研修 (c)" in html
    assert f"<code>{short['second']}</code>" in html
    assert "&lt;" not in html.split("<body>")[0]


def test_xlsx_and_docx_hold_the_same_cells(
    repo: GitRepo, history: dict[str, str], tmp_path: Path
) -> None:
    short = {name: sha[:7] for name, sha in history.items()}
    xlsx_file, docx_file = tmp_path / "o.xlsx", tmp_path / "o.docx"
    assert invoke(repo, "opinions", SLUG, "--format", "xlsx", "-o", str(xlsx_file)).exit_code == 0
    assert invoke(repo, "opinions", SLUG, "--format", "docx", "-o", str(docx_file)).exit_code == 0

    sheet = openpyxl.load_workbook(xlsx_file).active
    assert sheet["A1"].value == "テスト市 テスト事務 全項目評価書"
    assert sheet["A2"].value == "意見対応表"
    assert [c.value for c in sheet[3]][:3] == ["番号", "区分", "受付日"]
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet["A5"].value == 2
    assert sheet["G5"].value.split("\n")[2] == "I. 基本情報 ③ 研修 (c)"
    assert sheet["H5"].value == f"{short['both']}\n{short['second']}"
    assert sheet["F7"].value == "検討中"
    assert sheet["D4"].font.name == "游ゴシック"
    assert sheet["D5"].alignment.wrap_text

    document = docx.Document(str(docx_file))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert abs(section.page_width.mm - 297) < 1
    assert [p.text for p in document.paragraphs[:2]] == [
        "テスト市 テスト事務 全項目評価書",
        "意見対応表",
    ]
    grid = document.tables[0]
    header = grid.rows[0]._tr
    assert (
        header.trPr is not None
        and header.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    cells = [[cell.text for cell in row.cells] for row in grid.rows]
    assert cells[0] == [
        "番号",
        "区分",
        "受付日",
        "意見の概要",
        "市の考え方",
        "反映",
        "関係する項目",
        "記録",
    ]
    assert cells[2][0] == "2"
    assert cells[2][1] == f"第三者点検\n{SENDER}"
    assert cells[2][7] == f"{short['both']}\n{short['second']}"
    assert cells[1][5] == "反映しない"
    # Reproducible: the same history gives the same bytes.
    again = invoke(repo, "opinions", SLUG, "--format", "docx").stdout_bytes
    assert again == docx_file.read_bytes()


def test_the_comparison_table_names_the_opinions_in_every_format(
    repo: GitRepo, history: dict[str, str], tmp_path: Path
) -> None:
    both = "（意見2）（意見3）"
    md = invoke(repo, "table", SLUG).output
    row_a = next(line for line in md.splitlines() if "① 委託の有無" in line)
    assert row_a.endswith(f"・委託先の管理を追記<br>{both} |")
    assert "<br>（意見2） |" in md
    for fmt in ("csv", "tsv"):
        text = invoke(repo, "table", SLUG, "--format", fmt).stdout_bytes.decode("utf-8-sig")
        assert f"・委託先の管理を追記\n{both}" in text
    html = invoke(repo, "table", SLUG, "--format", "html").output
    assert f'<span class="opinions">{both}</span>' in html
    data = json.loads(invoke(repo, "table", SLUG, "--format", "json").output)
    assert data["rows"][0]["opinions"] == ["bukai-1", "bukai-2"]

    xlsx_file, docx_file = tmp_path / "t.xlsx", tmp_path / "t.docx"
    invoke(repo, "table", SLUG, "--format", "xlsx", "-o", str(xlsx_file))
    invoke(repo, "table", SLUG, "--format", "docx", "-o", str(docx_file))
    sheet = openpyxl.load_workbook(xlsx_file, rich_text=True).active
    reasons = [str(sheet.cell(row=r, column=5).value) for r in range(4, 8)]
    assert reasons[0].endswith(both) and reasons[2].endswith("（意見2）")
    grid = docx.Document(str(docx_file)).tables[0]
    assert grid.rows[1].cells[-1].text.endswith(f"\n{both}")

    # The site's table links each label when asked to.
    from piakit.render.html import table_fragment
    from piakit.usecases.table import comparison_table

    table = comparison_table(Workspace.open(repo.root), SLUG)
    linked = table_fragment(table, opinion_href=lambda opinion_id: f"opinions/#{opinion_id}")
    assert '<a href="opinions/#bukai-1">（意見2）</a><a href="opinions/#bukai-2">' in linked


def test_the_pr_comment_lists_resolved_and_open_opinions(
    repo: GitRepo, history: dict[str, str]
) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    c_file = f"assessments/{SLUG}/items/c.yaml"
    text = (repo.root / c_file).read_text(encoding="utf-8")
    repo.write(c_file, text.replace("年1回", "年2回"))
    repo.write_opinion(
        SLUG, "bukai-3", received="2024-02-01", summary="再委託先も確認すること。\n詳細。"
    )
    sha = repo.commit(
        "研修の頻度",
        trailers=[
            ("Reason-Category", "部会の意見による修正"),
            ("Reason", "研修の頻度"),
            ("Resolves", f"{SLUG}/pub-2"),
            ("Resolves", f"{SLUG}/gone"),
        ],
    )
    result = invoke(repo, "diff", "main")
    assert result.exit_code == 0, result.output
    md = result.output
    assert "対応する意見 2 件、検討中の意見 2 件" in md
    section = md.split("### 意見への対応\n\n", 1)[1].split("\n### ", 1)[0]
    assert section.split("\n\n") == [
        "**このプルリクエストで対応する意見**",
        # resolved here but still recorded as open: the comment says what the record lacks
        "- （意見4）研修の頻度を示すこと。 — 検討中 ⚠️ 記録はまだ検討中です。反映したなら "
        f"`outcome: reflected` と `response` を書いてください (`{sha[:7]}`)\n"
        f"- `{SLUG}/gone` (記録にない意見) `{sha[:7]}`",
        "**検討中の意見**",
        "- （意見4）研修の頻度を示すこと。 — 検討中\n"
        "- （意見5）再委託先も確認すること。 — 検討中\n",
    ]
    assert "その他のファイルの変更" not in md  # an opinion file is no stray file

    data = json.loads(invoke(repo, "diff", "main", "--format", "json").output)["opinions"]
    assert [(o["id"], o["number"], o["commits"]) for o in data["resolved"]] == [
        ("pub-2", 4, [sha]),
        ("gone", None, [sha]),
    ]
    assert [(o["id"], o["outcome"]) for o in data["open"]] == [
        ("pub-2", "open"),
        ("bukai-3", "open"),
    ]

    # Under a length limit, opinions left out are counted, never cut.
    for number in range(8):
        repo.write_opinion(SLUG, f"many-{number}", received="2024-03-01", summary="意見" * 30)
    repo.commit("意見を記録する")
    full = invoke(repo, "diff", "main").output
    section = full.split("### 意見への対応\n\n", 1)[1].split("\n### ", 1)[0]
    short = invoke(repo, "diff", "main", "--max-length", "900").output
    assert len(short) <= 900
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    left_out = [line for line in lines if line not in short.splitlines()]
    assert left_out, "the limit is meant to leave opinions out"
    assert f"{len(left_out)} 件の意見" in short


SOFFICE = shutil.which("soffice")
PDFINFO = shutil.which("pdfinfo")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.office
@pytest.mark.skipif(
    not (SOFFICE and PDFINFO and PDFTOTEXT),
    reason="LibreOffice and poppler-utils are not installed (bash .ci/run installs them)",
)
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_the_office_files_print_on_a4_landscape(
    repo: GitRepo, history: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    source = tmp_path / f"opinions.{fmt}"
    assert invoke(repo, "opinions", SLUG, "--format", fmt, "-o", str(source)).exit_code == 0
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "opinions.pdf"
    info = subprocess.run([str(PDFINFO), str(pdf)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout
    assert "Pages:           1" in info.stdout
    width, height = (
        float(v) for v in info.stdout.split("Page size:")[1].split("pts")[0].split(" x ")
    )
    assert width > height
    text = subprocess.run(
        [str(PDFTOTEXT), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    for words in ("意見対応表", "委託先の管理の視点について記載すること。", "反映しない", "検討中"):
        assert words in squeezed
