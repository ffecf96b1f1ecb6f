"""Keeps the public search index current as editors publish, unpublish, move, translate and delete pages.

Deleting needs no handler: index rows cascade with their page. Translations are indexed when they are published.
Connected by `register_signal_handlers()`, from the app's `ready()`, as Wagtail's contrib apps do.
"""

from django.db.models.signals import post_migrate
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import indexing
from .models import SearchEntry


def index_published_page(sender, instance, **kwargs):
    indexing.index_page(instance)


def remove_unpublished_page(sender, instance, **kwargs):
    indexing.remove_page(instance)


def reindex_moved_tree(sender, instance, **kwargs):
    indexing.index_tree(Page.objects.get(pk=instance.pk))


def fill_empty_index(sender, app_config, plan=None, **kwargs):
    """A database that had pages before this app existed gets its index once, right after `migrate`; so does one
    whose index a migration emptied. Not after undoing migrations: the table may not have the shape written here."""
    if app_config.name != "search" or any(backwards for _, backwards in plan or []):
        return
    if not SearchEntry.objects.exists() and Page.objects.live().filter(depth__gt=1).exists():
        indexing.rebuild()


def register_signal_handlers():
    page_published.connect(index_published_page)
    page_unpublished.connect(remove_unpublished_page)
    post_page_move.connect(reindex_moved_tree)
    post_migrate.connect(fill_empty_index)
