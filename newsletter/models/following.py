from django.db import models
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPage

from .subscribers import Subscriber


class Follow(models.Model):
    """One address following one action: alerts on its progress updates, as they happen or in a weekly digest.

    The action is always the Dutch source page; its translation_key reaches the English one. As for the newsletter,
    a request (requested_*) becomes the consent on record only when its confirmation link is used
    (newsletter.following.confirm_follow), since anyone can fill in the form for any address.
    """

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("As it happens")
        WEEKLY = "weekly", _("Weekly digest")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        STOPPED = "stopped", _("Stopped")

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="follows"
    )
    action = models.ForeignKey(ActionPage, verbose_name=_("action"), on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(
        _("how often"), max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"))
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=32, blank=True)
    requested_at = models.DateTimeField(_("follow requested"), null=True, blank=True)
    requested_frequency = models.CharField(
        _("requested frequency"), max_length=16, choices=Frequency.choices, blank=True
    )
    requested_consent_version = models.CharField(_("requested consent text version"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "action"], name="newsletter_follow_once_per_action")
        ]
        # The audience of an alert: the confirmed followers of one action at one frequency.
        indexes = [models.Index(fields=["action", "state", "frequency"], name="newsletter_follow_audience")]

    def __str__(self):
        return f"{self.subscriber} → {self.action_id}"
