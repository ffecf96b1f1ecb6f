"""Scheduled publishing happens by itself: the clock runs Wagtail's publish_scheduled without anyone acting."""

import threading
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageLogEntry

from actions.models import ActionPage
from home import clock
from home.security.password_reset import send_password_reset


def run_clock_in_background(interval):
    stop = threading.Event()

    def run():
        try:
            clock.run(interval, stop)
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return stop, thread


def test_a_scheduled_page_goes_live_and_expires_by_itself(django_db_serialized_rollback, transactional_db, tree):
    """transactional_db: the clock's thread has its own connection and sees only committed data. Serialized
    rollback restores what the migrations made (the root page, the Dutch locale) that a flush removes."""
    now = timezone.now()
    page = ActionPage(title="Gepland", slug="gepland", number=9, summary="Straks.", body="[]")
    tree["index"].add_child(instance=page)
    page.go_live_at = now + timedelta(seconds=1)
    page.expire_at = now + timedelta(seconds=3)
    page.save_revision().publish()  # with go-live in the future, publishing schedules it
    page.refresh_from_db()
    assert not page.live and page.latest_revision.approved_go_live_at is not None

    stop, thread = run_clock_in_background(interval=0.2)
    time.sleep(4.5)
    stop.set()
    thread.join(timeout=10)

    page.refresh_from_db()
    assert not page.live and page.expired and page.first_published_at is not None
    actions = list(PageLogEntry.objects.filter(page=page).order_by("timestamp").values_list("action", "user"))
    # Published and unpublished by the clock (no user), in that order.
    scheduled = [entry for entry in actions if entry[0].endswith(".scheduled")]
    assert scheduled == [("wagtail.publish.scheduled", None), ("wagtail.unpublish.scheduled", None)]


def test_a_failing_command_does_not_stop_the_clock(db, settings, caplog):
    settings.CLOCK_COMMANDS = ["no_such_command", "publish_scheduled"]
    clock.tick()
    assert "The clock could not run no_such_command" in caplog.text


def test_two_clocks_never_run_a_command_at_once(db, monkeypatch, settings):
    settings.CLOCK_COMMANDS = ["publish_scheduled"]
    ran = []
    monkeypatch.setattr(clock, "call_command", lambda command, **options: ran.append(command))
    cache.add("clock:publish_scheduled", "running")  # another worker's clock is running it right now
    clock.tick()
    assert ran == []
    cache.delete("clock:publish_scheduled")
    clock.tick()
    assert ran == ["publish_scheduled"]


def test_the_clock_deletes_finished_tasks_after_a_day_and_failed_ones_after_two_weeks(db, monkeypatch):
    """A password reset's task holds the address someone typed: once its mail went, the clock lets it go."""
    # The loop's own connection care would close this test's connection, which holds its transaction (PostgreSQL).
    monkeypatch.setattr(clock, "close_old_connections", lambda: None)
    now = timezone.now()
    ages = {"done-yesterday": ("SUCCESSFUL", 2), "done-today": ("SUCCESSFUL", 0), "failed-last-week": ("FAILED", 7)}
    for email, (status, days) in ages.items():
        result = send_password_reset.enqueue(email=email, language="nl")
        DBTaskResult.objects.filter(id=result.id).update(status=status, finished_at=now - timedelta(days=days))
    waiting = send_password_reset.enqueue(email="waiting", language="nl")
    DBTaskResult.objects.filter(id=waiting.id).update(enqueued_at=now - timedelta(days=30))

    clock.tick()

    kept = {result.args_kwargs["kwargs"]["email"] for result in DBTaskResult.objects.all()}
    assert kept == {"done-today", "failed-last-week", "waiting"}
