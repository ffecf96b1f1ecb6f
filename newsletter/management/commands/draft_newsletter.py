from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from newsletter.drafting import draft_edition
from newsletter.models import NewsletterIndexPage


class Command(BaseCommand):
    help = (
        "Drafts a newsletter edition (Dutch, and its English translation) from the actions' progress updates that "
        "no sent edition has told yet."
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
        told = f"not told by the sending of {draft.since.isoformat()} or before" if draft.since else "(none sent yet)"
        self.stdout.write(f"Drafted {draft.edition.title!r} with the updates {told}:")
        for action in draft.actions:
            self.stdout.write(f"  {action.number}. {action.title}")
        if not draft.actions:
            self.stdout.write("  (no action has updates that were not told)")
        self.stdout.write(f"Edit it at {reverse('wagtailadmin_pages:edit', args=[draft.edition.pk])}")
        for language, translation in draft.translations.items():
            self.stdout.write(
                f"Translation ({language}, draft): {reverse('wagtailadmin_pages:edit', args=[translation.pk])}"
            )
