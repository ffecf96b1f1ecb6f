from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from .reports import PromoteTermView, UnansweredSearchesView

urls = (
    [
        path("unanswered/", UnansweredSearchesView.as_view(), name="unanswered"),
        path("unanswered/results/", UnansweredSearchesView.as_view(results_only=True), name="unanswered_results"),
        path("promote/", PromoteTermView.as_view(), name="promote"),
    ],
    "search_reports",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("reports/search/", include(urls))]


@hooks.register("register_reports_menu_item")
def register_unanswered_searches_menu_item():
    # Right after Wagtail's "Search terms" (order 1300), for the same people.
    return AdminOnlyMenuItem(
        _("Search terms that found nothing"),
        reverse("search_reports:unanswered"),
        name="unanswered-search-terms",
        icon_name="search",
        order=1301,
    )
