"""Following an action: asking to, confirming from the mail, stopping. The person is a Subscriber (one row per
address); someone who only follows is one in state NOT_SUBSCRIBED, which no newsletter count or sending takes for
a subscriber.

As for the newsletter (services.py) the request takes the same path for every address (one transaction that ends by
queueing the confirmation task) and becomes the consent on record only when its link is used: the address proves
itself by mail, also when it is confirmed for the newsletter already.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail.models import Locale

from actions.models import ActionPage

from .links import follow_confirmation_key, stop_follow_key
from .messages import follow_confirmation_message
from .models import Follow, Subscriber

logger = logging.getLogger(__name__)

# Change this whenever the consent sentence of the follow form changes (as services.CONSENT_VERSION).
FOLLOW_CONSENT_VERSION = "2026-12-03"
# A bounced or complaining address gets nothing, alerts included.
STOPS_EVERYTHING = (Subscriber.State.BOUNCED, Subscriber.State.COMPLAINED)


def source_action(page):
    """The Dutch source page of an action page in either language (what a Follow names), or None for a page that
    has no Dutch version (nobody can follow it)."""
    return page if page.locale_id == Locale.get_default().pk else page.get_translation_or_none(Locale.get_default())


def follow(email, action, frequency, language, now=None):
    """Records a request to follow `action` (the Dutch ActionPage) and queues its confirmation mail in `language`.
    Returns nothing: the visitor sees the same answer whatever the address's state. A stopped follow is pending
    again; a confirmed one stays confirmed (at its frequency) until the new request is confirmed."""
    now = now or timezone.now()
    request = {
        "requested_at": now,
        "requested_frequency": frequency,
        "requested_consent_version": FOLLOW_CONSENT_VERSION,
    }
    with transaction.atomic():
        subscriber, _made = Subscriber.locked(
            email, language=language, state=Subscriber.State.NOT_SUBSCRIBED, state_changed_at=now
        )
        if subscriber is None:  # the same address, sent at the same moment by another request
            return
        # The subscriber's row is locked: a second request for this address waits here.
        following, created = Follow.objects.get_or_create(
            subscriber=subscriber,
            action=action,
            defaults={"state": Follow.State.PENDING, "state_changed_at": now, "frequency": frequency, **request},
        )
        if not created:
            if following.state == Follow.State.STOPPED:
                following.state, following.state_changed_at = Follow.State.PENDING, now
            for name, value in request.items():
                setattr(following, name, value)
            following.save()
        send_follow_confirmation.enqueue(following.pk, language)


@task(backend="newsletter", queue_name="newsletter")
def send_follow_confirmation(follow_id, language):
    """Mails the link to confirm a follow request, naming the action, in `language`; nothing to an address that
    bounced or complained, or when the request was confirmed or stopped since. Returns whether a mail went out."""
    following = (
        Follow.objects.select_related("subscriber", "action")
        .filter(pk=follow_id, requested_at__isnull=False)
        .exclude(subscriber__state__in=STOPS_EVERYTHING)
        .first()
    )
    if following is None:
        return False
    try:
        follow_confirmation_message(following, language).send()
    except Exception:
        # Nothing reaches the visitor, who had their answer long ago; asking again sends a new mail.
        logger.exception("Could not send the follow confirmation mail for follow %s", following.pk)
        return False
    return True


def find_follow(key, action_id):
    follows = Follow.objects.select_related("subscriber", "action")
    return follows.filter(subscriber__key=key, action_id=action_id).first()


def follow_for_confirmation(token):
    """(follow, None) for a good link; (follow or None, links.LinkProblem) otherwise."""
    names, problem = follow_confirmation_key(token)
    return (find_follow(*names) if names else None), problem


def follow_for_stop(token):
    names = stop_follow_key(token)
    return find_follow(*names) if names else None


def confirm_follow(following, now=None):
    """Makes the follow's open request its consent on record. Returns whether the follow is now confirmed."""
    with transaction.atomic():
        following = Follow.objects.select_for_update().select_related("subscriber").get(pk=following.pk)
        if following.subscriber.state in STOPS_EVERYTHING:
            return False
        if following.requested_at is not None:
            now = now or timezone.now()
            if following.state != Follow.State.CONFIRMED:
                following.state, following.state_changed_at = Follow.State.CONFIRMED, now
            following.frequency = following.requested_frequency
            following.consent_given_at = following.requested_at
            following.consent_version = following.requested_consent_version
            following.requested_at = None
            following.requested_frequency = following.requested_consent_version = ""
            following.save()
    return following.state == Follow.State.CONFIRMED


def stop_follows(follows, now=None):
    """Stops these follows (a queryset) and any request of theirs still open. Returns how many were stopped."""
    return follows.exclude(state=Follow.State.STOPPED).update(
        state=Follow.State.STOPPED,
        state_changed_at=now or timezone.now(),
        requested_at=None,
        requested_frequency="",
        requested_consent_version="",
    )


def stop_follow(following, now=None):
    return bool(stop_follows(Follow.objects.filter(pk=following.pk), now))


def followed(subscriber):
    """The subscriber's confirmed and pending follows, each with its action page in the subscriber's language."""
    follows = list(
        subscriber.follows.exclude(state=Follow.State.STOPPED).select_related("action").order_by("action__title")
    )
    keys = [following.action.translation_key for following in follows]
    in_language = {
        page.translation_key: page
        for page in ActionPage.objects.filter(
            translation_key__in=keys, locale__language_code=subscriber.language
        ).live()
    }
    for following in follows:
        following.page = in_language.get(following.action.translation_key, following.action)
    return follows
