"""A page translated in wagtail-localize's editor gets a slug from its translated title.

wagtail-localize treats the slug as one more text segment: left untranslated, it falls back to the source's, and
the English page lives at /en/…/<Dutch slug>/. When a person translates the title, the slug segment gets the
slugified title as its translation (marked as a machine translation, which the editor shows as such), so it is
on the Promote tab to change and stays put when the page is synced later. A slug a person typed (or uploaded in a
PO file) is never touched; wagtail-localize keeps it unique among its siblings when it saves the page.
"""

from django.utils.text import slugify
from wagtail_localize.models import StringSegment, StringTranslation

from .translations import segment_translation, write_segment


def slug_follows_translated_title(sender, instance, **kwargs):
    """post_save of a StringTranslation."""
    if instance.last_translated_by_id is None or instance.context is None or instance.context.path != "title":
        return  # code (the seed loader, drafted editions) chooses its slugs itself
    slug = slugify(instance.data)
    segment = (
        StringSegment.objects.filter(context__object_id=instance.context.object_id, context__path="slug")
        .select_related("string", "context")
        .first()
    )
    if not slug or segment is None:
        return
    existing = segment_translation(segment, instance.locale)
    if existing is not None and not derived_from_title(existing):
        return
    machine = StringTranslation.TRANSLATION_TYPE_MACHINE
    write_segment(segment, instance.locale, slug, translation_type=machine, tool_name="")


def derived_from_title(translation):
    """Ours: a machine translation nobody made (people's own translations, and machine ones, name their user)."""
    machine = translation.translation_type == StringTranslation.TRANSLATION_TYPE_MACHINE
    return machine and translation.last_translated_by_id is None
