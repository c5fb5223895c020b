"""A history of one assessment with opinions of both sources and every outcome, for the
意見対応表's tests: an opinion resolved by two commits, one commit resolving two opinions,
a not-reflected opinion with no commit, an open one, an item renamed after the commit that
changed it, an item deleted, and an item only reformatted by a resolving commit."""

from __future__ import annotations

import datetime as dt

from piakit.model import Milestone

from .conftest import GitRepo, item

SLUG = "test"
KIHON = "I. 基本情報"
SENDER = "情報公開・個人情報保護審議会 第2部会"


def opinions_history(repo: GitRepo) -> dict[str, str]:
    """The history; returns the commits by name. Numbers: pub-1 → 1, bukai-1 → 2,
    bukai-2 → 3, pub-2 → 4."""
    repo.write_assessment(
        SLUG,
        [
            Milestone("R2.6", "諮問時", dt.date(2024, 1, 1), "諮問"),
            Milestone("R2.10", "公表", dt.date(2024, 2, 1), "公表"),
        ],
    )
    repo.write_item(SLUG, item("a", "委託は行わない。", path=(KIHON, "① 委託の有無")))
    repo.write_item(SLUG, item("b", "保管期間は5年。", order=20, path=(KIHON, "② 保管")))
    repo.write_item(SLUG, item("old-c", "記載なし", order=30, path=(KIHON, "③ 研修")))
    repo.write_item(SLUG, item("d", "変えない", order=40, path=(KIHON, "④ その他")))
    repo.write_item(SLUG, item("e", "廃止する記載", order=50, path=(KIHON, "⑤ 廃止")))
    shas = {"base": repo.commit("base")}
    repo.tag(f"{SLUG}/R2.6")
    repo.write_opinion(
        SLUG,
        "bukai-1",
        received="2024-01-10",
        sender=SENDER,
        summary="委託先の管理の視点について記載すること。\n再委託も含めること。",
        outcome="reflected",
        response="委託先の管理の視点を追記する。",
    )
    repo.write_opinion(
        SLUG,
        "bukai-2",
        received="2024-01-10",
        summary="保管期間の根拠を示すこと。",
        outcome="reflected",
        response="根拠規程を記載する。",
    )
    repo.write_opinion(
        SLUG,
        "pub-1",
        source="意見募集",
        received="2024-01-05",
        summary="=マイナンバーの利用をやめるべき。",
        outcome="not-reflected",
        response="法令に基づく事務であり、原案のとおりとする。",
    )
    repo.write_opinion(
        SLUG, "pub-2", source="意見募集", received="2024-01-20", summary="研修の頻度を示すこと。"
    )
    repo.commit("意見を記録する")
    repo.write_item(SLUG, item("a", "委託先を管理する。", path=(KIHON, "① 委託の有無")))
    kept = "保管期間は5年 (規程第3条)。"
    repo.write_item(SLUG, item("b", kept, order=20, path=(KIHON, "② 保管")))
    shas["both"] = repo.commit(
        "委託先の管理と保管の根拠",
        trailers=[
            ("Reason-Category", "部会の意見による修正"),
            ("Reason", "委託先の管理を追記"),
            ("Resolves", f"{SLUG}/bukai-1"),
            ("Resolves", f"{SLUG}/bukai-2"),
        ],
    )
    repo.write_item(SLUG, item("old-c", "年1回研修を行う。", order=30, path=(KIHON, "③ 研修")))
    repo.remove_item(SLUG, "e")
    d_file = repo.root / f"assessments/{SLUG}/items/d.yaml"
    d_file.write_text(d_file.read_text(encoding="utf-8") + "# 整形のみ\n", encoding="utf-8")
    shas["second"] = repo.commit(
        "再委託と研修",
        trailers=[
            ("Reason-Category", "部会の意見による修正"),
            ("Reason", "研修を追記"),
            ("Resolves", f"{SLUG}/bukai-1"),
        ],
    )
    repo.git("mv", f"assessments/{SLUG}/items/old-c.yaml", f"assessments/{SLUG}/items/c.yaml")
    shas["rename"] = repo.commit("ID の変更", trailers=[("Reason", "ファイル名の整理")])
    repo.tag(f"{SLUG}/R2.10")
    return shas
