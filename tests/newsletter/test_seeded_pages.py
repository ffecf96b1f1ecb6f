"""The seed's newsletter page and privacy statement in both languages, the links to them, and no cookies."""

import re

import pytest
from django.contrib.auth import get_user_model

from actions.models import ActionPage
from home.models import ContentPage
from newsletter import seed as newsletter_seed
from newsletter.models import NewsletterIndexPage

PAGE_MAX_QUERIES = 22


def test_the_seed_builds_both_pages_in_both_languages(seeded, client, django_assert_max_num_queries):
    for url, title in [
        ("/nieuwsbrief/", "Nieuwsbrief"),
        ("/en/newsletter/", "Newsletter"),
        ("/privacyverklaring/", "Privacyverklaring"),
        ("/en/privacy/", "Privacy statement"),
    ]:
        with django_assert_max_num_queries(PAGE_MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url
        assert f"<h1>{title}</h1>" in response.content.decode()


def test_the_privacy_statement_says_what_is_kept_why_how_long_and_how_to_be_removed(seeded, client):
    dutch = client.get("/privacyverklaring/").content.decode()
    for heading in ["Wat we bewaren", "Waarom", "Hoe lang", "Afmelden en alles laten verwijderen"]:
        assert heading in dutch
    english = client.get("/en/privacy/").content.decode()
    for heading in ["What we keep", "Why", "How long", "Unsubscribing and having everything removed"]:
        assert heading in english
    assert "Remove all my data" in english


def test_each_newsletter_page_links_the_privacy_statement_in_its_language(seeded, client):
    assert '<a href="/privacyverklaring/">privacyverklaring</a>' in client.get("/nieuwsbrief/").content.decode()
    assert '<a href="/en/privacy/">privacy statement</a>' in client.get("/en/newsletter/").content.decode()


@pytest.mark.parametrize(("home", "newsletter"), [("/", "/nieuwsbrief/"), ("/en/", "/en/newsletter/")])
def test_the_home_page_call_and_the_footer_link_to_the_newsletter_page(seeded, client, home, newsletter):
    html = client.get(home).content.decode()
    section = html[html.index('id="nieuwsbrief"') : html.index("</section>", html.index('id="nieuwsbrief"'))]
    assert f'href="{newsletter}"' in section
    footer = html[html.index("<footer") :]
    assert f'href="{newsletter}"' in footer
    assert "#nieuwsbrief" not in html.replace('id="nieuwsbrief"', "")
    # Every other page's footer too.
    privacy = client.get("/en/privacy/" if home == "/en/" else "/privacyverklaring/").content.decode()
    assert f'href="{newsletter}"' in privacy[privacy.index("<footer") :]


def test_anonymous_pages_send_no_cookie(seeded, client):
    """Every public page, the forms included, and every answer to a form stays cacheable."""
    urls = ["/", "/en/", "/nieuwsbrief/", "/en/newsletter/", "/privacyverklaring/", "/en/privacy/"]
    action_html = client.get("/acties-en-interventies/").content.decode()
    urls += sorted(set(re.findall(r'href="(/acties-en-interventies/[^"]+/)"', action_html)))[:2]
    responses = [client.get(url) for url in urls]
    responses.append(client.post("/nieuwsbrief-aanmelding/", {"email": "x@example.org", "language": "nl"}))
    responses.append(
        client.post("/nieuwsbrief-aanmelding/", {"email": "x@example.org", "language": "nl", "consent": "on"})
    )
    for response in responses:
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, response
        assert "cookie" not in response.headers.get("Vary", "").lower(), response
        assert not client.cookies


def test_the_english_slugs_are_set_by_the_seed_not_derived_from_titles(seeded):
    english = {page.slug for page in NewsletterIndexPage.objects.filter(locale__language_code="en")}
    assert english == {"newsletter"}
    assert set(ContentPage.objects.filter(locale__language_code="en").values_list("slug", flat=True)) == {
        "privacy",
        "accessibility",
    }


def test_loading_again_keeps_an_editors_newsletter_page(seeded, load_seed):
    editor = get_user_model().objects.create_user("redacteur", password="x")
    page = NewsletterIndexPage.objects.get(locale__language_code="nl")
    page.title = "Onze nieuwsbrief"
    page.save_revision(user=editor).publish()
    load_seed()
    assert NewsletterIndexPage.objects.get(locale__language_code="nl").title == "Onze nieuwsbrief"
    assert NewsletterIndexPage.objects.count() == 2
    assert ContentPage.objects.count() == 4  # the privacy and accessibility statements, in both languages


def test_the_seed_texts_are_complete_in_both_languages():
    import tomllib

    with open(newsletter_seed.SEED_FILE, "rb") as seed_file:
        data = tomllib.load(seed_file)
    for block in data["privacy"]["body"]:
        assert block["nl"] and block["en"] and block["nl"] != block["en"]


def test_the_privacy_statement_says_what_is_kept_for_following_an_action(seeded, client):
    dutch = client.get("/privacyverklaring/").content.decode()
    assert "Als je een actie volgt, bewaren we je e-mailadres en taal, welke acties je volgt, hoe vaak" in dutch
    assert "de acties die je volgt" in dutch
    english = client.get("/en/privacy/").content.decode()
    assert "When you follow an action, we keep your e-mail address and language, which actions you follow" in english
    assert "stop following an action" in english


@pytest.mark.parametrize(("language", "privacy"), [("nl", "/privacyverklaring/"), ("en", "/en/privacy/")])
def test_every_seeded_action_page_links_the_privacy_statement_from_its_follow_form(seeded, client, language, privacy):
    for action in ActionPage.objects.live().filter(locale__language_code=language):
        html = client.get(action.url).content.decode()
        assert f'<a href="{privacy}">' in html[html.index('id="follow"') :]
