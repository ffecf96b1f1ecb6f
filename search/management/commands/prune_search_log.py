"""Forgets search terms older than SEARCH_LOG_DAYS: this app's terms that found nothing, and Wagtail's own log of
searches (its daily counts, and terms left with no count and no promotion). The clock runs it (CLOCK_COMMANDS).

Search terms are logged without anything about the visitor, and never when they look like an address or a number
(views.PERSONAL); still, what a visitor typed is kept no longer than editors need it to improve the search."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from search.models import UnansweredSearch


class Command(BaseCommand):
    help = "Forgets search terms older than SEARCH_LOG_DAYS."

    def handle(self, **options):
        oldest = timezone.localdate() - timedelta(days=settings.SEARCH_LOG_DAYS)
        # A week's row counts the searches of the week it starts: kept while any day of it is recent enough.
        unanswered, _ = UnansweredSearch.objects.filter(week__lt=oldest - timedelta(days=6)).delete()
        daily, _ = QueryDailyHits.objects.filter(date__lt=oldest).delete()
        Query.garbage_collect()  # terms with no daily count left and no promotion
        self.stdout.write(f"Forgot {unanswered} weekly and {daily} daily counts of search terms.")
