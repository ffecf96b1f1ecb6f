"""Keeping the public search index current: what a page contributes, written when it is published.

Nothing here imports another app's models. A page's kind comes from a `search_kind` attribute on its class, or
else from its model label in KINDS_BY_MODEL, so newsletter editions are found as "newsletter" as soon as the
newsletter app defines `NewsletterPage`.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value
from wagtail.models import Page
from wagtail.search import index

from .models import Kind, SearchEntry, SearchText, SearchWord

# PostgreSQL text-search configuration per language; a language not listed is matched without stemming.
CONFIGS = {"nl": "dutch", "en": "english"}
KINDS_BY_MODEL = {
    "actions.actionpage": Kind.ACTION,
    "newsletter.newsletterpage": Kind.NEWSLETTER,
}
# Fields that summarise a page: ranked below the title and above the body.
SUMMARY_FIELDS = {"summary", "intro", "search_description"}
# Private-use characters that PostgreSQL's ts_headline puts around a match; never kept in indexed text.
MARK_START, MARK_STOP = "\ue000", "\ue001"
WORD = re.compile(r"[^\W\d_]{4,40}")


def config_for(language_code):
    return CONFIGS.get(language_code, "simple")


def kind_for(page):
    kind = getattr(type(page), "search_kind", None)
    return Kind(kind) if kind else KINDS_BY_MODEL.get(page._meta.label_lower, Kind.OTHER)


def clean_text(value):
    """Plain text of a field's searchable content: tags and control characters out, whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = " ".join(clean_text(item) for item in value)
    # Searchable content is plain text already (Wagtail strips rich text): a "<" here is one the editor typed.
    text = "".join(
        char if unicodedata.category(char)[0] != "C" else " " for char in unicodedata.normalize("NFC", str(value))
    )
    return " ".join(text.split())


def page_texts(page):
    """(title, summary, body) of a specific page, from the fields it declares in `search_fields`."""
    summary, body = [clean_text(page.search_description)], []
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField) or field.field_name in ("title", "search_description"):
            continue
        target = summary if field.field_name in SUMMARY_FIELDS else body
        target.append(clean_text(field.get_value(page)))
    join = lambda parts: " ".join(part for part in parts if part)  # noqa: E731
    return clean_text(page.title), join(summary), join(body)


def entry_for(page):
    """An unsaved index row for a live, specific page, with its unsaved text as `entry.text`."""
    title, summary, body = page_texts(page)
    config = config_for(page.locale.language_code)
    entry = SearchEntry(
        page_id=page.pk,
        locale_id=page.locale_id,
        config=config,
        kind=kind_for(page),
        date=getattr(page, "search_date", None) or page.last_published_at or page.first_published_at,
    )
    if connection.vendor == "postgresql":  # built by PostgreSQL as the row is inserted
        entry.head = head_vector(config, title, summary)
        entry.vector = head_vector(config, title, summary) + SearchVector(Value(body), weight="C", config=config)
    entry.text = SearchText(entry=entry, title=title, summary=summary, body=body)
    return entry


def head_vector(config, title, summary):
    """The title (A) and summary (B) of a page, stemmed with its own language's configuration."""
    title_vector = SearchVector(Value(title), weight="A", config=config)
    return title_vector + SearchVector(Value(summary), weight="B", config=config)


def words_of(entries):
    return {
        (entry.locale_id, word.lower())
        for entry in entries
        for word in WORD.findall(f"{entry.text.title} {entry.text.summary} {entry.text.body}")
    }


def store(entries):
    """Writes rows with their text (replacing those of the same pages), and their words."""
    entries = list(entries)
    if not entries:
        return
    with transaction.atomic():
        SearchEntry.objects.filter(page_id__in=[entry.page_id for entry in entries]).delete()
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        SearchText.objects.bulk_create([entry.text for entry in entries], batch_size=500)
        SearchWord.objects.bulk_create(
            [SearchWord(locale_id=locale_id, word=word) for locale_id, word in words_of(entries)],
            ignore_conflicts=True,
            batch_size=1000,
        )


def index_page(page):
    """Indexes a page if it is live, removes it otherwise. Private pages are indexed and filtered when searching."""
    page = page.specific_deferred if type(page) is Page else page
    if not page.live or page.is_root():
        remove_page(page)
        return
    store([entry_for(page)])


def remove_page(page):
    SearchEntry.objects.filter(page_id=page.pk).delete()


def index_tree(page):
    """Re-indexes a page and all its descendants (after a move)."""
    pages = Page.objects.descendant_of(page, inclusive=True).live().specific()
    SearchEntry.objects.filter(page__path__startswith=page.path, page__live=False).delete()
    store(entry_for(descendant) for descendant in pages if not descendant.is_root())


def rebuild():
    """Indexes every live page again; for an existing database. Publishing keeps the index current after that."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchWord.objects.all().delete()
        pages = Page.objects.live().filter(depth__gt=1).select_related("locale").specific().iterator(chunk_size=500)
        batch = []
        for page in pages:
            batch.append(entry_for(page))
            if len(batch) == 500:
                store(batch)
                batch = []
        store(batch)
    return SearchEntry.objects.count()
