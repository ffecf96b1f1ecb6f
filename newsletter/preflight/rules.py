"""The preflight's rules: each reads one language's mail as it would be frozen and returns its findings.

An error blocks the sending until it is fixed; a warning asks the editor to tick that they have seen it.
"""

from dataclasses import dataclass

from bs4 import BeautifulSoup
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from ..messages import TEMPLATE_TAG, edition_message
from ..rendering import SampleReader
from ..spam import spam_report
from .links import EXTERNAL, MISSING, Links

ERROR, WARNING = "error", "warning"

# Gmail shows "[Message clipped]" below this much HTML, and hides the rest (the unsubscribe link with it).
GMAIL_CLIP_BYTES = 102 * 1024
# RFC 5322's recommended line length; longer subjects are cut short in most inboxes.
SUBJECT_MAX = 78
# SpamAssassin's own default `required_score`: at or above it, its filter calls a mail spam.
SPAM_THRESHOLD = 5.0


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR or WARNING
    message: str
    # A link to a page with no translation in the mail's language: that page's translation_key (the send screen's
    # translation check may already have asked about it, admin/sending.py).
    untranslated: str = ""


@dataclass
class Mail:
    """One language's mail as it would be frozen: the page, and what render_edition made of it."""

    page: object  # the NewsletterPage (or the revision of it) rendered
    reader: SampleReader
    resolver: Links  # shared by the mails of one preflight
    rendered: object  # rendering.RenderedEdition

    @property
    def language(self):
        return self.page.locale.language_code

    @cached_property
    def soup(self):
        return BeautifulSoup(self.rendered.html, "html.parser")

    @cached_property
    def links(self):
        """Every distinct address the mail links to, in order ("#…" anchors inside the mail left out)."""
        found = (a["href"].strip() for a in self.soup.find_all("a", href=True))
        return list(dict.fromkeys(href for href in found if href and not href.startswith("#")))


def links(mail):
    """Every link to one of our pages leads to a live, public page in the mail's language."""
    findings = []
    names = dict(settings.LANGUAGES)
    for url in mail.links:
        found = mail.resolver.target(url)
        if found.kind == MISSING:
            findings.append(Finding(ERROR, _("The link to %(url)s leads to no page of this site.") % {"url": url}))
        elif found.page is not None:
            page, about = found.page, {"url": url, "title": found.page.title}
            if not page.live:
                findings.append(
                    Finding(ERROR, _("The link to %(url)s leads to “%(title)s”, which is not published.") % about)
                )
            elif not mail.resolver.is_public(page):
                findings.append(
                    Finding(ERROR, _("The link to %(url)s leads to “%(title)s”, which is private.") % about)
                )
            elif page.locale.language_code != mail.language:
                about["language"] = names.get(page.locale.language_code, page.locale.language_code)
                findings.append(other_language(page, mail.language, about))
    return findings


def other_language(page, language, about):
    """A link to a page in another language: an error where its translation is live (link that instead), a warning
    where there is none yet (as an edition's item does for an action that is not translated)."""
    if page.get_translations().live().filter(locale__language_code=language).exists():
        return Finding(
            ERROR,
            _("The link to %(url)s leads to “%(title)s”, which is in %(language)s: link its translation instead.")
            % about,
        )
    return Finding(
        WARNING,
        _("The link to %(url)s leads to “%(title)s”, which is in %(language)s: it has no translation yet.") % about,
        untranslated=str(page.translation_key),
    )


def external_links(mail):
    """The addresses on other sites, for the editor to glance at (never fetched: the preflight sends nothing out)."""
    return [url for url in mail.links if mail.resolver.target(url).kind == EXTERNAL and not url.startswith("mailto:")]


def images(mail):
    """Every image has alternative text; an empty one is right only for a decorative image."""
    findings = []
    for image in mail.soup.find_all("img"):
        source = image.get("src", "")
        if image.get("alt") is None:
            findings.append(Finding(ERROR, _("The image %(src)s has no alternative text.") % {"src": source}))
        elif not image["alt"].strip():
            message = _("The image %(src)s has empty alternative text: right only if it is decorative.")
            findings.append(Finding(WARNING, message % {"src": source}))
    return findings


def size(mail):
    """The HTML fits under Gmail's clipping limit."""
    size = len(mail.rendered.html.encode("utf-8"))
    if size < GMAIL_CLIP_BYTES:
        return []
    message = _(
        "The e-mail's HTML is %(size)d KB: Gmail clips mails over 102 KB, hiding their end and the unsubscribe link."
    )
    return [Finding(ERROR, message % {"size": round(size / 1024)})]


def subject_and_preheader(mail):
    """A subject that fits an inbox's line, and a preheader (else inboxes show the mail's first words)."""
    subject = mail.rendered.subject.strip()
    if not subject:
        return [Finding(ERROR, _("The e-mail has no subject."))]
    findings = []
    if len(subject) > SUBJECT_MAX:
        message = _("The subject has %(count)d characters; inboxes cut it short after about %(max)d.")
        findings.append(Finding(WARNING, message % {"count": len(subject), "max": SUBJECT_MAX}))
    if not mail.page.preheader.strip():
        findings.append(Finding(WARNING, _("The e-mail has no preheader: inboxes show its first words instead.")))
    return findings


def template_tags(mail):
    """Text a provider's template language would read as a tag ({{, {%, {#): the sender escapes it, but check."""
    texts = (mail.rendered.subject, mail.page.preheader, mail.rendered.text)
    tags = sorted({match.group(0) + text[match.end()] for text in texts for match in TEMPLATE_TAG.finditer(text)})
    if not tags:
        return []
    message = _(
        "The e-mail contains %(tags)s, which a mail provider's template language reads as a tag; it is sent "
        "escaped, but check that it is meant."
    )
    return [Finding(WARNING, message % {"tags": ", ".join(tags)})]


def spam_score(mail):
    """SpamAssassin's score of the mail as a subscriber gets it; None where SpamAssassin is not installed."""
    found = spam_report(edition_message(mail.page, mail.reader))
    return None if found is None else found[0]


def spam(score):
    if score is None or score < SPAM_THRESHOLD:
        return []
    message = _("SpamAssassin scores the e-mail %(score).1f: at %(threshold).0f or more, filters call it spam.")
    return [Finding(WARNING, message % {"score": score, "threshold": SPAM_THRESHOLD})]


# The rules that read the mail alone, in the order their findings are shown.
RULES = (subject_and_preheader, links, images, size, template_tags)
