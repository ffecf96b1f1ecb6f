"""The public search view on either database: language, visibility, escaping, filters, pagination, bad input."""

import pytest
from django.db import connection
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction, get_page_models

from actions.models import ActionIndexPage, ActionPage
from home.models import HomePage
from newsletter.models import NewsletterPage
from search.indexing import kind_for
from search.models import Kind, SearchEntry

# A page of results after the first: on PostgreSQL the counts per kind, then the page with its snippets; on SQLite
# the pinned pages before them.
SEARCH_MAX_QUERIES = 3
# A query without results adds the other language's count, the spelling suggestion and its check, the query log
# (on SQLite through Wagtail's Query.get().add_hit(), in six) and its row among the terms that found nothing.
NO_RESULTS_MAX_QUERIES = 19


# On SQLite too (make test): the view searches, suggests and logs queries by SQL of its own per database.
pytestmark = pytest.mark.by_database


def test_dutch_search_lives_at_zoeken_and_english_at_en_search(results, add_page, client):
    add_page("nl", "Publieke waarden")
    add_page("en", "Public values")
    dutch = client.get("/zoeken/", {"q": "waarden"})
    english = client.get("/en/search/", {"q": "values"})
    assert (dutch.status_code, english.status_code) == (200, 200)
    assert results(dutch) == ["Publieke waarden"]
    assert results(english) == ["Public values"]
    assert '<html lang="nl">' in dutch.text and '<html lang="en">' in english.text


def test_the_language_switcher_leads_to_the_same_search_in_the_other_language(bilingual, client):
    dutch = client.get("/zoeken/", {"q": "waarden & normen"}).text
    assert '<a href="/en/search/?q=waarden+%26+normen" lang="en" hreflang="en">' in dutch
    english = client.get("/en/search/").text
    assert '<a href="/zoeken/" lang="nl" hreflang="nl">' in english


def test_every_page_header_has_a_labelled_search_box(bilingual, client):
    dutch = client.get("/").text
    english = client.get("/en/").text
    assert 'role="search"' in dutch and 'action="/zoeken/"' in dutch
    assert '<label class="visually-hidden" for="site-search-q">Doorzoek deze site</label>' in dutch
    assert 'action="/en/search/"' in english and ">Search this site</label>" in english


def test_result_pages_are_not_indexed(add_page, client):
    add_page("nl", "Publieke waarden")
    for params in [{"q": "waarden"}, {"q": ""}, {"q": "bestaatniet"}]:
        response = client.get("/zoeken/", params)
        assert response["X-Robots-Tag"] == "noindex"
        assert '<meta name="robots" content="noindex">' in response.text


def test_an_empty_query_shows_help_and_no_pages(add_page, client):
    add_page("nl", "Publieke waarden")
    for params in [{}, {"q": ""}, {"q": "   "}, {"q": "\x00"}]:
        response = client.get("/zoeken/", params)
        assert response.status_code == 200
        assert "Publieke waarden" not in response.text.split("<main")[1]
        assert "Typ een of meer woorden" in response.text
    assert not Query.objects.exists()
    # Only exclusions: nothing to look for, so no pages either.
    assert "Publieke waarden" not in client.get("/zoeken/", {"q": "-waarden"}).text.split("<main")[1]


def test_results_come_only_from_the_visitors_language(results, add_page, client):
    add_page("nl", "Kernteam in Den Haag", body="Het kernteam komt bijeen.")
    add_page("en", "Kernteam in The Hague", body="The kernteam meets.")
    assert results(client.get("/zoeken/", {"q": "kernteam"})) == ["Kernteam in Den Haag"]
    assert results(client.get("/en/search/", {"q": "kernteam"})) == ["Kernteam in The Hague"]


def test_unpublished_draft_and_private_pages_are_never_found(results, add_page, bilingual, client):
    from actions.models import ActionPage

    shown = add_page("nl", "Zichtbare vakmanschapsdag")
    unpublished = add_page("nl", "Ingetrokken vakmanschapsdag")
    unpublished.unpublish()
    draft = ActionPage(title="Concept vakmanschapsdag", number=900, summary="-", body="[]", live=False)
    bilingual["nl"].add_child(instance=draft)
    draft.save_revision()
    private = add_page("nl", "Besloten vakmanschapsdag")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="geheim")
    assert results(client.get("/zoeken/", {"q": "vakmanschapsdag"})) == [shown.title]


def test_pages_below_a_private_section_are_not_found(results, add_page, bilingual, client):
    PageViewRestriction.objects.create(page=bilingual["nl"], restriction_type="login")
    add_page("nl", "Vakmanschapsdag achter de inlog")
    assert results(client.get("/zoeken/", {"q": "vakmanschapsdag"})) == []


def test_the_index_follows_publish_unpublish_move_delete_and_translate(results, add_page, bilingual, english, client):
    page = add_page("nl", "Oude titel over vakmanschap")
    page.title = "Nieuwe titel over integriteit"
    page.save_revision().publish()
    assert results(client.get("/zoeken/", {"q": "integriteit"})) == ["Nieuwe titel over integriteit"]
    assert results(client.get("/zoeken/", {"q": "oude"})) == []

    # Moving changes where the result leads.
    from actions.models import ActionIndexPage

    other = bilingual["home"].add_child(instance=ActionIndexPage(title="Archief", slug="archief"))
    page.refresh_from_db()
    page.move(other, pos="last-child")
    assert client.get("/zoeken/", {"q": "integriteit"}).context["items"][0]["url"] == "/archief/" + page.slug + "/"

    # Translating: the English page is found once its translation is published.
    bilingual["en"].refresh_from_db()
    translation = page.copy_for_translation(english, copy_parents=True)
    translation.title = "New title on integrity"
    translation.save_revision().publish()
    assert results(client.get("/en/search/", {"q": "integrity"})) == ["New title on integrity"]

    page.refresh_from_db()
    page.unpublish()
    assert results(client.get("/zoeken/", {"q": "integriteit"})) == []
    page.save_revision().publish()
    assert results(client.get("/zoeken/", {"q": "integriteit"})) == ["Nieuwe titel over integriteit"]
    page.delete()
    assert results(client.get("/zoeken/", {"q": "integriteit"})) == []
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()


def test_snippets_highlight_matches_and_escape_everything_else(add_page, client):
    add_page(
        "nl",
        "Verkiezingen <b>& meer</b>",
        body="Over &lt;script&gt;alert(1)&lt;/script&gt; en de verkiezingen van dit jaar.",
    )
    response = client.get("/zoeken/", {"q": "verkiezingen"})
    main = response.text.split("<main")[1]
    assert "<script>" not in main and "<b>" not in main
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in main
    assert "<mark>verkiezingen</mark>" in main
    assert "Verkiezingen &lt;b&gt;&amp; meer&lt;/b&gt;" in main


def test_each_result_shows_its_kind_title_and_date(add_page, bilingual, client):
    page = add_page("nl", "Vakmanschap in de praktijk")
    page.refresh_from_db()
    item = client.get("/zoeken/", {"q": "vakmanschap"}).context["items"][0]
    assert item["kind"] == "Actie"
    assert item["url"] == page.url
    assert item["date"] == page.last_published_at
    assert "<time datetime=" in client.get("/zoeken/", {"q": "vakmanschap"}).text
    assert ">Actie</span>" in client.get("/zoeken/", {"q": "vakmanschap"}).text


def test_kinds_come_from_the_page_classes(db):
    # db: a page instance reads its content type (cached only once some test has read it).
    assert kind_for(ActionPage()) == Kind.ACTION
    assert kind_for(NewsletterPage()) == Kind.NEWSLETTER
    # A page class that declares no kind is filed under "other".
    assert kind_for(HomePage()) == Kind.OTHER
    assert kind_for(ActionIndexPage()) == Kind.OTHER
    for model in get_page_models():
        assert kind_for(model()) in Kind, model


def test_filters_by_kind_with_counts(results, add_page, bilingual, client):
    add_page("nl", "Integriteit in de praktijk")
    add_page("nl", "Integriteit en verkiezingen")
    bilingual["home"].intro = "<p>Wij werken aan integriteit.</p>"
    bilingual["home"].save_revision().publish()
    response = client.get("/zoeken/", {"q": "integriteit"})
    counts = {item["value"]: item["count"] for item in response.context["filters"]}
    assert counts == {"": 3, "action": 2, "newsletter": 0, "other": 1}
    only_actions = client.get("/zoeken/", {"q": "integriteit", "kind": "action"})
    assert sorted(results(only_actions)) == ["Integriteit en verkiezingen", "Integriteit in de praktijk"]
    assert results(client.get("/zoeken/", {"q": "integriteit", "kind": "other"})) == ["Thuis"]
    assert 'href="?q=integriteit&amp;kind=action"' in response.text
    # An unknown kind is ignored rather than an error.
    assert len(results(client.get("/zoeken/", {"q": "integriteit", "kind": "'; DROP"}))) == 3


def test_pagination_keeps_the_query_and_the_filter(results, add_page, client):
    for number in range(12):
        add_page("nl", f"Vakmanschap deel {number}")
    first = client.get("/zoeken/", {"q": "vakmanschap", "kind": "action"})
    assert len(results(first)) == 10
    assert 'href="?q=vakmanschap&amp;kind=action&amp;page=2"' in first.text
    second = client.get("/zoeken/", {"q": "vakmanschap", "kind": "action", "page": "2"})
    assert len(results(second)) == 2
    assert 'href="?q=vakmanschap&amp;kind=action&amp;page=1"' in second.text
    assert set(results(first)).isdisjoint(results(second))
    for bad in ["abc", "-1", "0", "99999999999999999999", "2.5", "\x00"]:
        response = client.get("/zoeken/", {"q": "vakmanschap", "page": bad})
        assert response.status_code == 200, bad


@pytest.mark.parametrize(
    "query",
    [
        "verkiezingen " * 800,
        "verkiezingen\x00",
        "\x00",
        "‮verkiezingen‬ 🗳️ e\u0301lection \ufeff",
        "'; DROP TABLE search_searchentry; --",
        "verkiezingen' OR '1'='1",
        '<script>alert("x")</script>',
        '"unterminated phrase',
        "- -- ---",
        "!!! & | <-> :* ()",
        "a" * 5000,
    ],
)
def test_hostile_queries_never_fail_and_are_shown_escaped(add_page, client, query):
    add_page("nl", "Verkiezingen")
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "\x00" not in response.text
    assert len(response.context["query"]) <= 200
    assert SearchEntry.objects.count() >= 1


def test_invalid_utf8_in_the_query_string_is_harmless(add_page, client):
    add_page("nl", "Verkiezingen")
    assert client.get("/zoeken/?q=%ED%A0%80%FF%00verkiezingen&page=%FF").status_code == 200


def test_queries_are_logged_without_personal_data(add_page, client):
    add_page("nl", "Verkiezingen")
    client.get("/zoeken/", {"q": "  Verkiezingen  "})
    client.get("/zoeken/", {"q": "verkiezingen"})
    client.get("/zoeken/", {"q": "verkiezingen", "page": "2"})
    client.get("/zoeken/", {"q": "jan@example.org"})
    client.get("/zoeken/", {"q": "bel 06-12345678"})
    assert list(Query.objects.values_list("query_string", flat=True)) == ["verkiezingen"]
    assert Query.objects.get().hits == 2


def test_promotions_pin_pages_per_language(results, add_page, client):
    dutch = add_page("nl", "Stemwijzer voor ambtenaren")
    add_page("nl", "Verkiezingen in de publieke sector", body="verkiezingen verkiezingen")
    english = add_page("en", "Voting guide")
    query = Query.get("verkiezingen")
    SearchPromotion.objects.create(query=query, page=dutch, sort_order=0)
    SearchPromotion.objects.create(query=query, page=english, sort_order=1)
    response = client.get("/zoeken/", {"q": "Verkiezingen"})
    assert results(response) == ["Stemwijzer voor ambtenaren", "Verkiezingen in de publieke sector"]
    assert response.context["items"][0]["promoted"]
    assert "Aanbevolen" in response.text
    assert results(client.get("/en/search/", {"q": "verkiezingen"})) == ["Voting guide"]


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("vakmanschapsdag", "vakmanschapsdag"),
        pytest.param(
            "verkiezingen",
            "verkiezing",
            marks=pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming needs PostgreSQL"),
        ),
    ],
)
def test_title_beats_summary_beats_body(results, add_page, client, query, word):
    add_page("nl", "Over de dag", body=f"Een verslag van de {word}, {word} en nog eens {word}.")
    add_page("nl", word.capitalize(), body="Een dag.")
    add_page("nl", "Een terugblik", summary=f"Terugblik op de {word}.")
    assert results(client.get("/zoeken/", {"q": query})) == [word.capitalize(), "Een terugblik", "Over de dag"]


def test_phrases_and_exclusions(results, add_page, client):
    add_page("nl", "Publieke waarden", body="Wat publieke waarden zijn.")
    add_page("nl", "Waarden", body="Waarden van de publieke sector.")
    add_page("nl", "Training over waarden", body="Een training over publieke waarden.")
    assert sorted(results(client.get("/zoeken/", {"q": '"publieke waarden"'}))) == [
        "Publieke waarden",
        "Training over waarden",
    ]
    assert sorted(results(client.get("/zoeken/", {"q": "waarden -training"}))) == ["Publieke waarden", "Waarden"]
    assert results(client.get("/zoeken/", {"q": '"publieke waarden" -training'})) == ["Publieke waarden"]


def test_no_results_offers_the_other_language_and_a_spelling(add_page, client):
    add_page("nl", "Verkiezingen in de publieke sector")
    add_page("en", "Elections in the public sector")
    add_page("en", "More elections")
    response = client.get("/zoeken/", {"q": "elections"})
    assert response.context["total"] == 0
    assert response.context["elsewhere"] == [
        {"code": "en", "name": "English", "count": 2, "url": "/en/search/?q=elections"}
    ]
    assert 'href="/en/search/?q=elections"' in response.text and "2 results in English" in response.text
    misspelt = client.get("/zoeken/", {"q": "verkiezngen"})
    assert misspelt.context["suggestion"] == {"query": "verkiezingen", "url": "/zoeken/?q=verkiezingen"}
    assert "Bedoelde je" in misspelt.text
    assert client.get("/zoeken/", {"q": "qqqqqqq"}).context["suggestion"] is None


def test_the_search_view_costs_a_constant_number_of_queries(results, add_page, client, django_assert_max_num_queries):
    for number in range(15):
        add_page("nl", f"Vakmanschap {number}", body="Over vakmanschap.")
    client.get("/zoeken/", {"q": "vakmanschap"})  # the site's settings row and caches
    with django_assert_max_num_queries(SEARCH_MAX_QUERIES):
        assert len(results(client.get("/zoeken/", {"q": "vakmanschap", "page": "2"}))) == 5
    with django_assert_max_num_queries(NO_RESULTS_MAX_QUERIES):
        client.get("/zoeken/", {"q": "vakmanschp"})  # no results: the other language and a suggestion


def test_a_language_without_pages_has_no_search(tree, client):
    assert client.get("/en/search/", {"q": "values"}).status_code == 404
    assert client.get("/zoeken/", {"q": "waarden"}).status_code == 200


def test_unpublishing_a_section_with_its_pages_removes_them_all(add_page, bilingual, client, results, admin_user):
    from wagtail.actions.unpublish_page import UnpublishPageAction

    add_page("nl", "Vakmanschapsdag een")
    add_page("nl", "Vakmanschapsdag twee")
    UnpublishPageAction(bilingual["nl"], user=admin_user, include_descendants=True).execute()
    assert results(client.get("/zoeken/", {"q": "vakmanschapsdag"})) == []
    assert not SearchEntry.objects.filter(page__path__startswith=bilingual["nl"].path).exists()
