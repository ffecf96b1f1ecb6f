"""Registers the newsletter with Wagtail: its admin screens (in newsletter/admin/), the follow form on action pages,
the seed step."""

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
from .follow_section import follow_form_section
from .models import Mailing, Subscriber
from .seed import load_newsletter_pages


@hooks.register("load_seed_content")
def seed_newsletter_pages(loader):
    return load_newsletter_pages(loader)


hooks.register("action_page_sections", follow_form_section)


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
