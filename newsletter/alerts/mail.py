"""The mails that tell followers about progress updates: an alert (one update of one action) and the weekly digest
(every untold update of the actions a weekly follower follows), rendered as editions are (newsletter/rendering.py):
the action's own update blocks and templates in a mail layout, links made absolute, CSS inlined, the plain-text part
from the same HTML. Rendered once per copy, with the personal links left as their placeholders."""

from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from home.rendering import with_absolute_links

from ..models import MailingCopy
from ..rendering import RenderedEdition, plain_text


@dataclass(frozen=True)
class ActionNews:
    """An action page in the reader's language, and its updates to tell them (StructValues, oldest first)."""

    action: object  # actions.models.ActionPage, live
    updates: list


def render_news(news, language, kind):
    """The mail of `news` (ActionNews, in order) for `kind` "alert" or "digest" in `language`, its personal links
    (`preferences_url`, and an alert's `stop_url`) standing as MailingCopy placeholders."""
    with translation.override(language):
        if kind == "alert":
            subject = _("News on “%(title)s”") % {"title": news[0].action.title}
        else:
            subject = _("This week’s news on the actions you follow")
        context = {
            "subject": subject,
            "news": [{"action": item.action, "updates": item.updates} for item in news],
            "language": language,
            "site_url": settings.SITE_URL,
            "alert": kind == "alert",
            "preferences_url": MailingCopy.placeholder("preferences_url"),
            "stop_url": MailingCopy.placeholder("stop_url"),
        }
        html = with_absolute_links(render_to_string("newsletter/mail/follow_news.html", context))
    return RenderedEdition(subject=subject, html=css_inline.inline(html), text=plain_text(html))
