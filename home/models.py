from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import INTRO_FEATURES, BaseStreamBlock
from .serving.shell import ViewRestrictionsFromShell, public


def point_default_site_at_public_address(root_page=None):
    """Makes the default Wagtail Site answer to SITE_URL (and serve `root_page` when given).

    Page.full_url, and every link built without a request (mail, background tasks), comes from this Site.
    Wagtail derives the scheme from the port: 443 is https, anything else http.
    """
    address = urlsplit(settings.SITE_URL)
    hostname, port = address.hostname, address.port or (443 if address.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        if root_page is not None:
            Site.objects.create(hostname=hostname, port=port, root_page=root_page, is_default_site=True)
        return
    changed = (site.hostname, site.port) != (hostname, port) or (root_page and site.root_page_id != root_page.pk)
    if changed:
        site.hostname, site.port = hostname, port
        site.root_page = root_page or site.root_page
        site.save()


@register_setting(icon="mail")
class SiteSettings(BaseGenericSetting):
    contact_email = models.EmailField(
        _("contact e-mail address"),
        default="ambtelijkvakmanschap@example.org",
        help_text=_("Shown in the footer and wherever visitors are invited to get in touch."),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer of every page, in the visitor's language."),
    )

    panels = [FieldPanel("contact_email"), FieldPanel("accessibility_page")]

    class Meta:
        verbose_name = _("site settings")


@register_snippet
class Partner(TranslatableMixin, index.Indexed, models.Model):
    """An organisation the team works with; chosen on any number of actions."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("One or two sentences on who they are and what we do together.")
    )

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


class HomePage(ViewRestrictionsFromShell, Page):
    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, help_text=_("Who we are, in a few sentences."))
    featured_heading = models.CharField(_("featured actions heading"), max_length=120, blank=True)
    featured_actions = StreamField(
        [("action", blocks.PageChooserBlock(target_model="actions.ActionPage", label=_("Action")))],
        blank=True,
        verbose_name=_("featured actions"),
        help_text=_("The actions shown on the home page, in this order."),
    )
    newsletter_call = RichTextField(
        _("newsletter call"),
        features=INTRO_FEATURES,
        blank=True,
        help_text=_("Invites visitors to subscribe to the monthly newsletter."),
    )

    parent_page_types = ["wagtailcore.Page"]
    # Named as strings (no import): the apps built on this ground floor.
    subpage_types = ["actions.ActionIndexPage", "home.ContentPage", "newsletter.NewsletterIndexPage"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("featured_heading"),
        FieldPanel("featured_actions"),
        FieldPanel("newsletter_call"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("home page")

    @cached_property
    def featured(self):
        """The featured actions, live, in this page's language, in the editors' order; read by the template only
        where it renders them (not when a shared fragment brings them from the cache)."""
        # The chooser stores source-language pages; show their live versions in this page's language, in one query.
        keys = [block.value.translation_key for block in self.featured_actions if block.value]
        live = public(Page.objects.live()).filter(locale_id=self.locale_id, translation_key__in=keys)
        by_key = {page.translation_key: page for page in live.specific()}
        return [by_key[key] for key in keys if key in by_key]


class ContentPage(ViewRestrictionsFromShell, Page):
    """A page of text (the privacy statement, the accessibility statement): a title and the shared blocks."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("text"))

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("content page")


class SourceChange(models.Model):
    """When a source-language page's content last came to differ from the text its translations were synced from
    (home.languages.source_changes): what tells a translation out of date, rather than every publish of its source."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+")
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.page_id}: {self.changed_at}"
