"""The accessibility statement: seeded in both languages, linked from every footer, and the editors' to change."""

import re

import pytest
from django.contrib.auth import get_user_model

from home.models import ContentPage, SiteSettings

STATEMENT = {"nl": "/toegankelijkheid/", "en": "/en/accessibility/"}


def footer(response):
    return re.search(r"<footer.*</footer>", response.content.decode(), re.DOTALL).group(0)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            STATEMENT["nl"],
            [
                "WCAG) 2.1, niveau A en AA",
                "EN 301 549",
                "axe-core",
                "Nu HTML Checker",
                "toetsenbord",
                "28 november 2026",
                "contactadres onderaan elke pagina",
                "Nationale ombudsman",
            ],
        ),
        (
            STATEMENT["en"],
            [
                "WCAG) 2.1, levels A and AA",
                "EN 301 549",
                "axe-core",
                "Nu HTML Checker",
                "keyboard alone",
                "28 November 2026",
                "contact address at the bottom of every page",
                "National Ombudsman",
            ],
        ),
    ],
)
def test_the_statement_names_the_standard_the_tests_their_date_the_limits_and_how_to_report(
    seeded, client, path, expected
):
    response = client.get(path)
    assert response.status_code == 200
    text = response.content.decode()
    for phrase in expected:
        assert phrase in text


@pytest.mark.parametrize(
    ("language", "paths"),
    [
        (
            "nl",
            [
                "/",
                "/acties-en-interventies/",
                "/nieuwsbrief/",
                "/privacyverklaring/",
                "/zoeken/?q=x",
                "/bestaat-niet/",
            ],
        ),
        ("en", ["/en/", "/en/newsletter/", "/en/privacy/", "/en/search/?q=x", "/en/does-not-exist/"]),
    ],
)
def test_every_footer_links_the_statement_in_its_language(seeded, client, language, paths):
    for path in paths:
        assert f'href="{STATEMENT[language]}"' in footer(client.get(path)), path


def test_the_footer_follows_the_page_editors_choose_in_the_site_settings(seeded, client):
    other = ContentPage.objects.get(locale__language_code="nl", slug="privacyverklaring")
    settings = SiteSettings.load()
    settings.accessibility_page = other
    settings.save()  # empties the page cache
    assert 'href="/privacyverklaring/">Privacyverklaring</a>' in footer(client.get("/"))
    assert 'href="/en/privacy/">Privacy statement</a>' in footer(client.get("/en/"))

    settings.accessibility_page = None
    settings.save()
    assert "site-footer__links" not in footer(client.get("/"))


def test_loading_the_seed_again_keeps_an_editors_statement(seeded, load_seed):
    editor = get_user_model().objects.create_user("redacteur", password="x")
    page = ContentPage.objects.get(locale__language_code="nl", slug="toegankelijkheid")
    page.title = "Toegankelijkheidsverklaring"
    page.save_revision(user=editor).publish()
    load_seed()
    page.refresh_from_db()
    assert page.title == "Toegankelijkheidsverklaring"
