"""The newsletter's business rules: subscribing, confirming, leaving, erasing, provider events, join requests.

Views only translate HTTP into calls to these functions; nothing here reads a request.
"""

import logging
from datetime import timedelta

from anymail.signals import EventType, RejectReason
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from home.models import SiteSettings

from .models import JoinRequest, NewsletterIndexPage, Subscriber, TrackingEvent

logger = logging.getLogger(__name__)

# Change this whenever the consent sentence on the subscribe form changes: each subscriber keeps the version
# they agreed to, with the moment they did.
CONSENT_VERSION = "2026-11-28"
CONFIRMATION_LINK_MAX_AGE = timedelta(days=7)
CONFIRMATION_MAIL_INTERVAL = timedelta(hours=1)
CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"

State = Subscriber.State


# Links ---------------------------------------------------------------------------------------------------------


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


def unsubscribe_url(subscriber):
    return absolute_url("newsletter:unsubscribe", subscriber.language, token=unsubscribe_token(subscriber))


def one_click_unsubscribe_url(subscriber):
    return absolute_url("newsletter:one_click", subscriber.language, token=unsubscribe_token(subscriber))


def list_unsubscribe_headers(subscriber):
    """RFC 2369 and RFC 8058 headers for every newsletter mail to this subscriber."""
    return {
        "List-Unsubscribe": f"<{one_click_unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


class LinkProblem:
    EXPIRED = "expired"
    INVALID = "invalid"


def subscriber_for_confirmation(token):
    """(subscriber, None) for a good link; (subscriber or None, LinkProblem) otherwise.

    An expired link still names its subscriber (its signature is good), so a new link can be offered.
    """
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        key = signer.unsign(token, max_age=CONFIRMATION_LINK_MAX_AGE)
        problem = None
    except signing.SignatureExpired:
        key = signer.unsign(token)
        problem = LinkProblem.EXPIRED
    except signing.BadSignature:
        return None, LinkProblem.INVALID
    subscriber = Subscriber.objects.filter(key=key).first()
    return subscriber, (problem if subscriber else LinkProblem.INVALID)


def subscriber_for_unsubscribe(token):
    try:
        key = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Subscriber.objects.filter(key=key).first()


# Mail ----------------------------------------------------------------------------------------------------------


def build_mail(template, context, language, to, reply_to=None, headers=None):
    """A plain-text and HTML message from `newsletter/mail/<template>{_subject.txt,.txt,.html}`, in `language`."""
    with translation.override(language):
        context = {**context, "language": language, "site_url": settings.SITE_URL}
        # A subject is plain text: no HTML escaping (a name "Eve <b>&</b>" stays that), and on one line.
        subject_template = get_template(f"newsletter/mail/{template}_subject.txt").template
        subject = " ".join(subject_template.render(Context(context, autoescape=False)).split())
        text = render_to_string(f"newsletter/mail/{template}.txt", context)
        html = render_to_string(f"newsletter/mail/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to], reply_to=reply_to, headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def newsletter_page_url(language):
    page = NewsletterIndexPage.objects.live().filter(locale__language_code=language).first()
    return page.full_url if page else settings.SITE_URL + "/"


# Subscribing ---------------------------------------------------------------------------------------------------


def subscribe(email, language, now=None):
    """Records a request to subscribe and queues its confirmation mail. Returns nothing: the visitor sees the same
    answer whatever the address's state, and the request takes the same path for every address (one transaction
    that ends by queueing a task, no mail); the worker decides whether a mail goes out (send_confirmation_mail), so
    the time the answer takes tells nothing either.

    A new or unsubscribed address becomes pending. The request (its time, consent version and language) is kept
    beside the consent on record and replaces it only when confirmed; confirmed, bounced and complained addresses
    are left as they are. `email` comes as the form cleans it (addresses.normalise: one spelling per mailbox).
    """
    now = now or timezone.now()
    request = {"requested_at": now, "requested_consent_version": CONSENT_VERSION, "requested_language": language}
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=email, language=language, state=State.PENDING, state_changed_at=now, **request
                    )
            except IntegrityError:  # the same address, subscribed at the same moment by another request
                return
        elif subscriber.state in (State.PENDING, State.UNSUBSCRIBED):
            if subscriber.state == State.UNSUBSCRIBED:
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
    language = confirmation_language(subscriber)
    context = {"confirm_url": confirmation_url(subscriber), "newsletter_url": newsletter_page_url(language)}
    try:
        build_mail("confirm", context, language, subscriber.email).send()
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
    """Deletes everything kept about this address: the subscription and any join requests sent from it."""
    with transaction.atomic():
        JoinRequest.objects.filter(email__iexact=subscriber.email).delete()
        Subscriber.objects.filter(pk=subscriber.pk).delete()


# Events from the mail provider ---------------------------------------------------------------------------------

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
    """Acts on a hard bounce or complaint: no more mail to that address. An event with a known id counts once."""
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
    return True


# Joining an action ---------------------------------------------------------------------------------------------


def submit_join_request(action, name, email, message, language):
    """Saves the request, then mails the team (Reply-To the person) and acknowledges it to the person.

    Returns the request; its mail_status says whether the team's mail went out.
    """
    request = JoinRequest.objects.create(
        action=action, action_title=action.title, name=name, email=email, message=message, language=language
    )
    # The name on one line: a line break in it must not make a line that looks like one of the mail's own ("E-mail
    # address: ..."). The form refuses such names; this holds for any caller.
    context = {"join_request": request, "name": " ".join(name.split()), "action_url": action.full_url}
    team_address = SiteSettings.load().contact_email
    try:
        build_mail("join_team", context, settings.LANGUAGE_CODE, team_address, reply_to=[email]).send()
    except Exception:
        logger.exception("Could not mail join request %s to the team", request.pk)
        request.mail_status = JoinRequest.MailStatus.FAILED
    else:
        request.mail_status = JoinRequest.MailStatus.SENT
        try:
            build_mail("join_ack", context, language, email, reply_to=[team_address]).send()
        except Exception:
            logger.exception("Could not acknowledge join request %s", request.pk)
    request.save(update_fields=["mail_status"])
    return request
