"""The index fills and follows itself: from the seed loader, after `migrate`, and from the rebuild command."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models.signals import post_migrate
from wagtail.models import Locale, Page

from search.apps import SearchConfig
from search.models import SearchEntry, SearchText, SearchWord

# On SQLite too (make test): the index is built per database (PostgreSQL's vectors, SQLite's text only).
pytestmark = pytest.mark.by_database


def test_the_seeded_site_is_indexed_in_both_languages_by_publishing(seeded, client, results):
    live = Page.objects.live().filter(depth__gt=1)
    assert SearchEntry.objects.count() == live.count()
    english = Locale.objects.get(language_code="en")
    assert SearchEntry.objects.filter(locale=english).count() == live.filter(locale=english).count() > 0
    assert set(SearchEntry.objects.values_list("config", flat=True)) == {"dutch", "english"}
    assert "Politieke agendering" in results(client.get("/zoeken/", {"q": "agendering"}))


def test_an_index_that_is_empty_after_migrate_is_filled(seeded):
    SearchEntry.objects.all().delete()
    SearchWord.objects.all().delete()
    search = apps.get_app_config("search")
    # Not after undoing a migration: the table may have an older shape than the code writes.
    post_migrate.send(sender=SearchConfig, app_config=search, using="default", plan=[(None, True)])
    assert not SearchEntry.objects.exists()
    post_migrate.send(sender=SearchConfig, app_config=search, using="default", plan=[(None, False)])
    assert SearchEntry.objects.count() == SearchText.objects.count() == Page.objects.live().filter(depth__gt=1).count()
    assert SearchWord.objects.filter(word="verkiezingen").exists()


def test_the_rebuild_command_indexes_live_pages_only(seeded, capsys):
    page = Page.objects.live().filter(depth__gt=3).first()
    Page.objects.filter(pk=page.pk).update(live=False)  # behind the signals' back
    SearchText.objects.filter(pk=page.pk).update(title="stale")
    call_command("rebuild_search_entries")
    assert not SearchEntry.objects.filter(pk=page.pk).exists()
    assert SearchEntry.objects.count() == Page.objects.live().filter(depth__gt=1).count()
    assert "Indexed" in capsys.readouterr().out


def test_after_a_move_results_lead_to_the_new_place(add_page, bilingual, client, results):
    from actions.models import ActionIndexPage

    add_page("nl", "Vakmanschapsdag")
    archive = bilingual["home"].add_child(instance=ActionIndexPage(title="Archief", slug="archief"))
    bilingual["nl"].refresh_from_db()
    bilingual["nl"].move(archive, pos="last-child")
    item = client.get("/zoeken/", {"q": "vakmanschapsdag"}).context["items"][0]
    assert item["url"].startswith("/archief/acties-en-interventies/")
