"""What happens when the content changes or the site is deployed, connected from `HomeConfig.ready()`."""

from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail_localize.models import StringTranslation

from .languages.slugs import slug_follows_translated_title
from .languages.source_changes import note_source_change
from .models import Partner, SiteSettings, point_default_site_at_public_address
from .serving.page_cache import invalidate_page_cache


def after_deployment(**kwargs):
    """Every deployment migrates: the Wagtail Site follows a changed SITE_URL, and pages cached by the code before
    (other templates, other texts) are dropped."""
    point_default_site_at_public_address()
    invalidate_page_cache()


def invalidate_for_pages(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_page_cache()


def register_signal_handlers(app_config):
    post_migrate.connect(after_deployment, sender=app_config)

    # What visitors see changes: publishing (translations and scheduled publishing included), unpublishing,
    # moving or deleting a page, and the snippets and settings that pages show; and what the site shell
    # (home.serving.shell) keeps: the sites, the languages, which sections are private.
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate_page_cache, dispatch_uid=f"page-cache-{id(signal)}")
    post_delete.connect(invalidate_for_pages, dispatch_uid="page-cache-delete")
    for model in (Partner, SiteSettings, Site, Locale, PageViewRestriction):
        post_save.connect(invalidate_page_cache, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
        post_delete.connect(invalidate_page_cache, sender=model, dispatch_uid=f"page-cache-del-{model.__name__}")

    post_save.connect(slug_follows_translated_title, sender=StringTranslation, dispatch_uid="translated-slug")
    # Whether a publish left the translations of a source page up to date (home.languages.translation_state).
    page_published.connect(note_source_change, dispatch_uid="translation-source-change")
