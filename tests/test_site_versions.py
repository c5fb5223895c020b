"""The site at every point in time: the document as of each milestone with a switcher between
the versions, the overview listing every page, and honest dates and labels (the draft dated by
the last commit to the assessment, the imported baseline named as such, each heading once).

Full mkdocs builds of real repositories made by the GitRepo fixture; the last test clicks
through the switcher in headless Chromium (marked ``browser``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import GitRepo, item, pin_git
from .test_site import (
    CHROMIUM,
    CHROMIUM_ARGS,
    KANKA,
    Built,
    assert_links_resolve,
    build_site,
    serve,
)

SLUG = "nenkin"
ITAKU = ("II. 概要", "4. 委託")


def make_history(repo: GitRepo) -> dict[str, str]:
    """A baseline taken in (no reasons, bound to the first milestone), two milestones that
    change it, then a commit to a file outside the assessment. Returns the commits by name."""
    repo.write_assessment(
        SLUG, [("current", "現在の評価書"), ("m1", "修正案 1"), ("m2", "修正案 2")]
    )
    repo.write_item(SLUG, item("gone", "あとで削除する。", order=5, path=("I. 基本情報", "移転")))
    repo.write_item(SLUG, item("count", "委託する (2) 件", order=10, path=(*ITAKU, "委託の有無")))
    # An item whose heading is the group of the next items.
    repo.write_item(
        SLUG, item("itaku3", "委託事項3 の概要。", order=20, path=(*ITAKU, "委託事項3"))
    )
    repo.write_item(
        SLUG, item("itaku3-name", "株式会社A", order=21, path=(*ITAKU, "委託事項3", "⑥委託先名"))
    )
    commits = {
        "current": repo.commit(
            "現在の評価書: 取り込み (4項目)", trailers=[("Milestone", f"{SLUG}/current")]
        )
    }
    repo.remove_item(SLUG, "gone")
    repo.write_item(
        SLUG, item("itaku3-name", "株式会社B", order=21, path=(*ITAKU, "委託事項3", "⑥委託先名"))
    )
    commits["m1"] = repo.commit("修正 1", trailers=[*KANKA, ("Milestone", f"{SLUG}/m1")])
    repo.write_item(SLUG, item("count", "委託する (3) 件", order=10, path=(*ITAKU, "委託の有無")))
    commits["m2"] = repo.commit("修正 2", trailers=[*KANKA, ("Milestone", f"{SLUG}/m2")])
    repo.write("tools/README.md", "the package changed, not the assessment\n")
    commits["package"] = repo.commit("package: a change to the code only")
    return commits


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Built, dict[str, str]]]:
    with pytest.MonkeyPatch.context() as mp:
        pin_git(tmp_path_factory.mktemp("versions-home"), mp)
        root = tmp_path_factory.mktemp("versions-repo")
        commits = make_history(GitRepo(root))
        site = build_site(root, tmp_path_factory.mktemp("versions-site") / "out")
        yield Built(root, site), commits


def switcher(article: str) -> list[tuple[str, str, bool]]:
    """The switcher's links: (href, text, marked current)."""
    nav = re.search(r'<nav class="piakit-versions".*?</nav>', article, re.S)
    assert nav is not None, "no switcher"
    return [
        (href, re.sub(r"<[^>]+>", "", text), bool(current))
        for href, current, text in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>(.*?)</a>', nav.group(0)
        )
    ]


def test_every_milestone_has_its_document(history: tuple[Built, dict[str, str]]) -> None:
    built, _ = history
    current = built.article(f"{SLUG}/versions/current/")
    m1 = built.article(f"{SLUG}/versions/m1/")
    m2 = built.article(f"{SLUG}/versions/m2/")
    assert "あとで削除する。" in current and "株式会社A" in current
    assert "あとで削除する。" not in m1 and "株式会社B" in m1 and "(2) 件" in m1
    assert "(3) 件" in m2
    assert built.article(f"{SLUG}/document/").count("(3) 件") == 1  # the newest
    assert "最新の版は" in current and 'href="../../document/"' in current


def test_the_switcher_names_each_version_and_marks_the_shown_one(
    history: tuple[Built, dict[str, str]],
) -> None:
    built, _ = history
    links = switcher(built.article(f"{SLUG}/versions/m1/"))
    assert [(href, current) for href, _, current in links] == [
        ("../current/", False),
        ("./", True),
        ("../m2/", False),
    ]
    assert [text for _, text, _ in links] == ["現在の評価書", "修正案 1", "修正案 2"]
    newest = switcher(built.article(f"{SLUG}/document/"))
    assert [current for _, _, current in newest] == [False, False, True]
    assert newest[2][0] == "../versions/m2/"


def test_the_overview_lists_every_page(history: tuple[Built, dict[str, str]]) -> None:
    built, _ = history
    overview = built.article(f"{SLUG}/")
    for href in (
        "document/",
        "versions/current/",
        "versions/m1/",
        "versions/m2/",
        "table/",
        "changes/",
        "changes.csv",
        "changes.xlsx",
        "table.csv",
        "items/",
    ):
        assert f'href="{href}"' in overview, href


def test_the_draft_is_dated_by_the_last_change_to_the_assessment(
    history: tuple[Built, dict[str, str]],
) -> None:
    built, commits = history
    overview = built.article(f"{SLUG}/")
    row, record = re.findall(r"<tr><td>作業中の案.*?</tr>", overview)
    # m2 (2024-01-03) is the last commit to the assessment; the package commit is the 4th.
    # The reader sees the date; the commit is in the folded record for reviewers.
    assert "2024-01-03" in row and "最新の版から変更なし" in row
    assert commits["m2"][:7] in record and "評価書を最後に変更したコミット" in record
    assert "2024-01-04" not in row and commits["package"][:7] not in overview
    assert "その後、評価書を変更したコミットはありません" in overview
    assert not (built.site / SLUG / "draft").exists()


def test_a_draft_after_the_milestone_is_the_assessments_commit(
    tmp_path: Path, repo: GitRepo
) -> None:
    commits = make_history(repo)
    repo.write_item(SLUG, item("count", "委託する (4) 件", order=10, path=(*ITAKU, "委託の有無")))
    draft = repo.commit("委託先を追加", trailers=KANKA)  # 2024-01-05
    repo.write("tools/README.md", "the package again\n")
    repo.commit("package: another change to the code only")  # 2024-01-06
    site = build_site(repo.root, tmp_path / "out")
    overview = (site / SLUG / "index.html").read_text("utf-8")
    row, record = re.findall(r"<tr><td>作業中の案.*?</tr>", overview)
    assert "2024-01-05" in row and "作業中" in row and draft[:7] in record
    assert "2024-01-06" not in overview
    page = (site / SLUG / "draft" / "index.html").read_text("utf-8")
    assert f"<code>{draft}</code>" in page  # in the folded record
    links = switcher(page)
    assert links[-1][1].startswith("作業中の案") and links[-1][2]
    assert commits["m2"] != draft


def test_the_imported_baseline_is_named_not_dated(history: tuple[Built, dict[str, str]]) -> None:
    built, _ = history
    gone = built.article(f"{SLUG}/items/gone/")
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r'<h2 id="r-[^"]+">(.*?)</h2>', gone)]
    assert headings == ["1. 現在の評価書 (取り込み)", "2. 2024-01-02 削除"]
    assert "<ins>あとで削除する。</ins>" not in gone  # the baseline's text is shown as it was
    assert 'href="../../versions/current/#gone"' in gone
    items = built.article(f"{SLUG}/items/")
    assert "現在の評価書 (取り込み)" in items  # itaku3 was never changed after the baseline


def test_a_heading_that_is_an_item_is_written_once(history: tuple[Built, dict[str, str]]) -> None:
    built, _ = history
    for url in (f"{SLUG}/document/", f"{SLUG}/versions/current/"):
        article = built.article(url)
        assert len(re.findall(r"<h\d[^>]*>委託事項3[<¶ ]", article)) == 1, url
        assert article.index('id="itaku3"') < article.index('id="itaku3-name"')


def test_links_resolve_with_and_without_directory_urls(
    history: tuple[Built, dict[str, str]], tmp_path: Path
) -> None:
    built, _ = history
    assert_links_resolve(built.site, built.site.glob(f"{SLUG}/**/*.html"))
    flat = build_site(built.root, tmp_path / "flat", extra="use_directory_urls: false\n")
    assert (flat / SLUG / "versions" / "m1" / "index.html").is_file()
    assert_links_resolve(flat, flat.glob(f"{SLUG}/**/*.html"))


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_the_switcher_in_a_browser(history: tuple[Built, dict[str, str]]) -> None:
    from playwright.sync_api import sync_playwright

    built, _ = history
    with serve(built.site) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width in (1440, 390):
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.goto(served + f"{SLUG}/document/")
                switch = page.get_by_role("navigation", name="評価書の版")
                assert switch.locator("[aria-current=page]").inner_text().startswith("修正案 2")
                switch.get_by_role("link", name="現在の評価書").click()
                page.wait_for_url(re.compile(r"/versions/current/$"))
                switch = page.get_by_role("navigation", name="評価書の版")
                assert switch.locator("[aria-current=page]").inner_text() == "現在の評価書"
                assert page.locator("#gone").is_visible()
                switch.get_by_role("link", name=re.compile("修正案 1")).click()
                page.wait_for_url(re.compile(r"/versions/m1/$"))
                assert page.locator("#gone").count() == 0
                assert page.locator("#itaku3-name").locator("..").inner_text().count("株式会社B")
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (width, overflow)
                page.close()
        finally:
            browser.close()
