"""The house's layering, read from the source: apps import only the floors below them, no import circle anywhere,
project imports at the top of their modules, no module over 400 lines."""

import ast

import pytest

from tests.imports import PACKAGES, circles, graph, module_name, source_files

# Which apps each app may import. The ground floor (home) names none; the page apps and search stand on it;
# joining an action and the newsletter stand on the actions but never name each other (the newsletter erases an
# address's join requests through the `erase_address` hook); no page app names search (pages declare their
# `search_kind` as a plain string); config, the top, wires everything.
BELOW = {
    "home": set(),
    "actions": {"home"},
    "search": {"home"},
    "joining": {"home", "actions"},
    "newsletter": {"home", "actions"},
}


@pytest.mark.parametrize("app", sorted(BELOW))
def test_an_app_imports_only_the_apps_below_it(app):
    for module, imports in graph((app,)).items():
        apps = {name.split(".")[0] for name in imports} - {app}
        assert apps <= BELOW[app], (module, apps - BELOW[app])


def test_no_import_circle_anywhere():
    assert circles(graph()) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_is_over_400_lines(package):
    long = {module_name(path): n for path in source_files(package) if (n := len(path.read_text().splitlines())) > 400}
    assert long == {}


@pytest.mark.parametrize("package", PACKAGES)
def test_project_imports_sit_at_the_top_of_their_modules(package):
    """A lazy import would hide a circle. Only AppConfig.ready() imports late: models are not loaded before it."""
    late = []
    for path in source_files(package):
        if path.name == "apps.py":
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                    names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
                    if (
                        isinstance(node, ast.ImportFrom)
                        and node.level
                        or any(name.split(".")[0] in PACKAGES for name in names)
                    ):
                        late.append(f"{module_name(path)}.{function.name}")
    assert late == []
