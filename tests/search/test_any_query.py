"""Property-based: whatever a visitor types into the search box, in either language, the answer is a page of
results (perhaps none), never a server error. Runs on the database of the run: PostgreSQL's own query parser when
DATABASE_URL points at it (as one CI run does), the substring search on SQLite.
"""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# The web-search syntax and what PostgreSQL's query parser treats as operators, among words that are on the page.
SYNTAX = ["-", '"', " ", "or", "OR", "!", "&", "|", "(", ")", "<", "<->", ":", "*", "\\", "'", "_"]
WORDS = ["verkiezing", "ambtenaren", "van", "de", "élection", "\u202e", "\x00", "x" * 80]
pieces = (
    st.sampled_from(SYNTAX + WORDS)
    | st.builds(str.__mul__, st.sampled_from(SYNTAX), st.integers(1, 40))  # runs: "------", "- - - "
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=5)
)
queries = st.lists(pieces, max_size=40).map("".join)


# On SQLite too (make test): each database parses or matches the query its own way.
pytestmark = pytest.mark.by_database


@pytest.fixture
def pages(add_page):
    add_page("nl", "Verkiezingen van ambtenaren")
    add_page("en", "Elections of civil servants")


# The fixtures are set up once for all examples, which only read.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=queries)
@example(query="-" * 33)
def test_any_query_gets_a_page_of_results(pages, client, query):
    for url in ("/zoeken/", "/en/search/"):
        response = client.get(url, {"q": query})
        assert response.status_code == 200, (url, query)


def test_signs_between_words_are_left_out(add_page, client, results):
    add_page("nl", "Verkiezingen van ambtenaren")
    for query in ["verkiezing " + "-" * 60 + " ambtenaren", 'verkiezing -"" -!', "-- verkiezing or"]:
        assert results(client.get("/zoeken/", {"q": query})) == ["Verkiezingen van ambtenaren"], query
