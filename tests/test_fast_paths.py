"""The fast paths read exactly what the slow ones read.

piakit reads YAML through ruamel's C parser with a loader made once (``documents._safe``)
instead of ``YAML(typ="safe")``, reads canonical item files without a YAML parser
(``canonical.read_item``), and lists the items of many milestones through one ``git cat-file``
(``Repository.folder_files``). Each must give what the straightforward way gives, or step
aside: these tests compare them on tricky inputs and on generated ones.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import Node

from piakit import documents
from piakit.checks import _items as checks
from piakit.documents import _fast_reader as canonical
from piakit.history import Repository
from piakit.model import Choice, Item, Selection

from .conftest import GitRepo, item

TRICKY = [
    "a: yes\nb: 0777\nc: 0o17\nd: 1_000\ne: .inf\nf: ~\ng: 2020-01-01\nh: 2020-01-01 10:00:00\n",
    "%YAML 1.1\n---\na: yes\nb: 0777\nc: 1:20\n",
    "a: 5e-324\nb: 1e3\nc: -0.5e+2\nd: 1:20\ne: 0x1F\nf: 017\ng: 0b101\nh: +12\ni: 190:20:30\n",
    "a: 0.1\nb: .5\nc: -.inf\nd: .NaN\ne: True\nf: FALSE\ng: Null\n",
    "a: 1\na: 2\n",
    "a:\n\t- x\n",
    "a: 1\n---\nb: 2\n",
    "a: &x [1, 2]\nb: *x\n",
    "<<: {a: 1}\nb: 2\n",
    "a: !!str 1\nb: !custom x\n",
    "",
    "# only a comment\n",
    "- a\n- b\n",
    "a: [1, 2\n",
    "a: 'x\n",
    'key: "\\u00e9"\n',
    "a: !!binary aGVsbG8=\n",
    "? [a]\n: b\n",
    "a: {b: c}\n",
    "x: |+\n  a\n\n",
    "a: b: c\n",
    "text: |\n  ・x\n  y\n",
    "a: !!set {x, y}\n",
    "a: !!omap [x: 1]\n",
    "a: !!timestamp 2020-01-01T00:00:00Z\n",
    "path:\n  - I. 基本情報\npage: 4\norder: 10\ntext: |\n  本文\n",
]


def _outcome(action: Any) -> Any:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Any = ("value", action())
        except (YAMLError, ValueError, TypeError, RecursionError) as exc:
            result = ("error", type(exc).__name__, str(exc))
    return result, [str(w.message) for w in caught]


def _node(node: Node | None) -> Any:
    if node is None:
        return None
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.index)
    if isinstance(node.value, list):
        children = [
            tuple(_node(part) for part in child) if isinstance(child, tuple) else _node(child)
            for child in node.value
        ]
        return (node.tag, marks, node.flow_style, children)
    return (node.tag, marks, node.style, node.value)


@pytest.mark.parametrize("text", TRICKY)
def test_the_safe_loader_loads_and_composes_as_ruamel_does(text: str) -> None:
    ruamel = YAML(typ="safe")
    assert _outcome(lambda: documents._safe.load(text)) == _outcome(lambda: ruamel.load(text))
    assert _outcome(lambda: _node(documents._safe.compose(text))) == _outcome(
        lambda: _node(ruamel.compose(text))
    )


# --- canonical item files ----------------------------------------------------------------------

#: Characters that change how YAML reads a scalar, wherever they stand, and ordinary text.
NASTY = (
    " :#-?,[]{}&*!|>'\"%@`~<=.+\t\u3000\u00a0\x85\u2028\u2029\ufeff\x7f\x1b"
    "0123456789eExXoOtTfFnNyYabc本文・【】（）①"
)
ordinary = st.from_regex(
    r"[本文項目管理・【（①a-zA-Z]" r"[本文項目管理・【】（）①、。：a-zA-Z0-9 _/.:#-]{0,10}",
    fullmatch=True,
)
#: Mostly ordinary words, so that most files take the fast path, and some nasty ones.
words = st.one_of(
    ordinary,
    ordinary,
    ordinary,
    ordinary,
    st.text(alphabet=NASTY, min_size=1, max_size=12),
    st.sampled_from(
        ["true", "null", "~", "12", "0x1F", "1e3", "2020-01-01", "<<", "=", "yes", "-", "a: b"]
    ),
)
lines = st.lists(words, min_size=1, max_size=3).map(" ".join)


@st.composite
def items(draw: st.DrawFn) -> Item:
    kind = draw(st.sampled_from(["text", "choices", "select", "none"]))
    value: dict[str, Any] = {}
    if kind == "text":
        value["text"] = "\n".join(draw(st.lists(lines, min_size=0, max_size=4)))
    elif kind == "choices":
        labels = st.sampled_from(["紙", "その他"]) | words  # now and then the same label twice
        value["choices"] = tuple(
            Choice(draw(labels), draw(st.booleans()), draw(st.none() | st.just("") | lines))
            for _ in range(draw(st.integers(1, 3)))
        )
    elif kind == "select":
        option = st.sampled_from(["委託する", "委託しない"]) | words
        options = draw(st.none() | st.lists(option, min_size=1, max_size=3).map(tuple))
        value["select"] = Selection(draw(option), draw(st.none() | lines), options)
    return Item(
        id="x",
        path=tuple(draw(st.lists(lines, min_size=1, max_size=3))),
        page=draw(st.sampled_from([1, 4, 12, 0, None]) | st.integers(0, 10**6)),
        order=draw(st.sampled_from([10, 2060, 0, None]) | st.integers(0, 10**6)),
        important=draw(st.booleans()),
        **value,
    )


def _agrees(text: str) -> bool:
    """The canonical reader either steps aside or reads what ruamel reads."""
    fast = canonical.read_item(text)
    if fast is None:
        return False
    assert fast == documents._safe.load(text)
    return True


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items())
def test_canonical_files_read_as_ruamel_reads_them(value: Item) -> None:
    try:
        text = documents.dump_item(value)
    except YAMLError:
        assume(False)
        return
    _agrees(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items(), st.integers(0, 10**6), st.sampled_from(NASTY + "\n"))
def test_any_change_to_a_canonical_file_is_read_as_ruamel_reads_it_or_left_to_it(
    value: Item, where: int, character: str
) -> None:
    try:
        text = documents.dump_item(value)
    except YAMLError:
        assume(False)
        return
    at = where % (len(text) + 1)
    for changed in (text[:at] + character + text[at:], text[:at] + character + text[at + 1 :]):
        try:
            documents._safe.load(changed)
        except YAMLError:
            assert canonical.read_item(changed) is None
            continue
        _agrees(changed)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items(), st.sampled_from(["x", "a-1.2", "Bad Name"]))
def test_the_quick_check_of_canonical_files_is_the_full_check(value: Item, item_id: str) -> None:
    try:
        data = documents.dump_item(value).encode("utf-8")
    except YAMLError:
        assume(False)
        return
    path = f"assessments/t/items/{item_id}.yaml"
    assert checks.check_item(data, path, item_id) == checks._check_item(data, path, item_id)


def test_ordinary_items_take_the_fast_path() -> None:
    examples = [
        item("a", "・一行目\n【見出し】\n二行目: 値 #1"),
        item(
            "b",
            path=("II. 概要", "3. 入手", "①入手元"),
            choices=(
                Choice("紙", True),
                Choice("その他", False, ""),
                Choice("電子", True, "介護システム、福祉"),
            ),
        ),
        item("c", select=Selection("委託する", "(3) 件", ("委託する", "委託しない"))),
        item("d", "", important=True),
    ]
    for example in examples:
        text = documents.dump_item(example)
        assert _agrees(text), text
        assert checks._clean_canonical_item(text.encode(), "x.yaml", example.id) is not None
        assert documents.load_item(text, example.id, "x.yaml") == documents.item_from_data(
            documents._safe.load(text), example.id, "x.yaml"
        )


# --- listing the items of many milestones ------------------------------------------------------


def test_folder_files_lists_what_ls_tree_lists(repo: GitRepo) -> None:
    repo.write_assessment("t", [("m1", "一")])
    repo.write_item("t", item("a", "本文"))
    repo.write_item("t", item("b c", "空白のある名前"))
    repo.write("assessments/t/items/nested/deep.yaml", "path: [x]\n")
    first = repo.commit("first")
    repo.remove_item("t", "a")
    repo.write_item("t", item("d", "追加"))
    second = repo.commit("second")
    git = Repository.discover(repo.root)
    folder = "assessments/t/items/"
    listings = git.folder_files([first, second, first], folder)
    for commit, listing in zip([first, second, first], listings, strict=True):
        expected = {
            path: blob
            for path, blob in git.ls_tree(commit, folder).items()
            if "/" not in path[len(folder) :]
        }
        assert listing == expected
    assert git.folder_files([first], "assessments/none/items/") == [{}]
    assert git.folder_files([], folder) == []
