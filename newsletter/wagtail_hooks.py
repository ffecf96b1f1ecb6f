"""Registers the newsletter's admin with Wagtail: its screens live in newsletter/admin/."""

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from home.viewsets.policies import ArriveThroughTheSitePolicy

from .admin import buttons, urls
from .admin.followers import followers_header_buttons
from .admin.mailings import MailingViewSet
from .admin.permissions import mailing_policy
from .admin.subscribers import SubscriberViewSet
from .admin.told_updates import told_header_buttons
from .follow_forms import FollowForm
from .models import Mailing, NewsletterIndexPage, Subscriber
from .seed import load_newsletter_pages


@hooks.register("load_seed_content")
def seed_newsletter_pages(loader):
    return load_newsletter_pages(loader)


@hooks.register("action_page_sections")
def follow_form_section(context):
    """ "Follow this action" on every action page (actions/ renders what this hook returns; it names no newsletter)."""
    action = context.get("page")
    if action is None or action.pk is None:
        return ""  # the editor's preview of an action not saved yet: there is nothing to follow
    index = NewsletterIndexPage.objects.live().filter(locale__language_code=get_language()).first()
    privacy = index.privacy_statement() if index else None
    form = context.get("follow_form") or FollowForm()
    return render_to_string(
        "newsletter/includes/follow_form.html",
        {"action": action, "form": form, "privacy_url": privacy.url if privacy else None},
    )


register_permission_policy(Subscriber, ArriveThroughTheSitePolicy(Subscriber))
register_permission_policy(Mailing, mailing_policy)


class NewsletterViewSetGroup(ViewSetGroup):
    items = (SubscriberViewSet("subscribers"),)
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
hooks.register("register_page_header_buttons", followers_header_buttons)
hooks.register("register_page_header_buttons", told_header_buttons)
