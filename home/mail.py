"""Mail written from templates, in the reader's language: every message the site sends that is not an edition."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


def template_mail(template, context, language, to, reply_to=None, headers=None):
    """A plain-text and HTML message from `<template>_subject.txt`, `<template>.txt` and `<template>.html`, in
    `language` (e.g. template "newsletter/mail/confirm")."""
    with translation.override(language):
        context = {**context, "language": language, "site_url": settings.SITE_URL}
        # A subject is plain text: no HTML escaping (a name "Eve <b>&</b>" stays that), and on one line.
        subject_template = get_template(f"{template}_subject.txt").template
        subject = " ".join(subject_template.render(Context(context, autoescape=False)).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to], reply_to=reply_to, headers=headers)
    message.attach_alternative(html, "text/html")
    return message
