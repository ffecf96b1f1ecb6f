"""A subscriber's personal links (confirm, the preference page, one-click unsubscribe; confirm and stop a follow,
one-click stop) and the `List-*` headers of every newsletter mail.

The links carry the subscriber's random key, signed; the address itself never appears in a link. Mail is rendered
without a request, so every link is absolute (SITE_URL). Nothing here reads the database: whoever holds a link's
key looks the subscriber up.
"""

import functools
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

CONFIRMATION_LINK_MAX_AGE = timedelta(days=7)
CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
FOLLOW_CONFIRM_SALT = "newsletter.follow.confirm"
STOP_FOLLOW_SALT = "newsletter.follow.stop"
TOKEN_SPOT = "-token-"  # noqa: S105 - a place in a URL, not a secret


class LinkProblem:
    EXPIRED = "expired"
    INVALID = "invalid"


def absolute_url(view_name, language, **kwargs):
    """The public address of one of our views, in `language` (mail is rendered without a request)."""
    with translation.override(language):
        return settings.SITE_URL + reverse(view_name, kwargs=kwargs)


def confirmation_token(subscriber):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscriber.key))


def unsubscribe_token(subscriber):
    # No expiry: an unsubscribe link in a years-old newsletter must still work.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.key))


def confirmation_language(subscriber):
    """The language of the request the confirmation answers (a subscriber from before requests were kept has none)."""
    return subscriber.requested_language or subscriber.language


def confirmation_url(subscriber):
    return absolute_url("newsletter:confirm", confirmation_language(subscriber), token=confirmation_token(subscriber))


def preferences_url(subscriber):
    """The preference page behind every mail's personal link (the unsubscribe link of older mails leads there too)."""
    return absolute_url("newsletter:preferences", subscriber.language, token=unsubscribe_token(subscriber))


def one_click_unsubscribe_url(subscriber):
    return absolute_url("newsletter:one_click", subscriber.language, token=unsubscribe_token(subscriber))


def follow_value(subscriber, action):
    """What a follow's links sign: the subscriber's key and the action's id (the Dutch ActionPage)."""
    return f"{subscriber.key}.{action.pk}"


def parse_follow_value(value):
    """(subscriber key, action id) from a signed follow_value; a good signature makes it well-formed."""
    key, action_id = value.split(".")
    return key, int(action_id)


def follow_confirmation_url(follow, language):
    """The link in a follow's confirmation mail, in the language of the page it was asked on."""
    token = signing.TimestampSigner(salt=FOLLOW_CONFIRM_SALT).sign(follow_value(follow.subscriber, follow.action))
    return absolute_url("newsletter:confirm_follow", language, token=token)


def stop_follow_token(subscriber, action):
    # No expiry, as for unsubscribing: the link in a years-old alert must still work.
    return signing.Signer(salt=STOP_FOLLOW_SALT).sign(follow_value(subscriber, action))


def stop_follow_url(subscriber, action):
    return absolute_url("newsletter:stop_follow", subscriber.language, token=stop_follow_token(subscriber, action))


def one_click_stop_follow_url(subscriber, action):
    token = stop_follow_token(subscriber, action)
    return absolute_url("newsletter:one_click_stop_follow", subscriber.language, token=token)


def stop_follow_key(token):
    """(subscriber key, action id) that a stop link names, or None for a link we did not sign."""
    try:
        return parse_follow_value(signing.Signer(salt=STOP_FOLLOW_SALT).unsign(token))
    except signing.BadSignature:
        return None


def follow_confirmation_key(token):
    """((subscriber key, action id), None) for a good follow confirmation link, as confirmation_key otherwise."""
    value, problem = confirmation_key(token, FOLLOW_CONFIRM_SALT)
    return (parse_follow_value(value) if value else None), problem


def confirmation_key(token, salt=CONFIRM_SALT):
    """(value, None) for a good confirmation link; (value or None, LinkProblem) otherwise.

    An expired link still names what it confirms (its signature is good), so a new link can be offered.
    """
    signer = signing.TimestampSigner(salt=salt)
    try:
        return signer.unsign(token, max_age=CONFIRMATION_LINK_MAX_AGE), None
    except signing.SignatureExpired:
        return signer.unsign(token), LinkProblem.EXPIRED
    except signing.BadSignature:
        return None, LinkProblem.INVALID


def unsubscribe_key(token):
    """The key an unsubscribe link names, or None for a link we did not sign."""
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def personal_links(recipient):
    """(preference page, one-click unsubscribe) for one recipient of a sending, in their own language."""
    token = unsubscribe_token(recipient)
    page, one_click, _stop_digest = link_patterns(recipient.language, settings.SITE_URL)
    return page.replace(TOKEN_SPOT, token), one_click.replace(TOKEN_SPOT, token)


def personal_digest_links(recipient):
    """(preference page, one-click stop of the weekly digest) for one recipient of a digest, as personal_links."""
    token = unsubscribe_token(recipient)
    page, _one_click, stop_digest = link_patterns(recipient.language, settings.SITE_URL)
    return page.replace(TOKEN_SPOT, token), stop_digest.replace(TOKEN_SPOT, token)


@functools.cache
def link_patterns(language, site_url):
    """The personal links of `language` with TOKEN_SPOT for the token: a URL lookup per language, not per recipient
    (it costs as much as the rest of a recipient's share of a batch). The preference page, one-click unsubscribe, and
    one-click stop of the weekly digest."""
    return tuple(
        absolute_url(name, language, token=TOKEN_SPOT)
        for name in ("newsletter:preferences", "newsletter:one_click", "newsletter:one_click_stop_digest")
    )


def personal_follow_links(recipient, action):
    """(stop following `action`, one-click stop) for one recipient of an alert, in their own language, by the same
    patterns as personal_links."""
    token = stop_follow_token(recipient, action)
    page, one_click = follow_link_patterns(recipient.language, settings.SITE_URL)
    return page.replace(TOKEN_SPOT, token), one_click.replace(TOKEN_SPOT, token)


@functools.cache
def follow_link_patterns(language, site_url):
    """The stop links of `language` with TOKEN_SPOT for the token (see link_patterns)."""
    return (
        absolute_url("newsletter:stop_follow", language, token=TOKEN_SPOT),
        absolute_url("newsletter:one_click_stop_follow", language, token=TOKEN_SPOT),
    )


def list_id():
    """RFC 2919: one list, named after the site's public host."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<nieuwsbrief.{host}>"


def common_headers():
    """The headers every newsletter mail carries, whoever it goes to (RFC 8058's one-click POST, RFC 2919's id)."""
    return {"List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Id": list_id()}


def list_headers(subscriber):
    """RFC 2369, RFC 8058 and RFC 2919 headers of a newsletter mail to this subscriber."""
    return {**common_headers(), "List-Unsubscribe": f"<{one_click_unsubscribe_url(subscriber)}>"}
