"""The preflight of an edition: every rule on each language's mail as the sending would freeze it."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from ..links import preferences_url
from ..rendering import SampleReader, render_edition
from .links import Links
from .rules import ERROR, RULES, WARNING, Mail, external_links, spam, spam_score

# SpamAssassin takes seconds: a mail's score is kept as long as the mail stays the same.
SPAM_CACHE_SECONDS = 24 * 60 * 60


@dataclass
class MailReport:
    language: str
    name: str  # the language's name
    subject: str
    findings: list = field(default_factory=list)
    external: list = field(default_factory=list)  # addresses on other sites
    spam_score: float | None = None

    @property
    def errors(self):
        return [finding for finding in self.findings if finding.level == ERROR]

    @property
    def warnings(self):
        return [finding for finding in self.findings if finding.level == WARNING]


@dataclass
class Report:
    mails: list  # a MailReport per language
    spam_checked: bool  # False: SpamAssassin is not installed (or was not asked)

    @property
    def errors(self):
        return [finding for mail in self.mails for finding in mail.errors]

    @property
    def warnings(self):
        return [finding for mail in self.mails for finding in mail.warnings]


def preflight(pages, with_spam=True):
    """The Report on `pages` (each a NewsletterPage, or a revision of one, in its own language).

    Each is rendered as the sending's frozen copy is (task.freeze: render_edition for a SampleReader). Without
    `with_spam` SpamAssassin is not run (starting a sending asks only whether there are errors).
    """
    names = dict(settings.LANGUAGES)
    mails, spam_checked, resolver = [], with_spam, Links()
    for page in pages:
        language = page.locale.language_code
        reader = SampleReader(language)
        mail = Mail(page, reader, resolver, render_edition(page, reader))
        report = MailReport(language, names.get(language, language), mail.rendered.subject)
        for rule in RULES:
            report.findings += rule(mail)
        report.external = external_links(mail)
        if with_spam:
            report.spam_score = cached_spam_score(mail)
            spam_checked = spam_checked and report.spam_score is not None
            report.findings += spam(report.spam_score)
        mails.append(report)
    return Report(mails, spam_checked)


def cached_spam_score(mail):
    # Keyed by the mail itself without the sample reader's own link (as task.freeze leaves it out), so the same mail
    # is scored once and an edited one again.
    content = mail.rendered.html.replace(preferences_url(mail.reader), "") + mail.rendered.subject
    key = "newsletter-preflight-spam-" + hashlib.sha256(content.encode()).hexdigest()
    score = cache.get(key)
    if score is None:
        score = spam_score(mail)
        if score is not None:
            cache.set(key, score, SPAM_CACHE_SECONDS)
    return score
