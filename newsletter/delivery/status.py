"""What a sending looks like, for the editor and for the worker: who gets an edition, and how far its sending is."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from wagtail.models import Locale

from ..models import Delivery, Mailing, NewsletterPage, Subscriber

State = Delivery.State


def source_edition(edition):
    """The edition in the source language (Dutch), whichever language's page was given."""
    if edition.locale.language_code == settings.LANGUAGE_CODE:
        return edition
    return edition.get_translation(Locale.get_default())


def mailing_for(edition):
    """The mailing of an edition (of any of its languages), or None when it was never sent."""
    return Mailing.objects.filter(edition=source_edition(edition)).first()


@dataclass
class Audience:
    """Who gets an edition: confirmed subscribers per language, and the live page each language would get."""

    counts: dict  # language code: number of confirmed subscribers
    pages: dict  # language code: the live edition in that language, or None

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def untranslated(self):
        """Languages with subscribers but no live edition of their own (they wait, or get the Dutch one)."""
        return [code for code, count in self.counts.items() if count and self.pages[code] is None]


def audience(edition):
    """Confirmed subscribers per language and whether each language's edition is live (two queries)."""
    edition = source_edition(edition)
    rows = Subscriber.objects.filter(state=Subscriber.State.CONFIRMED).values("language").annotate(n=Count("pk"))
    found = {row["language"]: row["n"] for row in rows}
    live = {
        page.locale.language_code: page
        for page in NewsletterPage.objects.live()
        .filter(translation_key=edition.translation_key)
        .select_related("locale")
    }
    languages = [code for code, _name in settings.LANGUAGES]
    return Audience(counts={code: found.get(code, 0) for code in languages}, pages={c: live.get(c) for c in languages})


@dataclass
class Progress:
    state: str  # Mailing.State
    counts: dict  # Delivery.State value: number of deliveries, e.g. counts["sent"]
    # Due but not started: a language's translation is not live yet (or no worker has taken it up yet).
    waiting: bool

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def done(self):
        """Deliveries that are finished one way or another: sent, failed, skipped or unknown."""
        return self.total - self.counts[State.PENDING] - self.counts[State.SENDING]

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else (100 if self.state == Mailing.State.DONE else 0)


def progress(mailing):
    """How far a mailing is: deliveries per state (one query)."""
    rows = Delivery.objects.filter(mailing=mailing).values("state").annotate(n=Count("pk"))
    counts = dict.fromkeys(State.values, 0) | {row["state"]: row["n"] for row in rows}
    waiting = mailing.state == Mailing.State.SCHEDULED and mailing.send_at <= timezone.now()
    return Progress(state=mailing.state, counts=counts, waiting=waiting)
