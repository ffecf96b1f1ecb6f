"""Loads the site's real content, in Dutch and (as its translation) English, from each app's seed data.

Each app adds its part through the `load_seed_content` Wagtail hook: each hook function is called with the loader,
may use its `home_page` (the home page, which the actions' part builds first), `home` (that page), `upsert`,
`content_page` (a text page from seed data), `english` (every Dutch string of its seed mapped to its English
translation) and `english_slugs` (an English slug that should not follow the English title, by the Dutch slug), and
returns the pages and snippets it created or kept that are to be translated, in the order they are to be translated.
All exist before any is translated, so the tree does not change under a translation afterwards.

Loading is idempotent and never overwrites an editor's work: the loader saves its revisions without a user, so a page
whose latest revision has a user was changed by a person since, and is left as it is.
"""

import json
from contextvars import ContextVar

from django.db import transaction
from django.utils.text import slugify
from wagtail import hooks
from wagtail.models import Locale, Page

from ..languages import translations
from ..models import ContentPage, HomePage, point_default_site_at_public_address
from .values import stored, stream, text_block

HOME_SLUG = "home"
# True while the seed loads: what publishing does for people (the newsletter's alerts to followers) is not done for
# the seed's pages, which are the site's starting content and nobody's news.
seed_loading = ContextVar("seed_loading", default=False)


class SeedError(Exception):
    pass


def edited_by_person(page):
    revision = page.latest_revision
    return page.has_unpublished_changes or (revision is not None and revision.user_id is not None)


class Loader:
    def __init__(self, report=print):
        self.report = report
        self.english = {}
        self.english_slugs = {}
        self.nl = Locale.objects.get(language_code="nl")
        self.en, _ = Locale.objects.get_or_create(language_code="en")
        self.home = None

    @transaction.atomic
    def run(self):
        loading = seed_loading.set(True)
        try:
            self.load()
        finally:
            seed_loading.reset(loading)

    def load(self):
        self.remove_placeholder(Page.get_first_root_node())
        loaded = [instance for load in hooks.get_hooks("load_seed_content") for instance in load(self)]
        # Only what still reads as the seed wrote it has an English text in the seed; the rest is the translators'
        # work in the admin (a hook leaves out the snippets a person changed).
        for instance in loaded:
            if not isinstance(instance, Page) or not edited_by_person(instance):
                self.translate(instance)

    def home_page(self, fields):
        """The home page at the root of the tree, served by the default Site."""
        root = Page.get_first_root_node()
        self.home = self.upsert(root, HomePage, HOME_SLUG, fields, HomePage.objects.child_of(root))
        point_default_site_at_public_address(self.home)
        return self.home

    def upsert(self, parent, model, slug, fields, existing, in_menu=False):
        """Creates the page, or brings the loader's own earlier version up to date; never a person's version."""
        page = next(iter(existing), None)
        if page is None:
            page = model(slug=slug, locale=self.nl, show_in_menus=in_menu, **fields)
            parent.add_child(instance=page)
            self.report(f"created {model.__name__} {page.title!r}")
        elif edited_by_person(page):
            self.report(f"kept {page.title!r}: an editor changed it")
            return page
        elif all(stored(page, name) == value for name, value in fields.items()):
            return page
        else:
            for name, value in fields.items():
                setattr(page, name, json.dumps(value) if isinstance(value, list) else value)
            self.report(f"updated {model.__name__} {page.title!r}")
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    def content_page(self, data):
        """A text page (ContentPage) under the home page, from seed data: `slug`, `title` and `body` (headings
        and paragraphs), each in Dutch and English. Returns the Dutch page; the caller returns it to be translated."""
        self.english[data["title"]["nl"]] = data["title"]["en"]
        self.english.update({block["nl"]: block["en"] for block in data["body"]})
        slug = data["slug"]["nl"]
        self.english_slugs[slug] = data["slug"]["en"]
        fields = {"title": data["title"]["nl"], "body": stream(*(text_block(block, "nl") for block in data["body"]))}
        return self.upsert(
            self.home, ContentPage, slug, fields, ContentPage.objects.child_of(self.home).filter(slug=slug)
        )

    def remove_placeholder(self, root):
        """Deletes the welcome page Wagtail's first migration creates (and its site, which points at it)."""
        for page in root.get_children().filter(content_type__model="page", numchild=0):
            page.delete()

    def translate(self, instance):
        """Creates or updates the English translation of `instance` through wagtail-localize."""
        target = instance.get_translation_or_none(self.en)
        if target is not None and isinstance(target, Page) and edited_by_person(target):
            self.report(f"kept English {target.title!r}: an editor or translator changed it")
            return
        source, changed = translations.prepare(instance, self.en)
        english = dict(self.english)
        if isinstance(instance, Page):
            # The slug stays what it was when the page was made (addresses must not change); its English
            # counterpart follows the English title.
            english[instance.slug] = self.english_slugs.get(instance.slug) or slugify(
                english.get(instance.title, instance.slug)
            )

        def english_for(segment):
            dutch = segment.string.data
            if dutch not in english:
                raise SeedError(f"No English translation in the seed for {dutch!r}")
            return english[dutch]

        added = translations.write_segments(source, self.en, english_for)
        if target is None or changed or added:
            translations.save(source, self.en, publish=True)
            self.report(f"translated {instance} into English")
