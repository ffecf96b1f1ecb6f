"""Keeping the public search index current: what a page contributes, written when it is published.

Nothing here imports another app's models: a page class declares its kind as `search_kind`, one of Kind's values
(a plain string, so that the apps below need not import this one); a page that declares none is Kind.OTHER.
"""

from django.db import transaction
from wagtail.models import Page
from wagtail.search import index

from .engines import engine
from .models import Kind, SearchEntry, SearchText, SearchWord
from .text import WORD, clean_text, config_for, without_repeats

# Fields that summarise a page: ranked below the title and above the body.
SUMMARY_FIELDS = {"summary", "intro", "search_description"}


def kind_for(page):
    return Kind(getattr(type(page), "search_kind", Kind.OTHER))


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
    entry = SearchEntry(
        page_id=page.pk,
        locale_id=page.locale_id,
        config=config_for(page.locale.language_code),
        kind=kind_for(page),
        date=getattr(page, "search_date", None) or page.last_published_at or page.first_published_at,
    )
    engine().add_vectors(entry, title, summary, body)
    # Ranked by all the body says, and shown (and matched on SQLite) with each sentence once.
    entry.text = SearchText(entry=entry, title=title, summary=summary, body=without_repeats(body, after=summary))
    return entry


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
