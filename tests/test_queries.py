"""Every public page type costs at most 8 queries when rendered in full (past the page cache), with 7 actions as
seeded or with 700; the site shell (home.serving.shell) is kept between requests, as it is on the server."""

import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from actions.models import ActionIndexPage, ActionPage
from home.models import ContentPage, SiteSettings
from newsletter.models import NewsletterIndexPage, NewsletterPage

MAX_QUERIES = 8
BYPASS = {"HTTP_X_UNCACHED": "1"}


def add_actions(overview, count):
    """`count` more live actions at the end of the overview (without revisions: only the rendering is measured)."""
    start = ActionPage.objects.child_of(overview).count()
    for number in range(start + 1, start + count + 1):
        overview.add_child(
            instance=ActionPage(
                title=f"Actie {number}",
                number=number,
                summary=f"Samenvatting {number}.",
                body=json.dumps([{"type": "paragraph", "value": f"<p>Tekst van actie {number}.</p>"}]),
            )
        )


def add_edition(index, actions):
    items = [
        {
            "type": "action_item",
            "value": {"action": page.pk, "updates": [{"date": "2026-11-01", "text": "<p>Ja.</p>"}]},
        }
        for page in actions
    ]
    edition = index.add_child(
        instance=NewsletterPage(title="Editie november", slug="november", subject="November", items=json.dumps(items))
    )
    edition.save_revision().publish()
    return edition


def public_pages(language):
    overview = ActionIndexPage.objects.get(locale__language_code=language)
    newsletter = NewsletterIndexPage.objects.get(locale__language_code=language)
    actions = ActionPage.objects.child_of(overview).order_by("path")
    return {
        "home": overview.get_parent().url,
        "overview": overview.url,
        "overview, last page": overview.url + "?page=1000",
        "action": actions.last().url,
        "newsletter": newsletter.url,
        "edition": NewsletterPage.objects.child_of(newsletter).get().url,
        "privacy": ContentPage.objects.get(locale__language_code=language, slug__startswith="privacy").url,
        "search": "/zoeken/?q=actie" if language == "nl" else "/en/search/?q=action",
    }


@pytest.fixture
def site_with(seeded):
    # The settings row is made on first use, and making it empties the caches: make it before the test does.
    SiteSettings.load()

    def build(actions):
        overview = ActionIndexPage.objects.get(locale__language_code="nl")
        add_actions(overview, actions - ActionPage.objects.child_of(overview).count())
        for language in ("nl", "en"):
            index = NewsletterIndexPage.objects.get(locale__language_code=language)
            add_edition(index, ActionPage.objects.filter(locale__language_code=language))

    return build


@pytest.mark.parametrize("actions", [7, 700])
@pytest.mark.parametrize("language", ["nl", "en"])
@override_settings(PAGE_CACHE_BYPASS_HEADER="HTTP_X_UNCACHED")
def test_every_public_page_type_renders_in_at_most_eight_queries(
    site_with, client, actions, language, django_assert_max_num_queries
):
    site_with(actions)
    for name, url in public_pages(language).items():
        assert client.get(url, **BYPASS).status_code == 200, name  # fills the site shell
        with django_assert_max_num_queries(MAX_QUERIES, info=f"{name}: {url}"):
            assert client.get(url, **BYPASS).status_code == 200, name


@override_settings(PAGE_CACHE_BYPASS_HEADER="HTTP_X_UNCACHED")
def test_the_bypass_header_renders_past_the_page_cache_only_where_a_setting_names_it(seeded, client, settings):
    overview = ActionIndexPage.objects.get(locale__language_code="nl").url
    client.get(overview)
    cached = client.get(overview)
    assert client.get(overview, **BYPASS).content == cached.content
    with CaptureQueriesContext(connection) as bypassed:
        client.get(overview, **BYPASS)
    settings.PAGE_CACHE_BYPASS_HEADER = None
    with CaptureQueriesContext(connection) as cached:
        client.get(overview, **BYPASS)
    assert len(bypassed) > 0 and len(cached) == 0
