"""The ground floor's own layers: the page cache at the bottom, the HTTP layer (middleware) on top, no circle."""

import ast
from pathlib import Path

from django.conf import settings

HOME = Path(settings.BASE_DIR) / "home"


def module_name(path):
    parts = path.relative_to(HOME.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path):
    """The modules `path` imports, by their full names (a package's modules as they are named)."""
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            module = ".".join([*base[: len(base) - node.level + 1], node.module or ""]) if node.level else node.module
            module = module.rstrip(".")
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def home_imports():
    modules = {module_name(path): path for path in HOME.rglob("*.py") if "migrations" not in path.parts}
    return {
        name: {other for other in imported(path) if other in modules and other != name}
        for name, path in modules.items()
    }


def test_home_imports_no_app_built_on_it():
    for path in HOME.rglob("*.py"):
        for module in imported(path):
            assert module.split(".")[0] not in ("actions", "newsletter", "search"), (path, module)


def test_the_page_cache_is_below_the_middleware_and_the_shell():
    graph = home_imports()
    assert graph["home.serving.page_cache"] <= {"home.conf"}
    assert "home.serving.page_cache" in graph["home.serving.shell"]
    assert "home.serving.page_cache" in graph["home.serving.middleware"]


def test_nothing_in_home_imports_the_middleware():
    """The middleware is the HTTP layer on top: settings name it, no module imports it."""
    for name, imports in home_imports().items():
        assert not [module for module in imports if module.endswith("middleware")], name


def test_no_module_of_home_imports_itself_back():
    graph = home_imports()

    def reaches(start, goal, seen):
        for module in graph[start] - seen:
            seen.add(module)
            if module == goal or reaches(module, goal, seen):
                return True
        return False

    assert [name for name in graph if reaches(name, name, set())] == []
