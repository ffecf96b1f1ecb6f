"""StreamField blocks shared by every page type (the ground floor: imports nothing of other apps)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

INTRO_FEATURES = ["bold", "italic", "link"]
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
        label=_("Level"),
        help_text=_("Pages start with the page title as h1; use h2 for sections and h3 within them."),
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "Waar zijn we mee bezig?", "level": "h2"}
        description = _("A heading that structures the text")
        label = _("Heading")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {"text": "Ambtelijk vakmanschap maakt het verschil.", "attribution": "Kernteam"}
        description = _("A quotation with its source")
        label = _("Quote")


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Link text"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an external address"), required=False)

    class Meta:
        icon = "link"
        template = "blocks/call_to_action_block.html"
        preview_value = {"text": "Lees meer over onze acties", "url": "https://example.org/"}
        description = _("A prominent link to a page or another site")
        label = _("Call to action")

    def clean(self, value):
        value = super().clean(value)
        if bool(value["page"]) == bool(value["url"]):
            raise blocks.StructBlockValidationError(
                non_block_errors=[_("Choose a page or enter an address, not both.")]
            )
        return value


class BaseStreamBlock(blocks.StreamBlock):
    """The body of every page type: text first, with a few structuring blocks."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>Het kernteam trekt nadrukkelijk op met partners binnen en buiten de overheid.</p>",
        description=_("Text with links and lists"),
        label=_("Paragraph"),
    )
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
