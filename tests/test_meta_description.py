"""Every page has a meta description (Lighthouse's SEO audit): the editor's search description, else the page's
own summary, preheader or introduction, as plain text."""

import re
from html import unescape

import pytest

from actions.models import ActionIndexPage, ActionPage
from home.models import HomePage
from newsletter.drafting import draft_edition


def description(client, url):
    found = re.findall(r'<meta name="description" content="([^"]*)">', client.get(url).content.decode())
    assert len(found) == 1, url
    return unescape(found[0])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_pages_without_a_search_description_describe_themselves(seeded, client, language):
    home = HomePage.objects.get(locale__language_code=language)
    overview = ActionIndexPage.objects.get(locale__language_code=language)
    action = ActionPage.objects.filter(locale__language_code=language).first()
    assert not home.search_description and not overview.search_description and not action.search_description
    assert description(client, home.url).split()[:5] == re.sub("<[^>]+>", " ", home.intro).split()[:5]
    assert description(client, overview.url)
    assert description(client, action.url) == action.summary
    assert "<" not in description(client, home.url) and len(description(client, home.url).split()) <= 40


def test_an_edition_is_described_by_its_preheader_and_a_search_description_wins(seeded, client):
    edition = draft_edition().edition
    edition.save_revision().publish()
    assert description(client, edition.url) == edition.preheader
    edition.search_description = "Wat we deze maand deden."
    edition.save_revision().publish()
    assert description(client, edition.url) == "Wat we deze maand deden."
