from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .forms import JoinForm
from .models import JoinRequest, NewsletterIndexPage, NewsletterPage, Subscriber
from .seed import load_newsletter_pages


@hooks.register("action_page_sections")
def join_form_section(context):
    """The "Join" form on every action page (actions/ renders what this hook returns; it names no newsletter)."""
    action = context.get("page")
    if action is None or action.pk is None:
        return ""  # the editor's preview of an action not saved yet: there is nothing to join
    form = context.get("join_form") or JoinForm()
    return render_to_string(
        "newsletter/includes/join_form.html", {"action": action, "form": form, "LANGUAGE_CODE": get_language()}
    )


@hooks.register("load_seed_content")
def seed_newsletter_pages(loader):
    return load_newsletter_pages(loader)


class ArriveThroughTheSitePolicy(ModelPermissionPolicy):
    """Subscribers come only through the double opt-in and join requests only through the form: no one, not even
    a superuser, adds them by hand. Viewing, changing and deleting follow the model's own permissions."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


for model in (Subscriber, JoinRequest):
    register_permission_policy(model, ArriveThroughTheSitePolicy(model))


class SubscriberIndexView(IndexView):
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
    ]
    export_filename = "subscribers"
    search_fields = ["email"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    # The address is what the subscriber confirmed: editors may correct the state or language, not the address.
    form_fields = ["state", "language"]


class JoinRequestViewSet(ModelViewSet):
    model = JoinRequest
    icon = "group"
    menu_label = _("Join requests")
    list_display = ["name", "action_title", "email", "created_at", "mail_status"]
    list_filter = ["mail_status", "language"]
    list_export = ["created_at", "action_title", "name", "email", "message", "language", "mail_status"]
    export_filename = "join-requests"
    search_fields = ["name", "email", "action_title", "message"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["mail_status"]


class NewsletterViewSetGroup(ViewSetGroup):
    items = (SubscriberViewSet("subscribers"), JoinRequestViewSet("join_requests"))
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
