import shutil

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, Revision, Site

from actions import seed
from actions.models import ActionIndexPage, ActionPage
from home.models import HomePage, Partner

SOURCE_TITLES = [
    "Inventarisatie van de dialoog rond ambtelijk vakmanschap",
    "De ambtenaar als professional",
    "Bundelen en versterken van verkiezingen in de publieke sector",
    "Public Service Day nationaal en internationaal positioneren",
    "Bouwen aan beeldvorming en beroepstrots",
    "Politieke agendering",
    "Platform O als verzamelplaats van ambtelijk vakmanschap",
]


def dutch_actions():
    return ActionPage.objects.filter(locale__language_code="nl").order_by("path")


def snapshot():
    return (
        list(Page.objects.order_by("path").values_list("path", "title", "live", "latest_revision_id")),
        Revision.objects.count(),
        Partner.objects.count(),
    )


def test_the_project_carries_the_source_text_verbatim():
    shared = seed.SEED_DIR.parents[2] / "shared" / "content" / "acties-en-interventies.nl.txt"
    if not shared.exists():
        pytest.skip("no ../shared beside this clone")
    assert seed.SOURCE_FILES["nl"].read_text() == shared.read_text()


def test_parser_reads_title_intro_actions_and_calls():
    text = seed.parse_source(seed.SOURCE_FILES["nl"])
    assert text.title == "Acties en interventies"
    assert [action.title for action in text.actions] == SOURCE_TITLES
    assert [action.number for action in text.actions] == list(range(1, 8))
    assert ("heading", "Waar zijn we mee bezig?") in text.intro
    assert text.contact_call.startswith("Wil je aansluiten bij één van onze activiteiten?")
    assert text.newsletter_call.startswith("Wil je alleen op de hoogte blijven")
    assert text.actions[5].summary == "De Nederlandse overheid behoort tot de beste van de wereld."


def test_parser_refuses_a_text_without_its_closing_calls(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text("Titel\n\nIntro.\n\n1. Actie\nTekst.\n", encoding="utf-8")
    with pytest.raises(seed.SeedError):
        seed.parse_source(broken)


def test_seed_builds_home_overview_and_all_seven_actions_in_order(seeded, client):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.locale.language_code == "nl"
    overview = ActionIndexPage.objects.get(locale__language_code="nl")
    assert overview.url == "/acties-en-interventies/"
    assert [page.title for page in dutch_actions()] == SOURCE_TITLES
    assert [page.number for page in dutch_actions()] == list(range(1, 8))
    assert all(page.live and page.url.startswith("/acties-en-interventies/") for page in dutch_actions())

    html = client.get("/acties-en-interventies/").content.decode()
    positions = [html.index(title) for title in SOURCE_TITLES]
    assert positions == sorted(positions), "the overview lists the actions in source order"
    assert "Waar zijn we mee bezig?" in html


def test_each_action_page_shows_its_full_text(seeded, client):
    source = seed.parse_source(seed.SOURCE_FILES["nl"])
    for action, page in zip(source.actions, dutch_actions(), strict=True):
        html = client.get(page.url).content.decode()
        assert action.text in html.replace("&#x27;", "'")


def test_partners_are_linked_to_the_actions_that_name_them(seeded):
    un = Partner.objects.get(locale__language_code="nl", name="Verenigde Naties")
    action_4 = dutch_actions().get(number=4)
    assert [block.value for block in action_4.partners] == [un]


def test_loading_twice_changes_nothing(seeded, load_seed):
    before = snapshot()
    load_seed()
    assert snapshot() == before


def test_loading_keeps_an_editors_changes_and_updates_its_own_pages(seeded, load_seed, tmp_path, monkeypatch):
    editor = get_user_model().objects.create_user("redacteur", password="x")
    edited = dutch_actions().get(number=2)
    edited.title = "Door de redactie herschreven"
    edited.save_revision(user=editor).publish()

    # A newer version of the source text changes the titles of actions 1 and 2.
    changed = tmp_path / "nl.txt"
    text = seed.SOURCE_FILES["nl"].read_text(encoding="utf-8")
    changed.write_text(
        text.replace("1. Inventarisatie van de dialoog", "1. Inventarisatie van het gesprek").replace(
            "2. De ambtenaar als professional", "2. De ambtenaar als vakmens"
        ),
        encoding="utf-8",
    )
    english = tmp_path / "en.txt"
    shutil.copy(seed.SOURCE_FILES["en"], english)
    monkeypatch.setattr(seed, "SOURCE_FILES", {"nl": changed, "en": english})
    Partner.objects.filter(name="Platform O").update(description="Door de redactie beschreven.")
    load_seed()

    assert dutch_actions().get(number=2).title == "Door de redactie herschreven"
    assert dutch_actions().get(number=1).title == "Inventarisatie van het gesprek rond ambtelijk vakmanschap"
    assert Partner.objects.get(locale__language_code="nl", name="Platform O").description == (
        "Door de redactie beschreven."
    )
    # The English translation follows the loader's own change and is untouched for the editor's.
    english = ActionPage.objects.filter(locale__language_code="en")
    assert english.get(number=1).title == "Mapping the dialogue on public service craftsmanship"
    assert english.get(number=2).title == "The civil servant as a professional"
