"""``piakit fmt``: the canonical form, idempotent, comments kept, and never a change of meaning
(property tests over generated items and generated YAML of every style)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from piakit import documents
from piakit.canonical import format_document, reformat, same_meaning
from piakit.cli import cli
from piakit.conventions import ITEM_KEYS
from piakit.errors import DocumentError
from piakit.model import Choice, Item, Selection

from .conftest import item

ROOT = Path(__file__).resolve().parents[1]


def fmt(text: str | bytes, kind: str = "item") -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return format_document(data, "x.yaml", kind)  # type: ignore[arg-type]


def test_canonical_item_is_left_byte_for_byte() -> None:
    canonical = documents.dump_item(
        item("a", "・一行目。\n・" + "長い文" * 200 + "。", order=10, important=True)
    )
    assert fmt(canonical) == canonical


def test_the_repository_items_are_canonical() -> None:
    files = sorted((ROOT / "assessments").glob("*/items/*.yaml"))
    if not files:
        pytest.skip("the example assessment is not imported yet")
    for path in [*files, *ROOT.glob("assessments/*/assessment.yaml")]:
        kind = "assessment" if path.name == "assessment.yaml" else "item"
        text = path.read_text(encoding="utf-8")
        assert fmt(path.read_bytes(), kind) == text, path
        assert reformat(text, str(path), kind) == text, path  # type: ignore[arg-type]


def test_key_order_block_style_and_comments() -> None:
    source = (
        "# yaml-language-server: $schema=../../../schemas/item.schema.json\n"
        'text: "一行目\\n二行目\\n"\n'
        "page: 3  # 印刷物のページ\n"
        "# 見出しの注記\n"
        "path: [I. 基本情報, ①事務の名称]\n"
        "order: 10\n"
    )
    out = fmt(source)
    assert out == (
        "# yaml-language-server: $schema=../../../schemas/item.schema.json\n"
        "path:\n"
        "  - I. 基本情報\n"
        "  - ①事務の名称\n"
        "page: 3  # 印刷物のページ\n"
        "# 見出しの注記\n"
        "order: 10\n"
        "text: |\n"
        "  一行目\n"
        "  二行目\n"
    )
    assert fmt(out) == out


@pytest.mark.parametrize(
    "entry",
    ["{label: 甲}", "{label: 甲, checked: true, note: 介護}", "{note: 介護, label: 甲}"],
)
def test_a_comment_after_a_flow_entry_stays_with_it_in_one_pass(entry: str) -> None:
    """``- {label: 甲}  # c`` in block style: the comment ends the entry's last line, and a
    second ``fmt`` changes nothing (it used to move the comment to the next entry)."""
    text = f"path:\n  - a\npage: 1\norder: 1\nchoices:\n  - {entry}  # 旧様式\n  - label: 乙\n"
    once = format_document(text.encode(), "m.yaml", "item")
    assert format_document(once.encode(), "m.yaml", "item") == once
    lines = once.splitlines()
    first, second = lines.index("choices:") + 1, lines.index("  - label: 乙")
    assert any("# 旧様式" in line for line in lines[first:second]), once
    assert not any(line.strip().startswith("#") for line in lines), once
    assert same_meaning(documents.load_yaml(text, "m"), documents.load_yaml(once, "m"))


def test_nested_keys_are_ordered_too() -> None:
    out = fmt(
        "path: [a]\npage: 1\norder: 2\n"
        "choices: [{note: 介護, checked: true, label: その他}]\n"
        "unknown: 1\n"
    )
    assert out.endswith(
        "choices:\n  - label: その他\n    checked: true\n    note: 介護\nunknown: 1\n"
    )
    select = fmt("select: {options: [委託する, 委託しない], suffix: (3) 件, value: 委託する}\n")
    assert select == (
        "select:\n  value: 委託する\n  suffix: (3) 件\n"
        "  options:\n    - 委託する\n    - 委託しない\n"
    )
    assessment = fmt(
        "milestones:\n  - {date: 2020-06-30, label: 修正案, id: R2.6.30}\ntitle: T\n",
        "assessment",
    )
    assert assessment == (
        "title: T\nmilestones:\n  - id: R2.6.30\n    label: 修正案\n    date: 2020-06-30\n"
    )


def test_line_ends_bom_final_newline_and_no_wrapping() -> None:
    long_line = "個人情報" * 100
    source = f"\ufeffpath:\r\n  - a\r\npage: 1\r\norder: 2\r\ntext: {long_line}"
    out = fmt(source.encode("utf-8"))
    assert out == f"path:\n  - a\npage: 1\norder: 2\ntext: {long_line}\n"


def test_block_chomping_is_kept() -> None:
    keep = "path: [a]\npage: 1\norder: 2\ntext: |+\n  x\n\n\n"
    strip = "path: [a]\npage: 1\norder: 2\ntext: |-\n  x\n"
    for source in (keep, strip):
        out = fmt(source)
        assert same_meaning(documents.load_yaml(source, "x"), documents.load_yaml(out, "x"))
        assert fmt(out) == out


def test_broken_yaml_is_refused_with_its_line() -> None:
    with pytest.raises(DocumentError) as info:
        fmt("path: [a\npage: 1\n")
    assert str(info.value).startswith("x.yaml:2:5: invalid YAML")
    with pytest.raises(DocumentError, match="duplicate key 'page'"):
        fmt("page: 1\npage: 2\n")
    with pytest.raises(DocumentError, match=r"x\.yaml:1:1: expected a mapping"):
        fmt("- a\n- b\n")


def test_empty_file_is_left_alone() -> None:
    assert fmt("") == ""


def test_same_meaning_is_strict_about_types() -> None:
    assert not same_meaning({"a": 1}, {"a": True})
    assert not same_meaning({"a": "1"}, {"a": 1})
    assert not same_meaning(["x"], ["x", "y"])
    assert same_meaning({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]})


# --- the command ---------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "work"
    items = root / "assessments" / "t" / "items"
    items.mkdir(parents=True)
    (root / "assessments" / "t" / "assessment.yaml").write_text(
        "title: T\nmilestones: []\n", encoding="utf-8"
    )
    (items / "good.yaml").write_text(documents.dump_item(item("good", "文。")), encoding="utf-8")
    (items / "messy.yaml").write_text(
        "text: 文。  # 注記\norder: 20\npath: [a]\npage: 1", encoding="utf-8"
    )
    return root


def test_fmt_check_lists_and_changes_nothing(folder: Path) -> None:
    messy = folder / "assessments/t/items/messy.yaml"
    before = messy.read_bytes()
    result = CliRunner().invoke(cli, ["-C", str(folder), "fmt", "--check"])
    assert result.exit_code == 1
    assert "would reformat assessments/t/items/messy.yaml" in result.output
    assert "1 file would be reformatted, 2 already canonical" in result.output
    assert messy.read_bytes() == before


def test_fmt_rewrites_then_check_passes(folder: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["-C", str(folder), "fmt"])
    assert result.exit_code == 0, result.output
    assert "reformatted assessments/t/items/messy.yaml" in result.output
    messy = (folder / "assessments/t/items/messy.yaml").read_text(encoding="utf-8")
    assert messy == "path:\n  - a\npage: 1\norder: 20\ntext: 文。  # 注記\n"
    again = runner.invoke(cli, ["-C", str(folder), "fmt", "--check"])
    assert again.exit_code == 0, again.output
    assert runner.invoke(cli, ["-C", str(folder), "check"]).exit_code == 0


def test_fmt_reports_unreadable_files_and_formats_the_rest(folder: Path) -> None:
    (folder / "assessments/t/items/broken.yaml").write_text("path:\n\t- a\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(folder), "fmt"])
    assert result.exit_code == 1
    assert "assessments/t/items/broken.yaml:2:1: a tab in the indentation" in result.output
    assert "reformatted assessments/t/items/messy.yaml" in result.output
    assert "Traceback" not in result.output
    assert (folder / "assessments/t/items/broken.yaml").read_text() == "path:\n\t- a\n"


def test_the_repository_passes_fmt_check() -> None:
    if not (ROOT / "assessments").is_dir():
        pytest.skip("the example assessment is not imported yet")
    result = CliRunner().invoke(cli, ["-C", str(ROOT), "fmt", "--check"])
    assert result.exit_code == 0, result.output


# --- properties ----------------------------------------------------------------------------------

# Text as editors write it, and the characters that make YAML quote, fold or escape.
_CHARS = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    include_characters="\n\t:#-'\"{}[]&*!|>%@`,?　・（）「」",
    exclude_characters="\x85\u2028\u2029",
)
_TEXT = st.text(_CHARS, max_size=60)
_LINE = st.text(_CHARS.filter(lambda c: c != "\n"), min_size=1, max_size=20)


@st.composite
def items(draw: st.DrawFn) -> Item:
    kind = draw(st.sampled_from(["text", "choices", "select", "empty"]))
    base = {
        "id": "x",
        "path": tuple(draw(st.lists(_LINE, min_size=1, max_size=4))),
        "page": draw(st.integers(1, 300)),
        "order": draw(st.integers(0, 10**6)),
        "important": draw(st.booleans()),
    }
    if kind == "text":
        return Item(**base, text=draw(_TEXT))
    if kind == "choices":
        choices = draw(
            st.lists(
                st.builds(Choice, _LINE, st.booleans(), st.one_of(st.none(), _TEXT)), max_size=4
            )
        )
        return Item(**base, choices=tuple(choices))
    if kind == "select":
        options = draw(st.one_of(st.none(), st.lists(_LINE, min_size=1, max_size=3)))
        value = draw(st.sampled_from(options)) if options else draw(_LINE)
        return Item(
            **base,
            select=Selection(
                value, draw(st.one_of(st.none(), _LINE)), tuple(options) if options else None
            ),
        )
    return Item(**base)


@settings(max_examples=150, deadline=None)
@given(items())
def test_written_items_are_canonical_and_read_back(generated: Item) -> None:
    text = documents.dump_item(generated)
    # the round trip itself leaves it alone: what lets format_document skip it for such text
    assert reformat(text, "x.yaml", "item") == text
    assert fmt(text) == text
    assert documents.load_item(text, "x", "x.yaml").plain() == generated.plain()


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("\t表の最初の行がタブで始まる\n二行目", "\t\n"),
        ("一行目\n\tタブで始まる行", "\tb\nc"),
        ("  \n\t字下げ", " \n\tnote"),
    ],
)
def test_a_tab_where_a_block_reads_its_indentation_is_written_so_it_reads_back(
    text: str, note: str
) -> None:
    """A literal block reads its indentation from its first line that is not blank: a tab
    there made a file piakit had written (the importer, milestone add) unreadable. Such text
    is quoted, and fmt keeps it quoted."""

    def lines(value: str) -> str:
        return "\n".join(line.rstrip() for line in value.split("\n")).strip("\n")

    as_text = Item(id="x", path=("p",), page=1, order=1, text=text)
    as_note = Item(id="x", path=("p",), page=1, order=1, choices=(Choice("紙", True, note),))
    for written in (as_text, as_note):
        out = documents.dump_item(written)
        back = documents.load_item(out, "x", "x.yaml")  # raised: a tab in the indentation
        assert documents.dump_item(back) == out
        assert fmt(out) == out
        if written is as_text:
            assert back.text is not None and lines(back.text) == lines(text)
        else:
            assert back.choices is not None and back.choices[0].note == note


_STYLES = st.sampled_from(["plain", "single", "double", "literal", "folded"])
_KEYS = st.sampled_from([*ITEM_KEYS, "label", "note", "value", "other"])
_SCALARS = st.one_of(
    _TEXT, st.integers(-5, 10**6), st.booleans(), st.none(), st.floats(allow_nan=False)
)


@st.composite
def styled(draw: st.DrawFn, depth: int = 0) -> object:
    """A value with a random YAML presentation (scalar styles, flow or block collections)."""
    kind = draw(st.sampled_from(["scalar", "scalar", "list", "map"] if depth < 2 else ["scalar"]))
    if kind == "list":
        seq = CommentedSeq(draw(st.lists(styled(depth + 1), max_size=3)))
        if draw(st.booleans()):
            seq.fa.set_flow_style()
        return seq
    if kind == "map":
        mapping = CommentedMap()
        for key in draw(st.lists(_KEYS, max_size=4, unique=True)):
            mapping[key] = draw(styled(depth + 1))
        if draw(st.booleans()):
            mapping.fa.set_flow_style()
        return mapping
    value = draw(_SCALARS)
    if isinstance(value, str):
        style = draw(_STYLES)
        wrap = {
            "single": SingleQuotedScalarString,
            "double": DoubleQuotedScalarString,
            "literal": LiteralScalarString,
            "folded": FoldedScalarString,
        }.get(style)
        if wrap is not None:
            return wrap(value)
    return value


@st.composite
def documents_with_comments(draw: st.DrawFn) -> str:
    root = CommentedMap()
    for key in draw(st.lists(_KEYS, min_size=1, max_size=7, unique=True)):
        root[key] = draw(styled(1))
    yaml = YAML(typ="rt")
    yaml.width = draw(st.sampled_from([40, 80, 1 << 30]))
    stream = io.StringIO()
    try:
        yaml.dump(root, stream)
    except Exception:  # a presentation ruamel cannot write is not a case
        assume(False)
    lines = stream.getvalue().split("\n")
    # Full-line comments before top-level keys: never inside a block scalar.
    out = []
    for line in lines:
        if line and not line[0].isspace() and draw(st.booleans()):
            out.append(f"# 注記 {len(out)}")
        out.append(line)
    return "\n".join(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_with_comments())
def test_fmt_never_changes_meaning_keeps_comments_and_is_idempotent(source: str) -> None:
    try:
        original = documents.load_yaml(source, "x.yaml")
    except DocumentError:
        assume(False)
        return
    out = fmt(source)
    assert same_meaning(original, documents.load_yaml(out, "x.yaml"))
    assert fmt(out) == out
    for line in source.split("\n"):
        if line.startswith("# 注記"):
            assert line in out
    assert "\r" not in out and out.endswith("\n")
