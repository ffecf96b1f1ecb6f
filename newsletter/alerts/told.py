"""What the followers of an action have been told of each of its progress updates, for the editors (two queries)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max

from ..models import Delivery, Mailing, Told


@dataclass
class UpdateTold:
    update_id: str
    date: date
    tell_followers: bool
    alerts: dict = field(default_factory=dict)  # language code: when its alert started (None: not yet)
    sent: int = 0  # followers it reached, by an alert or a digest
    last_sent: datetime | None = None


def told_updates(action):
    """Each update of `action` (the Dutch page), newest first: whether it was told, when, and to how many."""
    rows = {
        block.id: UpdateTold(block.id, block.value["date"], block.value["tell_followers"]) for block in action.updates
    }
    alerts = Mailing.objects.filter(kind=Mailing.Kind.ALERT, update_id__in=rows).values_list(
        "update_id", "language", "started_at"
    )
    for update_id, language, started_at in alerts:
        rows[update_id].alerts[language] = started_at
    reached = (
        Told.objects.filter(update_id__in=rows, delivery__state=Delivery.State.SENT)
        .values("update_id")
        .annotate(n=Count("pk"), last=Max("delivery__sent_at"))
    )
    for found in reached:
        row = rows[found["update_id"]]
        row.sent, row.last_sent = found["n"], found["last"]
    return sorted(rows.values(), key=lambda row: row.date, reverse=True)
