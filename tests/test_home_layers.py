"""The ground floor's own layers: the page cache (and what a process keeps of it in memory) at the bottom, the HTTP
layer (middleware) on top.

No circle inside home and no app above it are tests/test_layers.py's, for the whole project."""

from tests.imports import graph


def test_the_page_cache_is_below_the_middleware_and_the_shell():
    modules = graph(("home",))
    assert modules["home.serving.page_cache"] <= {"home.conf", "home.serving.memory"}
    assert modules["home.serving.memory"] <= {"home.conf"}
    assert "home.serving.page_cache" in modules["home.serving.shell"]
    assert "home.serving.page_cache" in modules["home.serving.middleware"]


def test_nothing_in_home_imports_the_middleware():
    """The middleware is the HTTP layer on top: settings name it, no module imports it."""
    for name, imports in graph(("home",)).items():
        assert not [module for module in imports if module.endswith("middleware")], name
