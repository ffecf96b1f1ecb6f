"""Whether publishing a source-language page changed what its translations are made from.

wagtail-localize keeps the source's content as it was last synced (TranslationSource.content_json). A publish that
leaves every field it translates or synchronises as it was then (a republish, a change to go-live dates) leaves the
translations up to date; any other publish makes them out of date from that moment (translation_state.py reads it).
"""

import json

from django.conf import settings
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import TranslationSource

from ..models import SourceChange


def note_source_change(sender, instance, **kwargs):
    """On page_published: when the page's translated content last changed, for a source page wagtail-localize has
    translated (the others have nothing to be out of date with)."""
    page = instance.specific
    if page.locale.language_code != settings.LANGUAGE_CODE:
        return
    source = TranslationSource.objects.filter(object_id=page.translation_key, locale_id=page.locale_id).first()
    if source is None:
        return
    changed = differs(page, json.loads(page.to_json()), json.loads(source.content_json))
    changed_at = page.last_published_at if changed else source.last_updated_at
    SourceChange.objects.update_or_create(page=page, defaults={"changed_at": changed_at})


def differs(page, now, synced):
    """Whether a field wagtail-localize translates or synchronises has another value now than when synced."""
    names = [field.field_name for field in get_translatable_fields(type(page))]
    return any(normalised(now.get(name)) != normalised(synced.get(name)) for name in names)


def normalised(value):
    """A serialised value with its StreamField content parsed: that is JSON text, whose keys the database may have
    put in another order (PostgreSQL's jsonb)."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return normalised(json.loads(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    return value
