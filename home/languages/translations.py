"""Writing translations through wagtail-localize from code: the seed, drafted editions, and translated slugs.

wagtail-localize keeps a translation as rows: the source object's TranslationSource (its text cut into segments), a
Translation record (what the admin's translation editor opens and syncs), one StringTranslation per translated
string segment, and the translated object it builds from those. Code that knows the translated text fills the same
rows a translator would, so the admin shows its work like anyone's and "Sync translated pages" keeps it.
"""

from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource


def prepare(instance, locale, update=True):
    """The TranslationSource of `instance` (brought up to date with it when `update`) and the Translation record
    into `locale`. Returns (source, whether the source is new or its text changed)."""
    if update:
        previous = TranslationSource.objects.filter(object_id=instance.translation_key, locale=instance.locale).first()
        source, _ = TranslationSource.update_or_create_from_instance(instance)
        changed = previous is None or previous.last_updated_at != source.last_updated_at
    else:
        source, changed = TranslationSource.get_or_create_from_instance(instance)
    Translation.objects.get_or_create(source=source, target_locale=locale)
    return source, changed


def write_segments(source, locale, text_for, **fields):
    """Each string segment of `source` gets the translation `text_for(segment)` gives (None leaves it as it is).

    `fields` are further StringTranslation fields (a machine translation's `translation_type`). Returns whether any
    segment had no translation before.
    """
    added = False
    for segment in source.stringsegment_set.select_related("string", "context"):
        text = text_for(segment)
        if text is not None:
            added = write_segment(segment, locale, text, **fields) or added
    return added


def write_segment(segment, locale, text, **fields):
    """The translation of one string segment into `locale`; returns whether it is new."""
    _, created = StringTranslation.objects.update_or_create(
        translation_of=segment.string, locale=locale, context=segment.context, defaults={"data": text, **fields}
    )
    return created


def segment_translation(segment, locale):
    """The segment's StringTranslation into `locale`, or None."""
    return StringTranslation.objects.filter(
        translation_of=segment.string, locale=locale, context=segment.context
    ).first()


def save(source, locale, *, publish, user=None, fallback=False):
    """The translated object made or updated from the segments' translations (an untranslated segment fails, or
    keeps the source's text with `fallback`), and published when `publish`. Returns it."""
    is_page = issubclass(source.specific_content_type.model_class(), Page)
    translated, _ = source.create_or_update_translation(
        locale, user=user, publish=publish and not is_page, fallback=fallback
    )
    if publish and is_page:
        # wagtail-localize publishes a translated page on commit, from an in-memory copy whose tree fields
        # (numchild) predate children added in the same transaction; publishing the saved draft from a fresh copy
        # keeps the tree intact, and works inside test transactions too.
        translated = Page.objects.get(pk=translated.pk).specific
        translated.get_latest_revision().publish()
    return translated
