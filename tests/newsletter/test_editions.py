"""Editions: drafting from the actions' updates in both languages, the archive, the feed and the web pages."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from defusedxml import ElementTree
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_localize.models import StringTranslation, Translation

from newsletter.drafting import draft_edition
from newsletter.models import NewsletterIndexPage, NewsletterPage


def items_of(edition):
    """(number, title, [(date, text)]) per action item, as the edition shows them."""
    return [
        (
            item["action"].number,
            item["action"].title,
            [
                (u.value["date"].isoformat(), u.value["text"].source)
                for u in item["block"].value["updates"].bound_blocks
            ],
        )
        for item in edition.action_items()
    ]


# Drafting ----------------------------------------------------------------------------------------------------


def test_a_first_draft_holds_every_update_up_to_today_per_action_in_the_actions_order(actions):
    draft = draft_edition(today=date(2026, 11, 1))
    edition = NewsletterPage.objects.get(pk=draft.edition.pk)
    assert not edition.live and edition.locale.language_code == "nl"
    assert edition.get_parent().pk == NewsletterIndexPage.objects.get(locale__language_code="nl").pk
    assert (edition.title, edition.subject, edition.slug) == ("Nieuwsbrief november 2026",) * 2 + ("2026-11",)
    assert edition.preheader == "Hoe het met onze acties gaat"
    # Action 4's only update is dated after today; every other update is news in a first edition.
    assert items_of(edition) == [
        (
            1,
            "Vakmanschap zichtbaar maken",
            [
                ("2026-09-20", "<p>Oude stand van zaken.</p>"),
                ("2026-10-12", "<p>De eerste bijeenkomst was druk bezocht.</p>"),
            ],
        ),
        (2, "Leren van elkaar", [("2026-10-30", "<p>Vijf teams doen mee.</p>")]),
        (3, "Zonder nieuws", [("2026-08-01", "<p>Lang geleden.</p>")]),
    ]
    assert draft.since is None
    assert [action.number for action in draft.actions] == [1, 2, 3]


def test_the_english_draft_is_a_wagtail_localize_translation_with_the_english_actions_updates(actions):
    draft = draft_edition(today=date(2026, 11, 1))
    english = NewsletterPage.objects.get(pk=draft.translation.pk)
    assert not english.live and english.locale.language_code == "en"
    assert english.translation_key == draft.edition.translation_key
    assert english.get_parent().pk == NewsletterIndexPage.objects.get(locale__language_code="en").pk
    assert (english.title, english.subject) == ("Newsletter November 2026",) * 2
    assert english.preheader == "How our actions are doing"
    # Translated actions show their English title and update; action 3 has no translation: its Dutch text waits
    # for the translator.
    assert items_of(english) == [
        (
            1,
            "Making craftsmanship visible",
            [("2026-09-20", "<p>Old news.</p>"), ("2026-10-12", "<p>The first meeting was well attended.</p>")],
        ),
        (2, "Learning from each other", [("2026-10-30", "<p>Five teams take part.</p>")]),
        (3, "Zonder nieuws", [("2026-08-01", "<p>Lang geleden.</p>")]),
    ]
    # The translation editor has the same strings: the translator sees them translated, and syncs keep them.
    translation = Translation.objects.get(source__object_id=draft.edition.translation_key)
    assert translation.target_locale.language_code == "en"
    translated = set(StringTranslation.objects.filter(locale__language_code="en").values_list("data", flat=True))
    assert {"The first meeting was well attended.", "Five teams take part.", "Newsletter November 2026"} <= translated
    assert "Lang geleden." not in translated


def test_the_next_draft_takes_the_updates_the_previous_sent_edition_did_not_tell(actions, publish, send):
    first = draft_edition(today=date(2026, 10, 1)).edition
    send(publish(first, datetime(2026, 10, 1, 8, tzinfo=UTC)), datetime(2026, 10, 1, 9, tzinfo=UTC))
    draft = draft_edition(today=date(2026, 11, 5))
    assert draft.since == date(2026, 10, 1)
    assert draft.edition.slug == "2026-11"
    assert items_of(draft.edition) == [
        (1, "Vakmanschap zichtbaar maken", [("2026-10-12", "<p>De eerste bijeenkomst was druk bezocht.</p>")]),
        (2, "Leren van elkaar", [("2026-10-30", "<p>Vijf teams doen mee.</p>")]),
        (4, "Alleen Nederlands", [("2026-11-02", "<p>Net begonnen.</p>")]),
    ]
    assert draft.edition.preheader == "Hoe het met onze acties ging sinds 1 oktober 2026"


def test_a_sent_edition_counts_and_a_later_edition_that_was_only_published_does_not(actions, publish, send):
    sent = draft_edition(today=date(2026, 10, 20)).edition
    send(publish(sent, datetime(2026, 10, 20, 7, tzinfo=UTC)), datetime(2026, 10, 20, 8, tzinfo=UTC))
    published_only = draft_edition(today=date(2026, 10, 31)).edition
    publish(published_only, datetime(2026, 10, 31, 9, tzinfo=UTC))
    draft = draft_edition(today=date(2026, 11, 5))
    assert draft.since == date(2026, 10, 20)
    assert [number for number, *_ in items_of(draft.edition)] == [2, 4]


def test_a_private_actions_updates_stay_out_of_the_newsletter(actions):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=actions["nl"][1], restriction_type=PageViewRestriction.LOGIN)
    draft = draft_edition(today=date(2026, 11, 1))
    assert [action.number for action in draft.actions] == [1, 3]


def test_drafting_twice_in_a_month_gives_each_draft_its_own_address(actions):
    first = draft_edition(today=date(2026, 11, 1)).edition
    second = draft_edition(today=date(2026, 11, 1)).edition
    assert (first.slug, second.slug) == ("2026-11", "2026-11-2")


def test_the_draft_newsletter_command_drafts_and_says_what_it_took(actions):
    out = StringIO()
    call_command("draft_newsletter", "--date", "2026-11-01", stdout=out)
    edition = NewsletterPage.objects.get(locale__language_code="nl")
    output = out.getvalue()
    assert "Nieuwsbrief november 2026" in output
    assert "1. Vakmanschap zichtbaar maken" in output and "4. Alleen Nederlands" not in output
    assert f"/admin/pages/{edition.pk}/edit/" in output
    english = NewsletterPage.objects.get(locale__language_code="en")
    assert f"Translation (en, draft): /admin/pages/{english.pk}/edit/" in output
    assert NewsletterPage.objects.filter(locale__language_code="en", translation_key=edition.translation_key).exists()


def test_without_an_english_newsletter_page_only_the_dutch_draft_is_made(actions, pages):
    pages["en_newsletter"].delete()
    draft = draft_edition(today=date(2026, 11, 1))
    assert draft.translation is None
    assert NewsletterPage.objects.count() == 1


# The archive, the feed and the edition's web page ------------------------------------------------------------


@pytest.fixture
def published(actions, publish, send):
    """Three published and sent editions (October, November, December) and a December draft, in Dutch and
    English."""
    editions = []
    for day in (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)):
        draft = draft_edition(today=day)
        when = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        editions.append(publish(draft.edition, when))
        publish(draft.translation, when)
        send(draft.edition, when)
    draft_edition(today=date(2026, 12, 2))
    return editions


def test_the_archive_lists_published_editions_newest_first_and_no_drafts(published, client):
    response = client.get("/nieuwsbrief/")
    assert response.status_code == 200
    html = response.content.decode()
    titles = [edition.title for edition in reversed(published)]
    assert titles == ["Nieuwsbrief december 2026", "Nieuwsbrief november 2026", "Nieuwsbrief oktober 2026"]
    positions = [html.index(f">{title}</a>") for title in titles]
    assert positions == sorted(positions)
    assert html.count("/nieuwsbrief/2026-12") == 1  # the draft of 2 December has its own address and is not listed
    assert '<a href="/nieuwsbrief/2026-12/">' in html


def test_the_archive_is_paginated_and_keeps_other_query_parameters(published, client, monkeypatch):
    monkeypatch.setattr(NewsletterIndexPage, "editions_per_page", 2)
    first = client.get("/nieuwsbrief/?ref=mail").content.decode()
    assert "Nieuwsbrief december 2026" in first and "Nieuwsbrief oktober 2026" not in first
    assert 'href="?ref=mail&amp;page=2"' in first
    second = client.get("/nieuwsbrief/?ref=mail&page=2").content.decode()
    assert "Nieuwsbrief oktober 2026" in second and "Nieuwsbrief december 2026" not in second


def test_the_english_archive_lists_the_english_editions(published, client):
    html = client.get("/en/newsletter/").content.decode()
    assert "Newsletter December 2026" in html and "Nieuwsbrief" not in html.split("<main", 1)[1]


# Measured 23 and 21 (the site shell costs most, as on the pages in tests/test_queries.py); what matters is that
# they do not grow with the editions or the items.
ARCHIVE_MAX_QUERIES = 24
EDITION_MAX_QUERIES = 24


def queries_for(client, path):
    """The queries of rendering `path` (never an answer from a cache of pages)."""
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_archive_costs_the_same_queries_however_many_editions(
    published, publish, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(ARCHIVE_MAX_QUERIES):
        assert client.get("/nieuwsbrief/").status_code == 200
    few = queries_for(client, "/nieuwsbrief/")
    for month in range(1, 10):
        publish(draft_edition(today=date(2027, month, 1)).edition, datetime(2027, month, 1, tzinfo=UTC))
    assert queries_for(client, "/nieuwsbrief/") == few


def rss_items(response):
    channel = ElementTree.fromstring(response.content).find("channel")
    return channel, [(item.findtext("title"), item.findtext("link")) for item in channel.findall("item")]


@pytest.mark.parametrize(
    ("path", "language", "titles", "prefix"),
    [
        ("/nieuwsbrief/feed/", "nl", ["Nieuwsbrief december 2026", "Nieuwsbrief november 2026"], "/nieuwsbrief/"),
        ("/en/newsletter/feed/", "en", ["Newsletter December 2026", "Newsletter November 2026"], "/en/newsletter/"),
    ],
)
def test_each_language_has_an_rss_feed_of_its_published_editions(published, client, path, language, titles, prefix):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel, items = rss_items(response)
    assert channel.findtext("language") == language
    assert [title for title, _ in items][:2] == titles and len(items) == 3
    assert all(link.startswith("http://testserver" + prefix) for _, link in items)


def test_the_archive_and_each_edition_link_their_feed(published, client):
    for path in ("/nieuwsbrief/", "/nieuwsbrief/2026-11/"):
        html = client.get(path).content.decode()
        assert (
            '<link rel="alternate" type="application/rss+xml" title="Nieuwsbrief" href="/nieuwsbrief/feed/">' in html
        )
    english = client.get("/en/newsletter/").content.decode()
    assert 'type="application/rss+xml" title="Newsletter" href="/en/newsletter/feed/"' in english


def test_an_edition_reads_as_a_web_page_with_each_action_linked_in_its_language(actions, published, client):
    html = client.get("/nieuwsbrief/2026-11/").content.decode()
    assert "<h1>Nieuwsbrief november 2026</h1>" in html
    assert '<span class="edition-item__number">1.</span> Vakmanschap zichtbaar maken' in html
    assert "De eerste bijeenkomst was druk bezocht." in html
    assert 'href="/acties-en-interventies/vakmanschap-zichtbaar-maken/"' in html
    english = client.get("/en/newsletter/2026-11/").content.decode()
    assert '<span class="edition-item__number">1.</span> Making craftsmanship visible' in english
    assert "The first meeting was well attended." in english
    assert f'href="{actions["en"][1].url}"' in english and actions["en"][1].url.startswith("/en/")


def test_a_draft_edition_is_not_public(published, client):
    assert client.get("/nieuwsbrief/2026-12-2/").status_code == 404


def test_the_edition_page_costs_the_same_queries_however_many_items(published, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(EDITION_MAX_QUERIES):
        assert client.get("/nieuwsbrief/2026-11/").status_code == 200
    one_item = NewsletterPage.objects.get(slug="2026-12", locale__language_code="nl")
    many_items = NewsletterPage.objects.get(slug="2026-10", locale__language_code="nl")
    assert len(one_item.items) < len(many_items.items)
    assert queries_for(client, "/nieuwsbrief/2026-12/") == queries_for(client, "/nieuwsbrief/2026-10/")


@pytest.mark.parametrize(
    "path", ["/nieuwsbrief/", "/nieuwsbrief/2026-11/", "/nieuwsbrief/feed/", "/en/newsletter/2026-11/"]
)
def test_editions_archive_and_feed_stay_cookie_free(published, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_editions_live_only_under_a_newsletter_page():
    from wagtail.test.utils import WagtailPageTestCase

    checks = WagtailPageTestCase()
    checks.assertAllowedParentPageTypes(NewsletterPage, {NewsletterIndexPage})
    checks.assertAllowedSubpageTypes(NewsletterPage, set())
    checks.assertAllowedSubpageTypes(NewsletterIndexPage, {NewsletterPage})


def test_drafting_without_a_newsletter_page_says_so(tree):
    with pytest.raises(CommandError, match="no newsletter page"):
        call_command("draft_newsletter")
