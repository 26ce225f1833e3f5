"""No module of review/ imports another in a circle (the layers themselves: `make lint`, import-linter)."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def _review_graph() -> dict[str, set[str]]:
    """{module: modules of review it imports}, a package's ``__init__`` importing its own submodules left out."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("review", cache_dir=None)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        edges[module] = {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if not imported.startswith(module + ".")
        }
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself), Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_circle():
    edges = {"review.a": {"review.b"}, "review.b": {"review.c"}, "review.c": {"review.a"}, "review.d": {"review.a"}}
    assert _cycles(edges) == [["review.a", "review.b", "review.c"]]


def test_no_module_of_review_imports_another_in_a_circle():
    edges = _review_graph()
    assert "review.engine.perform" in edges and "review.certificates.issue" in edges  # the graph is the real one
    assert _cycles(edges) == []
