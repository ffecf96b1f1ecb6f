"""Search terms are kept no longer than SEARCH_LOG_DAYS, as the privacy statement says: the terms that found nothing
and Wagtail's own log of searches; a term with a promotion stays, and the clock forgets the rest every run."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.models import Locale, Page

from home.conf import home_settings
from search.models import UnansweredSearch
from search.unanswered import record_unanswered


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def logged(term, day):
    """A search for `term` on `day`, in Wagtail's log and, as one that found nothing, in ours."""
    QueryDailyHits.objects.create(query=Query.get(term), date=day, hits=1)
    record_unanswered(term, Locale.objects.get(language_code="nl"), today=day)


@pytest.mark.django_db
def test_terms_older_than_the_limit_are_forgotten():
    limit = settings.SEARCH_LOG_DAYS
    logged("oud", days_ago(limit + 8))
    logged("recent", days_ago(limit - 7))
    logged("gisteren", days_ago(1))
    promoted = Query.get("beleid")
    SearchPromotion.objects.create(query=promoted, page=Page.objects.get(depth=1), sort_order=0)
    call_command("prune_search_log", verbosity=0)
    assert set(UnansweredSearch.objects.values_list("query_string", flat=True)) == {"recent", "gisteren"}
    assert set(QueryDailyHits.objects.values_list("query__query_string", flat=True)) == {"recent", "gisteren"}
    assert set(Query.objects.values_list("query_string", flat=True)) == {"recent", "gisteren", "beleid"}


def test_the_clock_prunes_and_wagtails_log_follows_the_same_limit():
    assert "prune_search_log" in home_settings.CLOCK_COMMANDS
    assert settings.WAGTAILSEARCH_HITS_MAX_AGE == settings.SEARCH_LOG_DAYS


def test_the_privacy_statement_says_how_long(seeded, client):
    weeks = settings.SEARCH_LOG_DAYS // 7
    assert f"Zoekwoorden bewaren we {weeks} weken." in client.get("/privacyverklaring/").content.decode()
    assert f"We keep search words for {weeks} weeks." in client.get("/en/privacy/").content.decode()
