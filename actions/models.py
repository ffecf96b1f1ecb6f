from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import INTRO_FEATURES, BaseStreamBlock
from home.serving.shell import ViewRestrictionsFromShell, public

from .blocks import PartnerBlock, ProgressUpdateBlock


class ActionIndexPage(ViewRestrictionsFromShell, Page):
    """The overview "Acties en interventies": an introduction and the actions in the editors' order."""

    intro = RichTextField(_("introduction"), features=[*INTRO_FEATURES, "h2"], blank=True)
    contact_call = RichTextField(
        _("contact call"),
        features=INTRO_FEATURES,
        blank=True,
        help_text=_("Invites readers to join an action; the contact address from the site settings follows it."),
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = ["actions.ActionPage"]
    max_count_per_parent = 1
    actions_per_page = 20

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("contact_call")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("actions overview")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Sibling order in the page tree is the order editors chose in the admin.
        actions = public(ActionPage.objects.child_of(self).live(), request).order_by("path")
        # get_page() turns a missing, malformed or out-of-range ?page= into a valid page.
        context["actions"] = Paginator(actions, self.actions_per_page).get_page(request.GET.get("page"))
        return context


class ActionPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        number = cleaned_data.get("number")
        if number is None or self.parent_page is None:
            return cleaned_data
        siblings = ActionPage.objects.child_of(self.parent_page).exclude(pk=self.instance.pk)
        if siblings.filter(number=number).exists():
            self.add_error("number", _("Another action in this overview already has this number."))
        return cleaned_data


class ActionPage(ViewRestrictionsFromShell, Page):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("The action's number in the overview, as readers and the newsletter refer to it.")
    )
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences, shown in the overview and in search results.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ONGOING)
    body = StreamField(BaseStreamBlock(), verbose_name=_("text"))
    partners = StreamField(
        [("partner", PartnerBlock())], blank=True, verbose_name=_("partners"), help_text=_("Who we work with.")
    )
    updates = StreamField(
        [("update", ProgressUpdateBlock())],
        blank=True,
        verbose_name=_("progress updates"),
        help_text=_("How the action is doing; the newest date is shown first and reported in the newsletter."),
    )

    parent_page_types = ["actions.ActionIndexPage"]
    subpage_types = []
    base_form_class = ActionPageForm

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("number"), FieldPanel("status")], heading=_("Place and status")),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("partners"),
        FieldPanel("updates"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("status"),
    ]
    # What the public search calls it and filters it by: a value of search.models.Kind.
    search_kind = "action"

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A view that renders this page again (after a form on it was posted) passes extra context by name.
        context.update(kwargs)
        context["updates"] = sorted(
            (block.value for block in self.updates), key=lambda update: update["date"], reverse=True
        )
        return context
