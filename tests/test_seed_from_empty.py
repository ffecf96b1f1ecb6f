"""Loading the seed into a site that has only what Wagtail's migrations made (these tests need no `seeded`)."""

from django.core.management import call_command
from wagtail.models import Page


def test_seed_replaces_wagtails_welcome_page(load_seed):
    assert Page.objects.filter(depth=2, content_type__model="page").exists()
    load_seed()
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()


def test_command_reports_and_is_repeatable(db, capsys):
    call_command("load_seed_content")
    assert "created ActionPage 'Politieke agendering'" in capsys.readouterr().out
    call_command("load_seed_content")
    assert capsys.readouterr().out.strip() == "Seed content is loaded."
