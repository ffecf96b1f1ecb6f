"""Dutch is the source tree; English is its translation through wagtail-localize."""

import re
from html.parser import HTMLParser

import polib
import pytest
from defusedxml.ElementTree import fromstring
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation, TranslationSource

from actions.models import ActionIndexPage, ActionPage
from home.models import ContentPage, HomePage, Partner
from newsletter.models import NewsletterIndexPage

PAGE_TYPES = [HomePage, ActionIndexPage, ActionPage, ContentPage, NewsletterIndexPage]


def dutch_pages():
    return [page.specific for page in Page.objects.filter(locale__language_code="nl", depth__gt=1).order_by("path")]


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag in {"a", "link"} and href:
            self.hrefs.append(href)


def internal_links(html):
    parser = Links()
    parser.feed(html)
    return {
        href.removeprefix("http://testserver").split("#")[0]
        for href in parser.hrefs
        if href.startswith(("/", "http://testserver/")) and not href.startswith("/static/")
    }


def add_untranslated_action(number=8):
    overview = ActionIndexPage.objects.get(locale__language_code="nl")
    page = ActionPage(
        title="Nieuwe actie zonder vertaling",
        slug="nieuwe-actie",
        number=number,
        summary="Nog niet vertaald.",
        body='[{"type": "paragraph", "value": "<p>Alleen in het Nederlands.</p>"}]',
    )
    overview.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_every_dutch_seed_page_has_a_live_english_translation(seeded, client):
    english = Locale.objects.get(language_code="en")
    pages = dutch_pages()
    assert {type(page) for page in pages} == set(PAGE_TYPES)
    for page in pages:
        translation = page.get_translation(english)
        assert translation.live and translation.title != page.title
        assert translation.url.startswith("/en/")
        html = html_of(client, translation.url)
        assert '<html lang="en">' in html
        assert translation.title in html
    assert ActionIndexPage.objects.get(locale=english).url == "/en/actions-and-interventions/"
    english_actions = ActionPage.objects.filter(locale=english).order_by("path")
    assert english_actions[0].url == (
        "/en/actions-and-interventions/mapping-the-dialogue-on-public-service-craftsmanship/"
    )
    assert "We are commissioning research" in html_of(client, english_actions[0].url)


def test_the_english_home_features_the_english_actions(seeded, client):
    html = html_of(client, "/en/")
    featured = html[html.index('id="featured-heading"') :]
    for number in (1, 4, 7):
        action = ActionPage.objects.get(locale__language_code="en", number=number)
        assert f'<a href="{action.url}">' in featured
    assert "Inventarisatie van de dialoog" not in featured


def test_english_partners_are_the_translated_snippets(seeded, client):
    un = Partner.objects.get(locale__language_code="en", name="United Nations")
    action = ActionPage.objects.get(locale__language_code="en", number=4)
    assert [block.value for block in action.partners] == [un]
    assert "United Nations" in html_of(client, action.url)


def test_switcher_and_hreflang_point_at_the_counterpart_for_every_page_type(seeded, client):
    english = Locale.objects.get(language_code="en")
    for dutch in dutch_pages():
        translation = dutch.get_translation(english)
        for page, other in [(dutch, translation), (translation, dutch)]:
            html = html_of(client, page.url)
            own, other_code = page.locale.language_code, other.locale.language_code
            assert f'<html lang="{own}">' in html
            assert f'<a href="{other.url}" lang="{other_code}" hreflang="{other_code}">' in html
            assert f'<link rel="alternate" hreflang="{own}" href="http://testserver{page.url}">' in html
            assert f'<link rel="alternate" hreflang="{other_code}" href="http://testserver{other.url}">' in html
            assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{dutch.url}">' in html


def test_a_page_without_translation_leads_to_the_other_home_with_a_notice(seeded, client):
    page = add_untranslated_action()
    html = html_of(client, page.url)
    assert '<a href="/en/?untranslated=1" lang="en" hreflang="en">' in html
    assert 'hreflang="en"' not in "".join(re.findall(r"<link [^>]+>", html))
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{page.url}">' in html
    notice = html_of(client, "/en/?untranslated=1")
    assert "has not been translated into this language yet" in notice
    assert "has not been translated" not in html_of(client, "/en/")


def test_a_draft_translation_counts_as_missing(seeded, client):
    english = ActionPage.objects.get(locale__language_code="en", number=3)
    english.unpublish()
    dutch = ActionPage.objects.get(locale__language_code="nl", number=3)
    assert '<a href="/en/?untranslated=1"' in html_of(client, dutch.url)


def test_no_link_anywhere_points_at_a_missing_page(seeded, client):
    add_untranslated_action()
    ActionPage.objects.get(locale__language_code="en", number=5).unpublish()
    seen, queue = set(), ["/", "/en/"]
    while queue:
        url = queue.pop()
        if url in seen or url.startswith(("/admin/", "/documents/")):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, f"{url} is linked but answers {response.status_code}"
        if response["Content-Type"].startswith("text/html"):
            queue.extend(internal_links(response.content.decode()) - seen)
    assert len(seen) >= 18


def test_translating_through_wagtail_localize_and_syncing_marks_the_translation_outdated(
    seeded, django_capture_on_commit_callbacks
):
    english = Locale.objects.get(language_code="en")
    page = add_untranslated_action()
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=english)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    assert page.get_translation(english).live

    seeded_action = ActionPage.objects.get(locale__language_code="nl", number=1)
    seeded_translation = Translation.objects.get(source__object_id=seeded_action.translation_key)
    total, translated = seeded_translation.get_progress()
    assert total == translated
    seeded_action.summary = "Een nieuwe samenvatting die nog vertaald moet worden."
    seeded_action.save_revision().publish()
    TranslationSource.update_or_create_from_instance(seeded_action)  # what "Sync translated pages" does first
    total, translated = seeded_translation.get_progress()
    assert translated == total - 1
    with override("en"):
        assert seeded_translation.get_status_display() == "Waiting for translations"


def test_sync_translated_pages_from_the_admin(seeded, admin_client):
    action = ActionPage.objects.get(locale__language_code="nl", number=2)
    source = TranslationSource.objects.get(object_id=action.translation_key, locale=action.locale)
    url = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert admin_client.get(url).status_code == 200
    action.summary = "Gewijzigd."
    action.save_revision().publish()
    assert admin_client.post(url, {}).status_code == 302
    source.refresh_from_db()
    assert "Gewijzigd." in source.content_json


def test_translate_in_the_admin_makes_an_english_draft_that_stays_off_the_site_until_published(
    seeded, admin_client, client, django_capture_on_commit_callbacks
):
    page = add_untranslated_action()
    english = Locale.objects.get(language_code="en")
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    assert admin_client.get(url).status_code == 200
    # wagtail-localize publishes on commit; running the commit callbacks is what a real request does.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"locales": [english.pk]})
    assert response.status_code == 302
    translation = page.get_translation(english)
    assert translation.title == page.title and not translation.live  # a draft for the translator
    assert admin_client.get(reverse("wagtailadmin_pages:edit", args=[translation.pk])).status_code == 200

    assert client.get(f"/en/actions-and-interventions/{translation.slug}/").status_code == 404
    assert page.title not in html_of(client, "/en/actions-and-interventions/")
    assert '<a href="/en/?untranslated=1" lang="en" hreflang="en">' in html_of(client, page.url)

    # "Sync translated pages" (without "Publish immediately") keeps it a draft as well.
    sync = reverse(
        "wagtail_localize:update_translations", args=[TranslationSource.objects.get(object_id=page.translation_key).pk]
    )
    page.title = "Nieuwe actie met een nieuwe titel"
    page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(sync, {}).status_code == 302
    translation.refresh_from_db()
    assert not translation.live

    # Publishing the translation is the translator's step; then the page is on the English site.
    with django_capture_on_commit_callbacks(execute=True):
        Translation.objects.get(source__object_id=page.translation_key).save_target(publish=True)
    translation.refresh_from_db()
    assert translation.live
    assert client.get(translation.url).status_code == 200


def test_sync_keeps_the_dutch_text_of_a_changed_page_off_the_live_english_page(
    seeded, admin_client, client, django_capture_on_commit_callbacks
):
    action = ActionPage.objects.get(locale__language_code="nl", number=2)
    english = ActionPage.objects.get(locale__language_code="en", number=2)
    source = TranslationSource.objects.get(object_id=action.translation_key, locale=action.locale)
    action.summary = "Een nieuwe samenvatting die nog vertaald moet worden."
    action.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtail_localize:update_translations", args=[source.pk]), {})
    assert response.status_code == 302
    html = html_of(client, english.url)
    assert "nog vertaald moet worden" not in html
    assert english.title in html


def test_po_export_and_import_round_trip_updates_the_english_page(
    seeded, admin_client, django_capture_on_commit_callbacks, tmp_path
):
    action = ActionPage.objects.get(locale__language_code="en", number=6)
    translation = Translation.objects.get(source__object_id=action.translation_key)
    download = admin_client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert download.status_code == 200
    po = polib.pofile(download.content.decode())
    title = next(entry for entry in po if entry.msgid == "Politieke agendering")
    assert title.msgstr == "Putting it on the political agenda"
    title.msgstr = "Placing it on the political agenda"
    upload = tmp_path / "action.po"
    po.save(str(upload))
    with open(upload, "rb") as file:
        response = admin_client.post(
            reverse("wagtail_localize:upload_pofile", args=[translation.pk]), {"file": file, "next": "/admin/"}
        )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    action.refresh_from_db()
    assert action.title == "Placing it on the political agenda"


def test_sitemap_lists_both_trees_with_alternates(seeded, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = fromstring(response.content).findall("s:url", namespaces)
    locations = [url.find("s:loc", namespaces).text for url in urls]
    live = Page.objects.live().filter(depth__gt=1)
    assert sorted(locations) == sorted(f"http://testserver{page.url}" for page in live)
    by_location = {url.find("s:loc", namespaces).text: url for url in urls}
    overview = by_location["http://testserver/en/actions-and-interventions/"]
    alternates = {link.get("hreflang"): link.get("href") for link in overview.findall("x:link", namespaces)}
    assert alternates == {
        "nl": "http://testserver/acties-en-interventies/",
        "en": "http://testserver/en/actions-and-interventions/",
        "x-default": "http://testserver/acties-en-interventies/",
    }


def test_sitemap_leaves_out_alternates_a_page_does_not_have(seeded, client):
    page = add_untranslated_action()
    sitemap = client.get("/sitemap.xml").content.decode()
    entry = sitemap[sitemap.index(f"<loc>http://testserver{page.url}</loc>") :].split("</url>")[0]
    assert "xhtml:link" not in entry


@pytest.mark.parametrize(("language", "dashboard_word"), [("nl", "Pagina's"), ("en", "Pages")])
def test_the_admin_speaks_each_editors_own_language(db, client, language, dashboard_word):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "secret-password")
    UserProfile.get_for_user(editor)
    UserProfile.objects.filter(user=editor).update(preferred_language=language)
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert re.search(rf'<html[^>]* lang="{language}"', html)
    assert dashboard_word in html
