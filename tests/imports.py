"""The project's modules and what each imports, read from the source (nothing is run): for the layering tests."""

import ast
from functools import cache
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
# The importable parts of the project (site/ holds no Python; tests/ and deploy/ are not rooms of the house).
PACKAGES = ("config", "home", "actions", "joining", "newsletter", "search")


def source_files(package):
    return [path for path in sorted((BASE / package).rglob("*.py")) if "migrations" not in path.parts]


def module_name(path):
    parts = path.relative_to(BASE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path):
    """The modules `path` imports, by their full names (`from a import b` counts a and a.b: b may be a module)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module or ""]).rstrip(".")
            else:
                module = node.module
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


@cache
def graph(packages=PACKAGES):
    """{module: the project's modules it imports} for the modules of `packages`.

    `from . import x` counts as importing the package (its __init__ runs first), so a package's __init__ that
    imports its modules and a module that imports its package the same way make a circle.
    """
    paths = {module_name(path): path for package in PACKAGES for path in source_files(package)}
    return {
        name: {other for other in imported(path) if other in paths and other != name}
        for name, path in paths.items()
        if name.split(".")[0] in packages
    }


def circles(modules):
    """The modules of the graph `modules` from which an import chain leads back to themselves."""

    def reaches(start, goal, seen):
        for module in modules.get(start, set()) - seen:
            seen.add(module)
            if module == goal or reaches(module, goal, seen):
                return True
        return False

    return [name for name in modules if reaches(name, name, set())]
