from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPage


class JoinRequest(models.Model):
    """Someone asking to join an action. Saved before any mail is sent, so nothing is lost when mail fails."""

    class MailStatus(models.TextChoices):
        PENDING = "pending", _("Not sent yet")
        SENT = "sent", _("Sent to the team")
        FAILED = "failed", _("Sending failed")

    action = models.ForeignKey(
        ActionPage, verbose_name=_("action"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_title = models.CharField(_("action title"), max_length=255)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    message = models.TextField(_("message"), max_length=4000)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    mail_status = models.CharField(_("mail"), max_length=16, choices=MailStatus.choices, default=MailStatus.PENDING)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} – {self.action_title}"
