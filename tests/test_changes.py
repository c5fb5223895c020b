"""別添3 変更箇所 from history: entries, submission timing from trailers and defaults, formats."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from piakit.cli import cli
from piakit.sheet import DEFAULT_NOTE, DEFAULT_NOTE_IMPORTANT
from piakit.usecases.sheet import change_sheet
from piakit.workspace import Workspace

from .conftest import GitRepo, item

SLUG = "test"
REASON = [("Reason-Category", "事務所管課による修正"), ("Reason", "表記の改善")]


@pytest.fixture
def changed_repo(repo: GitRepo) -> GitRepo:
    repo.write_assessment(SLUG, [("current", "現在の評価書"), ("draft", "修正案")])
    repo.write_item(SLUG, item("plain", "委託先は株式会社A。", order=10))
    repo.write_item(SLUG, item("core", "特定個人情報ファイルの名称。", order=20, important=True))
    repo.write_item(SLUG, item("early", "事前に出す。", order=30))
    repo.write_item(SLUG, item("gone", "消える文。", order=40))
    repo.commit("公表版", trailers=[("Milestone", f"{SLUG}/current")])
    repo.write_item(SLUG, item("plain", "委託先は株式会社B。", order=10))
    repo.write_item(
        SLUG, item("core", "特定個人情報ファイルの名称を変更。", order=20, important=True)
    )
    repo.remove_item(SLUG, "gone")
    repo.commit("修正", trailers=REASON)
    repo.write_item(SLUG, item("early", "事前に出す文を直す。", order=30))
    repo.commit(
        "事前提出",
        trailers=[
            *REASON,
            ("Submission", "事前"),
            ("Submission-Note", "委員会の指摘により事前に提出"),
        ],
    )
    return repo


def test_entries_timing_and_defaults(changed_repo: GitRepo) -> None:
    sheet = change_sheet(Workspace.open(changed_repo.root), SLUG).to_json()
    assert sheet["since"]["id"] == "current" and sheet["until"]["id"] == "HEAD"  # type: ignore[index]
    entries = {e["item"]: e for e in sheet["entries"]}  # type: ignore[union-attr]
    assert list(entries) == ["plain", "core", "early", "gone"]
    assert entries["plain"]["submission"] == "事後"
    assert entries["plain"]["submission_note"] == DEFAULT_NOTE
    assert entries["core"]["submission"] == "事前" and entries["core"]["important"] is True
    assert entries["core"]["submission_note"] == DEFAULT_NOTE_IMPORTANT
    assert entries["early"]["submission"] == "事前"
    assert entries["early"]["submission_note"] == "委員会の指摘により事前に提出"
    assert entries["early"]["date"] == "2024-01-03"
    assert entries["gone"]["after"] == {"status": "deleted"}
    after = entries["plain"]["after"]
    marked = [after["text"][m["start"] : m["end"]] for m in after["marks"]]
    assert marked == ["B"]


def test_since_a_later_milestone_is_empty_when_nothing_changed(changed_repo: GitRepo) -> None:
    changed_repo.tag(f"{SLUG}/draft")
    sheet = change_sheet(Workspace.open(changed_repo.root), SLUG, since="draft")
    assert sheet.entries == ()


def test_cli_formats(changed_repo: GitRepo, tmp_path: object) -> None:
    runner = CliRunner()
    base = ["-C", str(changed_repo.root), "changes", SLUG]
    md = runner.invoke(cli, base)
    assert md.exit_code == 0, md.output
    assert (
        "| 変更日 | 項目 | 変更前の記載 | 変更後の記載 | 提出時期 | 提出時期に係る説明 |"
        in md.output
    )
    data = json.loads(runner.invoke(cli, [*base, "--format", "json"]).output)
    assert len(data["entries"]) == 4
    raw = runner.invoke(cli, [*base, "--format", "csv"]).stdout_bytes
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "変更日" and len(rows) == 5
    out = changed_repo.root.parent / "changes.xlsx"
    result = runner.invoke(cli, [*base, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out, rich_text=True).active
    assert [c.value for c in sheet[3]] == list(
        ("変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明")
    )
    assert sheet.cell(row=4, column=5).value == "事後"
    bad = runner.invoke(cli, [*base, "--since", "nope"])
    assert bad.exit_code == 1 and "known milestones" in bad.output
