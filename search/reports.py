"""*Reports → Search terms that found nothing*, beside Wagtail's *Search terms*: per language and week, and for each
term a link to Wagtail's form that promotes pages for it, with the term filled in."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_filters import DateFromToRangeFilter
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, LocaleFilter, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.views import CreateView

from .models import UnansweredSearch


def promote_url(query_string):
    """Wagtail's form to promote pages for a search term, with the term filled in (PromoteTermView)."""
    return reverse("search_reports:promote") + "?" + urlencode({"query_string": query_string})


class PromoteTermView(CreateView):
    """Wagtail's own form and its permission check; only the term is filled in. The form posts to Wagtail's."""

    def get_initial(self):
        return {**super().get_initial(), "query_string": self.request.GET.get("query_string", "")}


class PromoteColumn(Column):
    cell_template_name = "search/admin/promote_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        return {**super().get_cell_context_data(instance, parent_context), "url": promote_url(instance.query_string)}


class UnansweredFilterSet(WagtailFilterSet):
    locale = LocaleFilter(label=_("Language"), choices=settings.LANGUAGES, empty_label=_("All"))
    week = DateFromToRangeFilter(label=_("Week of"), widget=DateRangePickerWidget)

    class Meta:
        model = UnansweredSearch
        fields = []


class UnansweredSearchesView(ReportView):
    """Who may see Wagtail's search terms (superusers: visitors typed them) may see these."""

    page_title = _("Search terms that found nothing")
    header_icon = "search"
    is_searchable = True
    search_fields = ["query_string"]
    filterset_class = UnansweredFilterSet
    index_url_name = "search_reports:unanswered"
    index_results_url_name = "search_reports:unanswered_results"
    columns = [
        Column("week", label=_("Week of"), sort_key="week"),
        Column("language", label=_("Language"), accessor="locale.get_display_name"),
        Column("query_string", label=_("Search term"), sort_key="query_string"),
        NumberColumn("hits", label=_("Searches"), sort_key="hits"),
        PromoteColumn("promote", label=_("Promote")),
    ]
    list_export = ["week", "locale", "query_string", "hits"]
    export_headings = {
        "week": _("Week of"),
        "locale": _("Language"),
        "query_string": _("Search term"),
        "hits": _("Searches"),
    }

    def get_base_queryset(self):
        return UnansweredSearch.objects.select_related("locale").order_by("-week", "-hits", "query_string")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)
