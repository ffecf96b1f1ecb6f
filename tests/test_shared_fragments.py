"""Parts of a page that are the same for every visitor are rendered once per generation of the page cache: the join
and follow forms and the partners of an action, a page's language links and what `{% shared_fragment %}` wraps (the
home page's featured actions). A change to any page renders them again; a visitor's own input and an editor's
preview never come from or go to the cache."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from actions.models import ActionPage
from home.models import HomePage, SiteSettings
from home.serving.page_cache import invalidate_page_cache
from home.templatetags import site_tags

JOIN_FORM = "joining/includes/join_form.html"
FOLLOW_FORM = "newsletter/includes/follow_form.html"
PARTNER = "actions/blocks/partner_block.html"
# Served but never stored by the page cache (home.serving.canonical), so each request is rendered in full.
UNCACHED = "?utm_source=test"


@pytest.fixture
def action(seeded):
    SiteSettings.load()  # made on first use, which empties the cache: before the test
    return ActionPage.objects.get(locale__language_code="nl", number=2)


def rendered_templates(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response, [template.name for template in response.templates]


@pytest.mark.parametrize("fragment", [JOIN_FORM, FOLLOW_FORM, PARTNER])
def test_what_an_action_page_shows_every_visitor_is_rendered_once_per_generation(seeded, client, fragment):
    """The empty join and follow forms, and the partners (snippets, a query of their own)."""
    SiteSettings.load()
    action = ActionPage.objects.get(locale__language_code="nl", number=7)  # the seed gives it partners
    first, templates = rendered_templates(client, action.url + UNCACHED)
    again, templates_again = rendered_templates(client, action.url + UNCACHED)
    assert fragment in templates and fragment not in templates_again
    assert again.content == first.content and b'<form method="post"' in again.content
    action.title = "Een nieuwe titel"
    action.save_revision().publish()
    assert fragment in rendered_templates(client, action.url + UNCACHED)[1]


def test_a_join_form_sent_back_with_errors_is_the_visitors_own(action, client):
    client.get(action.url + UNCACHED)
    sent = {"name": "Jan", "email": "geen-adres", "message": "Hallo"}
    response = client.post(reverse("joining:join", args=[action.pk]), sent)
    assert response.status_code == 200
    assert b'value="Jan"' in response.content and b"Hallo" in response.content
    assert b'value="Jan"' not in client.get(action.url + UNCACHED).content


def test_a_pages_language_links_are_found_once_per_generation_and_host(action, client, monkeypatch):
    calls = []

    def counted(*args):
        calls.append(args)
        return languages_of(*args)

    languages_of = site_tags.languages_of
    monkeypatch.setattr(site_tags, "languages_of", counted)
    first = client.get(action.url + UNCACHED).content
    assert client.get(action.url + UNCACHED).content == first and len(calls) == 1
    for _ in range(2):  # a host the site does not spell so: its absolute links are its own, and never kept
        assert b"http://localhost/" in client.get(action.url + UNCACHED, HTTP_HOST="localhost").content
    assert len(calls) == 3
    action.save_revision().publish()
    client.get(action.url + UNCACHED)
    assert len(calls) == 4


def fragment(request, value):
    source = '{% load shared_fragments %}{% shared_fragment "part" 1 %}<b>{{ value }}</b>{% endshared_fragment %}'
    template = Template(source)
    return template.render(Context({"request": request, "value": value}))


def test_a_shared_fragment_is_rendered_once_per_generation_and_never_from_a_preview(db):
    factory = RequestFactory()
    preview = factory.get("/")
    preview.is_preview = True
    assert fragment(preview, "draft & co") == "<b>draft &amp; co</b>"
    assert fragment(factory.get("/"), "published") == "<b>published</b>"
    assert fragment(factory.get("/"), "changed") == "<b>published</b>"
    assert fragment(factory.get("/", HTTP_HOST="localhost"), "elsewhere") == "<b>elsewhere</b>"
    invalidate_page_cache()
    assert fragment(factory.get("/"), "changed") == "<b>changed</b>"


def test_the_home_pages_featured_actions_are_rendered_once_per_generation(action, client):
    first, templates = rendered_templates(client, "/" + UNCACHED)
    again, templates_again = rendered_templates(client, "/" + UNCACHED)
    assert "actions/includes/action_card.html" in templates
    assert "actions/includes/action_card.html" not in templates_again and again.content == first.content
    featured = ActionPage.objects.get(locale__language_code="nl", translation_key=first_featured_key())
    featured.title = "Een nieuwe titel"
    featured.save_revision().publish()
    assert "Een nieuwe titel" in client.get("/" + UNCACHED).content.decode()


def first_featured_key():
    home = HomePage.objects.get(locale__language_code="nl")
    return next(block.value.translation_key for block in home.featured_actions if block.value)
