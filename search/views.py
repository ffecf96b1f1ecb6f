import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import override
from django.views.decorators.http import require_safe
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from home.serving.shell import shell

from .models import Kind
from .querying import Search, clean_query, restricted_paths, suggest

RESULTS_PER_PAGE = 10
# Queries that look like an e-mail address or a phone/account number are not logged: the log holds no personal data.
PERSONAL = re.compile(r"@|\d[\d\s.-]{5,}\d")


class RankedResults:
    """The results of one search for the paginator, which asks for their count (known in advance) and one slice."""

    def __init__(self, engine, kind, count):
        self.engine, self.kind, self._count = engine, kind, count

    def count(self):
        return self._count

    def __getitem__(self, index):
        return self.engine.results(self.kind, self._count, index.start, index.stop)


def addresses(results, request):
    """The results' addresses, by Wagtail's routing, which needs only a page's path in the tree. One page object
    carries each path in turn: making ten took as long as routing them."""
    page = Page()
    for result in results:
        page.url_path = result.url_path
        yield page.get_url(request)


def search_url(language_code, query):
    with override(language_code):
        return reverse("search") + ("?" + urlencode({"q": query}) if query else "")


# What Query.get(query).add_hit() does in three statements (two reads and a write), in one; the query string is
# normalised the same way. SQLite cannot insert inside WITH, so it keeps Wagtail's way.
LOG_SQL = f"""
WITH logged AS (
    INSERT INTO {Query._meta.db_table} (query_string) VALUES (%s)
    ON CONFLICT (query_string) DO UPDATE SET query_string = EXCLUDED.query_string RETURNING id
)
INSERT INTO {QueryDailyHits._meta.db_table} AS daily (query_id, date, hits) SELECT id, %s, 1 FROM logged
ON CONFLICT (query_id, date) DO UPDATE SET hits = daily.hits + 1
"""  # noqa: S608 - table names only


def log_query(query):
    if not query or PERSONAL.search(query):
        return
    if connection.vendor != "postgresql":
        Query.get(query).add_hit()
        return
    with connection.cursor() as cursor:
        # Dated as Wagtail dates its hits.
        cursor.execute(LOG_SQL, [normalise_query_string(query), timezone.now().date()])


@require_safe  # the search form sends GET; anything else is refused with the 405 page
def search(request):
    query = clean_query(request.GET.get("q", ""))
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    locale = shell(request).locale
    if locale is None:
        raise Http404("This language has no pages yet.")
    # The language switcher leads to the same search in the other language.
    context = {
        "query": query,
        "kind": kind,
        "language_urls": {code: search_url(code, query) for code, _ in settings.LANGUAGES},
    }

    if query:
        restricted = restricted_paths()
        engine = Search(query, locale, restricted=restricted)
        counts = engine.counts_by_kind()
        total = sum(counts.values())
        found = counts[kind] if kind else total
        results = Paginator(RankedResults(engine, kind, found), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            total=total,
            results=results,
            items=[
                {
                    "kind": Kind(result.kind).label,
                    "title": result.title,
                    "url": url,
                    "snippet": result.snippet,
                    "date": result.date,
                    "promoted": result.promoted,
                }
                for result, url in zip(results, addresses(results, request), strict=True)
            ],
            filters=[{"value": "", "label": None, "count": total, "current": not kind}]
            + [
                {"value": value, "label": label, "count": counts[value], "current": kind == value}
                for value, label in Kind.choices
            ],
        )
        if total == 0:
            context.update(
                elsewhere=elsewhere(query, locale, restricted), suggestion=suggestion(query, locale, restricted)
            )
        if request.GET.get("page", "1") in ("", "1"):
            log_query(query)

    response = TemplateResponse(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def elsewhere(query, locale, restricted):
    """How many results the query has in each other language, with a link to them."""
    found = []
    for other in Locale.objects.exclude(pk=locale.pk):
        code, name = other.language_code, dict(settings.LANGUAGES).get(other.language_code)
        if name is None:
            continue
        count = Search(query, other, restricted=restricted).count()
        if count:
            found.append({"code": code, "name": name, "count": count, "url": search_url(code, query)})
    return found


def suggestion(query, locale, restricted):
    suggested = suggest(query, locale)
    if not suggested or suggested == query or not Search(suggested, locale, restricted=restricted).count():
        return None
    return {"query": suggested, "url": search_url(locale.language_code, suggested)}
