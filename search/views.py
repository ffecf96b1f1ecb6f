import re

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import override
from django.views.decorators.http import require_safe
from wagtail.models import Locale, Page

from home.serving.shell import shell

from .engines import engine
from .engines.base import restricted_paths
from .models import Kind
from .suggestions import suggest
from .text import clean_text
from .unanswered import record_unanswered

RESULTS_PER_PAGE = 10
# A longer query is cut at its last whole word within this many characters.
MAX_QUERY_LENGTH = 200
# Queries that look like an e-mail address or a phone/account number are not logged: the log holds no personal data.
PERSONAL = re.compile(r"@|\d[\d\s.-]{5,}\d")


class RankedResults:
    """The results of one search for the paginator, which asks for their count (known in advance) and one slice."""

    def __init__(self, searched, kind, count):
        self.searched, self.kind, self._count = searched, kind, count

    def count(self):
        return self._count

    def __getitem__(self, index):
        return self.searched.results(self.kind, self._count, index.start, index.stop)


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


def log_query(query, locale, total):
    """Counts the search in Wagtail's search terms report and, when it found nothing, in ours (unanswered.py)."""
    if query and not PERSONAL.search(query):
        engine().log_query(query)
        if not total:
            record_unanswered(query, locale)


@require_safe  # the search form sends GET; anything else is refused with the 405 page
def search(request):
    query = clean_text(request.GET.get("q", ""), limit=MAX_QUERY_LENGTH)
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
        searched = engine().Search(query, locale, restricted=restricted)
        counts = searched.counts_by_kind()
        total = sum(counts.values())
        found = counts[kind] if kind else total
        results = Paginator(RankedResults(searched, kind, found), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
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
            log_query(query, locale, total)

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
        count = engine().Search(query, other, restricted=restricted).count()
        if count:
            found.append({"code": code, "name": name, "count": count, "url": search_url(code, query)})
    return found


def suggestion(query, locale, restricted):
    suggested = suggest(query, locale)
    if not suggested or suggested == query or not engine().Search(suggested, locale, restricted=restricted).count():
        return None
    return {"query": suggested, "url": search_url(locale.language_code, suggested)}
