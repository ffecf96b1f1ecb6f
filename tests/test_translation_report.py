"""Reports → Translations: each Dutch page with its English translation's state (none, draft, live, out of date),
its filters, counts, CSV export, links and who may see it."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import TranslationSource

from actions.models import ActionPage
from home.languages import translations
from home.languages.translation_state import TranslationState, source_pages, with_translation_state

State = TranslationState
REPORT = reverse("translation_report")


def translate(page, locale, publish):
    """`page` translated into `locale` through wagtail-localize (its Dutch text kept), published when `publish`."""
    source, _changed = translations.prepare(page, locale)
    return translations.save(source, locale, publish=publish, fallback=True)


def republish(page):
    page = Page.objects.get(pk=page.pk).specific
    page.title += " (bijgewerkt)"
    page.save_revision().publish()
    return page


@pytest.fixture
def four(tree, add_action, english):
    """Four actions, one per state: untranslated, a draft translation, a live one, and one behind its Dutch page."""
    untranslated, draft, live, behind = (add_action(number) for number in range(1, 5))
    translate(tree["home"], english, publish=True)
    translate(tree["index"], english, publish=True)
    translate(draft, english, publish=False)
    translate(live, english, publish=True)
    translate(behind, english, publish=True)
    republish(behind)  # a Dutch edit, published after the translation last synced
    return {State.NONE: untranslated, State.DRAFT: draft, State.LIVE: live, State.OUT_OF_DATE: behind}


def states(locale):
    return {page.pk: page.translation_state for page in with_translation_state(source_pages(), locale)}


def test_each_page_gets_its_translations_state(four, tree, english):
    found = states(english)
    assert {state: found[page.pk] for state, page in four.items()} == {state: state for state in four}
    assert found[tree["home"].pk] == found[tree["index"].pk] == State.LIVE


def test_a_sync_leaves_the_translation_out_of_date_until_it_is_published(four, english):
    behind = four[State.OUT_OF_DATE]
    source = TranslationSource.objects.get(object_id=behind.translation_key, locale=behind.locale)
    page = with_translation_state(source_pages(), english).get(pk=behind.pk)
    assert page.sync_due and page.synced_at < page.last_published_at
    source.update_from_db()  # what "Sync translated pages" does
    page = with_translation_state(source_pages(), english).get(pk=behind.pk)
    assert page.translation_state == State.OUT_OF_DATE and not page.sync_due  # synced text waits in the editor
    translations.save(source, english, publish=True, fallback=True)
    assert states(english)[behind.pk] == State.LIVE


def published_again(page, **fields):
    page = Page.objects.get(pk=page.pk).specific
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


@pytest.mark.by_database  # PostgreSQL gives StreamField content back with its keys in another order
def test_a_publish_that_changes_nothing_translated_leaves_the_translation_up_to_date(four, english):
    live = four[State.LIVE]
    published_again(live)  # the same text again
    published_again(live, go_live_at=None)  # what wagtail-localize neither translates nor synchronises
    assert states(english)[live.pk] == State.LIVE
    page = published_again(live, title=live.title + " (bijgewerkt)")
    assert states(english)[live.pk] == State.OUT_OF_DATE
    published_again(page, title=live.title)  # back to the text the translation was made from
    assert states(english)[live.pk] == State.LIVE


def test_a_change_to_a_synchronised_field_makes_the_translation_out_of_date(four, english):
    """The status is copied, not translated: the English page shows the old one until a sync."""
    live = four[State.LIVE]
    other = next(value for value, _label in ActionPage.Status.choices if value != live.status)
    published_again(live, status=other)
    assert states(english)[live.pk] == State.OUT_OF_DATE


def test_a_translation_made_without_wagtail_localize_counts_as_live(tree, add_action, english):
    action = add_action(1)
    action.copy_for_translation(english, copy_parents=True).save_revision().publish()
    assert states(english)[action.pk] == State.LIVE


def make_editor(django_user_model, username, page_permission=None, localize=False):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    group = Group.objects.create(name=f"Editors {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if localize:
        group.permissions.add(Permission.objects.get(codename="submit_translation"))
    if page_permission:
        GroupPagePermission.objects.create(
            group=group, page=Page.get_first_root_node(), permission=Permission.objects.get(codename=page_permission)
        )
    user.groups.add(group)
    UserProfile.objects.filter(user=UserProfile.get_for_user(user).user).update(preferred_language="en")
    return user


@pytest.fixture
def translator(django_user_model, client):
    client.force_login(make_editor(django_user_model, "translator", "change_page", localize=True))
    return client


def rows(response):
    return {page.pk: page for page in response.context["object_list"]}


def test_the_report_shows_each_state_with_its_dates_and_links(four, translator):
    response = translator.get(REPORT)
    assert response.status_code == 200
    found = rows(response)
    none, draft, live, behind = (found[four[state].pk] for state in four)
    assert none.state_label == "Not translated" and none.translation_date is None
    assert none.links == [("Translate", reverse("wagtail_localize:submit_page_translation", args=[none.pk]))]
    assert draft.state_label == "Draft" and draft.translation_date == draft.translation_updated_at
    edit_draft = reverse("wagtailadmin_pages:edit", args=[draft.translation_id])
    assert draft.links == [("Edit and publish translation", edit_draft)]
    assert live.state_label == "Live" and live.translation_date == live.translation_published_at
    assert [label for label, _url in live.links] == ["Edit translation"]
    assert behind.state_label == "Live, out of date"
    (sync_label, sync_url), _edit = behind.links
    assert sync_label == "Sync translation"
    assert sync_url.startswith(reverse("wagtail_localize:update_translations", args=[behind.source_id]) + "?next=")
    html = response.content.decode()
    assert sync_url.replace("&", "&amp;") in html and "Live, out of date" in html


def test_the_counts_at_the_top_follow_the_type_filter_not_the_state_filter(four, tree, translator):
    counts = {row["state"]: row["count"] for row in translator.get(REPORT).context["state_counts"]}
    assert counts == {State.NONE: 1, State.DRAFT: 1, State.LIVE: 3, State.OUT_OF_DATE: 1}
    response = translator.get(REPORT, {"translation_state": State.LIVE})
    assert set(rows(response)) == {four[State.LIVE].pk, tree["home"].pk, tree["index"].pk}
    assert {row["state"]: row["count"] for row in response.context["state_counts"]} == counts
    action_type = ActionPage.objects.first().content_type_id
    response = translator.get(REPORT, {"content_type": action_type, "translation_state": State.LIVE})
    assert set(rows(response)) == {four[State.LIVE].pk}
    counts = {row["state"]: row["count"] for row in response.context["state_counts"]}
    assert counts == {State.NONE: 1, State.DRAFT: 1, State.LIVE: 1, State.OUT_OF_DATE: 1}


def test_the_results_fragment_carries_the_counts(four, translator):
    html = translator.get(reverse("translation_report_results"), {"translation_state": State.DRAFT}).content.decode()
    assert 'data-state="draft">1<' in html and four[State.DRAFT].title in html


def test_the_csv_export_lists_every_page_and_holds_no_formulas(four, translator):
    page = Page.objects.get(pk=four[State.NONE].pk).specific
    page.title = '=HYPERLINK("https://example.org")'
    page.save_revision().publish()
    response = translator.get(REPORT, {"export": "csv"})
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0] == ["Page", "Type", "Published", "Translation", "Translation updated", "Last synced"]
    by_title = {row[0]: row for row in table[1:]}
    assert len(by_title) == 6
    assert by_title['\'=HYPERLINK("https://example.org")'][1:4:2] == ["Action", "Not translated"]
    assert by_title[four[State.OUT_OF_DATE].title + " (bijgewerkt)"][3] == "Live, out of date"


def test_the_report_costs_the_same_queries_for_many_pages(
    tree, add_action, english, translator, django_assert_max_num_queries
):
    translate(tree["home"], english, publish=True)
    translate(tree["index"], english, publish=True)
    for number in range(1, 4):
        translate(add_action(number), english, publish=number % 2 == 0)
    with django_assert_max_num_queries(40) as few:
        translator.get(REPORT)
    for number in range(4, 16):
        translate(add_action(number), english, publish=number % 2 == 0)
        republish(add_action(number + 100))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(translator.get(REPORT))) == 2 + 15 + 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        translator.get(REPORT, {"export": "csv"})


def test_only_editors_who_may_see_reports_see_it(four, client, django_user_model):
    client.force_login(make_editor(django_user_model, "reader"))
    assert client.get(REPORT)["Location"] == "/admin/"
    assert REPORT not in client.get("/admin/").content.decode()
    client.force_login(make_editor(django_user_model, "writer", "change_page"))
    response = client.get(REPORT)
    assert response.status_code == 200
    translate_url = reverse("wagtail_localize:submit_page_translation", args=[four[State.NONE].pk])
    assert translate_url not in response.content.decode()  # no wagtail-localize permission: no Translate link


def test_the_reports_menu_has_one_translations_item_ours(translator):
    html = translator.get("/admin/").content.decode()
    assert REPORT in html and reverse("wagtail_localize:translations_report") not in html
