"""The published site as a citizen meets it: nothing fetched from another host, Japanese
throughout (no English UI string, no git jargon or hash in the text), a unique title naming
the assessment on every page, a search index whose hits are the item pages, and the
``authors`` option (git author names are staff names: hidden unless the publisher says).

The example history is test_site's (``make_history``), built once for this module; the pages
of an assessment with opinions come from the fictional example of the whole cycle
(examples/cycle). The browser test (marked ``browser``) serves both and opens every kind of
page in Chromium.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from mkdocs.__main__ import cli as mkdocs_cli
from mkdocs.config import load_config

from piakit.website import Authors
from piakit.website.titles import distinct_labels

from .conftest import GitRepo, pin_git
from .test_example_cycle import CYCLE_SLUG
from .test_site import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SLUG,
    Built,
    build_site,
    make_history,
    many_items,
    search,
    serve,
)
from .test_site_opinions import cycle_site, served_cycle

__all__ = ["cycle_site", "served_cycle"]  # fixtures of test_site_opinions these tests take

ROOT = Path(__file__).resolve().parents[1]

#: Every kind of page of the example, by URL (the home page first, the 404 page last).
PAGE_KINDS = {
    "home": "",
    "overview": f"{SLUG}/",
    "document": f"{SLUG}/document/",
    "draft": f"{SLUG}/draft/",
    "table": f"{SLUG}/table/",
    "別添3": f"{SLUG}/changes/",
    "item list": f"{SLUG}/items/",
    "item": f"{SLUG}/items/itaku2-name/",
    "404": "404.html",
}

#: The pages only an assessment with opinions has, on the cycle example's site.
CYCLE_PAGE_KINDS = {
    "opinions": f"{CYCLE_SLUG}/opinions/",
    "overview with opinions": f"{CYCLE_SLUG}/",
}

#: What Material (untranslated parts), Python-Markdown and piakit used to show in English or
#: as git jargon. Material with ``language: ja`` translates its own header and search.
ENGLISH_UI = (
    "Skip to content",
    "Search",
    "Table of contents",
    "Back to top",
    "Made with",
    "Permanent link",
    "Not found",
    "Previous",
    "Next",
    "Initializing search",
    "Type to start searching",
    "Clear",
    "Share",
    "HEAD",
    "Reason-Category",
    "Reason:",
    "Milestone",
    "Submission",
    "trailer",
    "Test Editor",
)

#: A commit hash, short or long, as text.
HASH_RE = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{7,40}(?![0-9A-Za-z])")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    with pytest.MonkeyPatch.context() as mp:
        pin_git(tmp_path_factory.mktemp("privacy-home"), mp)
        root = tmp_path_factory.mktemp("privacy-repo")
        make_history(GitRepo(root))
        yield Built(root, build_site(root, tmp_path_factory.mktemp("privacy-site") / "out"))


class Reading(HTMLParser):
    """What a reader of a page sees as text: the text outside ``<script>``, ``<style>``,
    ``<svg>``, ``<head>`` and closed ``<details>`` (a reviewer's commits), plus the
    ``title``, ``aria-label``, ``placeholder`` and ``alt`` attributes anywhere."""

    HIDDEN = frozenset({"script", "style", "svg", "head", "details"})

    def __init__(self) -> None:
        super().__init__()
        self.hidden: list[str] = []
        self.text: list[str] = []
        self.attributes: list[str] = []
        self.summaries: list[str] = []
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend(
            value
            for key, value in attrs
            if key in ("title", "aria-label", "placeholder", "alt")
            if value
        )
        if tag == "summary":
            self._in_summary = True
        if tag in self.HIDDEN:
            self.hidden.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "summary":
            self._in_summary = False
        if tag in self.HIDDEN and tag in self.hidden:
            while self.hidden.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in_summary:
            self.summaries.append(data)
        elif not self.hidden:
            self.text.append(data)


def reading(page: str) -> Reading:
    parser = Reading()
    parser.feed(page)
    parser.close()
    return parser


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH_UI if re.search(rf"(?<![A-Za-z]){re.escape(word)}", text)]


# --- nothing from other hosts --------------------------------------------------------------


def test_no_page_names_another_host_to_load_from(example: Built) -> None:
    for path in example.site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page, path
        # nothing loaded from elsewhere: links (<a href>) may point out, sources may not
        loaded = re.findall(r'<(?:link|script|img|iframe)\b[^>]*(?:href|src)="(https?:)?//', page)
        assert loaded == [], path


def test_every_mkdocs_yml_piakit_has_or_documents_turns_google_fonts_off() -> None:
    sources = [
        ROOT / "mkdocs.yml",
        *sorted((ROOT / "docs").glob("*.md")),
        ROOT / "benchmarks" / "generate.py",
        ROOT / "benchmarks" / "run.py",
    ]
    checked = 0
    for source in sources:
        text = source.read_text(encoding="utf-8")
        themes = len(re.findall(r'^[\s"]*name: material', text, re.M))
        assert themes == len(re.findall(r'^[\s"]*font: false', text, re.M)), source
        assert "analytics:" not in text, source
        checked += themes
    assert checked >= 4


def material_config(root: Path, theme: str, extra: str = "") -> Path:
    config = root / "mkdocs.yml"
    config.write_text(
        f"site_name: テスト市\ntheme:\n  name: material\n  language: ja\n{theme}"
        f"plugins:\n  - search:\n      lang: ja\n  - piakit\n{extra}",
        encoding="utf-8",
    )
    (root / "docs").mkdir(exist_ok=True)
    return config


@pytest.mark.parametrize(
    ("theme", "extra", "message"),
    [
        ("  font:\n    text: Noto Sans JP\n", "", "fonts.googleapis.com"),
        ("  font: false\n", "extra:\n  analytics:\n    provider: google\n", "analytics"),
    ],
)
def test_a_font_or_analytics_from_another_host_is_warned_of(
    tmp_path: Path, repo: GitRepo, theme: str, extra: str, message: str
) -> None:
    many_items(repo, 2, 1)
    config = material_config(repo.root, theme, extra)
    result = CliRunner().invoke(
        mkdocs_cli, ["build", "--strict", "-f", str(config), "-d", str(tmp_path / "out")]
    )
    assert result.exit_code == 1, result.output
    assert message in result.output


# --- Japanese throughout -------------------------------------------------------------------


def test_no_english_ui_string_or_commit_hash_on_any_kind_of_page(
    example: Built, cycle_site: Built
) -> None:
    pages = [(kind, example.page(url)) for kind, url in PAGE_KINDS.items()]
    pages += [(kind, cycle_site.page(url)) for kind, url in CYCLE_PAGE_KINDS.items()]
    for kind, page in pages:
        seen = reading(page)
        text = " ".join(seen.text)
        assert english_in(text) == [], (kind, english_in(text))
        assert english_in(" ".join(seen.attributes)) == [], (kind, seen.attributes)
        assert HASH_RE.findall(text) == [], (kind, HASH_RE.findall(text))
        assert '<html lang="ja"' in page, kind
    # the commits are there for a reviewer, folded away
    overview = reading(example.page(f"{SLUG}/"))
    assert "記録の詳細 (git のコミット)" in overview.summaries


def test_footer_404_and_permalinks_are_japanese(example: Built) -> None:
    home = example.page("")
    assert "このサイトは、git の履歴から piakit と" in home
    missing = example.page("404.html")
    assert "<h1>ページが見つかりません</h1>" in missing
    assert "トップページへ戻る" in missing


def test_heading_permalinks_are_titled_in_japanese(repo: GitRepo) -> None:
    many_items(repo, 2, 1)
    toc = "markdown_extensions:\n  - toc:\n      permalink: true\n"
    config = load_config(config_file=str(material_config(repo.root, "  font: false\n", toc)))
    config = config.plugins.on_config(config)
    assert config.mdx_configs["toc"]["permalink_title"] == "この見出しへのリンク"
    assert config.theme["font"] is False


# --- titles and search ---------------------------------------------------------------------


def titles(site: Path) -> dict[str, str]:
    found = {}
    for path in site.rglob("*.html"):
        match = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S)
        assert match is not None, path
        found[path.relative_to(site).as_posix()] = match.group(1).strip()
    return found


def test_every_page_title_is_unique_and_names_the_assessment(example: Built) -> None:
    found = titles(example.site)
    repeated = {title for title, count in Counter(found.values()).items() if count > 1}
    assert repeated == set(), sorted(path for path, t in found.items() if t in repeated)
    for path, title in found.items():
        if path.startswith(f"{SLUG}/"):
            assert "テスト市 国民年金に関する事務 全項目評価書" in title, (path, title)
    # two items share the heading ⑥委託先名: the heading above tells them apart
    assert found[f"{SLUG}/items/itaku2-name/index.html"].startswith(
        "委託事項2 › ⑥委託先名 の変更履歴 — "
    )
    assert found[f"{SLUG}/items/itaku3-name/index.html"].startswith("委託事項3 › ⑥委託先名")


def test_distinct_labels_are_the_shortest_unique_tails() -> None:
    labels = distinct_labels(
        {
            "a": ("II", "委託事項1", "⑥委託先名"),
            "b": ("II", "委託事項2", "⑥委託先名"),
            "c": ("III", "その他"),
            "d": ("II", "委託事項1", "⑥委託先名"),  # the very same headings as a
            "e": (),
        }
    )
    assert labels == {
        "a": "II › 委託事項1 › ⑥委託先名 (a)",
        "b": "委託事項2 › ⑥委託先名",
        "c": "その他",
        "d": "II › 委託事項1 › ⑥委託先名 (d)",
        "e": "e",
    }
    assert len(set(labels.values())) == len(labels)


def test_search_index_hits_are_item_pages_not_table_rows(example: Built) -> None:
    index = json.loads((example.site / "search" / "search_index.json").read_text("utf-8"))
    entries = index["docs"]
    locations = [entry["location"] for entry in entries]
    assert not [
        where for where in locations if where.startswith((f"{SLUG}/table/", f"{SLUG}/changes/"))
    ]
    # older versions of the document are pages to read, not hits: the current one answers
    assert (example.site / SLUG / "versions").is_dir()
    assert not [where for where in locations if where.startswith(f"{SLUG}/versions/")]
    assert any(where.startswith(f"{SLUG}/document/") for where in locations)
    assert any(where.startswith(f"{SLUG}/items/itaku2-name/") for where in locations)
    items_list = [e for e in entries if e["location"] == f"{SLUG}/items/"]
    assert items_list and all("itaku2-name" not in e["text"] for e in items_list)
    for entry in entries:
        # no table of many rows folded into one hit
        assert len(entry["text"]) < 1500, (entry["location"], len(entry["text"]))
        # a hit's text keeps its table cells apart: "収録された版 現在の評価書", not run together
        assert "収録された版現在" not in entry["text"], entry["location"]
    revision = next(e for e in entries if e["location"].startswith(f"{SLUG}/items/itaku2-name/#"))
    assert "収録された版 現在の評価書" in revision["text"]


# --- authors ---------------------------------------------------------------------------------


def test_authors_label_hides_shows_or_maps_to_a_section() -> None:
    assert Authors().label("山田 太郎") is None
    assert Authors("show").label("山田 太郎") == "山田 太郎"
    mapped = Authors("map", {"山田 太郎": "情報政策課"})
    assert mapped.label("山田　太郎") == "情報政策課"  # a full-width space, as people type it
    assert mapped.label(" 山田  太郎") == "情報政策課"
    assert mapped.label("佐藤 花子") is None  # not in the map: not named


def two_authors(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write_assessment(SLUG, [("current", "現在")])
    repo.write(f"assessments/{SLUG}/items/a.yaml", "path: [I. 基本情報, 項目]\ntext: |\n  一\n")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "山田　太郎")
    repo.commit("最初の版", trailers=[("Milestone", f"{SLUG}/current")])
    repo.write(f"assessments/{SLUG}/items/a.yaml", "path: [I. 基本情報, 項目]\ntext: |\n  二\n")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "佐藤 花子")
    repo.commit("表記を直す")


@pytest.mark.parametrize(
    ("option", "shown", "not_shown"),
    [
        ("", [], ["山田", "佐藤", "作成者"]),
        ("      authors: hide\n", [], ["山田", "佐藤", "作成者"]),
        ("      authors: show\n", ["山田　太郎", "佐藤 花子"], []),
        (
            "      authors:\n        map:\n          山田 太郎: 情報政策課\n",
            ["作成者</th> <td>情報政策課</td>"],
            ["山田", "佐藤"],
        ),
    ],
)
def test_the_authors_option_in_each_mode(
    tmp_path: Path,
    repo: GitRepo,
    monkeypatch: pytest.MonkeyPatch,
    option: str,
    shown: list[str],
    not_shown: list[str],
) -> None:
    two_authors(repo, monkeypatch)
    site = build_site(repo.root, tmp_path / "out", option)
    pages = "".join(path.read_text("utf-8") for path in site.rglob("*.html"))
    history = (site / SLUG / "items" / "a" / "index.html").read_text("utf-8")
    for text in shown:
        assert text in history, text
    for text in not_shown:
        assert text not in pages, text
    if "map" in option:
        assert history.count("作成者") == 1  # 佐藤's change names nobody


def test_a_wrong_authors_option_stops_the_build(tmp_path: Path, repo: GitRepo) -> None:
    many_items(repo, 2, 1)
    config = material_config(repo.root, "  font: false\n")
    text = config.read_text("utf-8").replace(
        "  - piakit\n", "  - piakit:\n      authors: everyone\n"
    )
    config.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        mkdocs_cli, ["build", "-q", "-f", str(config), "-d", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "expected 'hide', 'show' or {map:" in result.output


# --- in a browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(example: Built) -> Iterator[str]:
    with serve(example.site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_every_kind_of_page_asks_only_the_site_and_reads_japanese(
    served: str, served_cycle: str
) -> None:
    from playwright.sync_api import Request, Route, sync_playwright

    elsewhere: list[str] = []

    def outside(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and parts.hostname != "127.0.0.1"

    def refuse(route: Route) -> None:
        if outside(route.request.url):
            elsewhere.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def seen(request: Request) -> None:
        if outside(request.url) and request.url not in elsewhere:
            elsewhere.append(request.url)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="ja-JP")
            context.route("**/*", refuse)
            context.on("request", seen)
            page = context.new_page()
            kinds = [(kind, served + url) for kind, url in PAGE_KINDS.items()]
            kinds += [(kind, served_cycle + url) for kind, url in CYCLE_PAGE_KINDS.items()]
            for kind, url in kinds:
                page.goto(url, wait_until="networkidle")
                text = page.locator("body").inner_text()  # closed <details> are not read
                assert english_in(text) == [], (kind, english_in(text))
                assert HASH_RE.findall(text) == [], (kind, HASH_RE.findall(text))
                labels = page.evaluate(
                    "() => [...document.querySelectorAll('[title],[aria-label],[placeholder]')]"
                    ".filter(e => e.checkVisibility())"
                    ".map(e => [e.title, e.ariaLabel, e.placeholder].join(' '))"
                )
                assert english_in(" ".join(labels)) == [], (kind, labels)
                family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
                assert "Roboto" not in family and "Hiragino Sans" in family, (kind, family)
            page.close()
            # the search loads its worker, index and Japanese segmenter: all from the site
            assert search(context.new_page(), served, "委託先")
        finally:
            browser.close()
    assert elsewhere == []
