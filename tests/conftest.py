import json

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page, Site

from actions.models import ActionIndexPage, ActionPage
from actions.seed import Loader
from home.models import HomePage


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """The .mo files are build products, not committed: compile them before any text is translated."""
    call_command("compile_catalogues", verbosity=0)


@pytest.fixture
def load_seed(db):
    """Runs the seed loader without its report."""
    return lambda: Loader(report=lambda line: None).run()


@pytest.fixture
def seeded(load_seed):
    """The real content: the Dutch tree from the source text and its English translation."""
    load_seed()


@pytest.fixture
def tree(db):
    """A small Dutch tree: a home page as the site root, an overview, no actions yet."""
    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    home = root.add_child(instance=HomePage(title="Thuis", slug="home", intro="<p>Over ons.</p>"))
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    index = home.add_child(instance=ActionIndexPage(title="Acties en interventies", slug="acties-en-interventies"))
    return {"home": home, "index": index}


@pytest.fixture
def add_action(tree):
    def add(number, **fields):
        page = ActionPage(
            title=fields.pop("title", f"Actie {number}"),
            number=number,
            summary=fields.pop("summary", f"Samenvatting {number}."),
            body=json.dumps([{"type": "paragraph", "value": f"<p>Tekst van actie {number}.</p>"}]),
            **fields,
        )
        tree["index"].add_child(instance=page)
        page.save_revision().publish()
        return page

    return add


@pytest.fixture
def english(db):
    locale, _ = Locale.objects.get_or_create(language_code="en")
    return locale
