"""Every message the newsletter sends: the confirmation mails (of a subscription, of a follow), an edition to one
subscriber, the editor's test mail, and the frozen copy of a sending as handed to the mail provider."""

import re

from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.translation import gettext as _

from actions.models import ActionPage
from home.mail import template_mail

from .links import confirmation_language, confirmation_url, follow_confirmation_url, list_headers
from .models import MailingCopy, NewsletterIndexPage, Subscriber
from .rendering import SampleReader, render_edition

# The start of a tag of a template language like Brevo's ({{ … }}, {% … %}, {# … #}).
TEMPLATE_TAG = re.compile(r"\{(?=[{%#])")


class NoAddress(Exception):
    """The editor asking for a test mail has no address of their own."""


def newsletter_page_url(language):
    page = NewsletterIndexPage.objects.live().filter(locale__language_code=language).first()
    return page.full_url if page else settings.SITE_URL + "/"


def confirmation_message(subscriber):
    """The mail with the link to confirm, in the language of the request it answers."""
    language = confirmation_language(subscriber)
    context = {"confirm_url": confirmation_url(subscriber), "newsletter_url": newsletter_page_url(language)}
    return template_mail("newsletter/mail/confirm", context, language, subscriber.email)


def follow_confirmation_message(following, language):
    """The mail with the link to confirm following an action, naming it, in the language it was asked in."""
    action = following.action
    page = (
        ActionPage.objects.live()
        .filter(translation_key=action.translation_key, locale__language_code=language)
        .first()
    ) or action
    context = {
        "confirm_url": follow_confirmation_url(following, language),
        "action_title": page.title,
        "action_url": page.full_url,
        "weekly": following.requested_frequency == following.Frequency.WEEKLY,
    }
    return template_mail("newsletter/mail/follow_confirm", context, language, following.subscriber.email)


def edition_message(edition, subscriber, subject=None):
    """The e-mail of `edition` to `subscriber`, with their own unsubscribe link in the body and the headers."""
    rendered = render_edition(edition, subscriber)
    message = EmailMultiAlternatives(
        subject or rendered.subject, rendered.text, to=[subscriber.email], headers=list_headers(subscriber)
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def send_test(edition, user):
    """Mails `edition` as it stands (its latest draft) to the editor's own address, "test" in the subject."""
    if not user.email:
        raise NoAddress
    edition = edition.get_latest_revision_as_object()
    language = edition.locale.language_code
    reader = Subscriber.objects.filter(email__iexact=user.email).first() or SampleReader(language, user.email)
    with translation.override(language):
        subject = _("[Test] %(subject)s") % {"subject": edition.subject}
    message = edition_message(edition, reader, subject=subject)
    message.to = [user.email]
    message.send()
    return message


def copy_message(copy, links, to, headers, connection, literal=False):
    """A sending's frozen copy as a message, with `links` ({name: a URL or a merge field}) for its personal links
    (each stands in the copy as MailingCopy.placeholder(name)).

    With `literal` (for a provider that reads the message as a template, as Brevo does with merge data) braces the
    editor typed cannot open a tag: in HTML the brace becomes a character reference, in plain text a zero-width
    non-joiner separates it from the next character; readers see the same text.
    """
    subject, text, html = copy.subject, copy.text, copy.html
    if literal:
        subject, text = (TEMPLATE_TAG.sub("{\u200c", part) for part in (subject, text))
        html = TEMPLATE_TAG.sub("&#123;", html)
    for name, link in links.items():
        text, html = (part.replace(MailingCopy.placeholder(name), link) for part in (text, html))
    message = AnymailMessage(subject, text, to=to, headers=headers, connection=connection)
    message.attach_alternative(html, "text/html")
    return message
