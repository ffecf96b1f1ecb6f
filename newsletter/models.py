import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from actions.models import ActionPage
from home.blocks import BaseStreamBlock
from home.models import INTRO_FEATURES
from home.serving.shell import ViewRestrictionsFromShell, public

from .blocks import ActionItemBlock
from .feeds import EditionFeed
from .forms import SubscribeForm
from .rendering import preview_response


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


class TrackingEvent(models.Model):
    """A mail provider's event that was acted on, kept by its id so that a repeated delivery counts once."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=32)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.event_type} {self.event_id}"


class NewsletterIndexPage(RoutablePageMixin, ViewRestrictionsFromShell, Page):
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
    subpage_types = ["newsletter.NewsletterPage"]
    max_count_per_parent = 1
    editions_per_page = 12
    # The RSS feed of the editions (feeds.py) is a route of this page: <this page>/feed/. Drafting never gives an
    # edition this slug.
    feed_slug = "feed"

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
        # The archive: published editions, newest first; get_page() turns any ?page= into a valid page.
        context["editions"] = Paginator(self.published_editions(), self.editions_per_page).get_page(
            request.GET.get("page")
        )
        return context

    def published_editions(self):
        return public(NewsletterPage.objects.child_of(self).live()).order_by("-first_published_at", "-pk")

    def feed_url(self):
        return self.url + self.reverse_subpage("feed")

    @path(f"{feed_slug}/", name="feed")
    def feed(self, request):
        return EditionFeed()(request, index=self)


class NewsletterPage(ViewRestrictionsFromShell, Page):
    """An edition of the monthly newsletter: a web page in the archive, and the e-mail subscribers receive.

    Both are rendered from the same blocks and templates (see `newsletter/rendering.py` for the e-mail).
    """

    subject = models.CharField(_("subject"), max_length=150, help_text=_("The subject line of the e-mail."))
    preheader = models.CharField(
        _("preheader"),
        max_length=150,
        blank=True,
        help_text=_("One sentence that mail programs show after the subject, before the e-mail is opened."),
    )
    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    items = StreamField(
        [("action_item", ActionItemBlock())],
        blank=True,
        verbose_name=_("action items"),
        help_text=_("How the actions are doing; each item links back to its action."),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("more"))
    # When this edition went out to the subscribers of its language; empty while it has not been sent. Set by
    # the sending task (never by editors, never copied to a translation). Drafting goes by the updates a sending
    # told (ToldUpdate), not by this date: an update may be entered late with an earlier date.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []
    exclude_fields_in_copy = ["sent_at"]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("subject"), FieldPanel("preheader")], heading=_("E-mail")),
        FieldPanel("intro"),
        FieldPanel("items"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    # What the public search calls it and filters it by: a value of search.models.Kind.
    search_kind = "newsletter"

    class Meta:
        verbose_name = _("newsletter edition")
        verbose_name_plural = _("newsletter editions")

    @property
    def preview_modes(self):
        return [("", _("Web page")), ("email", _("E-mail")), ("text", _("E-mail as plain text"))]

    def serve_preview(self, request, mode_name):
        if mode_name in ("email", "text"):
            return preview_response(self, mode_name)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["action_items"] = self.action_items()
        index = self.get_parent()
        context["newsletter_index"] = index
        context["feed_url"] = f"{index.url}{NewsletterIndexPage.feed_slug}/"
        return context

    def action_items(self):
        """Each action item with its action page in this edition's language (live, else the chosen page).

        Two queries whatever the number of items: the chosen pages, then their translations.
        """
        blocks = list(self.items)
        chosen = [block.value["action"] for block in blocks]
        keys = [page.translation_key for page in chosen if page is not None]
        in_language = {
            page.translation_key: page
            for page in public(ActionPage.objects.live()).filter(locale_id=self.locale_id, translation_key__in=keys)
        }
        return [
            {"block": block, "action": in_language.get(page.translation_key, page) if page else None}
            for block, page in zip(blocks, chosen, strict=True)
        ]


# Sending -------------------------------------------------------------------------------------------------------


class Mailing(models.Model):
    """The sending of one edition (the Dutch page; English subscribers get its English translation) to everyone.

    One per edition: a second Send finds this one. `newsletter/delivery/` holds the rules.
    """

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        DONE = "done", _("Done")

    edition = models.OneToOneField(
        NewsletterPage, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="mailing"
    )
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

    def __str__(self):
        return str(self.edition)


class MailingCopy(models.Model):
    """Exactly what was sent in one language, frozen when sending started.

    The subscriber's own unsubscribe link stands as PERSONAL_LINK in `html` and `text`; each mail provider gets
    it in its own merge syntax (or each message its own link), so what is stored is what every subscriber read.
    """

    PERSONAL_LINK = "%%unsubscribe_url%%"

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="copies")
    page = models.ForeignKey(NewsletterPage, on_delete=models.PROTECT, related_name="+")
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
            models.UniqueConstraint(fields=["mailing", "language"], name="newsletter_mailingcopy_one_per_language")
        ]

    def __str__(self):
        return f"{self.mailing} ({self.language})"


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
