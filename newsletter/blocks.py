"""The blocks of a newsletter edition. An action item renders the same on the web page and in the e-mail."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from actions.blocks import DatedUpdateBlock


class ActionItemBlock(blocks.StructBlock):
    """How one action is doing: its number and title come from the action page, the updates from the editor."""

    action = blocks.PageChooserBlock(target_model="actions.ActionPage", label=_("Action"))
    updates = blocks.ListBlock(DatedUpdateBlock(), label=_("Progress updates"), min_num=1)

    class Meta:
        icon = "date"
        template = "newsletter/blocks/action_item_block.html"
        label = _("Action item")
        description = _("An action, its progress since the previous edition and a link back to it")
        preview_value = {"updates": [{"date": "2026-11-01", "text": "<p>De inventarisatie is gestart.</p>"}]}
