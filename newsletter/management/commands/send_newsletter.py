from django.core.management.base import BaseCommand, CommandError

from newsletter.delivery import api, senders, status, task
from newsletter.models import NewsletterPage


class Command(BaseCommand):
    help = (
        "Sends a published edition to every confirmed subscriber, here in the foreground with a progress bar "
        "(workers running beside it share the work). Run it again to resume an interrupted sending."
    )

    def add_arguments(self, parser):
        parser.add_argument("edition_id", type=int, help="The page id of the edition (either language).")
        parser.add_argument("--dry-run", action="store_true", help="Show who would get what; send and save nothing.")
        parser.add_argument(
            "--dutch-for-english",
            action="store_true",
            help="Send the Dutch edition to English subscribers when its English translation is not live.",
        )

    def handle(self, *args, edition_id, dry_run, dutch_for_english, **options):
        edition = NewsletterPage.objects.filter(pk=edition_id).first()
        if edition is None:
            raise CommandError(f"There is no edition with id {edition_id}.")
        found = status.audience(edition)
        for language, count in found.counts.items():
            page = found.pages[language]
            gets = f"“{page.subject}”" if page else "no live translation"
            self.stdout.write(f"{language}: {count} confirmed subscribers, {gets}")
        sender = senders.sender_for_settings()
        calls = sum(-(-count // sender.batch_size) for count in found.counts.values())
        self.stdout.write(f"{type(sender).__name__}: {sender.batch_size} recipients a batch, about {calls} batches.")
        if dry_run:
            self.stdout.write("Dry run: nothing was sent or saved.")
            return
        mailing = status.mailing_for(edition)
        if mailing is None:
            try:
                mailing = api.start_send(edition, dutch_for_english=dutch_for_english)
            except api.CannotSend as error:
                raise CommandError(str(error)) from error
        task.run(mailing.pk, on_batch=self.show)
        mailing.refresh_from_db()
        result = status.progress(mailing)
        self.show(result)
        self.stdout.write("")
        if result.waiting:
            raise CommandError(
                "Waiting: a language with subscribers has no live translation of this edition. Publish it, or run "
                "again with --dutch-for-english (only for a sending not started yet)."
            )
        counts = ", ".join(f"{state} {count}" for state, count in result.counts.items() if count)
        self.stdout.write(f"Mailing {mailing.pk}: {result.state}; {counts or 'nobody to send to'}.")

    def show(self, result):
        width = 40
        filled = width * result.percent // 100
        bar = "#" * filled + "-" * (width - filled)
        self.stdout.write(f"\r[{bar}] {result.percent:3d}% {result.done}/{result.total}", ending="")
        self.stdout.flush()
