"""The published site: full mkdocs builds of real repositories made by the GitRepo fixture.

One realistic history (built once for the module) is published and its pages read back: the
overview, the document, the working draft, the comparison table and its downloads, an item's
history, escaping, links. Then what a publisher meets: the history read once whatever the
size, a shallow clone, a broken item file, options, rebuilds. The last test drives the built
site in headless Chromium (marked ``browser``; skipped only when /usr/bin/chromium is missing).
"""

from __future__ import annotations

import functools
import html
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from click.testing import CliRunner
from mkdocs.__main__ import cli as mkdocs_cli
from mkdocs.commands.build import build
from mkdocs.config import load_config

from piakit import history
from piakit.mkdocs_plugin.plugin import PiakitPlugin
from piakit.model import Choice, Selection
from piakit.render import render
from piakit.render.html import table_fragment
from piakit.render.sheet import render_changes
from piakit.usecases.sheet import change_sheet
from piakit.usecases.table import comparison_table
from piakit.website import Urls
from piakit.workspace import Workspace

from .conftest import GitRepo, item, pin_git

SLUG = "kokumin"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

KANKA = [("Reason-Category", "事務所管課による修正"), ("Reason", "表記の改善")]
BUKAI = [
    ("Reason-Category", "部会の意見による修正"),
    ("Reason", "事務の実態に合わせ追加（委託先の追加）"),
]

ITAKU = ("II. 特定個人情報ファイルの概要", "4. 特定個人情報ファイルの取扱いの委託")
SCRIPT = "<script>alert(1)</script>"


# --- building ------------------------------------------------------------------------------


def write_mkdocs_yml(root: Path, options: str = "", extra: str = "", *, home: bool = True) -> Path:
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: テストのサイト\n"
        "theme:\n  name: material\n  language: ja\n"
        "plugins:\n  - search:\n      lang: ja\n  - piakit"
        + (":\n" + options if options else "\n")
        + extra,
        encoding="utf-8",
    )
    docs = root / "docs"
    docs.mkdir(exist_ok=True)
    if home and not (docs / "index.md").exists():
        (docs / "index.md").write_text(
            "# テストのサイト\n\n## 評価書\n\n<!-- piakit:assessments -->\n\n## その他\n",
            encoding="utf-8",
        )
    return config


def build_site(root: Path, site_dir: Path, options: str = "", extra: str = "") -> Path:
    config = write_mkdocs_yml(root, options, extra)
    build(load_config(config_file=str(config), site_dir=str(site_dir), strict=True))
    return site_dir


def make_history(repo: GitRepo) -> None:
    """Three milestones (one planned) and a working draft, with the kinds of change the real
    table has: text edits, a company renamed, a checkbox, a count, an added 委託事項, a removed
    line, a renumbered heading, and text that would be markup if anything forgot to escape."""
    repo.write_assessment(
        SLUG,
        [
            ("current", "現在の評価書"),
            ("R2.6.30", "修正案 (R2.6.30諮問時)"),
            ("R2.10.26", "修正案 (R2.10.26現在)"),
            ("R3", "修正案 (R3 予定)"),
        ],
        title="国民年金に関する事務 全項目評価書 <b>",
    )
    repo.write_item(SLUG, item("stay", "変わらない。", order=5, page=3))
    repo.write_item(
        SLUG,
        item(
            "sys2-connection",
            choices=(Choice("宛名システム等"), Choice("税務システム", True)),
            order=10,
            page=4,
            path=("I. 基本情報", "2. 使用するシステム", "システム2", "③他のシステムとの接続"),
        ),
    )
    repo.write_item(
        SLUG,
        item(
            "itaku-count",
            select=Selection("委託する", "(2) 件"),
            order=20,
            page=9,
            path=(*ITAKU, "委託の有無"),
        ),
    )
    repo.write_item(
        SLUG,
        item(
            "itaku1-sub",
            "委託先業者はあらかじめ書面により通知し、許可を得ることにより再委託できる。",
            order=25,
            page=9,
            path=(*ITAKU, "委託事項1", "⑧再委託の許諾方法"),
        ),
    )
    repo.write_item(
        SLUG,
        item(
            "itaku2-name",
            "日本電子計算株式会社",
            order=30,
            page=10,
            path=(*ITAKU, "委託事項2", "⑥委託先名"),
        ),
    )
    repo.write_item(
        SLUG,
        item(
            "lines",
            "・一行目。\n・二行目を消す。\n・三行目。",
            order=50,
            page=12,
            path=("III. リスク対策", "その他の措置"),
        ),
    )
    repo.write_item(
        SLUG,
        item(
            "markup",
            SCRIPT,
            order=60,
            page=13,
            path=("III. リスク対策", "</title><script>alert(2)</script>"),
        ),
    )
    repo.commit("現在の評価書", trailers=[("Milestone", f"{SLUG}/current")])

    repo.write_item(
        SLUG,
        item(
            "sys2-connection",
            choices=(Choice("宛名システム等", True), Choice("税務システム", True)),
            order=10,
            page=4,
            path=("I. 基本情報", "2. 使用するシステム", "システム2", "③他のシステムとの接続"),
        ),
    )
    repo.write_item(
        SLUG,
        item(
            "itaku1-sub",
            "再委託の必要がある場合は、委託先業者は事前に書面により通知し、承諾を得ることにより再委託できる。",
            order=25,
            page=9,
            path=(*ITAKU, "委託事項1", "⑧再委託の許諾方法"),
        ),
    )
    repo.write_item(
        SLUG,
        item(
            "itaku2-name",
            "NECフィールディング株式会社 千葉支社",
            order=30,
            page=10,
            path=(*ITAKU, "委託事項2", "⑥委託先名"),
        ),
    )
    repo.write_item(
        SLUG,
        item(
            "lines",
            "・一行目。\n・三行目。",
            order=50,
            page=12,
            path=("III. リスク対策", "その他の措置"),
        ),
    )
    repo.commit("諮問時の修正", trailers=[*KANKA, ("Milestone", f"{SLUG}/R2.6.30")])

    repo.write_item(
        SLUG,
        item(
            "itaku-count",
            select=Selection("委託する", "(3) 件"),
            order=20,
            page=9,
            path=(*ITAKU, "委託の有無"),
        ),
    )
    repo.write_item(
        SLUG,
        item(
            "itaku3-name",
            "株式会社パソナ",
            order=35,
            page=10,
            path=(*ITAKU, "委託事項3", "⑥委託先名"),
        ),
    )
    repo.commit("委託先（事務センター）を追加", trailers=BUKAI)
    repo.commit(
        "部会の意見を反映した案", allow_empty=True, trailers=[("Milestone", f"{SLUG}/R2.10.26")]
    )

    # The working draft: a heading renumbered (the id stays) and one text edited.
    repo.write_item(
        SLUG,
        item(
            "itaku1-sub",
            "再委託の必要がある場合は、委託先業者は事前に書面により通知し、承諾を得ることにより再委託できる。",
            order=25,
            page=9,
            path=(*ITAKU, "委託事項1", "⑨再委託の許諾方法"),
        ),
    )
    repo.write_item(SLUG, item("stay", "少し変わった。", order=5, page=3))
    repo.commit("見出しの番号を修正", trailers=KANKA)


@dataclass(frozen=True)
class Built:
    root: Path
    site: Path

    def page(self, url: str) -> str:
        path = self.site / url
        if url.endswith("/") or not url:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def article(self, url: str) -> str:
        text = self.page(url)
        start, end = text.index("<article"), text.index("</article>")
        return text[start:end]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The module's one history, built once (builds are the slow part of these tests)."""
    with pytest.MonkeyPatch.context() as mp:
        pin_git(tmp_path_factory.mktemp("site-home"), mp)
        root = tmp_path_factory.mktemp("site-repo")
        repo = GitRepo(root)
        make_history(repo)
        site = build_site(root, tmp_path_factory.mktemp("site") / "out")
        yield Built(root, site)


# --- the pages -----------------------------------------------------------------------------


def test_every_page_and_download_is_published(example: Built) -> None:
    for url in [
        "",
        f"{SLUG}/",
        f"{SLUG}/document/",
        f"{SLUG}/draft/",
        f"{SLUG}/table/",
        f"{SLUG}/items/",
        f"{SLUG}/items/itaku3-name/",
        f"{SLUG}/items/markup/",
    ]:
        assert example.page(url), url
    downloads = {p.name for p in (example.site / SLUG).iterdir() if p.is_file()}
    assert downloads >= {"table.csv", "table.xlsx", "table.docx", "table-print.html"}
    assert not (example.root / "docs" / SLUG).exists()  # virtual pages only
    home = example.article("")
    assert f'href="{SLUG}/"' in home
    assert home.index("評価書") < home.index("国民年金に関する事務") < home.index("その他")


def test_overview_lists_milestones_with_dates_and_commits(example: Built) -> None:
    article = example.article(f"{SLUG}/")
    repo = GitRepo.__new__(GitRepo)
    repo.root = example.root
    for label in (
        "現在の評価書",
        "修正案 (R2.6.30諮問時)",
        "修正案 (R2.10.26現在)",
        "作業中の案",
    ):
        assert html.escape(label) in article
    assert "予定 (コミットに結び付いていません)" in article  # R3
    head = repo.git("rev-parse", "HEAD")
    assert f"<code>{head[:7]}</code>" in article
    assert "テスト市 国民年金に関する事務 全項目評価書 &lt;b&gt;" in article


def test_document_groups_items_under_headings_with_stable_anchors(example: Built) -> None:
    article = example.article(f"{SLUG}/document/")
    assert "修正案 (R2.10.26現在) の評価書です" in article
    # the newest milestone's text, not the draft's
    assert "変わらない。" in article and "少し変わった。" not in article
    assert "⑧再委託の許諾方法" in article
    for item_id in ("stay", "sys2-connection", "itaku-count", "itaku3-name", "markup"):
        assert f'id="{item_id}"' in article
    # headings once each, in document order, the item under its groups
    at = [article.index(text) for text in (ITAKU[0], ITAKU[1], "委託事項3", "株式会社パソナ")]
    assert at == sorted(at)
    assert article.count(f">{ITAKU[1]}<") == 1
    assert 'href="../items/itaku3-name/"' in article


def test_draft_shows_only_what_changed_since_the_newest_milestone(example: Built) -> None:
    article = example.article(f"{SLUG}/draft/")
    assert 'id="stay"' in article and 'id="itaku1-sub"' in article
    assert 'id="itaku3-name"' not in article
    assert "<del>変わらない</del><ins>少し変わった</ins>" in article
    assert "見出しの変更: " in article and "<del>⑧</del><ins>⑨</ins>" in article
    assert "【事務所管課による修正】<br>・表記の改善" in article


def test_table_page_is_the_table_of_piakit_table(example: Built) -> None:
    table = comparison_table(Workspace.open(example.root), SLUG)
    article = example.article(f"{SLUG}/table/")
    assert table_fragment(table, lambda row: f"../items/{row.item}/") in article
    assert "変更なし" in article and '<ins class="chg">' in article
    assert "【部会の意見による修正】" in article
    assert "@page { size: A3 landscape" in article
    assert (example.site / SLUG / "table.csv").read_bytes() == render(table, "csv")
    links = re.findall(r'<a href="([^"]+)" download="([^"]+)"', article)
    assert ("../table.csv", f"{SLUG}-table.csv") in links
    assert {href for href, _ in links} >= {"../table.xlsx", "../table.docx"}


def test_changes_page_is_the_sheet_of_piakit_changes(example: Built) -> None:
    sheet = change_sheet(Workspace.open(example.root), SLUG)
    article = example.article(f"{SLUG}/changes/")
    assert "変更日" in article and "提出時期に係る説明" in article
    assert article.count("<tr>") == len(sheet.entries) + 1
    # the comparison table's proportions: the texts wide, the date and the submission narrow
    widths = [float(w) for w in re.findall(r'<col style="width: ([0-9.]+)%">', article)]
    date, item, before, after, submission, note = widths
    assert round(sum(widths)) == 100 and before == after > note > item > date > submission
    for entry in sheet.entries:
        assert f'href="../items/{entry.item}/"' in article
    assert (example.site / SLUG / "changes.csv").read_bytes() == render_changes(sheet, "csv")
    assert (example.site / SLUG / "changes.xlsx").exists()


def test_item_history_lists_every_revision_with_reasons_and_redline(example: Built) -> None:
    article = example.article(f"{SLUG}/items/itaku2-name/")
    revisions = article.count('class="piakit-revision"')
    assert revisions == 2
    assert "2024-01-01" in article and "2024-01-02" in article
    assert "Test Editor" not in article  # authors: hide, the default
    assert "【事務所管課による修正】<br>・表記の改善" in article
    assert (
        "<del>日本電子計算株式会社</del><ins>NECフィールディング株式会社 千葉支社</ins>" in article
    )
    assert "収録された版</th> <td>修正案 (R2.6.30諮問時)" in article


def test_item_url_survives_renumbering(example: Built) -> None:
    article = example.article(f"{SLUG}/items/itaku1-sub/")
    assert "委託事項1 › ⑨再委託の許諾方法" in article  # the draft's heading
    assert "見出しの変更" in article
    assert "<del>⑧</del><ins>⑨</ins>" in article
    assert "まだどの版にも含まれていません" in article


def test_user_text_is_escaped_everywhere(example: Built) -> None:
    for page in example.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert "<b>" not in text, page
    article = example.article(f"{SLUG}/items/markup/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    # titles are printed unescaped by the theme: they carry no markup characters at all
    title = re.search(r"<title>(.*?)</title>", example.page(f"{SLUG}/items/markup/"))
    assert title is not None and "<" not in title.group(1)


def test_every_link_of_the_generated_pages_resolves(example: Built) -> None:
    assert_links_resolve(example.site, example.site.glob(f"{SLUG}/**/*.html"))


def assert_links_resolve(site: Path, pages: Any) -> None:
    checked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if "<article" not in text:
            continue
        article = text[text.index("<article") : text.index("</article>")]
        base = page.relative_to(site).as_posix()
        for href in re.findall(r'href="([^"]+)"', article):
            href = html.unescape(href)
            if urlsplit(href).scheme or href.startswith("#"):
                continue
            target = urlsplit(urljoin("http://x/" + base, href))
            path = site / unquote(target.path.lstrip("/"))
            if target.path.endswith("/"):
                path = path / "index.html"
            assert path.is_file(), f"{base}: {href} → {path}"
            if target.fragment:
                assert f'id="{target.fragment}"' in path.read_text(encoding="utf-8"), href
            checked += 1
    assert checked > 20


# --- what a publisher meets ----------------------------------------------------------------


def many_items(repo: GitRepo, count: int, revisions: int) -> None:
    repo.write_assessment(SLUG, [("current", "現在"), ("m1", "修正案")])
    for revision in range(revisions):
        for n in range(count):  # written as text: dumping hundreds of items is slow
            repo.write(
                f"assessments/{SLUG}/items/i{n:03d}.yaml",
                f"path: [I. 基本情報, 項目{n}]\norder: {n}\n"
                f"text: |\n  {count} 件の {n} 番目、{revision} 回目。\n",
            )
        trailers = [("Milestone", f"{SLUG}/current")] if revision == 0 else KANKA
        if revision == revisions - 1:
            trailers = [*trailers, ("Milestone", f"{SLUG}/m1")]
        repo.commit(f"revision {revision}", trailers=trailers)


def test_history_is_read_once_whatever_the_size(tmp_path: Path) -> None:
    """The git processes of a build do not depend on the number of items (pages) or on the
    length of the history: one log, one ls-tree per milestone shown, one cat-file batch per
    read, a few rev-parse checks."""
    used = []
    for count, revisions in [(5, 3), (50, 3), (50, 9)]:
        root = tmp_path / f"repo-{count}-{revisions}"
        root.mkdir()
        many_items(GitRepo(root), count, revisions)
        before = history.invocations
        site = build_site(root, tmp_path / f"out-{count}-{revisions}")
        used.append(history.invocations - before)
        assert len(list((site / SLUG / "items").iterdir())) == count + 1
    assert used[0] == used[1] == used[2] <= 16, used


def failed_build(root: Path, site_dir: Path, options: str = "") -> str:
    """``mkdocs build`` as a person runs it: the output, after checking that it failed
    with a message and not a traceback."""
    config = write_mkdocs_yml(root, options)
    result = CliRunner().invoke(mkdocs_cli, ["build", "-q", "-f", str(config), "-d", str(site_dir)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "Error" in result.output
    return result.output


def test_a_shallow_clone_stops_with_what_to_do(tmp_path: Path, repo: GitRepo) -> None:
    many_items(repo, 2, 2)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True
    )
    output = failed_build(clone, tmp_path / "out")
    assert "shallow clone" in output and "fetch-depth: 0" in output
    assert not (tmp_path / "out" / SLUG).exists()


def test_a_broken_item_file_stops_with_its_file_and_line(tmp_path: Path, repo: GitRepo) -> None:
    many_items(repo, 2, 1)
    repo.write(
        f"assessments/{SLUG}/items/broken.yaml", "path: [見出し]\ntext: |\n  本文\n page: [\n"
    )
    repo.commit("壊れた項目", trailers=KANKA)
    output = failed_build(repo.root, tmp_path / "out")
    assert re.search(rf"assessments/{SLUG}/items/broken\.yaml\S*:4:\d+: invalid YAML", output)


def test_a_broken_assessment_yaml_stops_with_its_line(tmp_path: Path, repo: GitRepo) -> None:
    many_items(repo, 1, 1)
    repo.write(f"assessments/{SLUG}/assessment.yaml", "title: x\nmilestones: [\n")
    output = failed_build(repo.root, tmp_path / "out")
    assert f"assessments/{SLUG}/assessment.yaml:3:1: invalid YAML" in output


def test_show_draft_off_publishes_only_milestones(tmp_path: Path, repo: GitRepo) -> None:
    many_items(repo, 2, 2)
    repo.write_item(SLUG, item("later", "まだ公表しない。", order=9))
    repo.commit("作業中", trailers=KANKA)
    site = build_site(
        repo.root,
        tmp_path / "out",
        "      show_draft: false\n",
        "repo_url: https://example.org/town/pia\n",
    )
    assert not (site / SLUG / "draft").exists()
    assert not (site / SLUG / "items" / "later").exists()
    assert "まだ公表しない" not in (site / "search" / "search_index.json").read_text("utf-8")
    overview = (site / SLUG / "index.html").read_text("utf-8")
    assert "作業中の案" not in overview
    m1 = repo.git("rev-parse", "HEAD~1")
    assert f'href="https://example.org/town/pia/commit/{m1}"' in overview


def test_milestones_option_chooses_the_columns(tmp_path: Path, repo: GitRepo) -> None:
    many_items(repo, 2, 3)
    site = build_site(
        repo.root, tmp_path / "out", f"      milestones:\n        {SLUG}: [m1, HEAD]\n"
    )
    table = (site / SLUG / "table" / "index.html").read_text("utf-8")
    assert "作業中の案" in table and "現在</th>" not in table
    output = failed_build(repo.root, tmp_path / "out2", "      milestones:\n        nope: [m1]\n")
    assert "assessments that do not exist: nope" in output
    output = failed_build(
        repo.root, tmp_path / "out3", f"      milestones:\n        {SLUG}: [m9]\n"
    )
    assert "milestone 'm9' of kokumin is not declared" in output


def test_every_rebuild_reads_the_new_history(tmp_path: Path, repo: GitRepo) -> None:
    """What ``mkdocs serve`` does: the same config built again after a commit."""
    many_items(repo, 2, 1)
    config = load_config(
        config_file=str(write_mkdocs_yml(repo.root)), site_dir=str(tmp_path / "out")
    )
    build(config)
    repo.write_item(SLUG, item("i000", "コミットの後の文。", order=0))
    repo.commit("修正", trailers=KANKA)
    build(config)
    assert "コミットの後の文" in (
        tmp_path / "out" / SLUG / "items" / "i000" / "index.html"
    ).read_text("utf-8")


def test_serve_watches_the_assessments_and_the_commits(repo: GitRepo) -> None:
    many_items(repo, 1, 1)
    config = load_config(config_file=str(write_mkdocs_yml(repo.root)))
    plugin = config.plugins["piakit"]
    assert isinstance(plugin, PiakitPlugin)
    plugin.on_config(config)

    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    plugin.on_serve(Server(), config=config, builder=None)  # type: ignore[arg-type]
    assert str(repo.root / "assessments") in watched
    assert str(repo.root / ".git" / "refs") in watched


def test_an_assessment_with_no_milestone_bound_yet(tmp_path: Path, repo: GitRepo) -> None:
    repo.write_assessment(SLUG, [("current", "現在の評価書")])
    repo.write_item(SLUG, item("a", "最初の案。"))
    repo.commit("最初の案")
    site = build_site(repo.root, tmp_path / "out")
    assert "作業中の案 (最新のコミット) を表示しています" in (
        site / SLUG / "document" / "index.html"
    ).read_text("utf-8")
    assert "まだ計算できません" in (site / SLUG / "table" / "index.html").read_text("utf-8")
    assert not (site / SLUG / "table.csv").exists()
    assert (site / SLUG / "items" / "a" / "index.html").is_file()


def test_a_home_page_is_made_when_the_docs_have_none(tmp_path: Path, repo: GitRepo) -> None:
    many_items(repo, 1, 1)
    config = write_mkdocs_yml(repo.root, home=False)
    build(load_config(config_file=str(config), site_dir=str(tmp_path / "out"), strict=True))
    home = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert f'<a href="{SLUG}/"><strong>テスト市 テスト事務 全項目評価書</strong></a>' in home
    assert '<a href="." title="テストのサイト"' in home  # the header links to it


def test_links_resolve_without_directory_urls(tmp_path: Path, repo: GitRepo) -> None:
    many_items(repo, 3, 2)
    site = build_site(repo.root, tmp_path / "out", extra="use_directory_urls: false\n")
    assert (site / SLUG / "items" / "i001" / "index.html").is_file()
    # HEAD is the newest milestone: no draft page, and the overview says so
    assert not (site / SLUG / "draft.html").exists()
    assert "作業中の案: 最新の版から変更はありません" in (site / SLUG / "index.html").read_text(
        "utf-8"
    )
    assert_links_resolve(site, site.glob(f"{SLUG}/**/*.html"))
    assert Urls(False).href(f"{SLUG}/items/a/index.md", f"{SLUG}/document.md", "a") == (
        "../../document.html#a"
    )


# --- in a browser ----------------------------------------------------------------------------


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """``site`` served on a free port of 127.0.0.1 for the life of the block: its base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(example: Built) -> Iterator[str]:
    with serve(example.site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_the_site_in_a_browser(served: str) -> None:
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.on("page", lambda page: page.on("dialog", lambda d: dialogs.append(d.message)))

            page = context.new_page()
            page.goto(served + f"{SLUG}/table/")
            unchanged = page.locator("table.piakit-table td.status.unchanged")
            assert unchanged.count() >= 3
            assert unchanged.first.inner_text() == "変更なし"
            assert unchanged.first.is_visible()
            underlined = page.locator("table.piakit-table ins.chg")
            assert underlined.count() >= 3
            decoration = underlined.first.evaluate("e => getComputedStyle(e).textDecorationLine")
            assert "underline" in decoration
            assert page.locator("table.piakit-table thead th").first.inner_text() == (
                "対応する評価書の項目"
            )

            page.goto(served + f"{SLUG}/items/itaku2-name/")
            assert page.locator("section.piakit-revision").count() == 2
            assert page.locator("section.piakit-revision h2").first.inner_text().startswith("1. ")

            for url in (f"{SLUG}/items/markup/", f"{SLUG}/document/"):
                page.goto(served + url)
                page.wait_for_load_state("load")
            assert "<script>alert(1)</script>" in page.locator("#markup").locator("..").inner_text()
            page.close()

            page = context.new_page()
            page.goto(served + f"{SLUG}/table/")
            page.emulate_media(media="print")
            assert not page.locator(".md-header").is_visible()
            header = page.locator("table.piakit-table thead")
            assert header.evaluate("e => getComputedStyle(e).display") == "table-header-group"
            page.close()

            for query, expected in (
                ("委託先", {"items/itaku1-sub/", "items/itaku2-name/", "document/#itaku3-name"}),
                ("パソナ", {"items/itaku3-name/", "document/#itaku3-name"}),
            ):
                results = {
                    href.removeprefix(served + f"{SLUG}/")
                    for href in search(context.new_page(), served, query)
                }
                assert expected <= results, (query, results)
                assert not {"items/stay/", "items/lines/", "items/markup/"} & results, results
        finally:
            browser.close()
    assert dialogs == []


def search(page: Any, served: str, query: str) -> list[str]:
    """Material's search box, as a person uses it: type, then a key event (its Japanese
    search reacts to key events only), then the result links."""
    page.goto(served)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    links = page.locator(".md-search-result__list a.md-search-result__link")
    links.first.wait_for(timeout=10_000)
    hrefs: list[str] = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    page.close()
    return hrefs


# --- the repository's own site ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "chiba-kokumin-nenkin"


def test_the_repository_publishes_its_example(tmp_path: Path) -> None:
    """``mkdocs build --strict`` at the root: the documentation and the example assessment."""
    site = tmp_path / "out"
    build(load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True))
    for url in ("format", "cli", "site", EXAMPLE, f"{EXAMPLE}/document", f"{EXAMPLE}/table"):
        assert (site / url / "index.html").is_file(), url
    workspace = Workspace.open(ROOT)
    items = {p.stem for p in (ROOT / "assessments" / EXAMPLE / "items").glob("*.yaml")}
    assert items <= {p.name for p in (site / EXAMPLE / "items").iterdir()}
    table = (site / EXAMPLE / "table" / "index.html").read_text("utf-8")
    fragment = table_fragment(comparison_table(workspace, EXAMPLE), lambda r: f"../items/{r.item}/")
    assert fragment in table
    assert "株式会社パソナ" in table
