"""The project's layout rules (issue 11), read from the sources: the apps never import the
dev-only ``devtools`` package, only the dev and test settings install it, and the apps' modules
import each other without cycles."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("listings", "pages", "search", "submissions", "demo", "portal")
# The settings that install devtools, and so name it.
DEV_SETTINGS = {ROOT / "portal" / "settings" / "dev.py", ROOT / "portal" / "settings" / "test.py"}
# Cycles through imports inside functions, left to the pieces that own these modules: Wagtail
# pages whose get_context calls their app's selectors, and the open-data importer. A cycle
# outside these (or one growing into more modules) fails.
KNOWN_CYCLES = [
    {"listings.models", "listings.selectors"},
    {"pages.models", "pages.selectors"},
    {"listings.importing", "listings.opendata.report", "listings.opendata.tokyo_kodomo_shokudo"},
]


def app_modules() -> dict[str, Path]:
    """Every module of the apps by dotted name (migrations left out: Django writes them)."""
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(module: str, path: Path) -> Iterator[str]:
    """The dotted names this module imports anywhere in it (inside functions too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            yield origin
            yield from (f"{origin}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Module → the app modules it imports (``from pkg import sub`` counts as ``pkg.sub``)."""
    modules = app_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target in imports(name, path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
        # ``from . import x`` also names the package itself; the submodule is what is loaded.
        for target in list(graph[name]):
            if any(other.startswith(f"{target}.") for other in graph[name]):
                graph[name].discard(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_apps_never_import_devtools():
    offenders = []
    for name, path in app_modules().items():
        if any(t == "devtools" or t.startswith("devtools.") for t in imports(name, path)):
            offenders.append(name)
            continue
        if path in DEV_SETTINGS:
            continue
        # Nor name it as a dotted path (import_string, INSTALLED_APPS, a settings value).
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(
            isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and (n.value == "devtools" or n.value.startswith("devtools."))
            for n in ast.walk(tree)
        ):
            offenders.append(name)
    assert offenders == []


def test_the_scan_sees_an_import_of_devtools(tmp_path):
    """The check above reads every form of import (else it would pass on anything)."""
    source = tmp_path / "sample.py"
    source.write_text(
        "def f():\n    from devtools import synthetic\n    import devtools.eval.runner\n",
        encoding="utf-8",
    )
    found = set(imports("listings.sample", source))
    assert {"devtools", "devtools.synthetic", "devtools.eval.runner"} <= found


@pytest.mark.parametrize(
    ("settings_module", "installed"),
    [
        ("portal.settings.base", False),
        ("portal.settings.production", False),
        ("portal.settings.dev", True),
        ("portal.settings.test", True),
    ],
)
def test_only_dev_and_test_settings_install_devtools(settings_module, installed):
    # In a fresh interpreter: importing production here would change dicts the test settings
    # share with base (STORAGES).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": "layout-test-" + "x" * 50,
        "ALLOWED_HOSTS": "portal.example.jp",
    }
    code = (
        "import json; from django.conf import settings; print(json.dumps(settings.INSTALLED_APPS))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    apps = json.loads(done.stdout)
    assert "search" in apps
    assert ("devtools" in apps) is installed


def test_no_import_cycles_among_the_apps_modules():
    graph = import_graph()
    assert graph["search.engines"] >= {"search.embedded", "search.fallback", "search.es.engine"}
    new = [c for c in cycles(graph) if not any(c <= known for known in KNOWN_CYCLES)]
    assert new == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [{"a", "b", "c"}]
