"""The listing of the newsletter's sendings, and the URLs of the screens on one of them."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BaseColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from newsletter.delivery.figures import LABELS, figures
from newsletter.models import Mailing

from .mailing_actions import CancelView, ResendUnknownView, RetryFailedView
from .progress import ProgressRegionView, ProgressView
from .sent_copy import SentCopyHtmlView, SentCopyView


class FigureColumn(BaseColumn):
    """One of a sending's figures, per language (read for the listed mailings in one query: MailingIndexView)."""

    cell_template_name = "newsletter/admin/includes/figure_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["per_language"] = [(row.language_name, getattr(row, self.name)) for row in instance.figures]
        return context


class MailingIndexView(IndexView):
    default_ordering = "-send_at"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(kind=Mailing.Kind.EDITION)  # alerts and digests are told on each action (told_updates.py)
            .select_related("edition")
        )

    def get_table(self, object_list):
        found = figures([mailing.pk for mailing in object_list])
        for mailing in object_list:
            mailing.figures = found[mailing.pk]
        return super().get_table(object_list)

    def get_edit_url(self, instance):
        # Each row leads to its progress screen (nothing here is edited).
        return reverse("newsletter_mailings:progress", args=[instance.pk])


class MailingViewSet(ModelViewSet):
    model = Mailing
    index_view_class = MailingIndexView
    icon = "mail"
    menu_label = _("Newsletter sends")
    menu_order = 251
    add_to_admin_menu = True
    list_display = [
        "edition",
        "state",
        "send_at",
        *(FigureColumn(name, label=label) for name, label in LABELS.items()),
    ]
    list_filter = ["state"]
    copy_view_enabled = False
    form_fields = []  # no add or edit view is ever allowed (permissions.MailingPolicy)

    def get_urlpatterns(self):
        screens = [
            ("<int:pk>/progress/", ProgressView, "progress"),
            ("<int:pk>/progress/figures/", ProgressRegionView, "progress_region"),
            ("<int:pk>/cancel/", CancelView, "cancel"),
            ("<int:pk>/retry-failed/", RetryFailedView, "retry_failed"),
            ("<int:pk>/resend-unknown/", ResendUnknownView, "resend_unknown"),
            ("<int:pk>/sent/<str:language>/", SentCopyView, "sent_copy"),
            ("<int:pk>/sent/<str:language>/html/", SentCopyHtmlView, "sent_copy_html"),
        ]
        return [
            *super().get_urlpatterns(),
            *(path(route, self.construct_view(view_class), name=name) for route, view_class, name in screens),
        ]
