"""The send screen's translation check: per action item and language, whether the readers get a live, up-to-date
translation of the action page; a language where they would not is flagged, and sending takes an explicit tick."""

from wagtail.models import Locale

from actions.models import ActionPage
from home.languages import translations
from home.languages.translation_state import TranslationState
from newsletter.models import Mailing
from tests.newsletter.test_send_admin import send_url
from tests.newsletter.test_send_admin import sender as sender  # a fixture: a client signed in as a sender

State = TranslationState


def english_states(response):
    """{action title: state} in the English column of the check."""
    check = response.context["translation_check"]
    (english,) = [index for index, language in enumerate(check.languages) if language["name"] == "English"]
    return {item["title"]: item["states"][english] for item in check.items}


def translate_third(actions, publish):
    """The third action (untranslated in the fixture) translated through wagtail-localize."""
    source, _changed = translations.prepare(actions["nl"][2], Locale.objects.get(language_code="en"))
    return translations.save(source, Locale.objects.get(language_code="en"), publish=publish, fallback=True)


def test_each_item_shows_its_english_page_state_and_the_missing_one_is_flagged(editions, subscribers, sender):
    response = sender.get(send_url(editions["nl"]))
    assert english_states(response) == {
        "Vakmanschap zichtbaar maken": State.LIVE,
        "Leren van elkaar": State.LIVE,
        "Zonder nieuws": State.NONE,
    }
    html = response.content.decode()
    assert "English: 1 action item leads to a page that is not translated" in html
    assert 'name="despite_translations"' in html


def test_without_the_tick_the_sending_is_refused(editions, subscribers, sender):
    response = sender.post(send_url(editions["nl"]), {"send_at": ""})
    assert response.status_code == 200 and Mailing.objects.count() == 0
    assert list(response.context["form"].errors) == ["despite_translations"]
    assert "Tick this to send with the translations as they are." in response.content.decode()
    response = sender.post(send_url(editions["nl"]), {"send_at": "", "despite_translations": "on"})
    assert response.status_code == 302 and Mailing.objects.count() == 1


def test_one_untranslated_action_asks_one_tick(editions, subscribers, sender):
    """The preflight still reports the English item's link to the untranslated action, but its tick is this one."""
    response = sender.get(send_url(editions["nl"]))
    html = response.content.decode()
    assert "which is in Nederlands: it has no translation yet." in html
    assert 'name="despite_translations"' in html and 'name="preflight_seen"' not in html


def test_another_warning_still_asks_the_preflights_tick(editions, subscribers, sender):
    english = editions["en"]
    english.preheader = ""
    english.save_revision().publish()
    response = sender.post(send_url(editions["nl"]), {"send_at": "", "despite_translations": "on"})
    assert list(response.context["form"].errors) == ["preflight_seen"] and not Mailing.objects.exists()


def test_a_draft_and_an_out_of_date_translation_are_flagged_too(editions, subscribers, sender, actions, publish):
    translate_third(actions, publish=False)
    assert english_states(sender.get(send_url(editions["nl"])))["Zonder nieuws"] == State.DRAFT
    translate_third(actions, publish=True)
    # A Dutch edit published after the translation last synced.
    third = ActionPage.objects.get(pk=actions["nl"][2].pk)
    third.title = "Zonder nieuws, bijgewerkt"
    third.save_revision().publish()
    response = sender.get(send_url(editions["nl"]))
    assert english_states(response)["Zonder nieuws, bijgewerkt"] == State.OUT_OF_DATE
    assert 'name="despite_translations"' in response.content.decode()


def test_with_every_item_live_and_up_to_date_there_is_no_flag_and_no_tick(editions, subscribers, sender, actions):
    translate_third(actions, publish=True)
    response = sender.get(send_url(editions["nl"]))
    assert set(english_states(response).values()) == {State.LIVE}
    html = response.content.decode()
    assert "despite_translations" not in html and "data-stale-language" not in html
    assert sender.post(send_url(editions["nl"]), {"send_at": ""}).status_code == 302


def test_a_language_without_readers_is_not_flagged(editions, make_subscriber, sender):
    make_subscriber("ans@example.org", language="nl")
    response = sender.get(send_url(editions["nl"]))
    assert english_states(response)["Zonder nieuws"] == State.NONE  # shown, but nobody reads it
    assert "despite_translations" not in response.content.decode()


def test_an_english_edition_that_is_not_live_is_shown_in_the_check(editions, subscribers, sender):
    editions["en"].unpublish()
    response = sender.get(send_url(editions["nl"]))
    (english,) = response.context["translation_check"].languages
    assert not english["edition_live"]
    assert 'data-edition-live="false"' in response.content.decode()


def test_the_check_costs_the_same_queries_for_more_items(editions, subscribers, sender, django_assert_max_num_queries):
    with django_assert_max_num_queries(60) as few:
        sender.get(send_url(editions["nl"]))
    edition = editions["nl"]
    edition.items = [dict(block) for block in edition.items.raw_data] * 3
    edition.save_revision().publish()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(sender.get(send_url(editions["nl"])).context["translation_check"].items) == 9
