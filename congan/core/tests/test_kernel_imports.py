"""The kernel knows no domain: no module under congan/core imports one of the apps.

Apps register with the kernel (navigation, dashboard panels, API scopes, the second factor,
the persona fixtures); the kernel never reaches into them. Imports inside functions and under
``TYPE_CHECKING`` count too: a lazy import is still a dependency. Tests under congan/core are
held to the same rule: they take officers and units from the persona fixtures.
"""

from __future__ import annotations

import ast
from pathlib import Path

import congan

PACKAGE = Path(congan.__file__).parent


def project_apps() -> set[str]:
    """Every Django app of the project other than the kernel (a package with an apps.py)."""
    return {path.parent.name for path in PACKAGE.glob("*/apps.py")} - {"core"}


def app_imports(source: str, apps: set[str]) -> list[tuple[int, str]]:
    """(line, module) of every import in ``source`` that reaches into one of ``apps``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            if node.module == "congan":  # from congan import org
                found += [(node.lineno, f"congan.{alias.name}") for alias in node.names]
    return [(line, module) for line, module in found if _app_of(module) in apps]


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "congan" else None


def test_the_project_has_apps_to_keep_out():
    assert {"org", "population", "incidents"} <= project_apps()


def test_no_module_in_core_imports_an_app():
    apps = project_apps()
    offending = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for path in sorted((PACKAGE / "core").rglob("*.py"))
        for line, module in app_imports(path.read_text(encoding="utf-8"), apps)
    ]
    assert offending == [], "congan.core imports an app; let the app register with core instead:\n" + "\n".join(
        offending
    )


def test_the_check_sees_every_form_of_import():
    source = (
        "from congan import org\n"
        "import congan.population.models\n"
        "from congan.core import text\n"
        "import congan.envconf\n"
        "from . import sibling\n"
        "def f():\n"
        "    from congan.org.selectors import officer_has_confirmed_device\n"
    )

    hits = app_imports(source, {"org", "population"})

    assert hits == [(1, "congan.org"), (2, "congan.population.models"), (7, "congan.org.selectors")]
