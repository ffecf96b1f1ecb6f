"""A page translated in wagtail-localize's editor gets a slug from its translated title, unless the editor sets one."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation

from actions.models import ActionIndexPage, ActionPage


@pytest.fixture
def translate(seeded, admin_client, django_capture_on_commit_callbacks):
    """Translates a new Dutch action in the admin as an editor would: submit it for translation, fill in
    segments in the translation editor, publish. Returns the published English page."""
    page = ActionPage(
        title="Vertaaltest voor de slug",
        slug="vertaaltest-voor-de-slug",
        number=8,
        summary="Nog niet vertaald.",
        body='[{"type": "paragraph", "value": "<p>Alleen in het Nederlands.</p>"}]',
    )
    ActionIndexPage.objects.get(locale__language_code="nl").add_child(instance=page)
    page.save_revision().publish()
    english = Locale.objects.get(language_code="en")
    submit = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(submit, {"locales": [english.pk]}).status_code == 302
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale=english)

    def fill_in_and_publish(*segments):
        for path, value in segments:
            segment = StringSegment.objects.get(source=translation.source, context__path=path)
            url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
            response = admin_client.put(url, urlencode({"value": value}), "application/x-www-form-urlencoded")
            assert response.status_code in (200, 201), response.content
        target = page.get_translation(english)
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[target.pk]), {"action": "publish"})
        assert response.status_code == 302
        target.refresh_from_db()
        assert target.live
        return target

    return fill_in_and_publish


def test_the_english_slug_follows_the_translated_title(translate, client):
    page = translate(("title", "Translation test for the slug"))
    assert page.slug == "translation-test-for-the-slug"
    assert page.url == "/en/actions-and-interventions/translation-test-for-the-slug/"
    assert client.get(page.url).status_code == 200


@pytest.mark.parametrize(
    "segments",
    [
        [("title", "Translation test"), ("slug", "my-own-slug")],
        [("slug", "my-own-slug"), ("title", "Translation test")],
    ],
    ids=["slug after title", "slug before title"],
)
def test_a_slug_the_editor_typed_wins(translate, segments):
    assert translate(*segments).slug == "my-own-slug"


def test_a_title_changed_later_renames_a_slug_nobody_typed(translate):
    translate(("title", "First title"))
    assert translate(("title", "Second title")).slug == "second-title"


def test_the_slug_is_unique_among_its_english_siblings(translate):
    sibling = ActionPage.objects.filter(locale__language_code="en").first()
    page = translate(("title", sibling.slug.replace("-", " ")))
    assert page.slug != sibling.slug and page.slug.startswith(sibling.slug)
