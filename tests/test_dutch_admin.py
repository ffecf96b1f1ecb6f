"""The Dutch admin speaks Dutch wherever we wrote the words: every string of ours is in the Dutch catalogue."""

import io
import json
from html import unescape

import polib
import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, override
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.users.models import UserProfile

from home.blocks import BaseStreamBlock
from home.languages.catalogues import (
    KEYWORDS,
    dutch_catalogue_path,
    extract_catalogue,
    extract_django_template,
)

OWN_APPS = {"home", "actions", "newsletter", "search"}


@pytest.fixture
def dutch_editor(db, client, django_user_model):
    editor = django_user_model.objects.create_superuser("redacteur", "redacteur@example.org", "secret-password")
    UserProfile.get_for_user(editor)
    UserProfile.objects.filter(user=editor).update(preferred_language="nl")
    client.force_login(editor)
    return client


def test_extraction_reads_python_and_templates():
    extracted = {message.id for message in extract_catalogue()}
    assert "Call to action" in extracted  # a block label in home/blocks.py
    assert "Your e-mail preferences" in extracted  # {% translate %} in a template
    assert "What we send to %(email)s." in extracted  # {% blocktranslate %}


def test_extraction_reads_templates_indented_any_way():
    template = (
        "{% load i18n %}\n<ul>\n        <li>\n"
        "            {% if a %}<b>{% translate 'Deep' %}</b>{% endif %}\n"
        "      </li>\n   <li>{% blocktranslate %}Shallow {{ x }}{% endblocktranslate %}</li>\n</ul>\n"
    )
    found = extract_django_template(io.BytesIO(template.encode()), KEYWORDS, [], {})
    assert [message for _line, _function, message, _comments in found] == ["Deep", "Shallow %(x)s"]


def test_every_string_of_ours_is_translated_in_the_dutch_catalogue():
    dutch = polib.pofile(str(dutch_catalogue_path()))
    problems = []
    for message in extract_catalogue():
        if not message.id:
            continue
        msgid = message.id[0] if message.pluralizable else message.id
        entry = dutch.find(msgid, msgctxt=message.context)
        if entry is None:
            problems.append(f"missing: {msgid!r} ({message.locations[0][0]})")
        elif not entry.translated():
            problems.append(f"{'fuzzy' if entry.fuzzy else 'untranslated'}: {msgid!r}")
    assert not problems, "Run `make catalogues` and translate:\n" + "\n".join(problems)


def blocks_in(block, path):
    for name, child in getattr(block, "child_blocks", {}).items():
        yield f"{path}.{name}", child
        yield from blocks_in(child, f"{path}.{name}")
    if isinstance(block, blocks.ListBlock):
        yield from blocks_in(block.child_block, f"{path}.item")


def edited_models():
    """Our models editors fill in: the page types, snippets and settings with admin panels."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OWN_APPS and hasattr(model, "get_edit_handler") and model is not Page
    ]


def test_every_label_editors_see_is_marked_for_translation():
    """A label Wagtail or Django derives from a name ("call_to_action" → "Call to action") is never translated."""
    untranslatable = []
    for model in edited_models():
        assert isinstance(model._meta.verbose_name, Promise), model
        for field in model._meta.get_fields():
            if getattr(field, "model", None) is not model or not field.editable or field.auto_created:
                continue
            labels = {field.name: field.verbose_name}
            if field.help_text:
                labels[f"{field.name} help"] = field.help_text
            labels.update({f"{field.name} choice {value}": label for value, label in field.flatchoices})
            if isinstance(field, StreamField):
                labels.update({path: block.label for path, block in blocks_in(field.stream_block, field.name)})
                labels.update(
                    {
                        f"{path} choice {value}": label
                        for path, block in blocks_in(field.stream_block, field.name)
                        if isinstance(block, blocks.ChoiceBlock)
                        for value, label in block.field.choices
                    }
                )
            untranslatable += [
                f"{model.__name__}.{name}: {label!r}"
                for name, label in labels.items()
                if not isinstance(label, Promise)
            ]
    assert not untranslatable


def test_the_block_chooser_speaks_dutch(tree, dutch_editor):
    url = reverse("wagtailadmin_pages:add", args=["actions", "actionpage", tree["index"].pk])
    # The block definitions travel as JSON in an attribute of the editor's form.
    html = unescape(dutch_editor.get(url).content.decode())
    for english, dutch in [("Heading", "Kop"), ("Quote", "Citaat"), ("Call to action", "Opvallende link")]:
        assert json.dumps(dutch) in html
        assert json.dumps(english) not in html
    with override("nl"):
        labels = [str(block.label) for block in BaseStreamBlock().child_blocks.values()]
    assert labels == ["Kop", "Alinea", "Citaat", "Opvallende link"]


def test_the_translation_editors_publish_button_keeps_its_space(dutch_editor):
    """wagtail-localize's own Dutch catalogue has "Publiceer in" (no space) before the language name."""
    catalogue = dutch_editor.get(reverse("wagtail_localize:javascript_catalog")).content.decode()
    assert '"Publish in ": "Publiceer in "' in catalogue


def test_a_catalogue_compiled_in_a_running_process_takes_effect_at_once(settings, tmp_path):
    """The suite compiles the catalogues after Django has started (and has translated): no stale translations."""
    po_path = tmp_path / "nl" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]
    for dutch in ["Eerste versie", "Tweede versie"]:
        catalogue = polib.POFile()
        catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        catalogue.append(polib.POEntry(msgid="A string only this test translates", msgstr=dutch))
        catalogue.save(str(po_path))
        call_command("compile_catalogues", verbosity=0)
        with override("nl"):
            assert gettext("A string only this test translates") == dutch


def test_the_translation_report_and_its_menu_item_speak_dutch(tree, dutch_editor):
    html = dutch_editor.get(reverse("translation_report")).content.decode()
    for dutch in [
        "Vertalingen",
        "Niet vertaald",
        "Live, verouderd",
        "Vertaling bijgewerkt",
        "Volgende stap",
        "Vertaal",
    ]:
        assert dutch in html, dutch
    for english in ["Not translated", "Live, out of date", "Translation updated", "Next step", ">Translate<"]:
        assert english not in html, english
    assert "Vertalingen" in dutch_editor.get("/admin/").content.decode()
