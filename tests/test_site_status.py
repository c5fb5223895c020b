"""The status on the site's overview (見直しと再実施): the deadlines, 期限切れ, 再実施が必要 with
links to the items, the open opinions, judged on the day of the build; nothing at all for an
assessment whose milestones have no kind. Then the block in headless Chromium at a desktop's
and a phone's width (marked ``browser``)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from piakit.model import Milestone
from piakit.website import SiteOptions, build_site
from piakit.workspace import Workspace

from .conftest import GitRepo, item, pin_git
from .test_site import CHROMIUM, CHROMIUM_ARGS, serve
from .test_site import build_site as mkdocs_build
from .test_site_reader import WCAG_21_AA

SLUG = "kokumin"
SOURCE = ("II. 特定個人情報ファイルの概要", "3. 入手・使用", "①入手元")


def history(repo: GitRepo, *, important_change: bool = True) -> None:
    """素案, then 公表 (2020-10-01), then 見直し (2023-09-01) and a 公表 planned for 2027; after
    them an edit of the important item ``source`` (or of ``plain``) and two opinions, one open.
    The assessment ``old`` has milestones without kinds, like a repository from before them."""
    repo.write_assessment(
        SLUG,
        [
            Milestone("soan", "素案", dt.date(2020, 6, 1), "素案"),
            Milestone("R2", "公表版 <R2>", dt.date(2020, 10, 1), "公表"),
            Milestone("R5", "見直し (R5)", dt.date(2023, 9, 1), "見直し"),
            Milestone("R8", "再実施の公表", dt.date(2027, 4, 1), "公表"),
        ],
        title="国民年金に関する事務 全項目評価書",
    )
    repo.write_item(SLUG, item("source", "住民基本台帳システム", important=True, path=SOURCE))
    repo.write_item(SLUG, item("plain", "事務の内容", order=20))
    repo.commit("素案")
    repo.tag(f"{SLUG}/soan")
    repo.write_item(SLUG, item("plain", "事務の内容 (公表)", order=20))
    repo.commit("公表", trailers=[("Reason", "表記")])
    repo.tag(f"{SLUG}/R2")
    repo.commit("見直し", allow_empty=True, trailers=[("Milestone", f"{SLUG}/R5")])
    if important_change:
        repo.write_item(
            SLUG,
            item("source", "住民基本台帳システム及び中間サーバー", important=True, path=SOURCE),
        )
    else:
        repo.write_item(SLUG, item("plain", "事務の内容 (見直し後)", order=20))
    repo.commit("変更", trailers=[("Reason", "追加")])
    repo.write_opinion(SLUG, "bukai-1", received="2026-01-10", outcome="open")
    repo.write_opinion(SLUG, "pc-1", source="意見募集", outcome="reflected", response="反映する。")
    repo.commit("意見")
    repo.write_assessment("old", [("current", "現在の評価書")], title="種類のない評価書")
    repo.write_item("old", item("x", "一"))
    repo.commit("old", trailers=[("Milestone", "old/current")])


def overview(root: Path, today: str, slug: str = SLUG) -> str:
    site = build_site(Workspace.open(root), SiteOptions(today=dt.date.fromisoformat(today)))
    [page] = [page for page in site.pages if page.path == f"{slug}/index.md"]
    return page.body_html


def status_rows(body: str) -> dict[str, str]:
    """The status table: heading → the cell's text (tags dropped)."""
    table = re.search(r'<table class="piakit-facts piakit-status">(.*?)</table>', body, re.S)
    assert table is not None, body
    return {
        th: html.unescape(re.sub(r"<[^>]+>", "", td))
        for th, td in re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table.group(1))
    }


def test_the_deadlines_before_they_pass(repo: GitRepo) -> None:
    history(repo)
    body = overview(repo.root, "2024-08-31")
    assert '<h2 id="status">見直しと再実施</h2>' in body
    assert "2024-08-31 時点 (このサイトを作った日)" in body
    assert status_rows(body) == {
        "最新の公表": "公表版 <R2> (2020-10-01)",
        "再実施期限": "2025-10-01",
        "最新の見直し・修正": "見直し (R5) (2023-09-01)",
        "次回見直し期限": "2024-09-01",
        "公表後の変更": "1 項目 (うち重要な変更 1 項目: ①入手元)"
        "再実施が必要 (重要な変更は、実施する前に評価を再実施します)",
        "検討中の意見": "1 件",
    }
    assert "公表版 &lt;R2&gt;" in body  # the label is escaped
    assert '<a href="items/source/">①入手元</a>' in body


@pytest.mark.parametrize(
    ("today", "review", "reassessment"),
    [
        ("2024-09-01", False, False),  # due on this day: met
        ("2024-09-02", True, False),
        ("2025-10-01", True, False),
        ("2025-10-02", True, True),
    ],
)
def test_overdue_from_the_day_after(
    repo: GitRepo, today: str, review: bool, reassessment: bool
) -> None:
    history(repo)
    rows = status_rows(overview(repo.root, today))
    assert rows["次回見直し期限"] == "2024-09-01" + (" 期限切れ" if review else "")
    assert rows["再実施期限"] == "2025-10-01" + (" 期限切れ" if reassessment else "")


def test_no_reassessment_without_an_important_change(repo: GitRepo) -> None:
    history(repo, important_change=False)
    body = overview(repo.root, "2024-01-01")
    assert status_rows(body)["公表後の変更"] == "1 項目"
    assert "再実施が必要" not in body


def test_before_the_first_publication_and_without_kinds(repo: GitRepo) -> None:
    repo.write_assessment(
        SLUG,
        [
            Milestone("soan", "素案", dt.date(2020, 6, 1), "素案"),
            Milestone("R2", "公表版", dt.date(2020, 10, 1), "公表"),
        ],
    )
    repo.write_item(SLUG, item("a", "一"))
    repo.commit("素案", trailers=[("Milestone", f"{SLUG}/soan")])
    repo.write_assessment("old", [("current", "現在の評価書")], title="種類のない評価書")
    repo.write_item("old", item("x", "一"))
    repo.commit("old", trailers=[("Milestone", "old/current")])
    assert status_rows(overview(repo.root, "2030-01-01")) == {
        "公表": "まだ公表していません (予定: 公表版 (2020-10-01))",
        "検討中の意見": "0 件",
    }
    # No kind anywhere: the site does not know it is unpublished, and says nothing.
    body = overview(repo.root, "2030-01-01", "old")
    assert "見直しと再実施" not in body and "piakit-status" not in body
    repo.write_opinion("old", "p1")
    repo.commit("意見")
    assert status_rows(overview(repo.root, "2030-01-01", "old")) == {"検討中の意見": "1 件"}


# --- in a browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``history`` built by mkdocs (today: the real day; every deadline is long past)."""
    with pytest.MonkeyPatch.context() as mp:
        pin_git(tmp_path_factory.mktemp("status-home"), mp)
        root = tmp_path_factory.mktemp("status-repo")
        history(GitRepo(root))
        site = mkdocs_build(root, tmp_path_factory.mktemp("status-site") / "out")
        with serve(site) as url:
            yield url


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.parametrize("width", [1440, 390])
def test_the_status_block_in_a_browser(served: str, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page: Any = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(served + f"{SLUG}/")
            page.wait_for_load_state("load")
            table = page.locator("table.piakit-status")
            assert table.is_visible()
            headings = table.locator("th[scope=row]").all_inner_texts()
            assert headings[:4] == [
                "最新の公表",
                "再実施期限",
                "最新の見直し・修正",
                "次回見直し期限",
            ]
            overdue = table.locator("strong.piakit-important", has_text="期限切れ")
            assert overdue.count() == 2
            assert table.locator("strong", has_text="再実施が必要").is_visible()
            link = table.locator("a", has_text="①入手元")
            link.click()
            page.wait_for_load_state("load")
            assert page.url.endswith(f"{SLUG}/items/source/")
            page.go_back()
            page.wait_for_load_state("load")
            # a phone shows the block without scrolling sideways
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            box = table.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
            assert results.response["passes"], "axe did not run"
            assert [v["id"] for v in results.response["violations"]] == []
        finally:
            browser.close()
