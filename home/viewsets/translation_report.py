"""Reports → Translations: every page of the Dutch tree with the state of its translation, and what to do next.

A Wagtail report (ReportView, with django-filter through WagtailFilterSet) as Wagtail's own "Aging pages" is; the
state is computed in the query (home.languages.translation_state), so the listing, its counts and its CSV export
each cost one query whatever the number of pages.
"""

import django_filters
from django.db.models import Count
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import get_content_type_label
from wagtail.models import Page, get_page_content_types

from home.languages.translation_state import (
    TranslationState,
    source_pages,
    translation_locales,
    with_translation_state,
)

from .spreadsheet import SafeExportMixin

State = TranslationState
# Who may see the report: as for Wagtail's own page reports, an editor who may add, change or publish some page.
REPORT_PERMISSIONS = ["add", "change", "publish"]


class TranslationReportFilterSet(WagtailFilterSet):
    translation_state = django_filters.ChoiceFilter(label=_("Translation"), choices=State.choices)
    content_type = ContentTypeFilter(
        label=_("Type"), queryset=lambda request: get_page_content_types(include_base_page_type=False)
    )

    class Meta:
        model = Page
        fields = []


class LinksColumn(Column):
    """What to do next with a row's translation: a list of (label, address)."""

    cell_template_name = "home/reports/translation_links_cell.html"


class TranslationReportView(SafeExportMixin, ReportView):
    page_title = _("Translations")
    header_icon = "site"
    model = Page
    any_permission_required = REPORT_PERMISSIONS
    filterset_class = TranslationReportFilterSet
    index_url_name = "translation_report"
    index_results_url_name = "translation_report_results"
    results_template_name = "home/reports/translation_report_results.html"
    export_filename = "translations"
    list_export = ["title", "type_label", "last_published_at", "state_label", "translation_date", "synced_at"]
    export_headings = {
        "title": _("Page"),
        "type_label": _("Type"),
        "last_published_at": _("Published"),
        "state_label": _("Translation"),
        "translation_date": _("Translation updated"),
        "synced_at": _("Last synced"),
    }

    @cached_property
    def locale(self):
        # The site has one translation language (English); the report is about it. Before its locale exists (a new
        # site before the seed) there is none, and no page is translated.
        return next(iter(translation_locales()), None)

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=_("Page"), url_name="wagtailadmin_pages:edit"),
            Column("type_label", label=_("Type")),
            DateColumn("last_published_at", label=_("Published")),
            StatusTagColumn(
                "state_label", label=_("Translation"), primary=lambda page: page.translation_state == State.LIVE
            ),
            DateColumn("translation_date", label=_("Translation updated")),
            DateColumn("synced_at", label=_("Last synced")),
            LinksColumn("links", label=_("Next step")),
        ]

    def get_base_queryset(self):
        return with_translation_state(source_pages(), self.locale).select_related("content_type").order_by("path")

    @cached_property
    def state_counts(self):
        """Pages per state, over the pages of the chosen type (the state filter left out, so all four show)."""
        pages = self.get_base_queryset()
        if self.filters and self.filters.is_valid():
            pages = self.filters.filters["content_type"].filter(pages, self.filters.form.cleaned_data["content_type"])
        rows = pages.order_by().values("translation_state").annotate(n=Count("pk"))
        found = {row["translation_state"]: row["n"] for row in rows}
        return [{"state": state, "label": state.label, "count": found.get(state, 0)} for state in State]

    def get_context_data(self, *args, **kwargs):
        return super().get_context_data(*args, state_counts=self.state_counts, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        # The CSV is streamed after the view returns, outside the editor's language: its headings become text now.
        self.export_headings = {field: str(heading) for field, heading in self.export_headings.items()}
        return super().render_to_response(context, **response_kwargs)

    def decorate_paginated_queryset(self, object_list):
        may_translate = self.request.user.has_perm("wagtail_localize.submit_translation")
        back = urlencode({"next": self.request.get_full_path()})
        pages = list(object_list)
        for page in pages:
            page.type_label = get_content_type_label(page.content_type)
            # Text now, in the editor's language, for the same reason.
            page.state_label = str(State(page.translation_state).label)
            live = page.translation_state in (State.LIVE, State.OUT_OF_DATE)
            page.translation_date = page.translation_published_at if live else page.translation_updated_at
            page.links = self.links(page, may_translate, back)
        return pages

    def links(self, page, may_translate, back):
        """(label, address) of what the editor does next with `page`'s translation."""
        if page.translation_state == State.NONE:
            if not may_translate:
                return []
            return [(gettext("Translate"), reverse("wagtail_localize:submit_page_translation", args=[page.pk]))]
        edit = reverse("wagtailadmin_pages:edit", args=[page.translation_id])
        if page.translation_state == State.OUT_OF_DATE and page.sync_due and may_translate:
            sync = reverse("wagtail_localize:update_translations", args=[page.source_id]) + "?" + back
            return [(gettext("Sync translation"), sync), (gettext("Edit translation"), edit)]
        if page.translation_state == State.LIVE:
            return [(gettext("Edit translation"), edit)]
        # A draft, or synced text that is not live yet: the translation editor is where it is published.
        return [(gettext("Edit and publish translation"), edit)]
