import json

import pytest

from actions.models import ActionIndexPage, ActionPage


def publish(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def bilingual(tree, english):
    """The small Dutch tree of `tree` and its English translation: a home page and an overview in each language."""
    en_home = tree["home"].copy_for_translation(english)
    en_home.title = "Home"
    publish(en_home)
    en_index = tree["index"].copy_for_translation(english)
    en_index.title = "Actions and interventions"
    en_index.slug = "actions-and-interventions"
    publish(en_index)
    return {"nl": tree["index"], "en": ActionIndexPage.objects.get(pk=en_index.pk), "en_home": en_home, **tree}


@pytest.fixture
def add_page(bilingual):
    """Publishes an action in one language with the given title, summary and body text."""
    numbers = iter(range(1, 10_000))

    def add(language, title, summary="", body="", parent=None):
        page = ActionPage(
            title=title,
            number=next(numbers),
            summary=summary or "-",
            body=json.dumps([{"type": "paragraph", "value": f"<p>{body}</p>"}]),
        )
        (parent or bilingual[language]).add_child(instance=page)
        return publish(page)

    return add


@pytest.fixture
def results():
    """The titles of the results on a response's page, in order."""
    return lambda response: [item["title"] for item in response.context["items"]]
