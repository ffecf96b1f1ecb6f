import pytest
from django.test import RequestFactory
from django.views.defaults import server_error
from wagtail.blocks import StructBlockValidationError

from actions.blocks import PartnerBlock, ProgressUpdateBlock
from home.blocks import BaseStreamBlock, CallToActionBlock


@pytest.mark.parametrize(
    "block",
    [*BaseStreamBlock().child_blocks.values(), ProgressUpdateBlock()],
    ids=lambda block: type(block).__name__,
)
def test_every_block_has_an_icon_a_template_and_a_preview_that_renders(db, block):
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert block.is_previewable
    html = block.render(block.get_preview_value())
    assert html.strip().startswith("<")


def test_partner_block_renders_a_partner_with_its_link(db):
    from home.models import Partner

    partner = Partner.objects.create(name="Platform O", url="https://www.platformoverheid.nl/", description="Kennis.")
    html = PartnerBlock().render(partner)
    assert '<a href="https://www.platformoverheid.nl/">Platform O</a>' in html and "Kennis." in html


def test_call_to_action_needs_exactly_one_destination(db):
    block = CallToActionBlock()
    for value in [{"text": "Lees", "page": None, "url": ""}]:
        with pytest.raises(StructBlockValidationError):
            block.clean(block.to_python(value))
    assert block.clean(block.to_python({"text": "Lees", "page": None, "url": "https://example.org/"}))


def test_server_error_page_is_styled_and_bilingual():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Er ging iets mis</h1>" in html and "Something went wrong" in html
    assert "/static/css/site.css" in html
