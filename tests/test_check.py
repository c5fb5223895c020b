"""``piakit check`` and ``piakit schema``: every problem of the format as path:line:col, the bad
inputs a user meets (each one clear line, no traceback), checks across the files of an
assessment, and the repository's own assessments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from piakit import checks, documents
from piakit.cli import cli
from piakit.model import Choice, Selection
from piakit.usecases.schema import KINDS, schema_text

from .conftest import item

ROOT = Path(__file__).resolve().parents[1]
SLUG = "test"
ITEMS = f"assessments/{SLUG}/items"
GOOD_ASSESSMENT = """\
title: テスト事務 全項目評価書
organization: テスト市
milestones:
  - id: current
    label: 現在の評価書
  - id: R2.6.30
    label: 修正案 (R2.6.30諮問時)
    date: 2020-06-30
reason_categories:
  - 事務所管課による修正
  - 部会の意見による修正
"""


def write(root: Path, relpath: str, data: str | bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A plain folder (not a git repository) with one valid assessment of three items."""
    root = tmp_path / "work"
    write(root, f"assessments/{SLUG}/assessment.yaml", GOOD_ASSESSMENT)
    write(root, f"{ITEMS}/a.yaml", documents.dump_item(item("a", "一行目。\n二行目。", order=10)))
    write(
        root,
        f"{ITEMS}/b.yaml",
        documents.dump_item(
            item("b", choices=(Choice("紙", True), Choice("その他", False, "")), order=20)
        ),
    )
    write(
        root,
        f"{ITEMS}/c.yaml",
        documents.dump_item(
            item("c", select=Selection("委託する", "(3) 件", ("委託する", "委託しない")), order=30)
        ),
    )
    return root


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), "check", *args])
    return result.exit_code, result.output


def problems_of(data: str | bytes, name: str = "x.yaml") -> list[str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return [str(p) for p in checks.check_item(raw, name, name.rsplit(".", 1)[0]).problems]


def test_valid_files_pass(folder: Path) -> None:
    code, output = run(folder)
    assert code == 0, output
    assert "4 files checked, no problems" in output


ITEM_HEAD = "path:\n  - I. 基本情報\npage: 3\norder: 10\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "path: [a]\npgae: 3\norder: 1\ntext: x\n",
            [
                "x.yaml:2:1: unknown key 'pgae' (did you mean 'page'?); an item has path, page, "
                "order, important, text, choices, select",
            ],
        ),
        ("path: [a]\npage: 1\ntext: x\n", ["x.yaml:1:1: missing key 'order'"]),
        (ITEM_HEAD, ["x.yaml:1:1: missing the value: add text:, choices: or select:"]),
        (
            ITEM_HEAD + "text: x\nchoices: []\n",
            ["x.yaml:6:1: an item has one value, found text and choices"],
        ),
        (
            "path: [a]\npage: '3'\norder: 1\ntext: x\n",
            ["x.yaml:2:7: page must be a whole number, not text (write the number without quotes)"],
        ),
        ("path: [a]\npage: 0\norder: 1\ntext: x\n", ["x.yaml:2:7: page must be 1 or more, not 0"]),
        (
            ITEM_HEAD + "text: 2020\n",
            [
                "x.yaml:5:7: text must be text, but '2020' reads as a whole number: "
                "quote it ('2020')"
            ],
        ),
        (
            ITEM_HEAD + "important: yes\ntext: x\n",
            ["x.yaml:5:12: important must be true or false, not 'yes'"],
        ),
        (
            "path: 見出し\npage: 1\norder: 1\ntext: x\n",
            ["x.yaml:1:7: path must be a list (lines starting with '- '), not text"],
        ),
        (
            "path: []\npage: 1\norder: 1\ntext: x\n",
            ["x.yaml:1:7: path is empty: list the headings of the form, outermost first"],
        ),
        (
            ITEM_HEAD + "select:\n  value: 委託しない\n  options: [委託する, 委託せず]\n",
            [
                "x.yaml:6:10: select value '委託しない' is not one of its options: "
                "委託する, 委託せず"
            ],
        ),
        (
            ITEM_HEAD + "select: 委託する\n",
            ["x.yaml:5:9: select needs its keys: select: {value: 委託する}"],
        ),
        (
            ITEM_HEAD + "choices:\n  - label: 紙\n    checked: true\n    notes: x\n  - 電子\n",
            [
                "x.yaml:8:5: unknown key 'notes' (did you mean 'note'?); "
                "a choice has label, checked, note",
                "x.yaml:9:5: a choice needs its keys: - label: 電子 "
                "(and checked: true when ticked)",
            ],
        ),
        (
            ITEM_HEAD + "choices:\n  - label: 紙\n  - label: 紙\n",
            ["x.yaml:7:12: choice '紙' appears twice (first at line 6)"],
        ),
        (
            ITEM_HEAD + "text: x\nid: x\n",
            ["x.yaml:6:1: unknown key 'id': an item's id is its file name (x); remove the key"],
        ),
        (
            ITEM_HEAD + "text: |\n  末尾に空白 \n  次の行\n",
            [
                "x.yaml:5:7: line 1 of text ends with spaces: remove them "
                "(they print as nothing and keep the text from being a block)"
            ],
        ),
        (
            "path:\n  - &h 見出し\n  - *h\npage: 1\norder: 1\ntext: x\n",
            ["x.yaml:2:5: anchors and aliases (&, *) are not allowed: write the value out"],
        ),
        (ITEM_HEAD + "text: !custom x\n", ["x.yaml:5:7: unknown tag !custom: remove it"]),
    ],
)
def test_item_problems_name_line_and_column(text: str, expected: list[str]) -> None:
    assert problems_of(text) == expected


def test_an_empty_value_is_no_entry_and_fine() -> None:
    assert problems_of(ITEM_HEAD + "text:\n") == []
    assert problems_of(ITEM_HEAD + "text: ''\n") == []
    assert problems_of(ITEM_HEAD + "choices: []\n") == []


def test_id_must_be_the_file_stem_pattern() -> None:
    found = checks.check_item((ITEM_HEAD + "text: x\n").encode(), "Item 1.yaml", "Item 1").problems
    assert [str(p) for p in found] == [
        "Item 1.yaml:1:1: 'Item 1' cannot be an item id: the file name (its id) must be lower-case "
        "ASCII letters, digits, '.', '_' and '-', starting with a letter or digit"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD_ASSESSMENT.replace(
                "reason_categories:", "  - id: current\n    label: また\nreason_categories:"
            ),
            ["a.yaml:9:9: milestone 'current' is declared twice (first at line 4)"],
        ),
        (
            GOOD_ASSESSMENT.replace("date: 2020-06-30", "date: 2020/06/30"),
            ["a.yaml:8:11: date must be written YYYY-MM-DD (e.g. 2020-06-30), not '2020/06/30'"],
        ),
        (
            GOOD_ASSESSMENT.replace("date: 2020-06-30", "date: 2020-06-30 10:00:00"),
            ["a.yaml:8:11: date must be a day, YYYY-MM-DD, without a time"],
        ),
        (
            GOOD_ASSESSMENT + "  - 部会の意見による修正\n",
            ["a.yaml:12:5: reason category '部会の意見による修正' is listed twice"],
        ),
        (
            GOOD_ASSESSMENT.replace("title:", "titel:"),
            [
                "a.yaml:1:1: unknown key 'titel' (did you mean 'title'?); an assessment has title, "
                "affair, organization, form, milestones, reason_categories, opinion_sources",
            ],
        ),
        (
            GOOD_ASSESSMENT.replace("id: R2.6.30", "id: R2..6"),
            [
                "a.yaml:6:9: 'R2..6' cannot be a milestone id: use ASCII letters, digits, '.', '_' "
                "and '-' (it becomes part of a tag name)"
            ],
        ),
        (
            GOOD_ASSESSMENT.replace("    label: 現在の評価書\n", ""),
            ["a.yaml:4:5: a milestone needs a label (e.g. label: 修正案 (R2.6.30諮問時))"],
        ),
    ],
)
def test_assessment_problems(text: str, expected: list[str]) -> None:
    assert [str(p) for p in checks.check_assessment(text.encode(), "a.yaml").problems] == expected


def test_milestone_ids_may_hold_upper_case_and_dots() -> None:
    report = checks.check_assessment(GOOD_ASSESSMENT.encode(), "a.yaml", SLUG)
    assert report.problems == ()
    assert report.milestone_ids == ("current", "R2.6.30")


# --- bad input: one clear line with file and line, no traceback ---------------------------------


def _bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        previous, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BAD_HEAD = ITEM_HEAD.replace("order: 10", "order: 99")
BAD_INPUTS = {
    "broken": ("path: [a\npage: 1\n", ":2:5: invalid YAML: did not find expected ',' or ']'"),
    "tab": ("path:\n\t- a\n", ":2:1: a tab in the indentation: indent with spaces"),
    "bom": (
        b"\xef\xbb\xbf" + (BAD_HEAD + "text: x\n").encode(),
        ":1:1: the file starts with a byte order mark (BOM)",
    ),
    "shift_jis": ((BAD_HEAD + "text: 年金\n").encode("shift_jis"), ":2:8: text is not UTF-8"),
    "misspelled": ((BAD_HEAD + "text: x\n").replace("page", "pgae"), "(did you mean 'page'?)"),
    "duplicate": (BAD_HEAD + "text: x\ntext: y\n", ":6:1: duplicate key 'text' (first at line 5)"),
    "bomb": (
        _bomb(),
        ":2:8: anchors and aliases (&, *) expand to more than 100,000 values (a YAML bomb)",
    ),
    "deep": (
        "path: " + "[" * 5000 + "]" * 5000 + "\n",
        ":1:1007: nested more than 1000 levels deep",
    ),
    "documents": (
        BAD_HEAD + "text: x\n---\ntext: y\n",
        ":6:1: more than one YAML document ('---')",
    ),
    "empty": ("", ":1:1: the file is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_line(folder: Path, case: str) -> None:
    data, expected = BAD_INPUTS[case]
    write(folder, f"{ITEMS}/bad.yaml", data)
    code, output = run(folder)
    assert code == 1
    assert "Traceback" not in output
    lines = [
        line
        for line in output.splitlines()
        if line.startswith(f"assessments/{SLUG}/items/bad.yaml")
    ]
    assert len(lines) == 1, output
    assert expected in lines[-1], output
    assert "piakit: error: " in output


def test_a_50_mb_file_is_refused_without_reading_it(folder: Path) -> None:
    huge = folder / ITEMS / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: nothing is written
    code, output = run(folder)
    assert code == 1
    assert (
        f"assessments/{SLUG}/items/huge.yaml:1:1: the file is 52,428,800 bytes, more than the "
        "1,048,576 a file of an assessment may have" in output
    )
    fmt = CliRunner().invoke(cli, ["-C", str(folder), "fmt", "--check"])
    assert fmt.exit_code == 1 and "52,428,800 bytes" in fmt.output


def test_every_problem_is_reported_then_exit_1_once(folder: Path) -> None:
    write(folder, f"{ITEMS}/d.yaml", "path: [a]\npgae: 1\norder: 1\ntext: 1\n")
    write(folder, f"{ITEMS}/e.yaml", "path:\n\t- a\n")
    code, output = run(folder)
    assert code == 1
    problem_lines = [line for line in output.splitlines() if line.startswith("assessments/")]
    assert len(problem_lines) == 3
    assert output.count("piakit: error:") == 1
    assert "3 problems in 2 files (6 checked)" in output


# --- across files --------------------------------------------------------------------------------


def test_duplicate_order_is_seen_when_one_file_is_checked(folder: Path) -> None:
    write(folder, f"{ITEMS}/d.yaml", documents.dump_item(item("d", "x", order=20)))
    code, output = run(folder, str(folder / ITEMS / "d.yaml"))
    assert code == 1
    assert output.splitlines()[0] == (
        f"{ITEMS}/d.yaml:5:8: order 20 is also the order of {ITEMS}/b.yaml:5: give each item its "
        "own position"
    )
    # only the file asked about is reported, not its sibling
    assert f"{ITEMS}/b.yaml:5:8" not in output


def test_names_in_the_items_folder(folder: Path) -> None:
    write(folder, f"{ITEMS}/a.yml", documents.dump_item(item("a", "x", order=40)))
    write(folder, f"{ITEMS}/README.md", "メモ\n")
    write(folder, f"{ITEMS}/old/z.yaml", documents.dump_item(item("z", "x", order=50)))
    code, output = run(folder)
    assert code == 1
    assert f"{ITEMS}/a.yml:1:1: item files end in .yaml: rename it to a.yaml" in output
    assert f"{ITEMS}/a.yml:1:1: the id 'a' is not unique: {ITEMS}/a.yaml has it too" in output
    assert f"{ITEMS}/README.md:1:1: not an item file" in output
    assert f"{ITEMS}/old/z.yaml:1:1: items/ has no subfolders" in output


def test_items_without_an_assessment(folder: Path) -> None:
    write(folder, "assessments/lost/items/a.yaml", documents.dump_item(item("a", "x")))
    code, output = run(folder)
    assert code == 1
    assert "assessments/lost/items: assessments/lost has items but no assessment.yaml" in output


def test_paths_and_folders_as_arguments(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    assert run(folder, f"{ITEMS}/a.yaml", f"assessments/{SLUG}/assessment.yaml")[0] == 0
    assert run(folder, f"assessments/{SLUG}")[0] == 0
    code, output = run(folder, "nope.yaml", "README")
    assert code == 1
    assert "nope.yaml: no such file or folder" in output
    write(folder, "notes.yaml", "a: 1\n")
    code, output = run(folder, "notes.yaml")
    assert code == 1 and "notes.yaml:1:1: not a file of an assessment" in output


def test_no_assessments_folder_says_what_to_do(tmp_path: Path) -> None:
    code, output = run(tmp_path)
    assert code == 1
    assert "there is no assessments/ folder" in output and "hint:" in output


def test_github_annotations(folder: Path) -> None:
    write(folder, f"{ITEMS}/d.yaml", "path: [a]\npgae: 1\norder: 99\ntext: x\n")
    code, output = run(folder, "--format", "github")
    assert code == 1
    assert (
        f"::error file={ITEMS}/d.yaml,line=2,col=1::unknown key 'pgae' (did you mean 'page'?)"
        in output
    )


def test_the_repository_passes_its_own_check() -> None:
    if not (ROOT / "assessments").is_dir():
        pytest.skip("the example assessment is not imported yet")
    result = CliRunner().invoke(cli, ["-C", str(ROOT), "check"])
    assert result.exit_code == 0, result.output


# --- schema --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_schema_files_are_the_generated_ones(kind: str) -> None:
    shipped = ROOT / "tools" / "piakit" / "schemas" / f"{kind}.schema.json"
    assert shipped.read_text(encoding="utf-8") == schema_text(kind), (
        f"regenerate it: piakit schema {kind} -o {shipped.relative_to(ROOT)}"
    )
    result = CliRunner().invoke(cli, ["schema", kind])
    assert result.exit_code == 0
    assert json.loads(result.output)["$schema"].startswith("http://json-schema.org/draft-07")


def _json_ready(data: object) -> object:
    if isinstance(data, dict):
        return {k: _json_ready(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_json_ready(v) for v in data]
    if hasattr(data, "isoformat"):
        return data.isoformat()  # type: ignore[attr-defined]
    return data


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        (ITEM_HEAD + "text: x\n", True),
        (ITEM_HEAD + "choices:\n  - label: 紙\n    checked: true\n", True),
        (ITEM_HEAD + "select:\n  value: a\n  suffix: (3) 件\n", True),
        (ITEM_HEAD + "important: true\ntext:\n", True),
        (ITEM_HEAD, False),
        (ITEM_HEAD + "text: x\nchoices: []\n", False),
        (ITEM_HEAD + "text: x\npgae: 1\n", False),
        (ITEM_HEAD.replace("page: 3", "page: '3'") + "text: x\n", False),
        (ITEM_HEAD + "choices:\n  - checked: true\n", False),
    ],
)
def test_schema_agrees_with_check(text: str, valid: bool) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = documents.load_yaml(text, "x.yaml")
    errors = list(jsonschema.Draft7Validator(json.loads(schema_text("item"))).iter_errors(data))
    assert (not errors) == valid
    assert (not problems_of(text)) == valid


def test_assessment_schema_accepts_the_example() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(json.loads(schema_text("assessment")))
    assert not list(validator.iter_errors(_json_ready(documents.load_yaml(GOOD_ASSESSMENT, "a"))))
    example = ROOT / "assessments" / "chiba-kokumin-nenkin" / "assessment.yaml"
    if example.is_file():
        data = documents.load_yaml(example.read_bytes(), str(example))
        assert not list(validator.iter_errors(_json_ready(data)))
    for path in sorted((ROOT / "assessments").glob("*/items/*.yaml"))[:50]:
        data = documents.load_yaml(path.read_bytes(), str(path))
        item_validator = jsonschema.Draft7Validator(json.loads(schema_text("item")))
        assert not list(item_validator.iter_errors(data)), path
