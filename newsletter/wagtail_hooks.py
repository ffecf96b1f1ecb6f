from django.conf import settings
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from home.spreadsheet import SafeExportIndexView

from . import admin_views
from .delivery import api, status
from .models import Delivery, Mailing, NewsletterIndexPage, NewsletterPage, Subscriber
from .seed import load_newsletter_pages


@hooks.register("load_seed_content")
def seed_newsletter_pages(loader):
    return load_newsletter_pages(loader)


class ArriveThroughTheSitePolicy(ModelPermissionPolicy):
    """Subscribers come only through the double opt-in: no one, not even a superuser, adds them by hand. Viewing,
    changing and deleting follow the model's own permissions."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


register_permission_policy(Subscriber, ArriveThroughTheSitePolicy(Subscriber))


class SubscriberIndexView(SafeExportIndexView):
    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows = Subscriber.objects.values("state", "language").annotate(count=Count("pk"))
        counts = {(row["state"], row["language"]): row["count"] for row in rows}
        languages = [code for code, _name in Subscriber._meta.get_field("language").choices]
        context["subscriber_counts"] = {
            "languages": languages,
            "rows": [
                {
                    "state": state,
                    "label": label,
                    "counts": [counts.get((state, code), 0) for code in languages],
                    "total": sum(counts.get((state, code), 0) for code in languages),
                }
                for state, label in Subscriber.State.choices
            ],
            "total": sum(counts.values()),
        }
        return context


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    index_view_class = SubscriberIndexView
    index_template_name = "newsletter/admin/subscriber_index.html"
    icon = "mail"
    menu_label = _("Subscribers")
    list_display = ["email", "state", "language", "created_at", "state_changed_at"]
    list_filter = ["state", "language"]
    list_export = [
        "email",
        "state",
        "language",
        "created_at",
        "state_changed_at",
        "consent_given_at",
        "consent_version",
        "requested_at",
        "requested_language",
        "requested_consent_version",
    ]
    export_filename = "subscribers"
    search_fields = ["email"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    # The address is what the subscriber confirmed: editors may correct the state or language, not the address.
    form_fields = ["state", "language"]


class NewsletterViewSetGroup(ViewSetGroup):
    items = (SubscriberViewSet("subscribers"),)
    menu_icon = "mail"
    menu_label = _("People")
    menu_order = 250


@hooks.register("register_admin_viewset")
def register_viewsets():
    return NewsletterViewSetGroup()


# Editions ------------------------------------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def edition_admin_urls():
    return [
        path("newsletter/<int:page_id>/draft/", admin_views.draft, name="newsletter_draft_edition"),
        path("newsletter/editions/<int:page_id>/test/", admin_views.send_test, name="newsletter_send_test"),
        path("newsletter/editions/<int:page_id>/send/", admin_views.send, name="newsletter_send_edition"),
    ]


class DraftEditionButton(PageMenuItem):
    label = _("Draft an edition from the actions")
    icon_name = "date"
    url_name = "newsletter_draft_edition"
    priority = 12


class SendTestButton(PageMenuItem):
    label = _("Send a test")
    icon_name = "mail"
    url_name = "newsletter_send_test"
    priority = 12


@hooks.register("register_page_header_buttons")
def edition_header_buttons(page, user, view_name, next_url=None):
    specific_class = page.specific_class
    if specific_class is NewsletterIndexPage and page.locale.language_code == settings.LANGUAGE_CODE:
        if page.permissions_for_user(user).can_add_subpage():
            yield DraftEditionButton(page=page)
    elif specific_class is NewsletterPage and page.permissions_for_user(user).can_edit():
        yield SendTestButton(page=page)


# Sending -------------------------------------------------------------------------------------------------------


class SendEditionButton(PageMenuItem):
    label = _("Send to subscribers")
    icon_name = "mail"
    url_name = "newsletter_send_edition"
    priority = 11


class SendingProgressButton(PageMenuItem):
    label = _("Sending progress")
    icon_name = "mail"
    priority = 11

    def __init__(self, mailing, **kwargs):
        super().__init__(url=reverse("newsletter_mailings:progress", args=[mailing.pk]), **kwargs)


@hooks.register("register_page_header_buttons")
def send_edition_header_button(page, user, view_name, next_url=None):
    """Send, for editors who may: or, once the edition is on its way, where to follow it."""
    if page.specific_class is not NewsletterPage or not api.can_send(user):
        return
    mailing = status.mailing_for(page.specific)
    if mailing is None:
        yield SendEditionButton(page=page)
    else:
        yield SendingProgressButton(mailing, page=page)


class MailingPolicy(ModelPermissionPolicy):
    """Mailings are started from their edition, never added, changed or deleted here: they can only be viewed."""

    def user_has_permission(self, user, action):
        return action == "view" and admin_views.may_view_mailings(user)


register_permission_policy(Mailing, MailingPolicy(Mailing))


class MailingIndexView(IndexView):
    default_ordering = "-send_at"

    def get_base_queryset(self):
        def deliveries_in(*states):
            return Count("deliveries", filter=Q(deliveries__state__in=states))

        State = Delivery.State
        return (
            super()
            .get_base_queryset()
            .select_related("edition")
            .annotate(
                sent=deliveries_in(State.SENT),
                waiting=deliveries_in(State.PENDING, State.SENDING),
                failed=deliveries_in(State.FAILED),
            )
        )

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
        Column("sent", label=_("Sent")),
        Column("waiting", label=_("Pending")),
        Column("failed", label=_("Failed")),
    ]
    list_filter = ["state"]
    copy_view_enabled = False
    form_fields = []  # no add or edit view is ever allowed (MailingPolicy)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/progress/", admin_views.progress, name="progress"),
            path("<int:pk>/progress/figures/", admin_views.progress_region, name="progress_region"),
            path("<int:pk>/cancel/", admin_views.cancel, name="cancel"),
            path("<int:pk>/retry-failed/", admin_views.retry_failed, name="retry_failed"),
            path("<int:pk>/resend-unknown/", admin_views.resend_unknown, name="resend_unknown"),
            path("<int:pk>/sent/<str:language>/", admin_views.sent_copy, name="sent_copy"),
            path("<int:pk>/sent/<str:language>/html/", admin_views.sent_copy_html, name="sent_copy_html"),
        ]


@hooks.register("register_admin_viewset")
def register_mailing_viewset():
    return MailingViewSet("newsletter_mailings", url_prefix="newsletter/sends")
