"""The personal links each kind of mailing carries, for one recipient: ({name: link} for the placeholders of its
frozen copy (MailingCopy.placeholder), the one-click address of its List-Unsubscribe header)."""

import functools

from .. import links
from ..models import Mailing


def edition_links(recipient):
    """An edition: the unsubscribe page in the text, and one-click leaves the newsletter."""
    page, one_click = links.personal_links(recipient)
    return {"unsubscribe_url": page}, one_click


def alert_links(action, recipient):
    """An alert: the preference page and the page to stop following `action` in the text; one-click stops following
    that action only (RFC 8058), the newsletter and other follows stay."""
    preferences, _one_click_unsubscribe = links.personal_links(recipient)
    stop, one_click = links.personal_follow_links(recipient, action)
    return {"preferences_url": preferences, "stop_url": stop}, one_click


def links_for(mailing):
    """The function giving a recipient of `mailing` their links."""
    if mailing.kind == Mailing.Kind.ALERT:
        return functools.partial(alert_links, mailing.action)
    if mailing.kind == Mailing.Kind.DIGEST:
        return digest_links
    return edition_links


def digest_links(recipient):
    """The weekly digest: the preference page in the text, where each follow can be stopped or changed; one-click
    stops the weekly digest (every weekly follow), the newsletter and the follows told as they happen stay."""
    preferences, one_click = links.personal_digest_links(recipient)
    return {"preferences_url": preferences}, one_click
