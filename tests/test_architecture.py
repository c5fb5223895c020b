"""The import rules of docs/architecture.md, read from the code itself (``ast``): who may import
whom. A rule broken here is a layer reaching where it must not, not a style question.

Only imports that run count: those under ``if TYPE_CHECKING:`` name types for the checker and
load nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "piakit"

#: The layers, from the ground up; a module's layer is the first whose prefix it starts with.
GROUND = ("piakit.conventions", "piakit.errors", "piakit.model")
CORE = (
    "piakit.textdiff",
    "piakit.compare",
    "piakit.sheet",
    "piakit.checks",
    "piakit.canonical",
    "piakit.documents",
    "piakit.importers",
    "piakit.files",
    "piakit.reports",
)
READ_MODEL = (
    "piakit.opening",
    "piakit.workspace",
    "piakit.versions",
    "piakit.bindings",
    "piakit.resolutions",
)
GIT = ("piakit.history",)
ADAPTERS = ("piakit.cli", "piakit.mkdocs_plugin")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(tree: ast.AST, module: str) -> Iterator[str]:
    """The modules ``tree`` imports when it runs (``if TYPE_CHECKING:`` blocks left out),
    relative imports resolved against ``module``."""

    def visit(node: ast.AST) -> Iterator[str]:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (name for child in node.orelse for name in visit(child))
            return
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")[: -node.level] if node.level else []
                base = ".".join([*package, *([base] if base else [])])
            yield base
            # ``from piakit import documents`` imports the module piakit.documents.
            yield from (f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            yield from visit(child)

    yield from visit(tree)


def _graph() -> dict[str, set[str]]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        tree = ast.parse(path.read_text("utf-8"), str(path))
        modules[name] = set(_runtime_imports(tree, name))
    known = set(modules)
    # Keep piakit modules that exist and every outside name as written.
    return {
        name: {i for i in imports if not i.startswith("piakit") or i in known}
        for name, imports in modules.items()
    }


GRAPH = _graph()


def _in(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _offenders(sources: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module, imports in GRAPH.items()
        if _in(module, sources)
        for target in imports
        if _in(target, forbidden)
    )


def test_the_graph_is_read() -> None:
    """The reader finds the modules and their imports (a broken reader passes every rule)."""
    assert "piakit.workspace" in GRAPH["piakit.usecases.table"]
    assert "git" in GRAPH["piakit.history"]
    assert len(GRAPH) > 40


def test_only_the_git_module_runs_git() -> None:
    users = sorted(
        module
        for module, imports in GRAPH.items()
        if imports & {"git", "gitdb", "subprocess"}
        and not (module == "piakit.history" or module.startswith("piakit.history."))
    )
    assert users == []


def test_only_the_mkdocs_plugin_imports_mkdocs() -> None:
    users = sorted(
        module
        for module, imports in GRAPH.items()
        if any(i == "mkdocs" or i.startswith("mkdocs.") for i in imports)
        and not _in(module, ("piakit.mkdocs_plugin",))
    )
    assert users == []


def test_the_ground_stands_on_nothing() -> None:
    everything_else = tuple(
        sorted({m for m in GRAPH if m.startswith("piakit.") and not _in(m, GROUND)})
    )
    assert _offenders(GROUND, everything_else) == []


def test_the_core_never_reads_git_or_the_read_model() -> None:
    upper = (*GIT, *READ_MODEL, "piakit.usecases", "piakit.website", *ADAPTERS)
    assert _offenders((*CORE, "piakit.render"), upper) == []


def test_the_read_model_never_reaches_up() -> None:
    upper = ("piakit.usecases", "piakit.website", "piakit.render", *ADAPTERS)
    assert _offenders(READ_MODEL, upper) == []


def test_use_cases_never_reach_the_adapters() -> None:
    assert _offenders(("piakit.usecases", "piakit.website"), ADAPTERS) == []


@pytest.mark.parametrize(
    "module", sorted(m for m in GRAPH if _in(m, ("piakit.cli",)) and m != "piakit.cli._common")
)
def test_a_command_calls_use_cases_only(module: str) -> None:
    """A command parses its options, calls a use case and writes what it returns: it imports
    ``cli._common``, the use cases and the renderers, never the read model or git."""
    allowed = ("piakit.cli", "piakit.usecases", "piakit.render", "piakit.conventions")
    piakit_imports = {i for i in GRAPH[module] if i.startswith("piakit.")}
    assert sorted(i for i in piakit_imports if not _in(i, allowed)) == []


def test_no_module_is_over_about_500_lines() -> None:
    long = sorted(
        f"{_module_name(path)}: {count}"
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text("utf-8").splitlines())) > 550
    )
    assert long == []


def test_opening_stays_light_so_git_starts_before_the_rest_loads() -> None:
    heavy = {"piakit.documents", "piakit.workspace", "piakit.textdiff", "piakit.usecases"}
    heavy |= {"ruamel.yaml", "piakit.render", "piakit.compare"}
    loaded = {i for i in GRAPH["piakit.opening"] if any(i.startswith(h) for h in heavy)}
    assert loaded == set()
