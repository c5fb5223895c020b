"""Build the fictional example of the whole assessment cycle (架空市, 児童手当) in DIR.

    python examples/cycle/build.py DIR

DIR (new or empty) becomes a git repository of assessments, laid out as ``piakit init``
lays one out, with one assessment whose history goes through the whole cycle: 素案 →
意見募集 → 諮問 → 答申 → 公表 → 見直し, opinions from the public comment (意見募集) and from
the council's 部会 (第三者点検) with every outcome, the commits that answer them
(``Resolves:``), and a 重要な変更 after publication (so ``piakit status`` says 再実施が必要).

The municipality, its staff, its contractors and every opinion are invented. Identity, dates
and the git configuration are pinned: every run makes the same commit ids. Only the standard
library and piakit; git runs as a command.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from piakit import documents
from piakit.conventions import DEFAULT_OPINION_SOURCES
from piakit.model import Assessment, Choice, Item, Milestone, Selection
from piakit.usecases.init import TEMPLATES, plan_files

SLUG = "kakuu-jidou-teate"
ORGANIZATION = "架空市"
TITLE = "児童手当に関する事務 全項目評価書 (架空の例)"
AUTHOR = ("架空市 こども家庭課", "kodomo-katei@kakuu.example.jp")
PUBLISHER = ("架空市 情報政策課", "jouhou-seisaku@kakuu.example.jp")
BUKAI = "架空市情報公開・個人情報保護審議会 第2部会"
NOTICE = (
    "このリポジトリは、piakit の使い方を示すための **架空の例** です。"
    "架空市、その職員、委託先、意見はすべて架空のものです。"
)

CATEGORIES = ("事務所管課による修正", "意見募集の意見による修正", "部会の意見による修正")
SHOKAN, IKEN, BUKAI_FIX = CATEGORIES

PART_1 = "I. 基本情報"
PART_2 = "II. 特定個人情報ファイルの概要"
PART_3 = "III. 特定個人情報ファイルの取扱いプロセスにおけるリスク対策"
PART_4 = "IV. その他のリスク対策"
ITAKU = "4. 特定個人情報ファイルの取扱いの委託"

# --- the assessment as first drafted (素案) ---------------------------------------------------

FIRST_DRAFT: tuple[Item, ...] = (
    Item(
        "1-1-jimu-naiyou",
        (PART_1, "1. 特定個人情報ファイルを取り扱う事務", "②事務の内容"),
        page=2,
        order=100,
        text=(
            "児童手当法に基づき、児童を養育する者に児童手当を支給する。\n"
            "・認定請求の受付及び審査\n"
            "・現況の確認\n"
            "・手当の支給"
        ),
    ),
    Item(
        "2-2-3-taishou-kazu",
        (PART_2, "2. 基本情報", "③対象となる本人の数"),
        page=5,
        order=1030,
        important=True,
        select=Selection("1万人以上10万人未満"),
    ),
    Item(
        "2-2-4-kiroku-koumoku",
        (PART_2, "2. 基本情報", "④記録される項目"),
        page=5,
        order=1040,
        important=True,
        choices=(
            Choice("識別情報", True),
            Choice("連絡先等情報", True),
            Choice("業務関係情報", True),
            Choice("その他", False),
        ),
    ),
    Item(
        "2-3-1-nyuushumoto",
        (PART_2, "3. 特定個人情報の入手・使用", "①入手元"),
        page=6,
        order=1100,
        important=True,
        choices=(
            Choice("本人又は本人の代理人", True),
            Choice("評価実施機関内の他部署", True, "市民課、税務課"),
            Choice("地方公共団体・地方独立行政法人", True, "他市町村"),
            Choice("その他", False),
        ),
    ),
    Item(
        "2-3-5-honnin-meiji",
        (PART_2, "3. 特定個人情報の入手・使用", "⑤本人への明示"),
        page=6,
        order=1150,
        text="認定請求書に利用目的を記載する。",
    ),
    Item(
        "2-3-7-shiyou-busho",
        (PART_2, "3. 特定個人情報の入手・使用", "⑦使用の主体", "使用部署"),
        page=7,
        order=1170,
        text="こども家庭課",
    ),
    Item(
        "2-4-itaku-umu",
        (PART_2, ITAKU, "委託の有無"),
        page=8,
        order=2000,
        important=True,
        select=Selection("委託する", "(1) 件"),
    ),
    Item(
        "2-4-itaku1-6-itaku-saki-mei",
        (PART_2, ITAKU, "委託事項1", "⑥委託先名"),
        page=8,
        order=2060,
        text="架空データサービス株式会社",
    ),
    Item(
        "2-4-itaku1-8-sai-itaku-kyodaku",
        (PART_2, ITAKU, "委託事項1", "⑧再委託の許諾方法"),
        page=8,
        order=2080,
        text="委託先は、あらかじめ市の承諾を得た場合に限り再委託できる。",
    ),
    Item(
        "2-6-1-hokan-basho",
        (PART_2, "6. 特定個人情報の保管・消去", "①保管場所"),
        page=9,
        order=2600,
        important=True,
        text=(
            "・入退室管理を行っているサーバ室に設置したサーバ内に保管する。\n"
            "・紙の申請書は、施錠できる書庫に保管する。"
        ),
    ),
    Item(
        "3-3-kengen-kanri",
        (
            PART_3,
            "3. 特定個人情報の使用",
            "リスク2: 権限のない者によって不正に使用されるリスク",
            "アクセス権限の管理 具体的な管理方法",
        ),
        page=12,
        order=3300,
        text="人事異動の都度、所属長の申請に基づいてアクセス権限を付与し、又は削除する。",
    ),
    Item(
        "3-4-itaku-kanri",
        (PART_3, ITAKU, "委託契約書中の特定個人情報ファイルの取扱いに関する規定", "規定の内容"),
        page=13,
        order=3400,
        text="・秘密保持義務\n・事業所内からの特定個人情報の持出しの禁止",
    ),
    Item(
        "3-4-shoukyo-ruuru",
        (PART_3, ITAKU, "特定個人情報の消去ルール", "ルール内容及びルール遵守の確認方法"),
        page=13,
        order=3420,
        text="契約終了時に、委託先が保有する特定個人情報を消去させる。",
    ),
    Item(
        "3-7-butsuriteki-taisaku",
        (
            PART_3,
            "7. 特定個人情報の保管・消去",
            "リスク1: 特定個人情報の漏えい・滅失・毀損リスク",
            "⑤物理的対策 具体的な対策の内容",
        ),
        page=15,
        order=3700,
        text=(
            "・サーバ室への入退室は、ICカードにより管理する。\n"
            "・バックアップ媒体は、施錠できる保管庫に保管する。"
        ),
    ),
    Item(
        "4-1-jiko-tenken",
        (PART_4, "1. 監査", "①自己点検 具体的なチェック方法"),
        page=17,
        order=4100,
        text="年1回、評価書の記載内容どおりに運用されているかを点検する。",
    ),
    Item(
        "4-3-kyouiku",
        (PART_4, "3. 従業者に対する教育・啓発", "具体的な方法"),
        page=17,
        order=4300,
        text="新たに配属された職員に対し、個人情報保護の研修を行う。",
    ),
)

# --- the milestones, declared one by one as the cycle reaches them ----------------------------

MILESTONES = {
    "soan": Milestone("soan", "素案 (R6.4.15)", dt.date(2024, 4, 15), "素案"),
    "ikenboshuu": Milestone(
        "ikenboshuu", "意見募集時の案 (R6.5.1)", dt.date(2024, 5, 1), "意見募集"
    ),
    "shimon": Milestone("shimon", "修正案 (R6.7.1諮問時)", dt.date(2024, 7, 1), "諮問"),
    "toushin": Milestone("toushin", "修正案 (R6.9.30答申時)", dt.date(2024, 9, 30), "答申"),
    "kouhyou": Milestone("kouhyou", "公表した評価書 (R6.10.31)", dt.date(2024, 10, 31), "公表"),
    "minaoshi": Milestone("minaoshi", "見直し (R7.10.20)", dt.date(2025, 10, 20), "見直し"),
}


class Builder:
    """The repository being built: files written, then committed at a pinned date."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items = {item.id: item for item in FIRST_DRAFT}
        self.milestones: list[Milestone] = []
        # git reads no configuration of the person running this (GIT_CONFIG_GLOBAL).
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(root),
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "LANG": "C.UTF-8",
            "TZ": "Asia/Tokyo",
        }

    # --- git ----------------------------------------------------------------------------------

    def git(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
        proc = subprocess.run(
            ["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
            cwd=self.root,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**self.env, **(env or {})},
            check=False,
        )
        if proc.returncode != 0:
            sys.exit(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
        return proc.stdout.strip()

    def commit(
        self,
        when: str,
        subject: str,
        trailers: list[tuple[str, str]] | None = None,
        *,
        body: str = "",
        who: tuple[str, str] = AUTHOR,
    ) -> str:
        """Commit everything at ``when`` (``2024-06-10``, 10:00 in Japan)."""
        stamp = f"{when}T10:00:00+09:00"
        message = subject + (f"\n\n{body}" if body else "")
        if trailers:
            message += "\n\n" + "\n".join(f"{key}: {value}" for key, value in trailers)
        self.git("add", "-A")
        name, email = who
        self.git(
            "commit",
            "-q",
            "--cleanup=verbatim",
            "-F",
            "-",
            stdin=message + "\n",
            env={
                "GIT_AUTHOR_NAME": name,
                "GIT_AUTHOR_EMAIL": email,
                "GIT_AUTHOR_DATE": stamp,
                "GIT_COMMITTER_NAME": name,
                "GIT_COMMITTER_EMAIL": email,
                "GIT_COMMITTER_DATE": stamp,
            },
        )
        return self.git("rev-parse", "HEAD")

    # --- files --------------------------------------------------------------------------------

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))

    def write_assessment(self) -> None:
        assessment = Assessment(
            slug=SLUG,
            title=TITLE,
            organization=ORGANIZATION,
            form="平成30年5月 様式4",
            affair="児童手当",
            milestones=tuple(self.milestones),
            reason_categories=CATEGORIES,
        )
        text = documents.dump_assessment(assessment)
        # The sources are the default ones, written out so that a reader sees where they go.
        text += "opinion_sources:\n" + "".join(f"  - {s}\n" for s in DEFAULT_OPINION_SOURCES)
        self.write(f"assessments/{SLUG}/assessment.yaml", text)

    def write_item(self, item: Item) -> None:
        self.items[item.id] = item
        self.write(f"assessments/{SLUG}/items/{item.id}.yaml", documents.dump_item(item))

    def change(self, item_id: str, **values: Any) -> None:
        """Rewrite one item with some of its fields changed."""
        self.write_item(replace(self.items[item_id], **values))

    def write_opinion(
        self,
        opinion_id: str,
        source: str,
        received: str,
        summary: str,
        outcome: str = "open",
        response: str | None = None,
        sender: str | None = None,
    ) -> None:
        """An opinion file in the canonical key order (docs/format.md)."""
        lines = [f"source: {source}", f"received: {received}"]
        if sender:
            lines.append(f"from: {sender}")
        lines += ["summary: |", *(f"  {line}" for line in summary.splitlines())]
        if response:
            lines += ["response: |", *(f"  {line}" for line in response.splitlines())]
        lines.append(f"outcome: {outcome}")
        self.write(f"assessments/{SLUG}/opinions/{opinion_id}.yaml", "\n".join(lines) + "\n")

    def milestone(self, key: str, when: str) -> None:
        """Declare the milestone in assessment.yaml, commit, and tag the commit (as a
        publisher does with ``piakit milestone add``)."""
        milestone = MILESTONES[key]
        self.milestones.append(milestone)
        self.write_assessment()
        self.commit(when, f"版「{milestone.label}」を記録", who=PUBLISHER)
        self.git("tag", f"{SLUG}/{milestone.id}")


def resolves(*opinion_ids: str) -> list[tuple[str, str]]:
    return [("Resolves", f"{SLUG}/{opinion_id}") for opinion_id in opinion_ids]


def reason(category: str, *texts: str) -> list[tuple[str, str]]:
    return [("Reason-Category", category), *(("Reason", text) for text in texts)]


# --- the history ------------------------------------------------------------------------------


def build(root: Path) -> None:
    if root.exists() and any(root.iterdir()):
        sys.exit(f"{root} is not empty: name a new or empty folder")
    root.mkdir(parents=True, exist_ok=True)
    b = Builder(root)
    b.git("init", "-q", "-b", "main")

    # The repository, as `piakit init DIR --organization 架空市` writes it.
    for name, content in plan_files(ORGANIZATION, "piakit", TEMPLATES).items():
        text = content.decode("utf-8")
        if name == "mkdocs.yml":
            text = text.replace(
                'site_name: "架空市 特定個人情報保護評価書"',
                'site_name: "架空市 特定個人情報保護評価書 (架空の例)"',
            )
        elif name in ("docs/index.md", "README.md"):
            heading, _, rest = text.partition("\n\n")
            text = f"{heading} (架空の例)\n\n{NOTICE}\n\n{rest}"
        b.write(name, text)
    b.commit("2024-04-01", "評価書のリポジトリを作る (piakit init)", who=PUBLISHER)

    # 素案: the department's first draft. The first version needs no reason.
    for item in FIRST_DRAFT:
        b.write_item(item)
    b.write_assessment()
    b.commit("2024-04-15", "素案を作成")
    b.milestone("soan", "2024-04-15")

    # Before the public comment: the department's own corrections.
    b.change(
        "2-3-5-honnin-meiji",
        text=(
            "・児童手当法第7条において認定請求の手続が定められている。\n"
            "・認定請求書に利用目的を記載する。"
        ),
    )
    b.commit("2024-04-25", "本人への明示の根拠を記載", reason(SHOKAN, "表記の改善"))
    b.milestone("ikenboshuu", "2024-05-01")

    # 意見募集 (2024-05-01 to 05-31): three opinions, recorded when they came in.
    b.write_opinion(
        "pc-2024-05-10",
        "意見募集",
        "2024-05-10",
        "特定個人情報を使う部署と職員の人数が分からない。使用する者の範囲を明記してほしい。",
    )
    b.write_opinion(
        "pc-2024-05-20",
        "意見募集",
        "2024-05-20",
        "児童手当の事務でマイナンバーを使うのをやめてほしい。",
    )
    b.write_opinion(
        "pc-2024-05-28",
        "意見募集",
        "2024-05-28",
        "委託先が持っている個人番号が、契約の終わった後にどう消されるのかを書いてほしい。",
    )
    b.commit("2024-06-03", "意見募集で寄せられた意見を記録")

    b.write_item(
        Item(
            "2-3-7-shiyousha-suu",
            (PART_2, "3. 特定個人情報の入手・使用", "⑦使用の主体", "使用者数"),
            page=7,
            order=1175,
            select=Selection("10人以上50人未満"),
        )
    )
    b.change("2-3-7-shiyou-busho", text="こども未来部 こども家庭課、各区役所 保健福祉センター")
    b.write_opinion(
        "pc-2024-05-10",
        "意見募集",
        "2024-05-10",
        "特定個人情報を使う部署と職員の人数が分からない。使用する者の範囲を明記してほしい。",
        "reflected",
        "ご意見を踏まえ、使用部署に区役所を加えて具体的に記載し、使用者数を追記しました。",
    )
    b.commit(
        "2024-06-10",
        "使用部署を具体的に記載し、使用者数を追記",
        reason(IKEN, "使用部署及び使用者数の明記") + resolves("pc-2024-05-10"),
    )

    b.change(
        "3-4-shoukyo-ruuru",
        text=(
            "契約終了時に、委託先が保有する特定個人情報を消去させる。\n"
            "・消去は、復元できない方法で行わせる。"
        ),
    )
    b.commit(
        "2024-06-12",
        "委託先での消去の方法を記載",
        reason(IKEN, "委託先における消去方法の記載") + resolves("pc-2024-05-28"),
    )

    b.write_opinion(
        "pc-2024-05-20",
        "意見募集",
        "2024-05-20",
        "児童手当の事務でマイナンバーを使うのをやめてほしい。",
        "not-reflected",
        "児童手当の事務における個人番号の利用は、番号法第9条第1項及び別表に定められています。\n"
        "評価書では、その利用に伴うリスクと対策を記載しています。",
    )
    b.commit("2024-06-14", "意見募集の意見に対する市の考え方を記録")

    b.change("2-4-itaku1-6-itaku-saki-mei", text="架空情報システム株式会社 架空支店")
    b.commit(
        "2024-06-20",
        "委託先名を契約の更新に合わせて修正",
        reason(SHOKAN, "令和6年4月1日契約更新による修正"),
    )
    b.milestone("shimon", "2024-07-01")

    # 第三者点検: the 部会 reviews the draft (諮問) and gives its opinions.
    b.write_opinion(
        "bukai-2024-07-25-1",
        "第三者点検",
        "2024-07-25",
        "委託先の管理の視点について記載すること。",
        sender=BUKAI,
    )
    b.write_opinion(
        "bukai-2024-07-25-2",
        "第三者点検",
        "2024-07-25",
        "再委託の許諾の方法を具体的に記載すること。",
        sender=BUKAI,
    )
    b.commit("2024-07-29", "部会の意見を記録")

    b.change(
        "3-4-itaku-kanri",
        text=(
            "・秘密保持義務\n"
            "・事業所内からの特定個人情報の持出しの禁止\n"
            "・委託先における取扱状況についての報告及び市による立入調査"
        ),
    )
    b.change(
        "2-4-itaku1-8-sai-itaku-kyodaku",
        text=(
            "委託先は、再委託の理由、再委託先、再委託の内容及び再委託先に対する監督方法を"
            "書面で市に通知し、市の承諾を得た場合に限り再委託できる。"
        ),
    )
    b.write_opinion(
        "bukai-2024-07-25-1",
        "第三者点検",
        "2024-07-25",
        "委託先の管理の視点について記載すること。",
        "reflected",
        "委託先からの報告と市による立入調査を、委託契約書の規定に追記しました。",
        BUKAI,
    )
    b.write_opinion(
        "bukai-2024-07-25-2",
        "第三者点検",
        "2024-07-25",
        "再委託の許諾の方法を具体的に記載すること。",
        "reflected",
        "書面による通知と市の承諾の手続を具体的に記載しました。",
        BUKAI,
    )
    b.commit(
        "2024-08-05",
        "委託先の管理と再委託の許諾方法を具体的に記載",
        reason(BUKAI_FIX, "委託先の管理の視点について記載", "再委託の許諾方法の具体化")
        + resolves("bukai-2024-07-25-1", "bukai-2024-07-25-2"),
    )

    b.write_opinion(
        "bukai-2024-08-20-1",
        "第三者点検",
        "2024-08-20",
        "委託先における消去について、消去したことの確認方法を記載すること。",
        sender=BUKAI,
    )
    b.write_opinion(
        "bukai-2024-08-20-2",
        "第三者点検",
        "2024-08-20",
        "バックアップ媒体の保管場所の所在地を具体的に記載すること。",
        sender=BUKAI,
    )
    b.commit("2024-08-23", "部会の意見を記録 (第2回)")

    b.change(
        "3-4-shoukyo-ruuru",
        text=(
            "契約終了時に、委託先が保有する特定個人情報を消去させる。\n"
            "・消去は、復元できない方法で行わせる。\n"
            "・消去後、委託先から消去証明書を提出させ、消去を確認する。"
        ),
    )
    b.write_opinion(
        "pc-2024-05-28",
        "意見募集",
        "2024-05-28",
        "委託先が持っている個人番号が、契約の終わった後にどう消されるのかを書いてほしい。",
        "reflected",
        "契約終了時に復元できない方法で消去させ、消去証明書で確認することを記載しました。",
    )
    b.write_opinion(
        "bukai-2024-08-20-1",
        "第三者点検",
        "2024-08-20",
        "委託先における消去について、消去したことの確認方法を記載すること。",
        "reflected",
        "消去証明書の提出により確認することを記載しました。",
        BUKAI,
    )
    b.write_opinion(
        "bukai-2024-08-20-2",
        "第三者点検",
        "2024-08-20",
        "バックアップ媒体の保管場所の所在地を具体的に記載すること。",
        "not-reflected",
        "保管場所の所在地を公表すると、物理的な安全管理措置に支障が生じるおそれがあるため、"
        "記載しません。\n施錠できる保管庫に保管していることは記載しています。",
        BUKAI,
    )
    b.commit(
        "2024-09-02",
        "委託先での消去の確認方法を追記",
        reason(BUKAI_FIX, "委託先における消去の確認方法の追加")
        + resolves("bukai-2024-08-20-1", "pc-2024-05-28"),
    )

    b.change(
        "4-3-kyouiku",
        text=(
            "・新たに配属された職員に対し、個人情報保護の研修を行う。\n"
            "・全職員に対し、年1回、特定個人情報の取扱いに関する研修を行う。"
        ),
    )
    b.commit("2024-09-10", "研修の記載を追加", reason(SHOKAN, "事務の実態に合わせ追加"))
    b.milestone("toushin", "2024-09-30")

    b.change(
        "1-1-jimu-naiyou",
        text=(
            "児童手当法に基づき、児童を養育する者に児童手当を支給する。\n"
            "・認定請求の受付及び審査\n"
            "・現況の確認\n"
            "・手当の支給及び支給額の改定"
        ),
    )
    b.commit("2024-10-15", "事務の内容の字句を修正", reason(SHOKAN, "表記の改善"))
    b.milestone("kouhyou", "2024-10-31")

    # A year later: the yearly review (見直し).
    b.change(
        "4-1-jiko-tenken",
        text=(
            "年1回、評価書の記載内容どおりに運用されているかを、チェックリストを用いて点検する。"
        ),
    )
    b.commit(
        "2025-10-10",
        "自己点検の方法を具体的に記載",
        reason(SHOKAN, "令和7年度の見直しによる修正"),
    )
    b.milestone("minaoshi", "2025-10-20")

    # The 部会 asks about a change the department is preparing: open for now.
    b.write_opinion(
        "bukai-2025-11-10",
        "第三者点検",
        "2025-11-10",
        "公金受取口座の利用を始める場合は、重要な変更として評価を再実施すること。",
        sender=BUKAI,
    )
    b.commit("2025-11-14", "部会の意見を記録 (見直しの報告に対して)")

    # A 重要な変更 in the working draft: the assessment must be done again before it applies.
    b.change(
        "2-2-4-kiroku-koumoku",
        choices=(
            Choice("識別情報", True),
            Choice("連絡先等情報", True),
            Choice("業務関係情報", True),
            Choice("その他", True, "公金受取口座情報"),
        ),
    )
    b.change(
        "2-3-1-nyuushumoto",
        choices=(
            Choice("本人又は本人の代理人", True),
            Choice("評価実施機関内の他部署", True, "市民課、税務課"),
            Choice("地方公共団体・地方独立行政法人", True, "他市町村"),
            Choice("その他", True, "デジタル庁 (公金受取口座)"),
        ),
    )
    b.commit(
        "2025-12-01",
        "公金受取口座の利用開始に向けて記録される項目と入手元を追加",
        reason(SHOKAN, "公金受取口座の利用開始に伴う追加"),
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.exit("usage: python examples/cycle/build.py DIR")
    build(Path(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
