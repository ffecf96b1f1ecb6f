"""Reports → Search terms that found nothing: per language and week, each with one click to Wagtail's form that
promotes a page for the term, the term filled in. Recorded in one statement of SQL that both databases take."""

from datetime import date
from html import escape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale

from search.models import UnansweredSearch
from search.reports import promote_url
from search.unanswered import record_unanswered, week_of

pytestmark = pytest.mark.by_database
REPORT = "/admin/reports/search/unanswered/"


@pytest.fixture
def unanswered(add_page, client):
    """Searches in both languages: one term found nothing twice in Dutch and once in English."""
    add_page("nl", "Verkiezingen")
    client.get("/zoeken/", {"q": "Xyzzy  Plover"})
    client.get("/zoeken/", {"q": "xyzzy plover"})
    client.get("/en/search/", {"q": "xyzzy plover"})
    client.get("/zoeken/", {"q": "verkiezingen"})  # found something
    client.get("/zoeken/", {"q": "jan@example.org"})  # an address: never kept
    client.get("/zoeken/", {"q": "niets", "page": "2"})  # a later page: the first one counted it


def test_searches_that_found_nothing_are_counted_per_language_and_week(unanswered):
    week = week_of(timezone.localdate())
    rows = set(UnansweredSearch.objects.values_list("locale__language_code", "query_string", "hits", "week"))
    assert rows == {("nl", "xyzzy plover", 2, week), ("en", "xyzzy plover", 1, week)}


def test_each_week_has_its_own_row(bilingual):
    dutch = Locale.objects.get(language_code="nl")
    for day in (date(2026, 11, 30), date(2026, 12, 6), date(2026, 12, 7)):  # a Monday, a Sunday, the next Monday
        record_unanswered("niets", dutch, today=day)
    weeks = UnansweredSearch.objects.order_by("week").values_list("week", "hits")
    assert list(weeks) == [(date(2026, 11, 30), 2), (date(2026, 12, 7), 1)]


def test_the_report_lists_them_per_language_with_a_link_to_promote_a_page(
    unanswered, admin_client, django_assert_max_num_queries
):
    assert reverse("search_reports:unanswered") == REPORT
    assert REPORT in admin_client.get("/admin/").content.decode()  # under Reports
    admin_client.get(REPORT)
    with django_assert_max_num_queries(16):
        response = admin_client.get(REPORT, {"locale": "en"})
    [row] = response.context["object_list"]
    assert (row.locale.language_code, row.query_string, row.hits) == ("en", "xyzzy plover", 1)
    assert f'href="{escape(promote_url("xyzzy plover"))}"' in response.content.decode()
    assert len(admin_client.get(REPORT).context["object_list"]) == 2


def test_the_link_opens_wagtails_promotion_form_with_the_term_filled_in(unanswered, admin_client, add_page):
    form = admin_client.get(promote_url("xyzzy plover"))
    assert form.context["form"]["query_string"].value() == "xyzzy plover"
    html = form.content.decode()
    assert f'action="{reverse("wagtailsearchpromotions:add")}"' in html
    page = add_page("nl", "Een pagina voor de zoekterm")
    admin_client.post(
        reverse("wagtailsearchpromotions:add"),
        {
            "query_string": "xyzzy plover",
            "editors_picks-TOTAL_FORMS": "1",
            "editors_picks-INITIAL_FORMS": "0",
            "editors_picks-MAX_NUM_FORMS": "1000",
            "editors_picks-0-page": page.pk,
            "editors_picks-0-ORDER": "0",
            "editors_picks-0-description": "",
        },
    )
    assert SearchPromotion.objects.get().page_id == page.pk


def test_only_superusers_see_the_terms_and_only_promoters_get_the_form(unanswered, client, django_user_model):
    editor = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(REPORT).status_code == 302
    assert client.get(promote_url("xyzzy plover")).status_code == 302
