"""The print HTML (``piakit table --format html``, the site's table-print.html) printed to PDF
by Chromium, as a reader's "print" does: A3 landscape pages, each numbered "n / total" in its
bottom margin (``@page`` margin boxes, in Chromium since version 131)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from piakit.render import render

from .table_fixtures import sample_table
from .test_site import CHROMIUM, CHROMIUM_ARGS

PDFTOTEXT = shutil.which("pdftotext")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and PDFTOTEXT),
        reason="Chromium and poppler-utils are not installed (bash .ci/run installs them)",
    ),
]


def test_printed_table_numbers_its_pages(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    table = sample_table()
    # Enough rows for several pages.
    table = dataclasses.replace(table, rows=table.rows * 6)
    page_file = tmp_path / "table.html"
    page_file.write_bytes(render(table, "html"))
    pdf = tmp_path / "table.pdf"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            page.pdf(path=str(pdf), prefer_css_page_size=True)
        finally:
            browser.close()

    pages = subprocess.run(
        [str(PDFTOTEXT), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = ["".join(page.split()) for page in pages if page.strip()]
    total = len(pages)
    assert total >= 2
    for number, text in enumerate(pages, start=1):
        assert f"{number}/{total}" in text, number
