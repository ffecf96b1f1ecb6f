"""Content renders without a request (mail, background tasks), with links on the site's public address."""

import json

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation
from wagtail.models import Site

from actions.models import ActionPage
from home.models import HomePage, point_default_site_at_public_address
from home.rendering import with_absolute_links

PUBLIC = "https://kernteam.example.nl"


@pytest.fixture
def public_address(seeded):
    """Production-like: the site answers at an https address, and the Wagtail Site follows it."""
    with override_settings(SITE_URL=PUBLIC):
        point_default_site_at_public_address()
        yield PUBLIC


def test_the_wagtail_site_follows_the_public_address(public_address):
    action = ActionPage.objects.get(locale__language_code="nl", number=4)
    assert action.full_url == f"{PUBLIC}/acties-en-interventies/{action.slug}/"
    english = ActionPage.objects.get(locale__language_code="en", number=4)
    assert english.full_url == f"{PUBLIC}/en/actions-and-interventions/{english.slug}/"


def test_migrate_points_the_site_at_a_changed_address_keeping_its_port(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8011"
    call_command("migrate", verbosity=0)  # every deployment migrates; nothing else is needed
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8011, "http://127.0.0.1:8011")


def test_action_blocks_render_without_a_request_with_absolute_links(public_address):
    action = ActionPage.objects.get(locale__language_code="nl", number=1)
    target = ActionPage.objects.get(locale__language_code="nl", number=7)
    action.body = json.dumps(
        [
            {"type": "paragraph", "value": f'<p>Zie <a linktype="page" id="{target.pk}">Platform O</a>.</p>'},
            {"type": "call_to_action", "value": {"text": "Naar Platform O", "page": target.pk, "url": ""}},
            {"type": "call_to_action", "value": {"text": "Extern", "page": None, "url": "https://example.org/x"}},
        ]
    )
    with translation.override("nl"):
        html = with_absolute_links(str(action.body))
    assert f'<a href="{target.full_url}">Platform O</a>' in html
    assert f'<a class="button" href="{target.full_url}">Naar Platform O</a>' in html
    assert '<a class="button" href="https://example.org/x">Extern</a>' in html
    assert target.full_url.startswith(f"{PUBLIC}/acties-en-interventies/")
    # In English the same block leads to the English translation of the page it points at.
    with translation.override("en"):
        english = with_absolute_links(str(action.body))
    english_target = ActionPage.objects.get(locale__language_code="en", number=7)
    assert f'<a class="button" href="{english_target.full_url}">Naar Platform O</a>' in english


def test_the_home_page_and_the_shell_render_without_a_request(public_address):
    home = HomePage.objects.get(locale__language_code="en")
    with translation.override("en"):
        html = render_to_string("home/home_page.html", home.get_context(None))
    assert '<html lang="en">' in html
    assert "Core Team for Public Service Craftsmanship</a>" in html  # the header's site name
    assert f'<link rel="alternate" hreflang="en" href="{PUBLIC}/en/">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{PUBLIC}/">' in html
    assert '<a href="/en/actions-and-interventions/" aria-current' not in html  # nothing is "current" but home
    absolute = with_absolute_links(html)
    assert f'href="{PUBLIC}/en/actions-and-interventions/"' in absolute
    assert 'href="/' not in absolute and f'href="{PUBLIC}/static/css/site.css"' in absolute
