"""The import graph of the project's apps, read with ``ast`` (nothing is imported).

``python -m tests.import_graph`` prints every cycle among the apps' modules;
tests/test_import_cycles.py fails on any. An import counts wherever it is written: at the top,
inside a function (a local import that only dodges a cycle is still a cycle) or under
``if TYPE_CHECKING`` (a type that needs the other module is a dependency all the same).
An edge goes to the module named (``from .a import b`` → ``a.b`` when that is a module, else
``a``); parent packages are not edges, so a package's ``__init__`` is a module like any other.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "listings", "pages", "search", "submissions", "demo")
# Generated code, not design: migrations import each other by Django's rules.
SKIPPED_PARTS = frozenset({"migrations", "__pycache__"})


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    local: bool  # written inside a function (run when called, not when imported)

    def __str__(self) -> str:
        where = " (inside a function)" if self.local else ""
        return f"{self.source} → {self.target} (line {self.line}){where}"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = ROOT, apps: tuple[str, ...] = APPS) -> dict[str, Path]:
    modules = {}
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            if SKIPPED_PARTS.isdisjoint(path.relative_to(root).parts):
                modules[module_name(path, root)] = path
    return modules


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _resolve(module: str, path: Path, level: int, name: str | None) -> str:
    """The absolute name of ``from <level dots><name> import …`` written in ``module``."""
    if level == 0:
        return name or ""
    package = module.split(".")
    if not _is_package(path):
        package = package[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, name] if name else base)


def _targets(node: ast.AST, module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        base = _resolve(module, path, node.level, node.module)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            yield submodule if submodule in known else base


def _walk(tree: ast.AST) -> Iterator[tuple[ast.AST, bool]]:
    """Every node with whether it sits inside a function."""
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, local = stack.pop()
        yield node, local
        inner = local or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def edges(root: Path = ROOT, apps: tuple[str, ...] = APPS) -> list[Edge]:
    """Every import of one project module by another, wherever it is written."""
    known = project_modules(root, apps)
    found = set()
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, local in _walk(tree):
            for target in _targets(node, module, path, known):
                if target in known and target != module:
                    found.add(Edge(module, target, node.lineno, local))
    return sorted(found, key=lambda e: (e.source, e.line, e.target))


def cycles(graph_edges: list[Edge]) -> list[list[Edge]]:
    """A shortest cycle through each group of modules that import each other (each strongly
    connected component of more than one module: Tarjan, then a breadth-first search)."""
    graph: dict[str, list[Edge]] = {}
    for edge in graph_edges:
        graph.setdefault(edge.source, []).append(edge)
    found = []
    for group in _strongly_connected(graph):
        if len(group) > 1:
            found.append(_shortest_cycle(min(group), graph, group))
    return found


def _strongly_connected(graph: dict[str, list[Edge]]) -> list[set[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for edge in graph.get(node, []):
            if edge.target not in index:
                visit(edge.target)
                low[node] = min(low[node], low[edge.target])
            elif edge.target in on_stack:
                low[node] = min(low[node], index[edge.target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _shortest_cycle(start: str, graph: dict[str, list[Edge]], group: set[str]) -> list[Edge]:
    paths: dict[str, list[Edge]] = {start: []}
    queue = [start]
    for node in queue:
        for edge in graph.get(node, []):
            if edge.target == start:
                return [*paths[node], edge]
            if edge.target in group and edge.target not in paths:
                paths[edge.target] = [*paths[node], edge]
                queue.append(edge.target)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - a group has one


def describe(cycle: list[Edge]) -> str:
    return "\n".join(f"  {edge}" for edge in cycle)


def main() -> int:
    found = cycles(edges())
    for number, cycle in enumerate(found, 1):
        print(f"cycle {number}:\n{describe(cycle)}")
    print(f"{len(found)} import cycle(s) among {len(project_modules())} modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
