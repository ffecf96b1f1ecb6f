import datetime

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class DatedUpdateBlock(blocks.StructBlock):
    """How the action is doing on a given date, as a newsletter edition reports it."""

    date = blocks.DateBlock(label=_("Date"))
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"], label=_("What happened"))

    class Meta:
        icon = "date"
        template = "actions/blocks/progress_update_block.html"
        preview_value = {"date": datetime.date(2026, 11, 1), "text": "<p>De inventarisatie is gestart.</p>"}
        description = _("A dated progress report")
        label = _("Progress update")


class ProgressUpdateBlock(DatedUpdateBlock):
    """A progress update on the action's page: the newsletter reports it, and its followers are told when it is
    published (unless the editor unticks that, for an update that only corrects another)."""

    tell_followers = blocks.BooleanBlock(
        required=False,
        default=True,
        label=_("Tell followers"),
        help_text=_("Mail this update to the people who follow this action when it is published."),
    )


class PartnerBlock(SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("home.Partner", **kwargs)

    class Meta:
        icon = "group"
        template = "actions/blocks/partner_block.html"
        description = _("An organisation we work with on this action")
        label = _("Partner")
