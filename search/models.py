"""The public search index: one row per live page, in the page's own language.

Wagtail's own index (the admin's search) keeps one text-search configuration for every row. This table keeps the
configuration per row, so Dutch pages are stemmed as Dutch and English pages as English; every query is filtered to
one locale and parsed with that locale's configuration. On PostgreSQL `vector` holds the weighted tsvector (title A,
summary B, body C) behind a GIN index, and `head` the title and summary alone for ranking; on SQLite both stay empty
and the text columns are matched directly.
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
    # The (locale, kind) index below serves lookups by locale; a second index on locale alone would tempt
    # PostgreSQL to scan a whole language and test each row's vector instead of using the GIN index.
    locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+", db_index=False)
    config = models.CharField(max_length=32, help_text="PostgreSQL text-search configuration of the page's language.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    date = models.DateTimeField(null=True)
    # Title (A), summary (B) and body (C): what a query must match, through the GIN index.
    vector = SearchVectorField(null=True, editable=False)
    # Title (A) and summary (B) only: small enough to stay in the row, so ranking thousands of matches does not
    # read every page's whole text. Body-only matches rank below these, newest first.
    head = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["locale", "kind"])]

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
