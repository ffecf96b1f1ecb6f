"""Registers the newsletter's admin with Wagtail: its screens live in newsletter/admin/."""

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .admin import buttons, urls
from .admin.mailings import MailingViewSet
from .admin.permissions import ArriveThroughTheSitePolicy, mailing_policy
from .admin.spreadsheet import SafeExportIndexView
from .admin.subscribers import SubscriberViewSet
from .forms import JoinForm
from .models import JoinRequest, Mailing, Subscriber
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


for model in (Subscriber, JoinRequest):
    register_permission_policy(model, ArriveThroughTheSitePolicy(model))
register_permission_policy(Mailing, mailing_policy)


class JoinRequestViewSet(ModelViewSet):
    model = JoinRequest
    index_view_class = SafeExportIndexView
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


@hooks.register("register_admin_viewset")
def register_mailing_viewset():
    return MailingViewSet("newsletter_mailings", url_prefix="newsletter/sends")


@hooks.register("register_admin_urls")
def edition_admin_urls():
    return urls.urlpatterns


hooks.register("register_page_header_buttons", buttons.edition_header_buttons)
hooks.register("register_page_header_buttons", buttons.send_edition_header_buttons)
