"""A small, realistic comparison table for renderer tests, built in code (no git, no files).

Three columns as in the seed (現在の評価書, R2.6.30諮問時, R2.10.26現在) and rows drawn from
the Chiba 国民年金 table, chosen so that every kind of cell and reason appears once: marks
spanning Japanese words and a line break, a removed-line placeholder, 変更なし, (記載なし),
(削除), a checkbox group, an important item, several reason categories, and text that would
be markup if a renderer forgot to escape it.

Marked text is written inline: ``⟦…⟧`` is a changed span, ``⟪…⟫`` a removed placeholder.
"""

from __future__ import annotations

import datetime as dt

from piakit.model import Cell, Column, ComparisonTable, Mark, MarkKind, Reason, Row

COMMIT_CURRENT = "1f0c2d9a5b3e4f60718293a4b5c6d7e8f9012345"
COMMIT_R2_6_30 = "2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
COMMIT_R2_10_26 = "3b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e"
COMMIT_KANKA = "4c3d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f"
COMMIT_BUKAI = "5d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70"

KANKA = "事務所管課による修正"
BUKAI = "部会の意見による修正"

_OPENERS: dict[str, MarkKind] = {"⟦": "changed", "⟪": "removed"}
_CLOSERS = {"⟧": "changed", "⟫": "removed"}


def marked(source: str) -> Cell:
    """A text cell from inline-marked source: ``平成29年⟦4⟧月1日``."""
    text: list[str] = []
    marks: list[Mark] = []
    start = 0
    kind: MarkKind = "changed"
    for char in source:
        if char in _OPENERS:
            start, kind = len(text), _OPENERS[char]
        elif char in _CLOSERS:
            assert _CLOSERS[char] == kind, source
            marks.append(Mark(start, len(text), kind))
        else:
            text.append(char)
    return Cell("text", "".join(text), tuple(marks))


def plain(text: str) -> Cell:
    return Cell("text", text)


UNCHANGED = Cell("unchanged")
ABSENT = Cell("absent")
DELETED = Cell("deleted")


def sample_table() -> ComparisonTable:
    columns = (
        Column("current", "現在の評価書", COMMIT_CURRENT, dt.date(2019, 4, 1)),
        Column("R2.6.30", "修正案 (R2.6.30諮問時)", COMMIT_R2_6_30, dt.date(2020, 6, 30)),
        Column("R2.10.26", "修正案 (R2.10.26現在)", COMMIT_R2_10_26, dt.date(2020, 10, 26)),
    )
    rows = (
        Row(
            item="i-2-sys2-connection",
            path=(
                "I. 基本情報",
                "2. 特定個人情報ファイルを取り扱う事務において使用するシステム",
                "システム2",
                "③他のシステムとの接続",
            ),
            page=4,
            cells=(
                plain(
                    "[ ] 情報提供ネットワークシステム\n[ ] 庁内連携システム\n"
                    "[○] 既存住民基本台帳システム\n[ ] 宛名システム等\n[○] 税務システム"
                ),
                marked(
                    "[ ] 情報提供ネットワークシステム\n[ ] 庁内連携システム\n"
                    "[○] 既存住民基本台帳システム\n[⟦○⟧] 宛名システム等\n[○] 税務システム\n"
                    "⟦[○] その他 (介護システム、福祉システム)⟧"
                ),
                UNCHANGED,
            ),
            reasons=(Reason(KANKA, "現行のシステム状況確認に基づいた修正", COMMIT_KANKA),),
        ),
        Row(
            item="ii-2-subjects-count",
            path=("II. 特定個人情報ファイルの概要", "2. 基本情報", "③対象となる本人の数"),
            page=5,
            cells=(
                plain("[10万人以上100万人未満]"),
                UNCHANGED,
                marked("[⟦100⟧万人以上⟦1,000⟧万人未満]"),
            ),
            reasons=(Reason(KANKA, "対象者数の見直し", COMMIT_KANKA),),
            important=True,
        ),
        Row(
            item="ii-3-notice",
            path=("II. 特定個人情報ファイルの概要", "3. 特定個人情報の入手・使用", "⑤本人への明示"),
            page=7,
            cells=(
                plain(
                    "【本人又は本人の代理人、日本年金機構からの入手】\n"
                    "・本人又は本人の代理人、日本年金機構から入手する情報については、"
                    "利用目的を本人に明示した上で入手する。\n"
                    "【庁内連携により入手】\n"
                    "・庁内連携を通じた入手を行うことは番号法第14条第1項の規定により明示されている。"
                ),
                marked(
                    "【本人又は本人の代理人、日本年金機構からの入手】\n"
                    "⟪(削除)⟫\n"
                    "⟦・国民年金法第12条、第105条等の関係法令において届出義務が明示されている。\n"
                    "・申請書等に説明が記載されている。⟧\n"
                    "【庁内連携により入手】\n"
                    "・庁内連携を通じた入手を行うことは番号法第14条第1項の規定により明示されている。"
                ),
                marked(
                    "【本人又は本人の代理人、日本年金機構からの入手】\n"
                    "⟪(削除)⟫\n"
                    "・国民年金法第12条、第105条等の関係法令において届出義務が明示されている。\n"
                    "・申請書等に説明が⟦分かりやすく⟧記載されている。\n"
                    "【⟦区政事務センター⟧を通じた入手】\n"
                    "・庁内連携を通じた入手を行うことは番号法第14条第1項の規定により明示されている。"
                ),
            ),
            reasons=(
                Reason(KANKA, "表記の改善", COMMIT_KANKA),
                Reason(BUKAI, None, COMMIT_BUKAI),
                Reason("部会の意見を反映", "事務の実態に合わせ追加（委託先の追加）", COMMIT_BUKAI),
                Reason("部会の意見を反映", "入手経路の明確化", COMMIT_BUKAI),
            ),
        ),
        Row(
            item="ii-3-start",
            path=("II. 特定個人情報ファイルの概要", "3. 特定個人情報の入手・使用", "⑨使用開始日"),
            page=8,
            cells=(plain("平成29年1月1日"), marked("平成29年⟦4⟧月1日"), UNCHANGED),
            reasons=(Reason(KANKA, "「II 2. 基本情報 ⑤保有開始日」に合わせた修正", COMMIT_KANKA),),
        ),
        Row(
            item="ii-4-itaku3-name",
            path=(
                "II. 特定個人情報ファイルの概要",
                "4. 特定個人情報ファイルの取扱いの委託",
                "委託事項3",
                "⑥委託先名",
            ),
            page=11,
            cells=(ABSENT, marked("⟦株式会社パソナ⟧"), UNCHANGED),
            reasons=(Reason(BUKAI, "事務の実態に合わせ追加（委託先の追加）", COMMIT_BUKAI),),
        ),
        Row(
            item="ii-5-method",
            path=(
                "II. 特定個人情報ファイルの概要",
                "5. 特定個人情報の提供・移転（委託に伴うものを除く。）",
                "提供先1",
                "⑦提供方法",
            ),
            page=12,
            cells=(
                plain(
                    "[ ] 専用線\n[ ] 電子メール\n"
                    "[ ] 電子記録媒体（フラッシュメモリを除く。）\n[○] 紙"
                ),
                marked(
                    "[ ] 専用線\n[⟦○⟧] 電子メール\n[ ] 電子記録媒体（フラッシュメモリを除く。）\n"
                    "[○] 紙"
                ),
                UNCHANGED,
            ),
            reasons=(Reason(KANKA, "事務の実態に合わせた修正", COMMIT_KANKA),),
        ),
        Row(
            item="ii-5-iten1-law",
            path=(
                "II. 特定個人情報ファイルの概要",
                "5. 特定個人情報の提供・移転（委託に伴うものを除く。）",
                "移転先1",
                "①法令上の根拠",
            ),
            page=13,
            cells=(plain("番号法第9条第2項に基づく条例"), DELETED, ABSENT),
            reasons=(Reason(KANKA, "移転は行っていないため削除", COMMIT_KANKA),),
        ),
        Row(
            item="iii-7-other-measures",
            path=(
                "III. 特定個人情報ファイルの取扱いプロセスにおけるリスク対策",
                "7. 特定個人情報の保管・消去",
                "その他の措置の内容",
            ),
            page=None,
            cells=(
                plain("<その他の対策>\n・端末は C:\\piakit に保存しない。"),
                marked(
                    "<その他の対策>\n"
                    "・端末は C:\\piakit に保存しない。\n"
                    "⟦・<script>alert(1)</script> を含む入力は a|b & *強調* [x](y) "
                    "のまま記録する。⟧"
                ),
                UNCHANGED,
            ),
            reasons=(Reason(KANKA, "「<その他の対策>」の表記の改善 & a|b", COMMIT_KANKA),),
        ),
    )
    return ComparisonTable(
        assessment="chiba-kokumin-nenkin",
        title="国民年金に関する事務 全項目評価書",
        columns=columns,
        rows=rows,
        organization="千葉市",
        affair="国民年金",
    )
