from django.core.paginator import Paginator
from django.db import models
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

from ..blocks import ActionItemBlock
from ..feeds import EditionFeed
from ..forms import SubscribeForm
from ..rendering import preview_response


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
        context["privacy_page"] = self.privacy_statement()
        # The archive: published editions, newest first; get_page() turns any ?page= into a valid page.
        context["editions"] = Paginator(self.published_editions(), self.editions_per_page).get_page(
            request.GET.get("page")
        )
        return context

    def privacy_statement(self):
        """The statement the consent sentences link to (here and on the follow form), or None when it is not live.

        The chooser may hold the Dutch statement; this is the one in the active language where it exists.
        """
        privacy = self.privacy_page.localized if self.privacy_page else None
        return privacy if privacy and privacy.live else None

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
