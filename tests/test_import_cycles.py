"""No import cycles among the apps' modules (tests/import_graph.py reads the imports with ast).

A function-local import that closes a cycle is a cycle too: it only hides the dependency until
the function runs. The few allowed below each say why the cycle is the right shape.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.import_graph import Edge, cycles, describe, edges

# (importer, imported) → why the importer may import it inside a function.
ALLOWED_LOCAL_IMPORTS = {
    ("listings.models", "listings.selectors"): (
        "Wagtail renders a page through its model's get_context; the reads it needs live in "
        "the app's selectors (house rule), which query the models, so the call can only be "
        "made when the page is rendered."
    ),
    ("pages.models", "pages.selectors"): "as listings.models → listings.selectors",
}


def test_no_import_cycles_among_the_apps_modules():
    kept = [
        edge
        for edge in edges()
        if not (edge.local and (edge.source, edge.target) in ALLOWED_LOCAL_IMPORTS)
    ]
    found = cycles(kept)
    assert not found, "import cycles:\n" + "\n\n".join(describe(cycle) for cycle in found)


def test_allowed_imports_stay_inside_functions():
    # An allowance is for a local import only: the same pair imported at the top is a cycle
    # Python itself cannot load, and would be reported by the test above anyway.
    for edge in edges():
        if (edge.source, edge.target) in ALLOWED_LOCAL_IMPORTS:
            assert edge.local, edge


# --- the checker itself, on a made-up tree -------------------------------------------------------


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def pairs(found: list[list[Edge]]) -> list[set[tuple[str, str]]]:
    return [{(edge.source, edge.target) for edge in cycle} for cycle in found]


def test_the_checker_finds_top_level_local_and_relative_cycles(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/a.py": "from app.b import thing\n",
            "app/b.py": "import os\n\ndef thing():\n    from . import a\n",
            "app/sub/__init__.py": "",
            "app/sub/c.py": "from ..d import x\n",
            "app/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from app.sub.c import y\n",
            "app/e.py": "import django\nfrom app import f\n",
            "app/f.py": "class F:\n    from app import g\n",
            "app/g.py": "x = 1\n",
        },
    )

    graph = edges(tmp_path, ("app",))
    found = pairs(cycles(graph))

    assert {("app.a", "app.b"), ("app.b", "app.a")} in found  # the second inside a function
    assert {("app.sub.c", "app.d"), ("app.d", "app.sub.c")} in found  # relative, TYPE_CHECKING
    assert len(found) == 2
    local = {(e.source, e.target) for e in graph if e.local}
    assert local == {("app.b", "app.a")}  # a class body runs on import: not local
    assert ("app.e", "app.f") in {(e.source, e.target) for e in graph}
    assert not any(e.target in ("os", "django", "typing") for e in graph)


def test_the_checker_finds_no_cycle_in_a_tree_without_one(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "from .a import x\n",
            "app/a.py": "from .b import y\nx = y\n",
            "app/b.py": "y = 1\n",
        },
    )
    assert cycles(edges(tmp_path, ("app",))) == []
