import pytest
from wagtail.blocks import StructBlockValidationError

from actions.blocks import PartnerBlock, ProgressUpdateBlock
from home.blocks import BaseStreamBlock, CallToActionBlock
from home.models import Partner

# What each block's preview value must show once rendered: its text, in the element the block stands for.
PREVIEW_MARKUP = {
    "HeadingBlock": "<h2>Waar zijn we mee bezig?</h2>",
    "RichTextBlock": "<p>Het kernteam trekt nadrukkelijk op met partners binnen en buiten de overheid.</p>",
    "QuoteBlock": "<blockquote><p>Ambtelijk vakmanschap maakt het verschil.</p></blockquote>",
    "CallToActionBlock": '<a class="button" href="https://example.org/">Lees meer over onze acties</a>',
    "ProgressUpdateBlock": '<time datetime="2026-11-01">',
}


@pytest.mark.parametrize(
    "block",
    [*BaseStreamBlock().child_blocks.values(), ProgressUpdateBlock()],
    ids=lambda block: type(block).__name__,
)
def test_every_block_has_an_icon_a_template_and_a_preview_that_renders(db, block):
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert block.is_previewable
    assert PREVIEW_MARKUP[type(block).__name__] in block.render(block.get_preview_value())


def test_partner_block_renders_a_partner_with_its_link(db):
    partner = Partner.objects.create(name="Platform O", url="https://www.platformoverheid.nl/", description="Kennis.")
    html = PartnerBlock().render(partner)
    assert '<a href="https://www.platformoverheid.nl/">Platform O</a>' in html and "Kennis." in html


@pytest.mark.parametrize(
    "destination",
    [{"page": None, "url": ""}, {"page": "home", "url": "https://example.org/"}],
    ids=["neither", "both"],
)
def test_call_to_action_needs_exactly_one_destination(tree, destination):
    block = CallToActionBlock()
    page = tree["home"].pk if destination["page"] else None
    value = block.to_python({"text": "Lees", "page": page, "url": destination["url"]})
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


@pytest.mark.parametrize("destination", [{"page": "home"}, {"url": "https://example.org/"}], ids=["page", "url"])
def test_call_to_action_takes_a_page_or_an_address(tree, destination):
    block = CallToActionBlock()
    page = tree["home"].pk if "page" in destination else None
    value = block.to_python({"text": "Lees", "page": page, "url": destination.get("url", "")})
    assert block.clean(value)["text"] == "Lees"
