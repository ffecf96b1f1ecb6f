"""Rendering an edition as e-mail: for a subscriber, for the sending's frozen copy, and for the editor's preview.

The e-mail is the edition's web content (the same blocks and templates) in a mail layout, with its links made
absolute, its CSS inlined by css-inline and its plain-text part converted from the same HTML by html2text.
Nothing here reads a request; every rendering carries its reader's own unsubscribe link.
"""

import uuid
from dataclasses import dataclass, field
from urllib.parse import urljoin

import css_inline
import html2text
from bs4 import BeautifulSoup
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from home.rendering import with_absolute_links

from .links import preferences_url


@dataclass(frozen=True)
class RenderedEdition:
    subject: str
    html: str
    text: str


@dataclass(frozen=True)
class SampleReader:
    """A reader who is no subscriber, for previews, test mails and the frozen copy: their links have the real form
    and lead nowhere."""

    language: str
    email: str = "voorbeeld@example.org"
    key: uuid.UUID = field(default_factory=uuid.uuid4)


def web_url(edition):
    """The edition's public address, or None while it is not published (a draft has no page to read yet)."""
    return urljoin(settings.SITE_URL + "/", edition.url) if edition.live else None


def render_edition(edition, reader):
    """The edition as `reader` (a subscriber or a SampleReader) receives it: subject, HTML with inlined CSS, and the
    plain-text part."""
    language = edition.locale.language_code
    with translation.override(language):
        context = {
            "page": edition,
            "action_items": edition.action_items(),
            "language": language,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": preferences_url(reader),
            "web_url": web_url(edition),
        }
        html = with_absolute_links(render_to_string("newsletter/mail/edition.html", context))
    return RenderedEdition(subject=edition.subject, html=css_inline.inline(html), text=plain_text(html))


def plain_text(html):
    """The readable plain-text part, from the same HTML as the HTML part (without the hidden preheader).

    Links become "text (address)" where they stand, so every address is whole and next to what it is about;
    lines are not wrapped (a wrapped address breaks), headings keep html2text's "#" marks.
    """
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.select(".preheader, title, style"):
        hidden.decompose()
    for link in soup.find_all("a", href=True):
        text = " ".join(link.get_text(" ").split())
        link.replace_with(text if text == link["href"] else f"{text} ({link['href']})")
    for element in soup.select("ul.update-list, li.update"):  # a list of dated updates reads as paragraphs
        element.name = "div"
    for heading in soup.find_all("h3"):
        heading.name = "p"
    converter = html2text.HTML2Text(bodywidth=0)
    converter.ignore_tables = True  # layout tables, not data
    converter.ignore_emphasis = True
    converter.ignore_links = True  # already written out above
    return converter.handle(str(soup)).strip() + "\n"


def preview_response(edition, mode):
    """The e-mail of an edition for the editor's preview: "email" (the HTML as it arrives) or "text"."""
    rendered = render_edition(edition, SampleReader(edition.locale.language_code))
    if mode == "text":
        return HttpResponse(rendered.text, content_type="text/plain; charset=utf-8")
    return HttpResponse(rendered.html)
