"""What only PostgreSQL does: each language stemmed by its own configuration in one index, weighted ranking,
web-search syntax parsed by `websearch_to_tsquery`, trigram spelling suggestions, and the GIN index in use.

Skipped on SQLite, where matching is by substring (see test_search_sqlite.py for what that does and does not find).
"""

import pytest
from django.db import connection
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from search.models import SearchEntry

pytestmark = [
    pytest.mark.by_database,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: Dutch and English stemming, weighted tsvector ranking and pg_trgm suggestions; "
        "run with DATABASE_URL=postgres://...",
    ),
]


@pytest.mark.parametrize(
    ("language", "title", "query"),
    [
        ("nl", "Bundelen van verkiezingen in de publieke sector", "verkiezing"),
        ("nl", "Wat verwachten ministers van ambtenaren?", "ambtenaar"),
        ("nl", "Nieuwe regels voor de overheid", "regel"),
        ("nl", "De ambtenaar van het jaar", "ambtenaren"),
        ("nl", "Vakmanschap waarderen", "waardering"),
        ("en", "The election of the civil servant of the year", "elections"),
        ("en", "Putting it on the political agenda", "agendas"),
        ("en", "Supporting civil servants", "servant"),
        ("en", "Organising public service day", "organised"),
    ],
)
def test_each_language_is_stemmed_as_itself(add_page, client, results, language, title, query):
    add_page(language, title)
    url = "/zoeken/" if language == "nl" else "/en/search/"
    assert results(client.get(url, {"q": query})) == [title]


def test_rows_keep_their_own_configuration(add_page):
    dutch = add_page("nl", "Verkiezingen")
    english = add_page("en", "Elections")
    configs = dict(SearchEntry.objects.values_list("page_id", "config"))
    assert (configs[dutch.pk], configs[english.pk]) == ("dutch", "english")
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector::text FROM search_searchentry WHERE page_id = %s", [dutch.pk])
        assert "'verkiez':1A" in cursor.fetchone()[0]
        cursor.execute("SELECT vector::text FROM search_searchentry WHERE page_id = %s", [english.pk])
        assert "'elect':1A" in cursor.fetchone()[0]


def test_the_english_stemmer_would_have_missed_the_dutch_cases(db):
    """Why one configuration for the whole index (Wagtail's database backend) is not enough."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('english', 'verkiezingen ambtenaren') @@ plainto_tsquery('english', 'verkiezing'),"
            " to_tsvector('english', 'ambtenaren') @@ plainto_tsquery('english', 'ambtenaar'),"
            " to_tsvector('dutch', 'verkiezingen ambtenaren') @@ plainto_tsquery('dutch', 'verkiezing'),"
            " to_tsvector('dutch', 'ambtenaren') @@ plainto_tsquery('dutch', 'ambtenaar')"
        )
        assert cursor.fetchone() == (False, False, True, True)


def test_more_matches_rank_higher_within_the_same_field(add_page, client, results):
    add_page("en", "Notes", summary="Integrity matters.")
    add_page("en", "Report", summary="Integrity, integrity of civil servants and the integrity of their work.")
    assert results(client.get("/en/search/", {"q": "integrity"})) == ["Report", "Notes"]


def test_more_matches_in_the_body_rank_higher(add_page, client, results):
    add_page("en", "Report", body="Integrity, integrity of civil servants and the integrity of their work.")
    add_page("en", "Notes", body="Integrity matters.")
    assert results(client.get("/en/search/", {"q": "integrity"})) == ["Report", "Notes"]


def test_beyond_a_thousand_matches_body_only_matches_come_newest_first(add_page, client, results, monkeypatch):
    monkeypatch.setattr("search.engines.postgresql.RANK_BODY_UP_TO", 1)
    add_page("en", "Older", body="Integrity, integrity and integrity.")
    add_page("en", "Newer", body="Integrity.")
    add_page("en", "Integrity first", body="Title match.")
    assert results(client.get("/en/search/", {"q": "integrity"})) == ["Integrity first", "Newer", "Older"]


def test_beyond_a_thousand_matches_the_pages_run_from_title_matches_to_the_newest_body_matches(
    add_page, client, results, monkeypatch
):
    monkeypatch.setattr("search.engines.postgresql.RANK_BODY_UP_TO", 1)
    reports = [add_page("en", f"Report {number}", body="About integrity.") for number in range(9)]
    for number in range(3):
        add_page("en", f"Integrity {number}", body="A title match.")
    titles = [f"Integrity {number}" for number in (2, 1, 0)]
    pages = [results(client.get("/en/search/", {"q": "integrity", "page": page})) for page in ("1", "2")]
    assert pages == [titles + [f"Report {number}" for number in range(8, 1, -1)], ["Report 1", "Report 0"]]
    # A pinned body match comes first, once.
    SearchPromotion.objects.create(query=Query.get("integrity"), page=reports[4], sort_order=0)
    pages = [results(client.get("/en/search/", {"q": "integrity", "page": page})) for page in ("1", "2")]
    assert pages == [
        ["Report 4", *titles, *[f"Report {number}" for number in (8, 7, 6, 5, 3, 2)]],
        ["Report 1", "Report 0"],
    ]


def test_websearch_phrases_or_and_exclusions(add_page, client, results):
    add_page("en", "Public values", body="What public values are.")
    add_page("en", "Values of the public sector", body="Values, public.")
    add_page("en", "Training", body="A training about public values.")
    assert sorted(results(client.get("/en/search/", {"q": '"public values"'}))) == ["Public values", "Training"]
    assert sorted(results(client.get("/en/search/", {"q": "values -training"}))) == [
        "Public values",
        "Values of the public sector",
    ]
    assert sorted(results(client.get("/en/search/", {"q": "training or sector"}))) == [
        "Training",
        "Values of the public sector",
    ]


def test_stop_words_alone_find_nothing_and_do_not_fail(add_page, client, results):
    add_page("nl", "De en het")
    response = client.get("/zoeken/", {"q": "de het een"})
    assert response.status_code == 200
    assert results(response) == []


def test_headlines_are_built_by_postgresql_around_the_stemmed_match(add_page, client):
    add_page("nl", "Prijzen", body=" ".join(["Vulling zonder betekenis."] * 40) + " De verkiezingen van dit jaar.")
    snippet = client.get("/zoeken/", {"q": "verkiezing"}).context["items"][0]["snippet"]
    assert "<mark>verkiezingen</mark>" in snippet
    assert len(snippet) < 400


def test_trigram_suggestion_for_a_misspelt_english_word(add_page, client):
    add_page("en", "Craftsmanship of civil servants")
    response = client.get("/en/search/", {"q": "craftmanship"})
    assert response.context["suggestion"]["query"] == "craftsmanship"


def test_the_query_uses_the_gin_indexes(add_page):
    add_page("nl", "Verkiezingen")
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        for column in ("vector", "head"):
            cursor.execute(
                f"EXPLAIN SELECT page_id FROM search_searchentry "  # noqa: S608 - a column name of ours
                f"WHERE {column} @@ websearch_to_tsquery('dutch'::regconfig, 'verkiezing')"
            )
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("SET enable_seqscan = on")
    assert "search_entry_vector_gin" in plans[0] and "search_entry_head_gin" in plans[1]


def test_no_number_of_lower_matches_outweighs_a_higher_field(add_page, client, results):
    add_page("en", "Report", body=" ".join(["Integrity."] * 60))
    add_page("en", "Notes", summary=" ".join(["Integrity."] * 30))
    add_page("en", "Integrity", body="Once.")
    assert results(client.get("/en/search/", {"q": "integrity"})) == ["Integrity", "Notes", "Report"]


@pytest.mark.parametrize(
    "query",
    [
        "-" * 33,
        "-" * 200,
        "- " * 40,
        "-( " * 40,
        "a" + "!-" * 40 + "b",
        "verkiezing " + "-" * 60 + " ambtenaar",
    ],
    ids=["33-dashes", "200-dashes", "spaced-dashes", "dashes-and-signs", "signs-in-a-word", "dashes-between-words"],
)
def test_a_run_of_exclusions_without_words_is_no_error(add_page, client, query):
    """PostgreSQL's parser stacks one NOT per minus sign waiting for its word, and fails beyond 32 ("tsquery stack
    too small"): the query handed to it has at most one minus sign per word."""
    add_page("nl", "Verkiezingen van ambtenaren")
    for url in ("/zoeken/", "/en/search/"):
        response = client.get(url, {"q": query})
        assert response.status_code == 200, url
