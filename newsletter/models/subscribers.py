import uuid

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Subscriber(models.Model):
    """One address, with what the law asks to keep as proof of consent, and no more.

    `state` is the newsletter's: someone who only follows actions (models.Follow) is NOT_SUBSCRIBED, which no
    newsletter count, export or sending takes for a subscriber; BOUNCED and COMPLAINED stop every mail, alerts too.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")
        NOT_SUBSCRIBED = "not_subscribed", _("Not subscribed (follows actions only)")

    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    # A random key, signed into the personal links; the address itself never appears in a link.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"))
    confirmation_sent_at = models.DateTimeField(_("confirmation mail sent"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=32, blank=True)
    # The latest request to subscribe that is not confirmed yet. Anyone can fill in the form for any address, so a
    # request becomes the consent (and language) above only when its confirmation link is used (services.confirm).
    requested_at = models.DateTimeField(_("subscription requested"), null=True, blank=True)
    requested_language = models.CharField(
        _("requested language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    requested_consent_version = models.CharField(_("requested consent text version"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci_unique")]

    def __str__(self):
        return self.email

    @classmethod
    def locked(cls, email, **new):
        """(the subscriber of `email` with its row locked until the transaction ends, whether it was made now), made
        with the fields `new` when there is none; (None, False) when another request made it at this very moment
        (that one goes on, so this one has nothing to add). Call inside a transaction: a second request for the
        address waits until it ends."""
        subscriber = cls.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is not None:
            return subscriber, False
        try:
            with transaction.atomic():
                return cls.objects.create(email=email, **new), True
        except IntegrityError:
            return None, False

    def followed_actions(self):
        """What this address follows, for the admin's listing and export: "title (how often)", pending ones marked.

        Reads `follows` as fetched, so a listing that prefetches them (admin/subscribers.py) asks nothing more.
        """
        return "; ".join(
            f"{following.action.title} ({following.get_frequency_display()}"
            + (f", {following.get_state_display().lower()})" if following.state == following.State.PENDING else ")")
            for following in self.follows.all()
            if following.state != following.State.STOPPED
        )

    followed_actions.short_description = _("follows")


class TrackingEvent(models.Model):
    """A mail provider's event that was acted on, kept by its id so that a repeated delivery counts once."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=32)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.event_type} {self.event_id}"
