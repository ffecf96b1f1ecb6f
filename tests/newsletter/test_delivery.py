"""Sending an edition: exactly once to every confirmed subscriber, in batches, through anymail.

Most tests use anymail's test backend (it records each batch with its merge data and headers); the fault paths go
through anymail's real Brevo backend to the fake Brevo server in fake_brevo.py.
"""

import email
from collections import Counter
from datetime import timedelta
from email import policy
from io import StringIO

import pytest
from anymail.signals import AnymailTrackingEvent, EventType
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult
from fake_brevo import read_log

from newsletter import links, services
from newsletter.conf import setting
from newsletter.delivery import api, queue, rows, senders, status, task
from newsletter.models import Delivery, Mailing, MailingCopy, NewsletterPage, Subscriber

State = Delivery.State


# On SQLite too (make test): the queue claims and records deliveries by SQL of its own per database.
pytestmark = pytest.mark.by_database


@pytest.fixture(autouse=True)
def anymail_test_backend(settings):
    """Django's test runner puts its own locmem backend in place; anymail's records the batches' merge data."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def accepted(server):
    """Every address the fake Brevo accepted, with how often."""
    return Counter(address for address, _id, _extra in read_log(server.log_path))


def states(mailing):
    return status.progress(mailing).counts


# Who may send what ----------------------------------------------------------------------------------------------


def test_a_sending_queued_under_the_old_module_path_still_finds_its_task(editions, subscribers):
    """Tasks queued before delivery became a package are stored as "newsletter.delivery.send_mailing"."""
    old_path = "newsletter.delivery.send_mailing"
    assert import_string(old_path) is task.send_mailing
    api.start_send(editions["nl"])
    queued = DBTaskResult.objects.get(task_path=task.send_mailing.module_path)
    queued.task_path = old_path
    queued.save(update_fields=["task_path"])
    assert DBTaskResult.objects.get(pk=queued.pk).task.func is task.send_mailing.func


def test_only_users_with_the_send_permission_may_send(django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x")
    assert not api.can_send(editor)
    editor.user_permissions.add(Permission.objects.get(codename="send_newsletter"))
    editor = django_user_model.objects.get(pk=editor.pk)  # permissions are cached on the instance
    assert api.can_send(editor)


def test_the_audience_counts_confirmed_subscribers_per_language_and_the_live_translations(editions, subscribers):
    found = status.audience(editions["en"])  # either language's page names the same edition
    assert found.counts == {"nl": 5, "en": 3}
    assert found.total == 8
    assert found.pages == {"nl": editions["nl"], "en": editions["en"]}
    assert found.untranslated == []
    editions["en"].unpublish()
    assert status.audience(editions["nl"]).untranslated == ["en"]


def test_only_a_published_edition_is_sent_and_only_once(editions, subscribers, django_user_model):
    editions["nl"].unpublish()
    with pytest.raises(api.CannotSend):
        api.start_send(editions["nl"])
    editions["nl"].save_revision().publish()
    editor = django_user_model.objects.create_user("editor", password="x")
    mailing = api.start_send(editions["nl"], user=editor)
    assert mailing.started_by == editor
    with pytest.raises(api.CannotSend):
        api.start_send(editions["en"])  # the English page is the same edition
    assert status.mailing_for(editions["en"]) == mailing


# Sending --------------------------------------------------------------------------------------------------------


def test_every_confirmed_subscriber_gets_the_edition_in_their_language_once(editions, subscribers, settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    assert sent_to() == sorted(s.email for s in subscribers)
    subjects = {message.to[0][:2]: message.subject for message in mail.outbox}
    assert subjects == {"nl": editions["nl"].subject, "en": editions["en"].subject}
    result = status.progress(mailing)
    assert result.counts[State.SENT] == 8 and result.total == 8 and result.percent == 100
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.DONE and mailing.finished_at
    assert NewsletterPage.objects.filter(sent_at__isnull=False).count() == 2
    # Running again (a second worker, a retry) sends nothing more.
    task.run(mailing.pk)
    assert len(sent_to()) == 8


def test_batches_split_at_the_limit_with_merge_data_and_headers_per_recipient(editions, many, settings):
    settings.NEWSLETTER_BATCH_SIZE = 3
    addresses = many(7)
    task.run(api.start_send(editions["nl"]).pk)
    assert [len(message.to) for message in mail.outbox] == [3, 3, 1]
    for message in mail.outbox:
        params = message.anymail_test_params
        assert params["is_batch_send"]
        assert params["extra_headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "{{ params.unsubscribe_url }}" in params["text_body"]
        assert "{{ params.unsubscribe_url }}" in message.alternatives[0][0]
        for address in message.to:
            subscriber = Subscriber.objects.get(email=address)
            assert params["merge_data"][address] == {"unsubscribe_url": links.preferences_url(subscriber)}
            assert params["merge_headers"][address] == {
                "List-Unsubscribe": f"<{links.one_click_unsubscribe_url(subscriber)}>"
            }
    assert sorted(sent_to()) == sorted(addresses)
    ids = set(Delivery.objects.values_list("esp_message_id", flat=True))
    assert len(ids) == 3 and "" not in ids  # the test backend gives one id per message


def test_braces_an_editor_typed_open_no_tag_of_brevos_template_language(make_subscriber, settings):
    settings.NEWSLETTER_BATCH_SENDING = True
    subscriber = make_subscriber()
    copy = MailingCopy(
        subject="Over {{ naam }}",
        text=f"Schrijf {{% if %}} of {{{{ x }}}} {{#}}, {{ a }}. {MailingCopy.PERSONAL_LINK}",
        html=f'<p>Schrijf {{% if %}} of {{{{ x }}}}, {{ a }}.</p><a href="{MailingCopy.PERSONAL_LINK}">Uit</a>',
    )
    recipient = rows.Recipient(1, None, subscriber.email, subscriber.key, "nl", 0)
    with mail.get_connection() as connection_:
        senders.sender_for_settings().send(connection_, copy, [recipient])
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert message.subject == "Over {\u200c{ naam }}"
    assert message.body == "Schrijf {\u200c% if %} of {\u200c{ x }} {\u200c#}, { a }. {{ params.unsubscribe_url }}"
    assert html == (
        '<p>Schrijf &#123;% if %} of &#123;{ x }}, { a }.</p><a href="{{ params.unsubscribe_url }}">Uit</a>'
    )


def test_the_frozen_copy_is_what_was_sent_and_stays_when_the_edition_changes(editions, subscribers):
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    copies = {copy.language: copy for copy in mailing.copies.all()}
    assert set(copies) == {"nl", "en"}
    dutch = copies["nl"]
    assert dutch.page == editions["nl"] and dutch.revision == editions["nl"].live_revision
    assert dutch.subject == editions["nl"].subject
    assert MailingCopy.PERSONAL_LINK in dutch.html and MailingCopy.PERSONAL_LINK in dutch.text
    message = next(message for message in mail.outbox if message.subject == dutch.subject)
    assert message.body == dutch.text.replace(MailingCopy.PERSONAL_LINK, "{{ params.unsubscribe_url }}")
    edition = editions["nl"]
    edition.subject = "Een nieuw onderwerp"
    edition.save_revision().publish()
    dutch.refresh_from_db()
    assert dutch.subject == message.subject != "Een nieuw onderwerp"
    assert Delivery.objects.filter(subscriber__language="en", copy=copies["en"]).count() == 3


def test_without_a_live_translation_the_sending_waits_unless_dutch_is_chosen(editions, subscribers):
    editions["en"].unpublish()
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    assert mail.outbox == []
    assert status.progress(mailing).waiting
    # It looks again a minute later, in a task of its own.
    assert DBTaskResult.objects.filter(run_after__gt=timezone.now()).exists()
    editions["en"].save_revision().publish()
    task.run(mailing.pk)
    assert len(sent_to()) == 8


def test_dutch_for_english_sends_the_dutch_copy_to_english_subscribers(editions, subscribers):
    editions["en"].unpublish()
    mailing = api.start_send(editions["nl"], dutch_for_english=True)
    task.run(mailing.pk)
    assert {message.subject for message in mail.outbox} == {editions["nl"].subject}
    assert len(sent_to()) == 8
    assert mailing.copies.get().language == "nl"


def test_a_scheduled_sending_starts_at_its_time(editions, subscribers):
    later = timezone.now() + timedelta(hours=2)
    mailing = api.start_send(editions["nl"], send_at=later)
    assert mailing.state == Mailing.State.SCHEDULED
    queued = DBTaskResult.objects.get()
    assert queued.run_after == later and queued.queue_name == "newsletter"
    task.run(mailing.pk)  # too early: nothing happens
    assert api.resume_stalled() == []  # and the clock leaves it alone until then
    assert mail.outbox == [] and not Delivery.objects.exists()
    Mailing.objects.filter(pk=mailing.pk).update(send_at=timezone.now() - timedelta(seconds=1))
    task.run(mailing.pk)
    assert len(sent_to()) == 8


def test_unsubscribes_and_bounces_during_the_sending_are_honoured(editions, many, settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    many(6)
    mailing = api.start_send(editions["nl"])
    left = []

    def after_the_first_batch(result):
        if left:
            return
        first, second = Delivery.objects.filter(state=State.PENDING).select_related("subscriber")[:2]
        services.unsubscribe(first.subscriber)
        bounce = AnymailTrackingEvent(event_type=EventType.BOUNCED, recipient=second.subscriber.email, esp_event={})
        services.record_tracking_event(bounce)
        left.extend([first.subscriber.email, second.subscriber.email])

    task.run(mailing.pk, on_batch=after_the_first_batch)
    assert len(sent_to()) == 4 and not set(left) & set(sent_to())
    assert states(mailing)[State.SKIPPED] == 2


def test_one_message_per_recipient_through_the_eml_writer(editions, subscribers, settings, tmp_path):
    settings.EMAIL_BACKEND = "newsletter.mail_backends.EmlFileBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    settings.NEWSLETTER_BATCH_SENDING = None  # not a batch backend: one by one
    task.run(api.start_send(editions["nl"]).pk)
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 8
    for subscriber in subscribers:
        (found,) = [path.read_bytes() for path in files if subscriber.email in path.name]
        message = email.message_from_bytes(found, policy=policy.default)
        assert message["List-Unsubscribe"].strip() == f"<{links.one_click_unsubscribe_url(subscriber)}>"
        text = message.get_body(("plain",)).get_content()
        assert links.preferences_url(subscriber) in text and MailingCopy.PERSONAL_LINK not in text
    assert states(status.mailing_for(editions["nl"]))[State.SENT] == 8


# Through Brevo, and every fault ---------------------------------------------------------------------------------


def test_brevo_gets_each_recipients_own_link_and_headers(editions, subscribers, brevo):
    task.run(api.start_send(editions["nl"]).pk)
    log = read_log(brevo.log_path)
    assert sorted(address for address, _id, _extra in log) == sorted(s.email for s in subscribers)
    for address, message_id, extra in log:
        subscriber = Subscriber.objects.get(email=address)
        assert extra["params"] == {"unsubscribe_url": links.preferences_url(subscriber)}
        assert extra["headers"]["List-Unsubscribe"] == f"<{links.one_click_unsubscribe_url(subscriber)}>"
        assert Delivery.objects.get(subscriber=subscriber).esp_message_id == message_id
    assert brevo.calls["accepted"] == 2  # one batch per language


def test_transient_failures_are_retried_until_everyone_has_it_once(editions, many, brevo, settings):
    settings.NEWSLETTER_BATCH_SIZE = 5
    addresses = many(40)
    brevo.fail_rate = 0.4
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    assert brevo.calls["500"] and brevo.calls["429"] and brevo.calls["timeout"]
    assert accepted(brevo) == Counter(addresses)
    assert states(mailing)[State.SENT] == 40
    assert Delivery.objects.filter(attempts__gt=1).exists()


def test_transient_failures_past_the_last_attempt_mark_the_recipient_failed(editions, many, brevo, settings):
    settings.NEWSLETTER_MAX_ATTEMPTS = 2
    many(3)
    brevo.fail_rate = 1.0
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    assert states(mailing)[State.FAILED] == 3
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}
    # The editor retries the failed ones once the provider is back.
    brevo.fail_rate = 0.0
    assert api.retry_failed(mailing) == 3
    task.run(mailing.pk)
    assert states(mailing)[State.SENT] == 3 and len(accepted(brevo)) == 3


def test_a_refused_address_fails_alone_and_the_rest_of_its_batch_is_sent(editions, many, brevo, settings):
    settings.NEWSLETTER_BATCH_SIZE = 8
    addresses = many(8)
    brevo.refuse = {"reader5@example.org"}
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    assert accepted(brevo) == Counter(addresses - brevo.refuse)
    failed = Delivery.objects.get(state=State.FAILED)
    assert failed.subscriber.email == "reader5@example.org" and "not valid" in failed.error
    assert brevo.calls["400"] == 4  # 8, then the halves of 4 and 2 that hold it, then itself


def crash_after_the_provider_accepted_the_second_batch(mailing, monkeypatch, settings):
    """Runs the mailing until the worker dies between the provider accepting its second batch and the record of
    it, then lets the dead worker's lease pass."""
    real_record = queue.record

    def crash_on_the_second_batch(recipients, outcomes):
        if Delivery.objects.filter(state=State.SENT).exists():
            raise SystemExit("killed")  # what a killed worker leaves: the provider has the batch, we do not
        real_record(recipients, outcomes)

    monkeypatch.setattr(task, "record_outcomes", crash_on_the_second_batch)
    with pytest.raises(SystemExit):
        task.run(mailing.pk)
    # The batch in doubt, and (unless resending in doubt is off) the next one, claimed while the provider had it.
    assert states(mailing)[State.SENDING] == (8 if setting("NEWSLETTER_RESEND_IN_DOUBT") else 4)
    monkeypatch.setattr(task, "record_outcomes", real_record)
    settings.NEWSLETTER_CLAIM_LEASE = 0  # the dead worker's lease has passed


def test_a_crash_between_the_provider_accepting_and_the_record_sends_that_one_batch_again(
    editions, many, brevo, settings, monkeypatch
):
    settings.NEWSLETTER_BATCH_SIZE = 4
    addresses = many(12)
    mailing = api.start_send(editions["nl"])
    crash_after_the_provider_accepted_the_second_batch(mailing, monkeypatch, settings)
    task.run(mailing.pk)
    # Nobody skipped; the batch in doubt (the one allowed window, at most one batch) went out twice.
    assert set(accepted(brevo)) == addresses
    assert sorted(accepted(brevo).values()) == [1] * 8 + [2] * 4
    assert states(mailing)[State.SENT] == 12


def test_with_resending_in_doubt_off_a_crash_leaves_one_batch_unknown_for_an_editor(
    editions, many, brevo, settings, monkeypatch
):
    settings.NEWSLETTER_RESEND_IN_DOUBT = False
    settings.NEWSLETTER_BATCH_SIZE = 4
    addresses = many(12)
    mailing = api.start_send(editions["nl"])
    crash_after_the_provider_accepted_the_second_batch(mailing, monkeypatch, settings)
    task.run(mailing.pk)
    assert accepted(brevo) == Counter(addresses)  # nobody twice, nobody skipped
    assert states(mailing)[State.UNKNOWN] == 4 and states(mailing)[State.SENT] == 8
    # Only an editor's choice sends the unknown ones again (they may then get it twice).
    assert api.resend_unknown(mailing) == 4
    task.run(mailing.pk)
    assert sorted(accepted(brevo).values()) == [1] * 8 + [2] * 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_worker_is_taken_up_again_by_the_clock_and_a_new_db_worker(
    editions, many, brevo, settings, monkeypatch
):
    settings.NEWSLETTER_BATCH_SIZE = 4
    addresses = many(12)
    mailing = api.start_send(editions["nl"])
    real_send = senders.BatchSender.send
    calls = []

    def die_after_the_first_batch(self, connection_, copy, recipients):
        calls.append(recipients)
        if len(calls) > 1:
            raise SystemExit("killed")  # killed before this batch reached the provider
        return real_send(self, connection_, copy, recipients)

    monkeypatch.setattr(senders.BatchSender, "send", die_after_the_first_batch)
    worker = ["db_worker", "--backend", "newsletter", "--queue-name", "newsletter", "--batch", "--no-startup-delay"]
    call_command(*worker, verbosity=0)
    # The batch the worker died on, and the next one it had claimed meanwhile.
    assert states(mailing)[State.SENT] == 4 and states(mailing)[State.SENDING] == 8
    monkeypatch.setattr(senders.BatchSender, "send", real_send)
    call_command(*worker, verbosity=0)  # a restarted worker finds no task: the killed one is not run twice
    assert states(mailing)[State.SENT] == 4
    settings.NEWSLETTER_CLAIM_LEASE = 0
    call_command("resume_newsletter_sends", stdout=StringIO())  # the clock
    call_command(*worker, verbosity=0)
    assert accepted(brevo) == Counter(addresses)  # killed before the provider had it: sent again, once each
    assert states(mailing)[State.SENT] == 12
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.DONE
    assert "resume_newsletter_sends" in settings.CLOCK_COMMANDS  # the clock runs it every minute


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time: run with DATABASE_URL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_never_send_twice_nor_skip(editions, many, brevo, settings, in_two_workers):
    settings.NEWSLETTER_BATCH_SIZE = 10
    addresses = many(400)
    brevo.fail_rate = 0.1
    mailing = api.start_send(editions["nl"])
    claims = Counter()

    in_two_workers(lambda name: task.run(mailing.pk, on_batch=lambda result: claims.update([name])))
    assert accepted(brevo) == Counter(addresses)
    assert states(mailing)[State.SENT] == 400
    assert claims["one"] and claims["two"]  # both took part


# The command ----------------------------------------------------------------------------------------------------


def test_send_newsletter_dry_run_sends_and_saves_nothing(editions, subscribers):
    out = StringIO()
    call_command("send_newsletter", editions["nl"].pk, "--dry-run", stdout=out)
    assert "nl: 5 confirmed subscribers" in out.getvalue() and "en: 3 confirmed subscribers" in out.getvalue()
    assert "Dry run" in out.getvalue()
    assert mail.outbox == [] and not Mailing.objects.exists()


def test_send_newsletter_sends_with_a_progress_bar(editions, subscribers, settings):
    settings.NEWSLETTER_BATCH_SIZE = 4
    out = StringIO()
    call_command("send_newsletter", editions["en"].pk, stdout=out)
    assert len(sent_to()) == 8
    assert "100% 8/8" in out.getvalue() and "sent 8" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("send_newsletter", 999999, stdout=out)
