"""The newsletter's items in a page's header menu: draft an edition (on the Dutch index), send a test, run the
preflight, send the edition or follow its sending (on an edition). wagtail_hooks.py registers the two functions."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.ui.menus.pages import PageMenuItem

from newsletter.delivery import api, status
from newsletter.models import NewsletterIndexPage, NewsletterPage

# Wagtail sorts the menu's items by priority: sending's come before drafting's and testing's.
SEND_PRIORITY = 11
EDIT_PRIORITY = 12


def edition_header_buttons(page, user, view_name, next_url=None):
    """Draft, on the Dutch index for who may add editions; a test and the preflight, on an edition for who may edit
    it."""
    specific_class = page.specific_class
    if specific_class is NewsletterIndexPage and page.locale.language_code == settings.LANGUAGE_CODE:
        if page.permissions_for_user(user).can_add_subpage():
            url = reverse("newsletter_draft_edition", args=[page.pk])
            yield PageMenuItem(_("Draft an edition from the actions"), url, "date", EDIT_PRIORITY, page=page)
    elif specific_class is NewsletterPage and page.permissions_for_user(user).can_edit():
        url = reverse("newsletter_send_test", args=[page.pk])
        yield PageMenuItem(_("Send a test"), url, "mail", EDIT_PRIORITY, page=page)
        url = reverse("newsletter_preflight", args=[page.pk])
        yield PageMenuItem(_("Preflight"), url, "tasks", EDIT_PRIORITY, page=page)


def send_edition_header_buttons(page, user, view_name, next_url=None):
    """Send, for editors who may: or, once the edition is on its way, where to follow it."""
    if page.specific_class is not NewsletterPage or not api.can_send(user):
        return
    mailing = status.mailing_for(page.specific)
    if mailing is None:
        url = reverse("newsletter_send_edition", args=[page.pk])
        yield PageMenuItem(_("Send to subscribers"), url, "mail", SEND_PRIORITY, page=page)
    else:
        url = reverse("newsletter_mailings:progress", args=[mailing.pk])
        yield PageMenuItem(_("Sending progress"), url, "mail", SEND_PRIORITY, page=page)
