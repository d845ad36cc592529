"""The plugins' import graph: layered, and without cycles.

strictbuild is the bottom layer, the Markdown reader the next, the feature
plugins on top. A module may import from its own package and from lower
layers, never from a higher one, and the packages' graph has no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
LAYERS = {"strictbuild": 0, "markdown_reader": 1}
TOP = 2


def packages() -> list[str]:
    return sorted(p.name for p in PLUGINS.iterdir() if (p / "__init__.py").exists())


def layer(package: str) -> int:
    return LAYERS.get(package, TOP)


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The first-party packages a module imports (absolute imports, at any depth)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in known)
    return found


def graph() -> dict[str, dict[str, list[str]]]:
    """package -> imported package -> the modules that import it."""
    known = set(packages())
    edges: dict[str, dict[str, list[str]]] = {name: {} for name in known}
    for package in known:
        for path in sorted((PLUGINS / package).rglob("*.py")):
            for other in imports_of(path, known) - {package}:
                edges[package].setdefault(other, []).append(str(path.relative_to(PLUGINS)))
    return edges


def upward(edges: Mapping[str, Mapping[str, list[str]]]) -> list[str]:
    return [
        f"{module} ({layer(package)}) imports {other} ({layer(other)})"
        for package, targets in edges.items()
        for other, modules in targets.items()
        if layer(other) > layer(package)
        for module in modules
    ]


def cycle(edges: Mapping[str, Mapping[str, list[str]]]) -> list[str]:
    """One cycle of the package graph as a path (empty when there is none)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, {})):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_layers_are_the_plugins_that_exist() -> None:
    assert set(LAYERS) <= set(packages())
    assert len(packages()) > len(LAYERS), packages()


def test_no_plugin_imports_from_a_higher_layer() -> None:
    edges = graph()
    assert edges["strictbuild"] == {}, edges["strictbuild"]
    assert set(edges["markdown_reader"]) <= {"strictbuild"}, edges["markdown_reader"]
    assert upward(edges) == []


def test_the_package_graph_has_no_cycle() -> None:
    assert cycle(graph()) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b": ["a/x.py"]}, "b": {"a": ["b/y.py"]}}, ["a", "b", "a"]),
        ({"a": {"b": ["a/x.py"]}, "b": {"c": ["b/y.py"]}, "c": {"a": ["c/z.py"]}}, ["a", "b", "c", "a"]),
        ({"a": {"b": ["a/x.py"]}, "b": {}}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(edges: dict[str, dict[str, list[str]]], expected: list[str]) -> None:
    assert cycle(edges) == expected


def test_an_upward_import_is_reported() -> None:
    edges = {"strictbuild": {"charts": ["strictbuild/x.py"]}, "charts": {"strictbuild": ["charts/y.py"]}}
    assert upward(edges) == ["strictbuild/x.py (0) imports charts (2)"]
