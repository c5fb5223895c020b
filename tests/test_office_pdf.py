"""The office files open in a real office suite: LibreOffice turns them into PDF pages on A3
landscape whose text is the table's. CI installs LibreOffice (see .ci/run); on a machine
without it the test is skipped and says why."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from piakit.render import render

from .table_fixtures import sample_table

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")

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
