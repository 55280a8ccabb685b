"""The project's layout rules (issue 11), read from the sources: the apps never import the
dev-only ``devtools`` package and only the dev and test settings install it. (Import cycles
among the apps' modules: tests/test_import_cycles.py.)"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.import_graph import project_modules

ROOT = Path(__file__).resolve().parent.parent
# The settings that install devtools, and so name it.
DEV_SETTINGS = {ROOT / "portal" / "settings" / "dev.py", ROOT / "portal" / "settings" / "test.py"}


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


def test_the_apps_never_import_devtools():
    offenders = []
    for name, path in project_modules().items():
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
