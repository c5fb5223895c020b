"""The 意見と対応 page: one per assessment that has opinion files, each opinion with its
number, source, date, summary, the city's answer and outcome, linked to the items its answer
changed. Published from the fictional example (examples/cycle), built once for the module;
the page's records are also rendered by hand, to pin what each field becomes.

``served_cycle`` is the example's site on a local port, for the browser tests of
test_site_reader and test_site_privacy.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from piakit.model import Commit, Opinion
from piakit.reports import OpinionEntry, OpinionItem, OpinionsTable
from piakit.website import Urls
from piakit.website.build import render_assessment
from piakit.website.pages.opinions import NO_RESPONSE, opinions_page
from piakit.website.records import AssessmentData, SiteOptions

from .test_example_cycle import CYCLE_SLUG, build_cycle
from .test_site import CHROMIUM, CHROMIUM_ARGS, Built, assert_links_resolve, search, serve

OPINIONS_URL = f"{CYCLE_SLUG}/opinions/"


@pytest.fixture(scope="module")
def cycle_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fictional example, built by its script and published with its own mkdocs.yml."""
    root = build_cycle(tmp_path_factory.mktemp("cycle") / "repo")
    site = tmp_path_factory.mktemp("cycle-site") / "out"
    build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site), strict=True))
    return Built(root, site)


@pytest.fixture(scope="module")
def served_cycle(cycle_site: Built) -> Iterator[str]:
    with serve(cycle_site.site) as url:
        yield url


# --- the page, published ---------------------------------------------------------------------


def sections(article: str) -> dict[str, str]:
    """Each opinion's section of the page, by the id of its heading."""
    found = re.findall(r'<section class="piakit-opinion"[^>]*>(.*?)</section>', article, re.S)
    return {re.search(r'<h2 id="([^"]+)"', part).group(1): part for part in found}  # type: ignore[union-attr]


def test_the_overview_links_the_opinions_page_with_the_open_count(cycle_site: Built) -> None:
    overview = cycle_site.article(f"{CYCLE_SLUG}/")
    assert '<a href="opinions/">意見と対応</a> (8 件、うち検討中 1 件)' in overview


def test_every_opinion_is_listed_in_order_with_its_answer(cycle_site: Built) -> None:
    article = re.sub(r">\s+<", "><", cycle_site.article(OPINIONS_URL))
    assert "<h1" in article and "意見と対応" in article
    assert (
        "全 8 件 (意見募集 3 件、第三者点検 5 件)。反映する 5 件、反映しない 2 件、検討中 1 件。"
        in article
    )
    found = sections(article)
    assert list(found) == [
        "pc-2024-05-10",
        "pc-2024-05-20",
        "pc-2024-05-28",
        "bukai-2024-07-25-1",
        "bukai-2024-07-25-2",
        "bukai-2024-08-20-1",
        "bukai-2024-08-20-2",
        "bukai-2025-11-10",
    ]
    for number, section in enumerate(found.values(), 1):
        assert f">意見{number}</h2>" in section
    rejected = found["pc-2024-05-20"]
    assert '<th scope="row">区分</th><td>意見募集</td>' in rejected
    assert '<th scope="row">受付日</th><td>2024-05-20</td>' in rejected
    assert "マイナンバーを使うのをやめてほしい" in rejected
    assert "番号法第9条第1項" in rejected and "反映しない" in rejected
    assert "修正した項目" not in rejected and "記録の詳細" not in rejected
    still_open = found["bukai-2025-11-10"]
    assert NO_RESPONSE in still_open and "検討中" in still_open
    assert "架空市情報公開・個人情報保護審議会 第2部会" in still_open
    # answered by two commits: one item, changed on both dates, and its history page
    twice = found["pc-2024-05-28"]
    assert "(2024-06-12、2024-09-02 に修正)" in twice
    assert 'href="../items/3-4-shoukyo-ruuru/"' in twice
    assert 'href="../table/#row-3-4-shoukyo-ruuru"' in twice  # its row of the table
    table = cycle_site.article(f"{CYCLE_SLUG}/table/")
    assert '<tr id="row-3-4-shoukyo-ruuru"' in table
    # one commit answering two opinions: both list both items it changed
    for opinion_id in ("bukai-2024-07-25-1", "bukai-2024-07-25-2"):
        assert "items/3-4-itaku-kanri/" in found[opinion_id]
        assert "items/2-4-itaku1-8-sai-itaku-kyodaku/" in found[opinion_id]


def test_the_table_s_opinion_numbers_link_to_their_opinions(cycle_site: Built) -> None:
    table = cycle_site.article(f"{CYCLE_SLUG}/table/")
    assert '<a href="../opinions/#pc-2024-05-28">（意見3）</a>' in table
    assert '<a href="../opinions/#bukai-2024-08-20-1">（意見6）</a>' in table
    assert "#pc-2024-05-20" not in table  # not reflected: no commit, no row names it


def test_the_links_of_the_opinions_page_resolve(cycle_site: Built) -> None:
    assert_links_resolve(cycle_site.site, cycle_site.site.glob(f"{CYCLE_SLUG}/**/*.html"))
    article = cycle_site.article(OPINIONS_URL)
    assert article.count("items/") >= 8


def test_each_opinion_is_a_search_hit_of_its_own(cycle_site: Built) -> None:
    index = json.loads((cycle_site.site / "search" / "search_index.json").read_text("utf-8"))
    hits = {
        e["location"]: e["text"] for e in index["docs"] if e["location"].startswith(OPINIONS_URL)
    }
    assert "マイナンバーを使うのをやめてほしい" in hits[f"{OPINIONS_URL}#pc-2024-05-20"]
    assert "消去証明書" in hits[f"{OPINIONS_URL}#pc-2024-05-28"]
    # the commits are for a reviewer, not for search
    assert not any("答えたコミット" in text for text in hits.values())


def test_the_opinions_page_title_names_the_assessment(cycle_site: Built) -> None:
    title = re.search(r"<title>(.*?)</title>", cycle_site.page(OPINIONS_URL))
    assert title is not None
    assert title.group(1).startswith("意見と対応 — 架空市 児童手当に関する事務 全項目評価書")


# --- the page, from records ------------------------------------------------------------------


def data(opinions: OpinionsTable | None = None, histories: tuple[str, ...] = ()) -> AssessmentData:
    return AssessmentData(
        slug="t",
        title="テスト事務 全項目評価書",
        organization="テスト市",
        form=None,
        affair=None,
        statuses=(),
        published=None,
        head=None,
        table=None,
        document={},
        draft={},
        draft_reasons={},
        histories={item_id: () for item_id in histories},
        included_in={},
        opinions=opinions,
    )


def opinion(opinion_id: str, **fields: object) -> Opinion:
    values: dict[str, object] = {
        "source": "第三者点検",
        "received": dt.date(2024, 1, 15),
        "summary": "委託先の管理について記載すること。",
        "outcome": "open",
    }
    values.update(fields)
    return Opinion(opinion_id, **values)  # type: ignore[arg-type]


def commit(sha: str, when: dt.date) -> Commit:
    stamp = dt.datetime(when.year, when.month, when.day, 10, tzinfo=dt.UTC)
    return Commit(sha, (), "Test Editor", "e@example.jp", stamp, stamp, "直す")


def test_an_assessment_without_opinions_has_no_page_and_no_link() -> None:
    pages = render_assessment(data(), SiteOptions(), Urls())
    assert not [page for page in pages if "opinions" in page.path]
    overview = next(page for page in pages if page.path == "t/index.md")
    assert "意見と対応" not in overview.body_html


def test_the_page_escapes_what_people_wrote_and_links_only_published_items() -> None:
    first = commit("a" * 40, dt.date(2024, 2, 1))
    table = OpinionsTable(
        "t",
        "テスト事務 全項目評価書",
        (
            OpinionEntry(
                opinion(
                    "p1",
                    summary="<script>alert(1)</script> を\n直すこと",
                    outcome="reflected",
                    response="直した & 追記",
                    sender="部会 <第2>",
                ),
                1,
                (
                    OpinionItem("a", ("I. 基本情報", "項目A"), (first.sha,)),
                    OpinionItem("gone", ("I. 基本情報", "消えた項目"), (first.sha,)),
                ),
                (first,),
            ),
            OpinionEntry(opinion("p2", response="   "), 2),
        ),
    )
    page = opinions_page(data(table, histories=("a",)), table, SiteOptions(), Urls())
    body = page.body_html
    assert page.path == "t/opinions.md" and page.title == "意見と対応" and page.searchable
    assert (
        "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt; を</p><p>直すこと" in body
    )
    assert "直した &amp; 追記" in body and "部会 &lt;第2&gt;" in body
    assert '<a href="../items/a/">I. 基本情報 › 項目A</a> (2024-02-01 に修正)' in body
    assert "<li>I. 基本情報 › 消えた項目 (2024-02-01 に修正)</li>" in body  # no page to link
    assert "../table/" not in body  # no table computed: no row to see
    assert "<code>aaaaaaa</code>" in body.split("<details")[1]  # in the folded record
    assert body.count(NO_RESPONSE) == 1  # an answer of blanks is no answer
    assert [entry.anchor for entry in page.toc] == ["p1", "p2"]
    assert [entry.title for entry in page.toc] == ["意見1 (反映する)", "意見2 (検討中)"]


def test_an_opinions_table_with_no_entry_says_so() -> None:
    table = OpinionsTable("t", "テスト事務 全項目評価書", ())
    page = opinions_page(data(opinions=table), table, SiteOptions(), Urls(directory_urls=False))
    assert "意見はまだありません。" in page.body_html


def test_opinions_path_without_directory_urls() -> None:
    assert Urls(directory_urls=False).href("t/index.md", "t/opinions.md", "p1") == (
        "opinions.html#p1"
    )


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_a_search_for_an_opinion_s_words_finds_that_opinion(served_cycle: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            hits = search(browser.new_page(), served_cycle, "消去証明書")
        finally:
            browser.close()
    # search.highlight (the mkdocs.yml of piakit init) adds ?h=… to every hit
    found = {urlsplit(hit)._replace(query="").geturl() for hit in hits}
    assert served_cycle + f"{OPINIONS_URL}#pc-2024-05-28" in found, hits


def test_an_item_s_history_names_the_opinions_each_change_answered(cycle_site: Built) -> None:
    # 3-4-shoukyo-ruuru was changed by two commits, each answering 意見3 (and the second 意見6)
    page = cycle_site.article(f"{CYCLE_SLUG}/items/3-4-shoukyo-ruuru/")
    assert page.count("<th>対応した意見</th>") == 2
    assert '<a href="../../opinions/#pc-2024-05-28">（意見3）</a>' in page
    assert '<a href="../../opinions/#bukai-2024-08-20-1">（意見6）</a>' in page


def test_the_overview_s_open_opinions_link_to_the_opinions_page(cycle_site: Built) -> None:
    overview = cycle_site.article(f"{CYCLE_SLUG}/")
    assert '検討中の意見</th> <td><a href="opinions/">1 件</a></td>' in overview
