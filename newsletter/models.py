import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from actions.models import ActionPage
from home.models import INTRO_FEATURES

from .forms import SubscribeForm


class Subscriber(models.Model):
    """One address on the newsletter list, with what the law asks to keep as proof of consent, and no more."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")

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

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci_unique")]

    def __str__(self):
        return self.email


class TrackingEvent(models.Model):
    """A mail provider's event that was acted on, kept by its id so that a repeated delivery counts once."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=32)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.event_type} {self.event_id}"


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


class NewsletterIndexPage(Page):
    """The newsletter's page in one language: what it is, and the form to subscribe."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the consent sentence of the form."),
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("privacy_page")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("newsletter page")

    def get_context(self, request, *args, subscribe_form=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["form"] = subscribe_form or SubscribeForm(initial={"language": self.locale.language_code})
        # The chooser may hold the Dutch statement; show the one in this page's language where it exists.
        privacy = self.privacy_page.localized if self.privacy_page else None
        context["privacy_page"] = privacy if privacy and privacy.live else None
        return context
