"""Pages cost a constant number of queries, however many actions there are."""

import pytest

# Measured: 16 for the overview and an action page of the seeded site, 18 and 19 on a fresh site (which first
# creates its settings row and looks up its locales); the limits must hold however many actions there are.
# +1 each for the footer's link to the newsletter page.
OVERVIEW_MAX_QUERIES = 20
ACTION_PAGE_MAX_QUERIES = 20
HOME_MAX_QUERIES = 21


@pytest.mark.parametrize("actions", [3, 19])
def test_overview_queries_do_not_grow_with_actions(tree, add_action, client, actions, django_assert_max_num_queries):
    for number in range(1, actions + 1):
        add_action(number)
    with django_assert_max_num_queries(OVERVIEW_MAX_QUERIES):
        assert client.get(tree["index"].url).status_code == 200


@pytest.mark.parametrize("actions", [3, 19])
def test_action_page_queries_do_not_grow_with_actions(
    tree, add_action, client, actions, django_assert_max_num_queries
):
    pages = [add_action(number) for number in range(1, actions + 1)]
    with django_assert_max_num_queries(ACTION_PAGE_MAX_QUERIES):
        assert client.get(pages[-1].url).status_code == 200


def test_seeded_pages_stay_within_their_budgets(seeded, client, django_assert_max_num_queries):
    for url, budget in [
        ("/", HOME_MAX_QUERIES),
        ("/en/", HOME_MAX_QUERIES),
        ("/acties-en-interventies/", OVERVIEW_MAX_QUERIES),
        (
            "/acties-en-interventies/public-service-day-nationaal-en-internationaal-positioneren/",
            ACTION_PAGE_MAX_QUERIES,
        ),
    ]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
