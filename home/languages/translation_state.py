"""How far a source (Dutch) page's translation into another language is: none, a draft, live, or live but out of date.

Computed in the database as annotations on a queryset of source pages, so a listing of any length costs one query
and can be filtered and counted by state. wagtail-localize keeps the source's text as it was last extracted in a
TranslationSource: "Translate" creates it and "Sync translated pages" (UpdateTranslationsView, through
TranslationSource.update_from_db) sets its `last_updated_at` to now. A translation is out of date when the source page
was published with other content after that (source_changes.py: a republish of the same content is no change), or
when the sync came after the translation was last published (the synced text waits in the translation editor until
someone publishes it). A translation made without wagtail-localize has no
TranslationSource: nothing tells whether it is behind, and it counts as live.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from ..models import SourceChange


class TranslationState(models.TextChoices):
    NONE = "none", _("Not translated")
    DRAFT = "draft", _("Draft")
    LIVE = "live", _("Live")
    OUT_OF_DATE = "out_of_date", _("Live, out of date")


def translation_locales():
    """The locales pages are translated into: every content language but the source's, in the settings' order."""
    codes = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    found = {locale.language_code: locale for locale in Locale.objects.filter(language_code__in=codes)}
    return [found[code] for code in codes if code in found]


def with_translation_state(pages, locale):
    """`pages` (in the source language) annotated with their translation into `locale`:

    `translation_id`, `translation_live`, `translation_published_at` and `translation_updated_at` (its latest
    revision), `source_id` and `synced_at` (its TranslationSource, for the sync link), `changed_at`, `sync_due` (the
    page was published with other content after the last sync) and `translation_state` (a TranslationState value).
    """
    translation = Page.objects.filter(translation_key=OuterRef("translation_key"), locale=locale)
    source = TranslationSource.objects.filter(object_id=OuterRef("translation_key"), locale_id=OuterRef("locale_id"))
    return pages.annotate(
        translation_id=Subquery(translation.values("pk")[:1]),
        translation_live=Subquery(translation.values("live")[:1]),
        translation_published_at=Subquery(translation.values("last_published_at")[:1]),
        translation_updated_at=Subquery(translation.values("latest_revision_created_at")[:1]),
        source_id=Subquery(source.values("pk")[:1]),
        synced_at=Subquery(source.values("last_updated_at")[:1]),
        # When the content last changed from what was synced (source_changes.py); before that was noted, every
        # publish counts as a change.
        changed_at=Coalesce(
            Subquery(SourceChange.objects.filter(page_id=OuterRef("pk")).values("changed_at")[:1]),
            F("last_published_at"),
        ),
    ).annotate(
        sync_due=Case(When(changed_at__gt=F("synced_at"), then=Value(True)), default=Value(False)),
        translation_state=Case(
            When(translation_id__isnull=True, then=Value(TranslationState.NONE)),
            When(translation_live=False, then=Value(TranslationState.DRAFT)),
            When(
                Q(changed_at__gt=F("synced_at")) | Q(synced_at__gt=F("translation_published_at")),
                then=Value(TranslationState.OUT_OF_DATE),
            ),
            default=Value(TranslationState.LIVE),
            output_field=models.CharField(),
        ),
    )


def source_pages():
    """Every page of the source-language tree but the tree's root."""
    return Page.objects.filter(locale__language_code=settings.LANGUAGE_CODE, depth__gt=1)
