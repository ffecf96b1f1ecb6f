"""Telling followers: an alert per new progress update in each language as it is published, and the weekly digest,
each update told to each follower once (the Told ledger), on the edition's delivery engine."""

import json
import shutil
import subprocess
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from anymail.signals import AnymailTrackingEvent, EventType
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from actions.models import ActionPage
from home.seeding import loader
from newsletter import links, services
from newsletter.delivery import api, following, senders, status, task
from newsletter.models import Delivery, Follow, Mailing, Subscriber, Told
from tests.test_html_valid import VNU

State = Delivery.State
pytestmark = pytest.mark.by_database  # the queue's SQL per database, and the followers' INSERT ... SELECT

NEW = (date(2026, 11, 20), "De tweede bijeenkomst is gepland.", "u1-next")


@pytest.fixture(autouse=True)
def anymail_test_backend(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


@pytest.fixture
def translate_updates(actions):
    """Publishes the English translation of action `number` with the Dutch page's updates, in English `texts`."""

    def publish(number, texts):
        dutch = ActionPage.objects.get(pk=actions["nl"][number - 1].pk)
        english = ActionPage.objects.get(pk=actions["en"][number].pk)
        english.updates = json.dumps(
            [
                {**block, "value": {**block["value"], "text": f"<p>{texts.get(block['id'], 'Old news.')}</p>"}}
                for block in dutch.updates.raw_data
            ]
        )
        english.save_revision().publish()
        return english

    return publish


def alerts():
    return Mailing.objects.filter(kind=Mailing.Kind.ALERT)


def run_all():
    """What the worker does with every queued mailing."""
    for mailing in Mailing.objects.exclude(kind=Mailing.Kind.EDITION).order_by("pk"):
        task.run(mailing.pk)


def received():
    return Counter(address for message in mail.outbox for address in message.to)


def alert_to(address):
    (message,) = [message for message in mail.outbox if address in message.to]
    return message


# Alerts ---------------------------------------------------------------------------------------------------------


def test_a_new_update_goes_to_the_dutch_followers_as_it_happens_once(follow, edit_updates, settings):
    settings.NEWSLETTER_BATCH_SENDING = False  # one message each: every one's own links written in
    ans = follow("ans@example.org")
    follow("weekly@example.org", frequency=Follow.Frequency.WEEKLY)
    follow("other@example.org", number=2)
    follow("ann@example.org", language="en")
    pending = follow("pending@example.org")
    Follow.objects.filter(pk=pending.pk).update(state=Follow.State.PENDING)
    edit_updates(1, added=[NEW])
    (mailing,) = alerts()
    assert (mailing.update_id, mailing.language, mailing.action_id) == ("u1-next", "nl", ans.action_id)
    run_all()
    assert received() == Counter({"ans@example.org": 1})
    message = alert_to("ans@example.org")
    assert message.subject == "Nieuws over “Vakmanschap zichtbaar maken”"
    assert "20 november 2026" in message.body and "De tweede bijeenkomst is gepland." in message.body
    assert links.stop_follow_url(ans.subscriber, ans.action) in message.body
    assert links.preferences_url(ans.subscriber) in message.body
    assert (
        message.extra_headers["List-Unsubscribe"] == f"<{links.one_click_stop_follow_url(ans.subscriber, ans.action)}>"
    )
    assert ans.action.translation_key and "/acties-en-interventies/" in message.body
    assert Told.objects.get().subscriber == ans.subscriber

    # Publishing again (a correction, a republish) tells nobody anything.
    edit_updates(1, corrected={"u1-next": (NEW[0], "Gecorrigeerd.")})
    run_all()
    assert alerts().count() == 1 and received() == Counter({"ans@example.org": 1})


def test_english_followers_wait_for_the_translation_that_carries_the_update(
    follow, edit_updates, translate_updates, settings
):
    settings.NEWSLETTER_BATCH_SIZE = 10
    follow("ans@example.org")
    ann = follow("ann@example.org", language="en")
    edit_updates(1, added=[NEW])
    translate_updates(2, {})  # another action's translation tells nothing
    run_all()
    assert set(received()) == {"ans@example.org"}
    english = translate_updates(1, {"u1-next": "The second meeting is planned."})
    assert set(alerts().values_list("language", flat=True)) == {"nl", "en"}
    run_all()
    message = alert_to("ann@example.org")
    assert message.subject == "News on “Making craftsmanship visible”"
    assert "The second meeting is planned." in message.body and "bijeenkomst" not in message.body
    params = message.anymail_test_params
    assert params["merge_data"]["ann@example.org"] == {
        "preferences_url": links.preferences_url(ann.subscriber),
        "stop_url": links.stop_follow_url(ann.subscriber, ann.action),
    }
    # The translation published again tells nothing more.
    english.save_revision().publish()
    run_all()
    assert received() == Counter({"ans@example.org": 1, "ann@example.org": 1})


def test_the_clocks_scheduled_publishing_alerts_as_the_editors_publish_does(follow, actions):
    follow("ans@example.org")
    action = ActionPage.objects.get(pk=actions["nl"][0].pk)
    new = {"type": "update", "id": NEW[2], "value": {"date": NEW[0].isoformat(), "text": f"<p>{NEW[1]}</p>"}}
    action.updates = json.dumps([*action.updates.raw_data, new])
    action.go_live_at = timezone.now() + timedelta(hours=1)
    action.save_revision().publish()  # scheduled: the live page stays as it was
    assert not alerts().exists()
    due = timezone.now() - timedelta(minutes=1)
    revision = ActionPage.objects.get(pk=action.pk).latest_revision
    revision.content["go_live_at"] = due.isoformat()
    revision.approved_go_live_at = due
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", stdout=StringIO())  # what the clock runs every minute
    assert alerts().get().update_id == "u1-next"


def test_an_update_with_tell_followers_unticked_tells_nobody(follow, edit_updates):
    follow("ans@example.org")
    action = edit_updates(1)
    stored = [*action.updates.raw_data]
    stored.append({"type": "update", "id": "u1-typo", "value": {"date": "2026-11-21", "text": "<p>Typo.</p>"}})
    stored[-1]["value"]["tell_followers"] = False
    action.updates = json.dumps(stored)
    action.save_revision().publish()
    assert not alerts().exists()


def test_the_first_publish_and_the_seed_alert_nobody(follow, edit_updates, actions, monkeypatch):
    follow("ans@example.org")
    assert not alerts().exists()  # the actions' first publish: nobody could follow them before
    loading = []
    monkeypatch.setattr(loader.Loader, "load", lambda self: loading.append(loader.seed_loading.get()))
    loader.Loader(report=lambda line: None).run()
    assert loading == [True] and not loader.seed_loading.get()
    token = loader.seed_loading.set(True)
    try:
        edit_updates(1, added=[NEW])
    finally:
        loader.seed_loading.reset(token)
    assert not alerts().exists()


def test_a_private_or_unpublished_action_never_alerts(follow, edit_updates, actions):
    follow("ans@example.org")
    PageViewRestriction.objects.create(page=actions["nl"][0], restriction_type=PageViewRestriction.LOGIN)
    edit_updates(1, added=[NEW])
    assert not alerts().exists()
    PageViewRestriction.objects.all().delete()
    edit_updates(1, added=[(date(2026, 11, 22), "Nog een.", "u1-more")])
    ActionPage.objects.get(pk=actions["nl"][0].pk).unpublish()  # gone before the worker took the alert up
    run_all()
    assert mail.outbox == [] and not Told.objects.exists()
    assert alerts().get().state == Mailing.State.DONE


def test_a_follower_who_stops_or_bounces_between_batches_gets_nothing_more(follow, edit_updates, settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    for n in range(6):
        follow(f"f{n}@example.org")
    edit_updates(1, added=[NEW])
    (mailing,) = alerts()
    left = []

    def after_the_first_batch(result):
        if left:
            return
        first, second = Delivery.objects.filter(state=State.PENDING).select_related("subscriber")[:2]
        Follow.objects.filter(subscriber=first.subscriber).update(state=Follow.State.STOPPED)
        bounce = AnymailTrackingEvent(event_type=EventType.BOUNCED, recipient=second.subscriber.email, esp_event={})
        services.record_tracking_event(bounce)
        left.extend([first.subscriber.email, second.subscriber.email])

    task.run(mailing.pk, on_batch=after_the_first_batch)
    assert len(received()) == 4 and not set(left) & set(received())
    assert status.progress(mailing).counts[State.SKIPPED] == 2


def test_an_update_told_in_dutch_is_not_told_again_after_a_change_of_language(follow, edit_updates, translate_updates):
    ans = follow("ans@example.org")
    edit_updates(1, added=[NEW])
    run_all()
    Subscriber.objects.filter(pk=ans.subscriber_id).update(language="en")
    translate_updates(1, {"u1-next": "The second meeting is planned."})
    run_all()
    assert received() == Counter({"ans@example.org": 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        Told.objects.create(subscriber=ans.subscriber, update_id="u1-next", delivery=Delivery.objects.get())


def test_a_worker_that_dies_before_the_provider_has_a_batch_leaves_nobody_out_nor_twice(
    follow, edit_updates, settings, monkeypatch
):
    settings.NEWSLETTER_BATCH_SIZE = 3
    settings.NEWSLETTER_BATCH_SENDING = True
    for n in range(7):
        follow(f"f{n}@example.org")
    edit_updates(1, added=[NEW])
    (mailing,) = alerts()
    real_send = senders.BatchSender.send
    calls = []

    def die_on_the_second_batch(self, connection_, copy, recipients):
        calls.append(recipients)
        if len(calls) == 2:
            raise SystemExit("killed")
        return real_send(self, connection_, copy, recipients)

    monkeypatch.setattr(senders.BatchSender, "send", die_on_the_second_batch)
    with pytest.raises(SystemExit):
        task.run(mailing.pk)
    settings.NEWSLETTER_CLAIM_LEASE = 0  # the dead worker's lease passes; the clock starts a task
    edit_updates(1)  # and an editor publishes again meanwhile
    task.run(mailing.pk)
    assert received() == Counter({f"f{n}@example.org": 1 for n in range(7)})
    assert Told.objects.count() == 7 and alerts().count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time: run with DATABASE_URL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_on_one_alert_never_send_twice_nor_skip(follow, edit_updates, settings, in_two_workers):
    settings.NEWSLETTER_BATCH_SIZE = 10
    settings.NEWSLETTER_BATCH_SENDING = True
    for n in range(200):
        follow(f"f{n}@example.org")
    edit_updates(1, added=[NEW])
    (mailing,) = alerts()
    claims = Counter()

    in_two_workers(lambda name: task.run(mailing.pk, on_batch=lambda result: claims.update([name])))
    assert received() == Counter({f"f{n}@example.org": 1 for n in range(200)})
    assert claims["one"] and claims["two"] and Told.objects.count() == 200


# What editors and validators see ---------------------------------------------------------------------------------


def test_the_action_shows_each_update_told_when_and_to_how_many_and_the_sendings_list_editions_only(
    follow, edit_updates, admin_client, editions, django_assert_max_num_queries
):
    follow("ans@example.org")
    follow("bob@example.org")
    edit_updates(1, added=[NEW])
    run_all()
    action = ActionPage.objects.get(pk=edit_updates(1).pk)
    admin_client.get(reverse("newsletter_told_updates", args=[action.pk]))  # Wagtail's caches filled
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse("newsletter_told_updates", args=[action.pk]))
    rows = response.context["rows"]
    assert [(row.update_id, row.sent, list(row.alerts)) for row in rows] == [
        ("u1-next", 2, ["nl"]),
        ("u1-new", 0, []),
        ("u1-old", 0, []),
    ]
    edit_page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[action.pk])).text
    assert reverse("newsletter_told_updates", args=[action.pk]) in edit_page
    api.start_send(editions["nl"])
    listing = admin_client.get(reverse("newsletter_mailings:index")).context["object_list"]
    assert [mailing.kind for mailing in listing] == [Mailing.Kind.EDITION]


@pytest.mark.skipif(not VNU.exists() or shutil.which("java") is None, reason="needs the Nu HTML Checker and Java")
def test_the_alert_and_the_digest_are_valid_html(follow, edit_updates, tmp_path, settings):
    settings.NEWSLETTER_BATCH_SENDING = False  # each message as its reader gets it, links written in
    follow("ans@example.org")
    follow("wim@example.org", frequency=Follow.Frequency.WEEKLY)
    edit_updates(1, added=[NEW])
    settings.NEWSLETTER_DIGEST_WEEKDAY, settings.NEWSLETTER_DIGEST_HOUR = 0, 0  # this week's is due now
    following.start_digest()
    run_all()
    paths = []
    for number, message in enumerate(mail.outbox):
        paths.append(tmp_path / f"mail-{number}.html")
        paths[-1].write_text(message.alternatives[0][0], encoding="utf-8")
    assert len(paths) == 2
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert [message["message"] for message in json.loads(result.stderr)["messages"]] == []
