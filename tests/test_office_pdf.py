"""The office files open in a real office suite: LibreOffice turns them into PDF pages on A3
landscape whose text is the table's. CI installs LibreOffice (see .ci/run); on a machine
without it the test is skipped and says why."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from piakit.cli import cli
from piakit.render import render

from .conftest import SEED, GitRepo
from .table_fixtures import sample_table

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
SLUG = "chiba-kokumin-nenkin"

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        not (SOFFICE and PDFTOTEXT and PDFINFO),
        reason="LibreOffice and poppler-utils are not installed (bash .ci/run installs them)",
    ),
]


def to_pdf(path: Path) -> Path:
    out = path.parent / "pdf"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{path.parent / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (path.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not convert {path.name}"
    return pdf


@pytest.mark.parametrize(
    ("fmt", "options"), [("xlsx", {}), ("docx", {}), ("docx", {"track_changes": True})]
)
def test_office_file_prints_on_a3_landscape_with_the_table_text(
    tmp_path: Path, fmt: str, options: dict[str, bool]
) -> None:
    table = sample_table()
    source = tmp_path / f"table.{fmt}"
    source.write_bytes(render(table, fmt, **options))
    pdf = to_pdf(source)
    info = subprocess.run([str(PDFINFO), str(pdf)], capture_output=True, text=True, check=True)
    assert "(A3)" in info.stdout
    width, height = (
        float(v) for v in info.stdout.split("Page size:")[1].split("pts")[0].split(" x ")
    )
    assert width > height  # landscape
    text = subprocess.run(
        [str(PDFTOTEXT), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    assert "修正等を要する部分とその内容" in squeezed
    assert "変更なし" in squeezed
    for column in table.columns:
        assert "".join(column.label.split()) in squeezed
    for row in table.rows:
        assert "".join(row.path[-1].split()) in squeezed


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text, whitespace taken out (LibreOffice breaks a cell's lines anywhere)."""
    info = subprocess.run([str(PDFINFO), str(pdf)], capture_output=True, text=True, check=True)
    count = int(info.stdout.split("Pages:")[1].split()[0])
    pages = []
    for number in range(1, count + 1):
        text = subprocess.run(
            [str(PDFTOTEXT), "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append("".join(text.split()))
    return pages


def test_the_example_prints_whole_rows_on_as_many_pages_in_word_and_excel(
    repo: GitRepo, tmp_path: Path
) -> None:
    """The seed's table (37 rows, 6 A3 pages): in Word every row that fits on a page is kept
    whole, and Excel's rows, sized from their column widths, fill about as many pages."""
    import zipfile

    from lxml import etree

    runner = CliRunner()
    imported = runner.invoke(
        cli, ["-C", str(repo.root), "import-table", str(SEED), "--assessment", SLUG]
    )
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "out"
    out.mkdir()
    files = {}
    for fmt in ("json", "docx", "xlsx"):
        files[fmt] = out / f"table-{fmt}.{fmt}"
        args = ["-C", str(repo.root), "table", SLUG, "--format", fmt, "-o", str(files[fmt])]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    data = json.loads(files["json"].read_text(encoding="utf-8"))

    word_pages = pdf_pages(to_pdf(files["docx"]))
    excel_pages = pdf_pages(to_pdf(files["xlsx"]))
    assert len(word_pages) > 1
    assert abs(len(word_pages) - len(excel_pages)) <= 1, (len(word_pages), len(excel_pages))

    # Every row of the example fits on a page, so each is marked to be kept whole …
    with zipfile.ZipFile(files["docx"]) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    kept = [tr.find(f"{w}trPr/{w}cantSplit") is not None for tr in document.iter(f"{w}tr")]
    header_rows = 2  # the header and the affair's row
    assert kept == [True] * (header_rows + len(data["rows"]))
    # … and is: the tallest cell of each row (a split row cuts it) is printed on one page.
    for row in data["rows"]:
        texts = ["".join((cell.get("text") or "").split()) for cell in row["cells"]]
        longest = max(texts, key=len)
        on = [number for number, page in enumerate(word_pages, start=1) if longest in page]
        assert on, f"row {row['item']} is split across pages"
