"""The public search index: one row per live page, in the page's own language, and the text it shows.

Wagtail's own index (the admin's search) keeps one text-search configuration for every row. This table keeps the
configuration per row, so Dutch pages are stemmed as Dutch and English pages as English; every query is filtered to
one locale and parsed with that locale's configuration. On PostgreSQL `vector` holds the weighted tsvector (title A,
summary B, body C) behind a GIN index, and `head` the title and summary alone; on SQLite both stay empty and the
text is matched directly.

The text lives in a table of its own (`SearchText`), read for the ten results shown. Counting and ranking read every
match's row: without the text, a language's rows take half as many table pages, and a common word is counted in
half the time.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page


class Kind(models.TextChoices):
    ACTION = "action", _("Action")
    NEWSLETTER = "newsletter", _("Newsletter")
    OTHER = "other", _("Page")


class SearchEntry(models.Model):
    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    # No index on the locale: a query finds its rows through a GIN index and tests their locale as it reads them.
    # An index on the locale tempted PostgreSQL to intersect it with the GIN index's, which cost more.
    locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+", db_index=False)
    config = models.CharField(max_length=32, help_text="PostgreSQL text-search configuration of the page's language.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    date = models.DateTimeField(null=True)
    # Title (A), summary (B) and body (C): what a query must match, through a GIN index.
    vector = SearchVectorField(null=True, editable=False)
    # Title (A) and summary (B) only, behind a GIN index of its own: for a word found on thousands of pages, the
    # title and summary matches are found and ranked without reading every match. Body-only matches follow them.
    head = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return f"{self.kind} {self.page_id}"


class SearchText(models.Model):
    """The text of an entry: what a result shows (its title and a snippet), and what SQLite matches."""

    entry = models.OneToOneField(SearchEntry, on_delete=models.CASCADE, primary_key=True, related_name="text")
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search text")
        verbose_name_plural = _("search texts")

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """A word that occurs on some page of a language: what spelling suggestions are chosen from."""

    locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["locale", "word"], name="search_word_unique_per_locale")]

    def __str__(self):
        return self.word


class UnansweredSearch(models.Model):
    """A search term that found nothing in one language, and how often it was searched in one week: what the
    *Search terms that found nothing* report lists for editors to promote a page for. Normalised as Wagtail's query
    log is (and so as promotions are matched); like that log, it holds no address or number (views.PERSONAL)."""

    locale = models.ForeignKey(Locale, verbose_name=_("language"), on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week of"), help_text=_("The Monday the week starts on."))
    query_string = models.CharField(_("search term"), max_length=255)
    hits = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        verbose_name = _("search term that found nothing")
        verbose_name_plural = _("search terms that found nothing")
        constraints = [
            models.UniqueConstraint(fields=["locale", "week", "query_string"], name="search_unanswered_once_a_week")
        ]

    def __str__(self):
        return self.query_string
