"""What the simpler matching on SQLite does: substrings, no stemming. Skipped on PostgreSQL, which stems."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.by_database,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's substring matching; PostgreSQL stems instead"),
]


def test_a_word_finds_longer_words_that_contain_it(add_page, client, results):
    add_page("nl", "Bundelen van verkiezingen")
    add_page("en", "The elections")
    assert results(client.get("/zoeken/", {"q": "verkiezing"})) == ["Bundelen van verkiezingen"]
    assert results(client.get("/en/search/", {"q": "election"})) == ["The elections"]


def test_without_stemming_a_changed_stem_is_not_found(add_page, client, results):
    """`ambtenaar` finds `ambtenaren` on PostgreSQL only (test_search_postgresql.py)."""
    add_page("nl", "Wat verwachten ministers van ambtenaren?")
    assert results(client.get("/zoeken/", {"q": "ambtenaar"})) == []


def test_matching_ignores_case(add_page, client, results):
    add_page("nl", "Publieke Waarden")
    assert results(client.get("/zoeken/", {"q": "PUBLIEKE waarden"})) == ["Publieke Waarden"]


def test_snippets_show_the_text_around_the_first_match(add_page, client):
    add_page(
        "nl",
        "Prijzen",
        body=" ".join(f"Vulling {n} zonder betekenis." for n in range(40)) + " De verkiezingen van dit jaar.",
    )
    snippet = client.get("/zoeken/", {"q": "verkiezingen"}).context["items"][0]["snippet"]
    assert snippet.startswith("… ") and "<mark>verkiezingen</mark>" in snippet
    assert len(snippet) < 400
