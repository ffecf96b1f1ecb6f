from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPage

from .pages import NewsletterPage
from .subscribers import Subscriber


class Mailing(models.Model):
    """One sending, of one of three kinds. An edition's (the Dutch page; English subscribers get its English
    translation) to every subscriber: one per edition, a second Send finds this one. An alert: one progress update
    of an action to the followers who want it as it happens, one per update and language. The weekly digest: every
    untold update to the weekly followers, one per week. `newsletter/delivery/` holds the rules.
    """

    class Kind(models.TextChoices):
        EDITION = "edition", _("Edition")
        ALERT = "alert", _("Alert")
        DIGEST = "digest", _("Weekly digest")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        DONE = "done", _("Done")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EDITION)
    edition = models.OneToOneField(
        NewsletterPage,
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailing",
    )
    # An alert's: the action (its Dutch page), the update's block id and the language of the followers it tells.
    action = models.ForeignKey(
        ActionPage, verbose_name=_("action"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    update_id = models.CharField(_("progress update"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    # A digest's: the Monday of its week.
    period = models.DateField(_("week of"), null=True, blank=True)
    # Only when the English translation is not live: without this choice the sending waits until it is.
    dutch_for_english = models.BooleanField(_("send the Dutch edition to English subscribers"), default=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SCHEDULED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    send_at = models.DateTimeField(_("send at"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written by whoever works on the sending, at least once a batch; a sending whose heartbeat is older than
    # NEWSLETTER_CLAIM_LEASE has lost its worker and is taken up again (see delivery/api.py's resume_stalled).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        default_permissions = ("view",)
        permissions = [("send_newsletter", _("Can send newsletter editions to the subscribers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["update_id", "language"],
                condition=Q(kind="alert"),
                name="newsletter_mailing_one_alert_per_update_and_language",
            ),
            models.UniqueConstraint(
                fields=["kind", "period"], condition=Q(period__isnull=False), name="newsletter_mailing_one_per_period"
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.ALERT:
            return f"{self.action} ({self.language}, {self.update_id})"
        if self.kind == self.Kind.DIGEST:
            return f"{self.get_kind_display()} {self.period}"
        return str(self.edition)


class MailingCopy(models.Model):
    """Exactly what was sent in one language (to one group of a digest's followers), frozen when sending started.

    The subscriber's own links stand as placeholders in `html` and `text` (an edition's unsubscribe link as
    PERSONAL_LINK; an alert's preference page and stop link; delivery/personal.py); each mail provider gets them in
    its own merge syntax (or each message its own links), so what is stored is what every subscriber read.
    """

    PERSONAL_LINK = "%%unsubscribe_url%%"

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="copies")
    # An edition's page; alerts and digests are made of action pages' updates (an alert keeps the page's revision).
    page = models.ForeignKey(NewsletterPage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A digest's followers with the same language and the same untold updates share a copy: its number among them.
    group = models.PositiveIntegerField(default=0)
    revision = models.ForeignKey("wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=255)
    html = models.TextField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent copy")
        verbose_name_plural = _("sent copies")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "language", "group"], name="newsletter_mailingcopy_one_per_language_and_group"
            )
        ]

    def __str__(self):
        return f"{self.mailing} ({self.language})"

    @staticmethod
    def placeholder(name):
        """How the personal link `name` stands in a frozen copy."""
        return f"%%{name}%%"


class Delivery(models.Model):
    """One subscriber's copy of one mailing (so of one edition): never two, under the unique constraint.

    pending → sending (claimed by a worker, handed to the mail provider) → sent | failed; pending → skipped when
    the subscriber left before their turn; sending → unknown when its worker died before recording the answer.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (left the list)")
        UNKNOWN = "unknown", _("Unknown (interrupted)")

    class Feedback(models.TextChoices):
        """What the mail provider's tracking webhook reported of a sent delivery (services.record_tracking_event)."""

        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")

    # The unique constraint below leads with the mailing: it serves as the mailing's index.
    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    # Erasing a subscriber erases their deliveries too.
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    # No index of its own: deliveries are only looked up by copy when a copy is deleted, which happens only with
    # its mailing, and every index is written again on each change of state.
    copy = models.ForeignKey(MailingCopy, on_delete=models.PROTECT, related_name="+", db_index=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    esp_message_id = models.CharField(_("message id at the mail provider"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The one thing kept of what happened after sending, for the sending's figures (delivery/figures.py): no opens,
    # no clicks, no times. A complaint outweighs a bounce. A default in the database too: the queue inserts rows in
    # SQL of its own.
    feedback = models.CharField(
        _("reported by the mail provider"), max_length=16, choices=Feedback.choices, blank=True, db_default=""
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "subscriber"], name="newsletter_delivery_once_per_subscriber")
        ]
        indexes = [
            # The queue: only pending rows, so that claiming and recording a row write no entry here.
            models.Index(fields=["mailing", "id"], condition=Q(state="pending"), name="newsletter_delivery_queue"),
        ]

    def __str__(self):
        return f"{self.mailing} → {self.subscriber_id}: {self.state}"


class ToldUpdate(models.Model):
    """A progress update (by its block id) that a sent edition has told: no later draft reports it again.

    Written when the sending starts (`told.record`), from the Dutch edition's action items. One per update, kept by
    the first sending that told it: an update whose text is corrected later keeps its block id, and is not news.
    """

    update_id = models.CharField(_("progress update"), max_length=255, unique=True)
    mailing = models.ForeignKey(Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="told")
    told_at = models.DateTimeField(_("told"))

    class Meta:
        verbose_name = _("told progress update")
        verbose_name_plural = _("told progress updates")

    def __str__(self):
        return self.update_id


class Told(models.Model):
    """A progress update (by its block id) told to one follower, by an alert or a digest: the exactly-once ledger.

    Written in the transaction that queues the delivery, with it; the unique constraint refuses a second telling
    whatever republishing, a second worker, a retry, a crash or a change of language or frequency does.
    """

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    update_id = models.CharField(_("progress update"), max_length=255)
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("told follower")
        verbose_name_plural = _("told followers")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "update_id"], name="newsletter_told_once_per_follower")
        ]
        # The editors' figures per update (alerts/told.py).
        indexes = [models.Index(fields=["update_id"], name="newsletter_told_update")]

    def __str__(self):
        return f"{self.update_id} → {self.subscriber_id}"


class ProviderPace(models.Model):
    """The mail provider's pace, one row that every worker shares (delivery/pace.py): in the database, as every
    worker already needs it and it holds a reservation atomically in each setting."""

    # Seconds since the epoch: no batch goes to the provider before this. Advanced by each reservation under
    # NEWSLETTER_MAX_RATE, and pushed on by the provider's rate-limit headers or a 429's Retry-After.
    next_slot = models.FloatField(default=0.0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"next slot at {self.next_slot:.3f}"
