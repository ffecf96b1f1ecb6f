"""The honest figures of a sending, per language: what became of its deliveries, from our own records and the mail
provider's tracking webhooks. Nothing is tracked to make them: no open pixels, no rewritten links.

- queued, sent, failed: the deliveries' own states;
- bounced, complained: what the provider's webhook reported of a delivery (`Delivery.feedback`, written by
  services.record_tracking_event);
- unsubscribed: recipients who left the list (their subscriber state, and when it changed) within
  UNSUBSCRIBED_WITHIN of receiving the edition. Nothing more is kept for it: whoever left and came back, or had
  everything about them erased, is no longer counted.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from ..models import Delivery, Subscriber

UNSUBSCRIBED_WITHIN = timedelta(days=7)

State = Delivery.State

# Each figure, as the admin names it and as the condition a delivery meets to count in it.
LABELS = {
    "queued": _("Queued"),
    "sent": _("Sent"),
    "failed": _("Failed"),
    "bounced": _("Bounced"),
    "complained": _("Complained"),
    "unsubscribed": _("Unsubscribed within 7 days"),
}
COUNTED = {
    "queued": Q(state__in=[State.PENDING, State.SENDING]),
    "sent": Q(state=State.SENT),
    "failed": Q(state=State.FAILED),
    "bounced": Q(feedback=Delivery.Feedback.BOUNCED),
    "complained": Q(feedback=Delivery.Feedback.COMPLAINED),
    "unsubscribed": Q(
        state=State.SENT,
        subscriber__state=Subscriber.State.UNSUBSCRIBED,
        subscriber__state_changed_at__gte=F("sent_at"),
        subscriber__state_changed_at__lt=F("sent_at") + UNSUBSCRIBED_WITHIN,
    ),
}


@dataclass
class Figures:
    """One language's figures of one sending (`language`: that of the copy its recipients got)."""

    language: str
    queued: int
    sent: int
    failed: int
    bounced: int
    complained: int
    unsubscribed: int

    @property
    def language_name(self):
        return dict(settings.LANGUAGES).get(self.language, self.language)

    @property
    def counts(self):
        """(name, number) of each figure, in the order of LABELS."""
        return [(name, getattr(self, name)) for name in LABELS]


def figures(mailing_ids):
    """{mailing id: [Figures per language, in the order of settings.LANGUAGES]} for the given mailings, in one
    query; a mailing without deliveries has none."""
    rows = (
        Delivery.objects.filter(mailing_id__in=mailing_ids)
        .values("mailing_id", "copy__language")
        .annotate(**{name: Count("pk", filter=condition) for name, condition in COUNTED.items()})
    )
    order = {code: position for position, (code, _name) in enumerate(settings.LANGUAGES)}
    found = {mailing_id: [] for mailing_id in mailing_ids}
    for row in sorted(rows, key=lambda row: order.get(row["copy__language"], len(order))):
        found[row["mailing_id"]].append(Figures(row["copy__language"], **{name: row[name] for name in LABELS}))
    return found
