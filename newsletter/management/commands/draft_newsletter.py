from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from newsletter.drafting import draft_edition
from newsletter.models import NewsletterIndexPage


class Command(BaseCommand):
    help = (
        "Drafts a newsletter edition (Dutch, and its English translation) from the actions' progress updates since "
        "the previous edition."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=date.fromisoformat, help="Draft as on this day (YYYY-MM-DD) instead of today."
        )

    def handle(self, *args, **options):
        try:
            draft = draft_edition(today=options["date"])
        except NewsletterIndexPage.DoesNotExist as error:
            raise CommandError(str(error)) from error
        since = draft.since.isoformat() if draft.since else "the start"
        self.stdout.write(f"Drafted {draft.edition.title!r} with the updates since {since}:")
        for action in draft.actions:
            self.stdout.write(f"  {action.number}. {action.title}")
        if not draft.actions:
            self.stdout.write("  (no action has updates in that period)")
        self.stdout.write(f"Edit it at {reverse('wagtailadmin_pages:edit', args=[draft.edition.pk])}")
        for language, translation in draft.translations.items():
            self.stdout.write(
                f"Translation ({language}, draft): {reverse('wagtailadmin_pages:edit', args=[translation.pk])}"
            )
