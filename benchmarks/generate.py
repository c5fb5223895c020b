"""A synthetic assessments repository in DESIGN.md's format, for the benchmarks.

A city's repository: ``--assessments`` assessments of ``--items`` items each, ``--commits``
commits in all (the first of each assessment adds all its items and binds ``current`` with a
``Milestone:`` trailer; every other commit changes 1 to 5 items of one assessment and carries
``Reason-Category``/``Reason`` trailers), and every ``--tag-every`` commits an annotated tag
``<slug>/m<N>`` on every assessment, each declared in its ``assessment.yaml``. Items hold
realistic Japanese text of a few hundred characters, checkbox groups and selections, in the
canonical form ``piakit fmt`` writes.

The whole history is written by one ``git fast-import`` (seconds, not the minutes that 2,000
``git commit`` would take), then checked out. The same seed gives the same commits, byte for
byte. This module imports nothing from piakit: it can build the repository for any version.

    python benchmarks/generate.py --out /tmp/city            # 30 × 200 items, 2,000 commits
    python benchmarks/generate.py --assessments 2 --items 5 --commits 10 --out /tmp/tiny
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

JST = dt.timezone(dt.timedelta(hours=9))
#: The first commit's time; each later commit is ``COMMIT_STEP`` after the one before.
EPOCH = dt.datetime(2016, 4, 1, 9, 0, tzinfo=JST)
COMMIT_STEP = dt.timedelta(hours=13)
EDITORS = (
    ("山田 花子", "yamada@city.example.jp"),
    ("佐藤 一郎", "sato@city.example.jp"),
    ("鈴木 恵", "suzuki@city.example.jp"),
    ("高橋 誠", "takahashi@city.example.jp"),
)
PUBLISHER = ("情報政策課", "johoseisaku@city.example.jp")

# --- the vocabulary ------------------------------------------------------------------------

#: (slug, 事務) of the assessments a city keeps.
AFFAIRS = (
    ("juminkihon-daicho", "住民基本台帳"),
    ("kokumin-nenkin", "国民年金"),
    ("kokumin-kenko-hoken", "国民健康保険"),
    ("kaigo-hoken", "介護保険"),
    ("jido-teate", "児童手当"),
    ("seikatsu-hogo", "生活保護"),
    ("kojin-juminzei", "個人住民税"),
    ("kotei-shisanzei", "固定資産税"),
    ("kei-jidoshazei", "軽自動車税"),
    ("koki-koreisha-iryo", "後期高齢者医療"),
    ("shogaisha-fukushi", "障害者福祉"),
    ("jido-fuyo-teate", "児童扶養手当"),
    ("yobo-sesshu", "予防接種"),
    ("boshi-hoken", "母子保健"),
    ("shugaku-enjo", "就学援助"),
    ("tokubetsu-jido-fuyo-teate", "特別児童扶養手当"),
    ("shiei-jutaku", "市営住宅"),
    ("koseki", "戸籍"),
    ("kenko-zoshin", "健康増進"),
    ("kodomo-kosodate-shien", "子ども・子育て支援"),
    ("saigai-taisaku", "災害対策"),
    ("chugoku-zanryu-hojin", "中国残留邦人等支援"),
    ("shogaiji-shien", "障害児支援"),
    ("tokubetsu-shogaisha-teate", "特別障害者手当"),
    ("hojin-shiminzei", "法人市民税"),
    ("shuno-kanri", "収納管理"),
    ("tainou-seiri", "滞納整理"),
    ("hitorioya-iryo", "ひとり親家庭等医療費助成"),
    ("kodomo-iryo", "子ども医療費助成"),
    ("shokuin-kyuyo", "職員給与"),
)

#: The form's chapters and sections (様式4): the first two levels of every item's path.
SECTIONS = (
    (
        "I. 基本情報",
        (
            "1. 特定個人情報ファイルを取り扱う事務",
            "2. 特定個人情報ファイルを取り扱う事務において使用するシステム",
            "4. 個人番号の利用",
            "5. 情報提供ネットワークシステムによる情報連携",
            "6. 評価実施機関における担当部署",
        ),
    ),
    (
        "II. 特定個人情報ファイルの概要",
        (
            "2. 基本情報",
            "3. 特定個人情報の入手・使用",
            "4. 特定個人情報ファイルの取扱いの委託",
            "5. 特定個人情報の提供・移転(委託に伴うものを除く。)",
            "6. 特定個人情報の保管・消去",
        ),
    ),
    (
        "III. 特定個人情報ファイルの取扱いプロセスにおけるリスク対策",
        (
            "2. 特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)",
            "3. 特定個人情報の使用",
            "4. 特定個人情報ファイルの取扱いの委託",
            "5. 特定個人情報の提供・移転(委託や情報提供ネットワークシステムを通じた提供を除く。)",
            "6. 情報提供ネットワークシステムとの接続",
            "7. 特定個人情報の保管・消去",
        ),
    ),
    (
        "IV. その他のリスク対策",
        (
            "1. 監査",
            "2. 従業者に対する教育・啓発",
            "3. その他のリスク対策",
        ),
    ),
    (
        "V. 開示請求、問合せ",
        (
            "1. 特定個人情報の開示・訂正・利用停止請求",
            "2. 特定個人情報ファイルの取扱いに関する問合せ",
        ),
    ),
)
#: The third level: a risk, an entrusted task, a system.
GROUPS = (
    "リスク1:目的外の入手が行われるリスク",
    "リスク2:不適切な方法で入手が行われるリスク",
    "リスク3:入手した特定個人情報が不正確であるリスク",
    "リスク4:入手の際に特定個人情報が漏えい・紛失するリスク",
    "委託事項1",
    "委託事項2",
    "委託事項3",
    "システム1",
    "システム2",
    "特定個人情報ファイルの閲覧者・更新者の制限",
    "特定個人情報ファイルの取扱いの記録",
    "特定個人情報の消去ルール",
)
#: The leaf headings.
LEAVES = (
    "①事務の内容",
    "②システムの機能",
    "③他のシステムとの接続",
    "④提供方法",
    "⑤本人への明示",
    "⑥委託先名",
    "⑦再委託の有無",
    "⑧再委託事項",
    "⑨使用開始日",
    "リスクに対する措置の内容",
    "具体的な管理方法",
    "具体的な方法",
    "具体的な対策の内容",
    "手続の内容",
    "その他の措置の内容",
)
HEADERS = (
    "【本人又は本人の代理人からの入手】",
    "【庁内連携システムによる入手】",
    "【区政事務センター業務委託】※区政推進課事務取扱",
    "<その他の対策>",
    "【システム運用保守業務委託】",
    "【日本年金機構からの入手】",
)
SENTENCES = (
    "・申請書等の様式に記載を求める項目は、法令等で定められた必要最小限の項目に限定している。",
    "・窓口で受け付ける際は、本人確認書類により本人であることを確認し、対象者以外の情報を入手しないようにしている。",
    "・庁内連携システムでは、事務に必要な情報のみを参照できるよう、業務ごとにアクセス権限を設定している。",
    "・システムへのログインは職員ごとに付与したID及びパスワードによる認証とし、パスワードは定期的に変更している。",
    "・アクセス権限の付与及び失効は、人事異動の都度、所属長の承認を得て情報政策課が行っている。",
    "・操作ログを取得し、不正な操作がないことを定期的に確認している。",
    "・委託先とは秘密保持、目的外利用の禁止、再委託の制限等を定めた契約を締結している。",
    "・委託先に対しては、年1回以上の立入検査又は書面による報告を求め、取扱状況を確認している。",
    "・再委託を行う場合は、事前に書面による承認を求め、再委託先にも同等の義務を課している。",
    "・特定個人情報を含む帳票は施錠できる書庫に保管し、保存期間が経過したものは溶解処理している。",
    "・サーバは入退室管理を行っているデータセンターに設置し、監視カメラによる監視を行っている。",
    "・電子記録媒体の使用は原則として禁止し、使用する場合は所属長の許可を得て暗号化している。",
    "・特定個人情報の提供は、番号法第19条各号に該当する場合に限り、提供先と提供内容を記録している。",
    "・情報提供ネットワークシステムとの接続は、中間サーバー・プラットフォームを経由して行っている。",
    "・中間サーバーの運用は地方公共団体情報システム機構に委託しており、同機構の規程に従っている。",
    "・入手した特定個人情報は、住民基本台帳との突合により正確性を確認している。",
    "・誤りが判明した場合は、速やかに訂正し、関係部署及び本人に通知している。",
    "・郵送により入手する場合は、簡易書留等の追跡可能な方法を用いている。",
    "・職員に対しては、年1回、個人情報保護及び情報セキュリティに関する研修を実施している。",
    "・研修を受講していない職員には、後日資料を配布し、受講を確認している。",
    "・自己点検を年1回実施し、その結果を情報セキュリティ委員会に報告している。",
    "・外部監査を3年に1回受け、指摘事項については改善計画を策定している。",
    "・保存期間が経過したデータは、システムにより自動的に消去し、消去の記録を残している。",
    "・サーバ等の機器を廃棄する場合は、データ消去ソフトによる消去又は物理的破壊を行い、証明書を受領している。",
    "・本人からの開示請求は、千葉市個人情報保護条例に基づき、情報公開室で受け付けている。",
    "・問合せは事務所管課の窓口及び電話で受け付け、記録簿に記載している。",
    "・端末の画面は来庁者から見えない位置に配置し、離席時には画面をロックしている。",
    "・バックアップデータは暗号化したうえで、遠隔地の保管庫に保管している。",
    "・不正アクセスを防止するため、ファイアウォール及びウイルス対策ソフトを導入し、定義ファイルを毎日更新している。",
    "・委託先の従業者の名簿を提出させ、作業に従事する者を限定している。",
    "・特定個人情報を取り扱う作業は、庁舎内の指定された場所でのみ行わせている。",
    "・事務の実施状況は、四半期ごとに所管課長が確認し、記録している。",
    "国民年金法第12条、第105条等の関係法令において届出義務が明示されている。",
    "申請書等に利用目的が記載されている。",
    "番号法第14条第1項の規定により明示されている。",
    "平成29年4月1日",
    "令和2年1月1日から運用を開始している。",
)
#: Word swaps a revision makes inside a line: (old, new), either way round.
SWAPS = (
    ("年1回", "年2回"),
    ("定期的に", "毎月"),
    ("所属長", "所管課長"),
    ("情報政策課", "情報システム課"),
    ("記録している", "記録し、5年間保存している"),
    ("確認している", "確認し、結果を記録している"),
    ("溶解処理", "裁断処理"),
    ("パスワード", "多要素認証"),
    ("データセンター", "庁舎内のサーバ室"),
    ("簡易書留", "特定記録郵便"),
    ("3年に1回", "2年に1回"),
    ("千葉市", "本市"),
)
CLAUSES = (
    "なお、委託先の管理の視点について定期的に確認している。",
    "また、事務の実態に合わせて手順書を改訂している。",
    "なお、令和2年1月1日から運用を開始している。",
    "また、組織改正に伴い所管課を変更している。",
)
CHOICE_GROUPS = (
    (
        "紙",
        "電子記録媒体(フラッシュメモリを除く。)",
        "フラッシュメモリ",
        "電子メール",
        "専用線",
        "庁内連携システム",
        "情報提供ネットワークシステム",
        "その他",
    ),
    (
        "本人又は本人の代理人",
        "評価実施機関内の他部署",
        "行政機関・独立行政法人等",
        "地方公共団体・地方独立行政法人",
        "民間事業者",
        "その他",
    ),
    (
        "情報提供ネットワークシステム",
        "庁内連携システム",
        "住民基本台帳ネットワークシステム",
        "既存住民基本台帳システム",
        "宛名システム等",
        "税務システム",
        "その他",
    ),
)
NOTES = ("区政推進課", "日本年金機構", "介護システム、福祉システム", "保健福祉局", "")
SELECTS = (
    (("委託する", "委託しない"), "件"),
    (("再委託する", "再委託しない"), None),
    (("提供・移転しない", "提供を行っている", "移転を行っている"), "件"),
    (
        (
            "1,000人未満",
            "1,000人以上1万人未満",
            "1万人以上10万人未満",
            "10万人以上30万人未満",
            "30万人以上",
        ),
        None,
    ),
)
CATEGORIES = (
    "事務所管課による修正",
    "部会の意見による修正",
    "組織改正による修正",
    "法令改正による修正",
)
REASONS = (
    "事務の実態に合わせた修正",
    "表記の改善",
    "委託先の管理の視点について記載",
    "事務の実態に合わせ追加（委託先の追加）",
    "組織改正に伴う事務の実態に合わせた修正",
    "現行のシステム状況確認に基づいた修正",
    "具体的な入手元の記載",
    "提供に関するルールの追加",
    "サーバ等の消去・廃棄に関する記載の追加",
    "番号法の改正に伴う修正",
    "二重表記のため削除",
)


# --- items ---------------------------------------------------------------------------------


@dataclass
class Item:
    """One item file's content, as the generator writes it (DESIGN.md's item format)."""

    id: str
    path: tuple[str, ...]
    page: int
    order: int
    important: bool = False
    text: list[str] | None = None
    choices: list[tuple[str, bool, str | None]] | None = None
    select: tuple[str, str | None, tuple[str, ...]] | None = None

    def yaml(self) -> str:
        """The canonical YAML (as ``piakit fmt`` writes it)."""
        out = ["path:"]
        out += [f"  - {heading}" for heading in self.path]
        out.append(f"page: {self.page}")
        out.append(f"order: {self.order}")
        if self.important:
            out.append("important: true")
        if self.text is not None:
            out.append("text: |")
            out += [f"  {line}" for line in self.text]
        elif self.choices is not None:
            out.append("choices:")
            for label, checked, note in self.choices:
                out.append(f"  - label: {label}")
                if checked:
                    out.append("    checked: true")
                if note is not None:
                    out.append(f"    note: {note or _EMPTY}")
        elif self.select is not None:
            value, suffix, options = self.select
            out += ["select:", f"  value: {value}"]
            if suffix:
                out.append(f"  suffix: {suffix}")
            out.append("  options:")
            out += [f"    - {option}" for option in options]
        return "\n".join(out) + "\n"


_EMPTY = "''"


def _new_text(rng: random.Random) -> list[str]:
    lines = [rng.choice(HEADERS)] if rng.random() < 0.4 else []
    lines += rng.sample(SENTENCES[:32], rng.randint(3, 6))
    return lines


def _new_item(rng: random.Random, item_id: str, index: int, count: int) -> Item:
    chapter = min(index * len(SECTIONS) // count, len(SECTIONS) - 1)
    title, sections = SECTIONS[chapter]
    path = (title, rng.choice(sections), rng.choice(GROUPS), rng.choice(LEAVES))
    page = 1 + index * 40 // count
    kind = rng.random()
    item = Item(item_id, path, page, (index + 1) * 10, important=rng.random() < 0.03)
    if kind < 0.8:
        item.text = _new_text(rng)
    elif kind < 0.93:
        labels = rng.choice(CHOICE_GROUPS)
        item.choices = [
            (label, rng.random() < 0.4, rng.choice(NOTES) if label == "その他" else None)
            for label in labels
        ]
    else:
        options, unit = rng.choice(SELECTS)
        suffix = f"({rng.randint(1, 9)}) {unit}" if unit else None
        item.select = (rng.choice(options), suffix, options)
    return item


def _revise(rng: random.Random, item: Item) -> Item:
    """The item after one editor's revision: a word, a clause, a line added, removed or
    rewritten; a box ticked; another option chosen."""
    if item.text is not None:
        lines = list(item.text)
        move = rng.random()
        at = rng.randrange(len(lines))
        swaps = [(a, b) for a, b in SWAPS if a in lines[at]] + [
            (b, a) for a, b in SWAPS if b in lines[at]
        ]
        if move < 0.4 and swaps:
            old, new = rng.choice(swaps)
            lines[at] = lines[at].replace(old, new, 1)
        elif move < 0.55 and not lines[at].endswith(CLAUSES):
            lines[at] += rng.choice(CLAUSES)
        elif move < 0.75 or len(lines) < 3:
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(SENTENCES[:32]))
        elif move < 0.85:
            del lines[at]
        else:
            lines[at] = rng.choice(SENTENCES[:32])
        return replace(item, text=lines)
    if item.choices is not None:
        choices = list(item.choices)
        at = rng.randrange(len(choices))
        label, checked, note = choices[at]
        if note is not None and rng.random() < 0.5:
            choices[at] = (label, True, rng.choice(NOTES))
        else:
            choices[at] = (label, not checked, note)
        return replace(item, choices=choices)
    assert item.select is not None
    value, suffix, options = item.select
    others = [o for o in options if o != value] or [value]
    if suffix and rng.random() < 0.5:
        unit = suffix.split(" ", 1)[1]
        suffix = f"({rng.randint(1, 9)}) {unit}"
    else:
        value = rng.choice(others)
    return replace(item, select=(value, suffix, options))


# --- the repository --------------------------------------------------------------------------


@dataclass
class Assessment:
    slug: str
    affair: str
    items: dict[str, Item] = field(default_factory=dict)
    next_id: int = 0

    def folder(self) -> str:
        return f"assessments/{self.slug}"


@dataclass(frozen=True)
class Sizes:
    assessments: int = 30
    items: int = 200
    commits: int = 2000
    tag_every: int = 200
    seed: int = 20240401


def _slugs(count: int) -> list[tuple[str, str]]:
    chosen = []
    for n in range(count):
        slug, affair = AFFAIRS[n % len(AFFAIRS)]
        if n >= len(AFFAIRS):
            slug, affair = f"{slug}-{n // len(AFFAIRS) + 1}", f"{affair}{n // len(AFFAIRS) + 1}"
        chosen.append((slug, affair))
    return chosen


def commit_time(index: int) -> dt.datetime:
    return EPOCH + index * COMMIT_STEP


def _assessment_yaml(assessment: Assessment, sizes: Sizes) -> str:
    lines = [
        f"title: {assessment.affair}に関する事務 全項目評価書",
        f"affair: {assessment.affair}",
        "organization: 千葉市",
        "form: 平成30年5月 様式4",
        "milestones:",
        "  - id: current",
        "    label: 現在の評価書",
    ]
    for n in range(1, sizes.commits // sizes.tag_every + 1):
        date = commit_time(n * sizes.tag_every - 1).date()
        lines += [
            f"  - id: m{n}",
            f"    label: 修正案 (第{n}版)",
            f"    date: {date.isoformat()}",
        ]
    lines.append("reason_categories:")
    lines += [f"  - {category}" for category in CATEGORIES]
    return "\n".join(lines) + "\n"


@dataclass
class Change:
    """One commit of the generated history."""

    subject: str
    trailers: list[tuple[str, str]]
    writes: dict[str, str | None]  # path → content (None: delete)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (name, message)
    body: str = ""


def history(sizes: Sizes) -> Iterator[Change]:
    """The commits, oldest first: each assessment's first commit, then revisions."""
    rng = random.Random(sizes.seed)
    assessments = [Assessment(slug, affair) for slug, affair in _slugs(sizes.assessments)]
    for index in range(sizes.commits):
        if index < len(assessments):
            change = _first_commit(rng, assessments[index], sizes)
        else:
            change = _revision(rng, rng.choice(assessments))
        if (index + 1) % sizes.tag_every == 0:
            n = (index + 1) // sizes.tag_every
            existing = assessments[: index + 1]
            change.tags = [(f"{a.slug}/m{n}", f"修正案 (第{n}版)\n") for a in existing]
        yield change


def _first_commit(rng: random.Random, assessment: Assessment, sizes: Sizes) -> Change:
    writes: dict[str, str | None] = {
        f"{assessment.folder()}/assessment.yaml": _assessment_yaml(assessment, sizes)
    }
    for index in range(sizes.items):
        item = _new_item(rng, _item_id(assessment, index, sizes.items), index, sizes.items)
        assessment.items[item.id] = item
        writes[f"{assessment.folder()}/items/{item.id}.yaml"] = item.yaml()
    assessment.next_id = sizes.items
    return Change(
        subject=f"{assessment.affair}: 評価書を取り込む ({sizes.items}項目)",
        trailers=[("Milestone", f"{assessment.slug}/current")],
        writes=writes,
    )


def _item_id(assessment: Assessment, index: int, count: int) -> str:
    chapter = min(index * len(SECTIONS) // count, len(SECTIONS) - 1) + 1
    return f"{chapter}-k{index:04d}"


def _revision(rng: random.Random, assessment: Assessment) -> Change:
    writes: dict[str, str | None] = {}
    ids = sorted(assessment.items)
    move = rng.random()
    if move < 0.01 and len(ids) > 10:
        # An entry the form no longer asks for: the file is deleted (its id is never reused).
        gone = rng.choice(ids)
        del assessment.items[gone]
        writes[f"{assessment.folder()}/items/{gone}.yaml"] = None
        touched = [gone]
    elif move < 0.02:
        index = assessment.next_id
        assessment.next_id += 1
        item = _new_item(rng, "", rng.randrange(len(ids) or 1), len(ids) or 1)
        item.id = f"{item.path[0].split('.')[0].lower()}-n{index:04d}"
        # Inserted between two entries: a position of its own (orders are multiples of 10).
        taken = {other.order for other in assessment.items.values()}
        item.order += 1
        while item.order in taken:
            item.order += 1
        assessment.items[item.id] = item
        writes[f"{assessment.folder()}/items/{item.id}.yaml"] = item.yaml()
        touched = [item.id]
    else:
        touched = rng.sample(ids, min(len(ids), rng.randint(1, 5)))
        for item_id in touched:
            revised = _revise(rng, assessment.items[item_id])
            assessment.items[item_id] = revised
            writes[f"{assessment.folder()}/items/{item_id}.yaml"] = revised.yaml()
    category = rng.choice(CATEGORIES)
    reasons = rng.sample(REASONS, rng.choice((1, 1, 1, 2)))
    trailers = [("Reason-Category", category)] + [("Reason", reason) for reason in reasons]
    listing = "\n".join(f"- {item_id}" for item_id in touched)
    return Change(
        subject=f"{assessment.affair}: {reasons[0]} ({len(touched)}項目)",
        trailers=trailers,
        writes=writes,
        body=listing,
    )


# --- fast-import -------------------------------------------------------------------------------


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n%s\n" % (len(raw), raw)


def _ident(who: tuple[str, str], when: dt.datetime) -> bytes:
    return f"{who[0]} <{who[1]}> {int(when.timestamp())} +0900".encode()


def fast_import_stream(sizes: Sizes, extra_files: dict[str, str] | None = None) -> Iterator[bytes]:
    """The ``git fast-import`` commands that write the whole history (and the tags)."""
    for index, change in enumerate(history(sizes)):
        when = commit_time(index)
        who = EDITORS[index % len(EDITORS)]
        message = change.subject + "\n"
        if change.body:
            message += "\n" + change.body + "\n"
        if change.trailers:
            message += "\n" + "".join(f"{key}: {value}\n" for key, value in change.trailers)
        parts = [
            b"commit refs/heads/main\n",
            b"mark :%d\n" % (index + 1),
            b"author " + _ident(who, when) + b"\n",
            b"committer " + _ident(who, when) + b"\n",
            _data(message),
        ]
        if index:
            parts.append(b"from :%d\n" % index)
        writes = dict(change.writes)
        if index == 0 and extra_files:
            writes.update(extra_files)
        for path, content in writes.items():
            if content is None:
                parts.append(f"D {path}\n".encode())
            else:
                parts.append(f"M 100644 inline {path}\n".encode())
                parts.append(_data(content))
        parts.append(b"\n")
        for name, tag_message in change.tags:
            parts += [
                f"tag {name}\n".encode(),
                b"from :%d\n" % (index + 1),
                b"tagger " + _ident(PUBLISHER, when) + b"\n",
                _data(tag_message),
            ]
        yield b"".join(parts)


#: The site configuration the generated repository carries, like piakit's own repository.
MKDOCS_YML = """\
site_name: 千葉市 特定個人情報保護評価書
docs_dir: docs
site_dir: site
theme:
  name: material
  language: ja
  font: false
plugins:
  - search:
      lang: ja
  - piakit:
      assessments_dir: assessments
"""
INDEX_MD = "# 特定個人情報保護評価書\n\n本市が実施する特定個人情報保護評価の評価書です。\n"


def generate(out: Path, sizes: Sizes, *, site: bool = True) -> Path:
    """Write the repository into ``out`` (which must not exist, or be an empty folder)."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} exists and is not empty: choose another --out or remove it")
    out.mkdir(parents=True, exist_ok=True)
    extra = {"mkdocs.yml": MKDOCS_YML, "docs/index.md": INDEX_MD} if site else {}
    env = _env()
    _git(out, env, "init", "-q", "-b", "main")
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=out, stdin=subprocess.PIPE, env=env
    )
    assert proc.stdin is not None
    for chunk in fast_import_stream(sizes, extra):
        proc.stdin.write(chunk)
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    _git(out, env, "reset", "-q", "--hard", "main")
    return out


# --- one big item ------------------------------------------------------------------------------

BIG_SLUG = "ookii-koumoku"


def big_item_lines(
    *, lines: int | None = None, size: int | None = None, every: int = 1
) -> tuple[list[str], list[str]]:
    """An item's text before and after a revision that changes every ``every``-th line (a word
    swapped or a clause added): ``lines`` lines, or as many as fill ``size`` bytes of UTF-8
    (the item file stays just under that size)."""
    rng = random.Random(7)
    old: list[str] = []
    new: list[str] = []
    used = 0
    n = 0
    while (lines is not None and n < lines) or (size is not None and used < size):
        line = SENTENCES[n % 32][:-1] + f"（第{n + 1}項）。"
        changed = line
        if n % every == 0:
            swaps = [(a, b) for a, b in SWAPS if a in line]
            if swaps and rng.random() < 0.6:
                a, b = rng.choice(swaps)
                changed = line.replace(a, b, 1)
            else:
                changed = line + rng.choice(CLAUSES)
        used += len(changed.encode("utf-8")) + 3  # the file's indentation and line break
        if size is not None and used >= size:
            break
        old.append(line)
        new.append(changed)
        n += 1
    return old, new


def big_item_repo(out: Path, old: list[str], new: list[str]) -> Path:
    """A repository of one assessment (``BIG_SLUG``) with one item, at two milestones: the
    item's text ``old`` at ``current`` and ``new`` at ``m1``."""
    out.mkdir(parents=True, exist_ok=True)
    env = _env()
    _git(out, env, "init", "-q", "-b", "main")
    _git(out, env, "config", "user.name", EDITORS[0][0])
    _git(out, env, "config", "user.email", EDITORS[0][1])
    folder = out / "assessments" / BIG_SLUG
    (folder / "items").mkdir(parents=True)
    assessment = Assessment(BIG_SLUG, "大きな項目")
    (folder / "assessment.yaml").write_text(
        _assessment_yaml(assessment, Sizes(commits=1, tag_every=1)), encoding="utf-8"
    )
    path = ("III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策", "7. 保管・消去", "その他")
    for text, milestone in ((old, "current"), (new, "m1")):
        item = Item("3-k0001", path, 24, 10, text=text)
        (folder / "items" / "3-k0001.yaml").write_text(item.yaml(), encoding="utf-8")
        _git(out, env, "add", "-A")
        _git(out, env, "commit", "-q", "-m", f"大きな項目 ({milestone})")
        _git(out, env, "tag", f"{BIG_SLUG}/{milestone}")
    return out


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8", "GIT_TERMINAL_PROMPT": "0"})
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise SystemExit(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    defaults = Sizes()
    parser.add_argument("--assessments", type=int, default=defaults.assessments)
    parser.add_argument("--items", type=int, default=defaults.items, help="items per assessment")
    parser.add_argument("--commits", type=int, default=defaults.commits, help="commits in all")
    parser.add_argument(
        "--tag-every",
        type=int,
        default=defaults.tag_every,
        help="a milestone tag <slug>/m<N> on every assessment every this many commits",
    )
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--no-site", action="store_true", help="no mkdocs.yml and docs/")
    parser.add_argument("--out", type=Path, required=True, help="the new repository's folder")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    args = parser.parse_args(argv)
    if args.commits < args.assessments:
        parser.error("--commits must be at least --assessments (one first commit each)")
    if args.force and args.out.exists():
        shutil.rmtree(args.out)
    sizes = Sizes(args.assessments, args.items, args.commits, args.tag_every, args.seed)
    generate(args.out, sizes, site=not args.no_site)
    print(
        f"{args.out}: {sizes.assessments} assessments × {sizes.items} items, "
        f"{sizes.commits} commits, a milestone every {sizes.tag_every} commits",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
