"""Subscriptions: subscribing, confirming, leaving, erasing, and the mail provider's bounces and complaints.

Views only translate HTTP into calls to these functions; nothing here reads a request. (The module keeps its name
because the confirmation task queued by `subscribe` is stored as "newsletter.services.send_confirmation_mail".)
"""

import logging
from datetime import timedelta

from anymail.signals import EventType, RejectReason
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail import hooks

from .links import LinkProblem, confirmation_key, unsubscribe_key
from .messages import confirmation_message
from .models import Delivery, Subscriber, TrackingEvent

logger = logging.getLogger(__name__)

# Change this whenever the consent sentence on the subscribe form changes: each subscriber keeps the version
# they agreed to, with the moment they did.
CONSENT_VERSION = "2026-11-28"
CONFIRMATION_MAIL_INTERVAL = timedelta(hours=1)

State = Subscriber.State


def subscriber_for_confirmation(token):
    """(subscriber, None) for a good link; (subscriber or None, links.LinkProblem) otherwise."""
    key, problem = confirmation_key(token)
    subscriber = Subscriber.objects.filter(key=key).first() if key else None
    return subscriber, (problem if subscriber else LinkProblem.INVALID)


def subscriber_for_unsubscribe(token):
    key = unsubscribe_key(token)
    return Subscriber.objects.filter(key=key).first() if key else None


def subscribe(email, language, now=None):
    """Records a request to subscribe and queues its confirmation mail. Returns nothing: the visitor sees the same
    answer whatever the address's state, and the request takes the same path for every address (one transaction
    that ends by queueing a task, no mail); the worker decides whether a mail goes out (send_confirmation_mail), so
    the time the answer takes tells nothing either.

    A new, unsubscribed or only following address becomes pending. The request (its time, consent version and
    language) is kept beside the consent on record and replaces it only when confirmed; confirmed, bounced and
    complained addresses are left as they are. `email` comes as the form cleans it
    (home.visitors.addresses.normalise: one spelling per mailbox).
    """
    now = now or timezone.now()
    request = {"requested_at": now, "requested_consent_version": CONSENT_VERSION, "requested_language": language}
    with transaction.atomic():
        subscriber, made = Subscriber.locked(
            email, language=language, state=State.PENDING, state_changed_at=now, **request
        )
        if subscriber is None:  # the same address, subscribed at the same moment by another request
            return
        if not made and subscriber.state in (State.PENDING, State.UNSUBSCRIBED, State.NOT_SUBSCRIBED):
            if subscriber.state != State.PENDING:
                subscriber.state, subscriber.state_changed_at = State.PENDING, now
            for name, value in request.items():
                setattr(subscriber, name, value)
            subscriber.save()
        # A task row in the same database: it commits, or not, with the request.
        send_confirmation_mail.enqueue(subscriber.pk)


@task(backend="newsletter", queue_name="newsletter")
def send_confirmation_mail(subscriber_id):
    """Mails a pending subscriber the link to confirm, in the language of their request, at most once per
    CONFIRMATION_MAIL_INTERVAL. Run by the newsletter's worker; returns whether a mail went out."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id, state=State.PENDING).first()
        if subscriber is None:  # confirmed, bounced, complained, unsubscribed or erased since: no mail
            return False
        if subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < CONFIRMATION_MAIL_INTERVAL:
            return False
        subscriber.confirmation_sent_at = now
        subscriber.save(update_fields=["confirmation_sent_at"])
    try:
        confirmation_message(subscriber).send()
    except Exception:
        # Nothing reaches the visitor, who had their answer long ago; the next request for the address retries.
        logger.exception("Could not send the confirmation mail to subscriber %s", subscriber.pk)
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=None)
        return False
    return True


def resend_confirmation(subscriber):
    """A new confirmation mail for a pending subscriber whose link expired (the task checks the state and the
    interval, as for a subscribe request)."""
    send_confirmation_mail.enqueue(subscriber.pk)


def confirm(subscriber, now=None):
    """Confirms a pending subscription. Returns whether the subscriber is now confirmed."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state == State.PENDING:
            subscriber.state, subscriber.state_changed_at = State.CONFIRMED, now or timezone.now()
            if subscriber.requested_at is not None:  # the request the link answers becomes the consent on record
                subscriber.consent_given_at = subscriber.requested_at
                subscriber.consent_version = subscriber.requested_consent_version
                subscriber.language = subscriber.requested_language
                subscriber.requested_at = None
                subscriber.requested_consent_version = subscriber.requested_language = ""
            subscriber.save()
    return subscriber.state == State.CONFIRMED


def unsubscribe(subscriber, now=None):
    """Stops all newsletter mail to this subscriber. Bounced and complained addresses keep that state."""
    updated = Subscriber.objects.filter(pk=subscriber.pk, state__in=[State.PENDING, State.CONFIRMED]).update(
        state=State.UNSUBSCRIBED, state_changed_at=now or timezone.now()
    )
    return bool(updated)


def erase(subscriber):
    """Deletes everything kept about this address: the subscription, and whatever the `erase_address` hooks keep
    of it elsewhere (the join requests sent from it: joining/ registers one without the newsletter naming it)."""
    with transaction.atomic():
        for erase_elsewhere in hooks.get_hooks("erase_address"):
            erase_elsewhere(subscriber.email)
        Subscriber.objects.filter(pk=subscriber.pk).delete()


# Postmark reports soft bounces as "bounced" too (with Type SoftBounce); those are temporary and stop nothing.
SOFT_BOUNCE_TYPES = {"SoftBounce", "Transient", "DnsError"}


def stopping_state(event):
    """The state an anymail tracking event puts its recipient in, or None when it changes nothing."""
    if event.event_type == EventType.COMPLAINED:
        return State.COMPLAINED
    if event.event_type == EventType.BOUNCED:
        esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
        return None if esp_event.get("Type") in SOFT_BOUNCE_TYPES else State.BOUNCED
    if event.event_type == EventType.REJECTED and event.reject_reason in (RejectReason.BOUNCED, RejectReason.INVALID):
        return State.BOUNCED
    return None


def record_tracking_event(event, now=None):
    """Acts on a hard bounce or complaint: no more mail to that address, and the delivery it reports on (by the
    provider's message id and the recipient: a provider may give one id to a message for many) counts it in its
    sending's figures. An event with a known id counts once."""
    state = stopping_state(event)
    if state is None or not event.recipient:
        return False
    with transaction.atomic():
        if event.event_id:
            _, created = TrackingEvent.objects.get_or_create(
                event_id=event.event_id, defaults={"event_type": event.event_type}
            )
            if not created:
                return False
        Subscriber.objects.filter(email__iexact=event.recipient).exclude(state=State.COMPLAINED).update(
            state=state, state_changed_at=now or timezone.now()
        )
        if event.message_id:
            Delivery.objects.filter(
                esp_message_id=event.message_id, subscriber__email__iexact=event.recipient
            ).exclude(feedback=Delivery.Feedback.COMPLAINED).update(feedback=Delivery.Feedback(state.value))
    return True
