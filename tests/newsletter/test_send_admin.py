"""Sending an edition from the Wagtail admin: who may, the confirmation screen, scheduling, progress, retries and
the copies as sent. The editors here read the admin in English (their profile's choice), so the admin's own
strings are English whatever the catalogue translates."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page
from wagtail.users.models import UserProfile

from newsletter.delivery import api, status, task
from newsletter.drafting import draft_edition
from newsletter.models import Delivery, Mailing, MailingCopy

State = Delivery.State
# The editions' third action has no English page: sending takes the translation check's tick (see
# test_send_translation_check.py) and the preflight's, for its warning on that link (test_preflight.py).
TICKED = {"despite_translations": "on", "preflight_seen": "on"}


def make_editor(django_user_model, username, *codenames):
    """An editor who may edit every page, with the newsletter permissions named (none: no sending)."""
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    group = Group.objects.create(name=f"Editors {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.permissions.add(*Permission.objects.filter(content_type__app_label="newsletter", codename__in=codenames))
    GroupPagePermission.objects.create(
        group=group, page=Page.get_first_root_node(), permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(group)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def sender(django_user_model, client):
    client.force_login(make_editor(django_user_model, "sender", "send_newsletter"))
    return client


def send_url(edition):
    return reverse("newsletter_send_edition", args=[edition.pk])


def progress_url(mailing):
    return reverse("newsletter_mailings:progress", args=[mailing.pk])


def edit_page(client, edition):
    return client.get(reverse("wagtailadmin_pages:edit", args=[edition.pk])).content.decode()


def future(**delta):
    """A time ahead, as the admin's date-time field writes it (local time, to the minute)."""
    return timezone.localtime(timezone.now() + timedelta(**delta)).replace(second=0, microsecond=0)


def field_value(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


def assert_refused(method, url):
    """Refused the Wagtail admin's way: 403 to a script; a browser is sent to the dashboard with a message."""
    assert method(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403, url
    response = method(url)
    assert response.status_code == 302 and response["Location"] == "/admin/", url


# Who may send -------------------------------------------------------------------------------------------------


def test_an_editor_without_the_send_permission_sees_no_send_button_and_is_refused(
    editions, subscribers, client, django_user_model
):
    client.force_login(make_editor(django_user_model, "editor"))
    mailing = api.start_send(editions["nl"])
    assert reverse("newsletter_send_test", args=[editions["nl"].pk]) in edit_page(client, editions["nl"])
    assert send_url(editions["nl"]) not in edit_page(client, editions["nl"])
    assert progress_url(mailing) not in edit_page(client, editions["nl"])
    for url in [
        send_url(editions["nl"]),
        progress_url(mailing),
        reverse("newsletter_mailings:progress_region", args=[mailing.pk]),
        reverse("newsletter_mailings:sent_copy", args=[mailing.pk, "nl"]),
        reverse("newsletter_mailings:sent_copy_html", args=[mailing.pk, "nl"]),
        reverse("newsletter_mailings:index"),
    ]:
        assert_refused(client.get, url)
    assert_refused(client.post, send_url(editions["en"]))
    assert_refused(client.post, reverse("newsletter_mailings:retry_failed", args=[mailing.pk]))
    assert_refused(client.post, reverse("newsletter_mailings:resend_unknown", args=[mailing.pk]))
    assert "/admin/newsletter/sends/" not in client.get("/admin/").content.decode()  # no menu item either
    assert Mailing.objects.count() == 1


def test_a_sender_finds_send_on_the_edition_and_then_its_progress(editions, subscribers, sender):
    assert send_url(editions["nl"]) in edit_page(sender, editions["nl"])
    mailing = api.start_send(editions["nl"])
    html = edit_page(sender, editions["nl"])
    assert send_url(editions["nl"]) not in html and progress_url(mailing) in html


def test_who_may_only_view_mailings_sees_the_progress_but_cannot_act(editions, subscribers, client, django_user_model):
    client.force_login(make_editor(django_user_model, "viewer", "view_mailing"))
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    Delivery.objects.filter(pk=Delivery.objects.first().pk).update(state=State.FAILED)
    response = client.get(progress_url(mailing))
    assert response.status_code == 200 and response.context["failed"] == 1
    assert reverse("newsletter_mailings:retry_failed", args=[mailing.pk]) not in response.content.decode()
    assert_refused(client.post, reverse("newsletter_mailings:retry_failed", args=[mailing.pk]))
    assert_refused(client.get, send_url(editions["nl"]))


# The confirmation screen ---------------------------------------------------------------------------------------


def test_the_confirmation_counts_confirmed_subscribers_per_language_and_sends_nothing(editions, subscribers, sender):
    response = sender.get(send_url(editions["en"]))
    assert response.status_code == 200
    rows = {row["name"]: (row["count"], row["live"]) for row in response.context["languages"]}
    assert rows == {"Nederlands": (5, True), "English": (3, True)}
    assert response.context["total"] == 8
    html = response.content.decode()
    assert "8 confirmed subscribers get this edition." in html
    assert "dutch_for_english" not in html  # both editions are live: there is nothing to choose
    assert Mailing.objects.count() == 0 and mail.outbox == []


def test_sending_now_starts_the_mailing_and_shows_its_progress(editions, subscribers, sender):
    response = sender.post(send_url(editions["nl"]), {**TICKED, "send_at": ""})
    mailing = Mailing.objects.get()
    assert response.status_code == 302 and response["Location"] == progress_url(mailing)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"Sending “{editions['nl'].title}” has started."
    ]
    assert mailing.edition_id == editions["nl"].pk and not mailing.dutch_for_english
    assert mailing.started_by.username == "sender"
    assert abs(mailing.send_at - timezone.now()) < timedelta(minutes=1)


def test_an_unpublished_edition_cannot_be_sent(editions, subscribers, sender):
    editions["nl"].unpublish()
    response = sender.get(send_url(editions["nl"]))
    assert response.context["form"] is None
    assert "Only a published edition can be sent." in response.content.decode()
    response = sender.post(send_url(editions["nl"]), {**TICKED, "send_at": ""}, follow=True)
    assert Mailing.objects.count() == 0
    assert "Only a published edition can be sent." in response.content.decode()


def test_without_a_live_english_edition_the_english_subscribers_wait(editions, subscribers, sender):
    editions["en"].unpublish()
    response = sender.get(send_url(editions["nl"]))
    rows = {row["name"]: (row["count"], row["live"], row["waits"]) for row in response.context["languages"]}
    assert rows == {"Nederlands": (5, True, False), "English": (3, False, True)}
    html = response.content.decode()
    assert "The translation for the subscribers who read English is not live." in html
    assert 'name="dutch_for_english"' in html

    sender.post(send_url(editions["nl"]), {**TICKED, "send_at": ""})
    mailing = Mailing.objects.get()
    assert not mailing.dutch_for_english
    task.run(mailing.pk)
    assert mail.outbox == []  # nobody yet: the whole sending waits for the English edition
    response = sender.get(progress_url(mailing))
    assert response.context["progress"].waiting and response.context["waiting_for"] == "English"


def test_the_editor_may_send_the_dutch_edition_to_english_subscribers(editions, subscribers, sender):
    editions["en"].unpublish()
    sender.post(send_url(editions["nl"]), {**TICKED, "send_at": "", "dutch_for_english": "on"})
    mailing = Mailing.objects.get()
    assert mailing.dutch_for_english
    task.run(mailing.pk)
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        subscriber.email for subscriber in subscribers
    )
    assert {message.subject for message in mail.outbox} == {editions["nl"].subject}


# Scheduling ---------------------------------------------------------------------------------------------------


def test_a_sending_can_be_scheduled_in_the_editors_time_zone(editions, subscribers, sender):
    moment = future(days=2)
    response = sender.post(send_url(editions["nl"]), {**TICKED, "send_at": field_value(moment)})
    mailing = Mailing.objects.get()
    (message,) = [str(message) for message in get_messages(response.wsgi_request)]
    assert message.startswith(f"“{editions['nl'].title}” is scheduled for ")
    assert mailing.send_at == moment  # Europe/Amsterdam, the site's zone (the editor chose none)
    assert moment.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    progress = sender.get(response["Location"])
    assert progress.context["progress"].state == Mailing.State.SCHEDULED
    assert "(Europe/Amsterdam)" in progress.content.decode()
    assert not progress.context["progress"].waiting
    task.run(mailing.pk)
    assert mail.outbox == []  # not due yet


def test_a_scheduled_sending_can_be_cancelled_and_the_edition_sent_again(editions, subscribers, sender):
    sender.post(send_url(editions["nl"]), {**TICKED, "send_at": field_value(future(days=2))})
    mailing = Mailing.objects.get()
    url = reverse("newsletter_mailings:cancel", args=[mailing.pk])
    assert f'action="{url}"' in sender.get(progress_url(mailing)).content.decode()
    assert sender.get(url).status_code == 405  # only a POST acts
    response = sender.post(url, follow=True)
    assert response.redirect_chain == [(reverse("wagtailadmin_pages:edit", args=[editions["nl"].pk]), 302)]
    assert f"Sending “{editions['nl'].title}” is cancelled." in response.content.decode()
    assert not Mailing.objects.exists()
    task.run(mailing.pk)  # the task queued for the scheduled time finds nothing to do
    assert mail.outbox == []
    assert sender.get(send_url(editions["nl"])).context["form"] is not None  # it can be sent or scheduled again


def test_a_sending_that_has_begun_cannot_be_cancelled(sent, sender):
    url = reverse("newsletter_mailings:cancel", args=[sent.pk])
    assert f'action="{url}"' not in sender.get(progress_url(sent)).content.decode()
    response = sender.post(url, follow=True)
    assert response.redirect_chain == [(progress_url(sent), 302)]
    assert "Sending has begun: it can no longer be cancelled." in response.content.decode()
    assert Mailing.objects.filter(pk=sent.pk).exists()


def test_only_a_sender_may_cancel(editions, subscribers, client, django_user_model):
    mailing = api.start_send(editions["nl"], send_at=future(days=1))
    client.force_login(make_editor(django_user_model, "watcher"))
    assert_refused(client.post, reverse("newsletter_mailings:cancel", args=[mailing.pk]))
    assert Mailing.objects.filter(pk=mailing.pk).exists()


def test_the_confirmation_names_the_time_zone(editions, subscribers, sender):
    assert "Times are in the Europe/Amsterdam time zone" in sender.get(send_url(editions["nl"])).content.decode()


@pytest.mark.parametrize("value", [field_value(future(minutes=-5)), "yesterday"])
def test_a_time_in_the_past_or_no_time_at_all_is_refused(editions, subscribers, sender, value):
    response = sender.post(send_url(editions["nl"]), {**TICKED, "send_at": value})
    assert response.status_code == 200 and response.context["form"].errors["send_at"]
    assert Mailing.objects.count() == 0


# A second submit ----------------------------------------------------------------------------------------------


def test_a_second_submit_shows_the_first_sending_and_starts_none(editions, subscribers, sender):
    first = sender.post(send_url(editions["nl"]), {**TICKED, "send_at": ""})
    second = sender.post(send_url(editions["en"]), {**TICKED, "send_at": ""}, follow=True)
    mailing = Mailing.objects.get()
    assert first["Location"] == progress_url(mailing)
    assert second.redirect_chain == [(progress_url(mailing), 302)]
    assert "This edition has already been sent or is being sent." in second.content.decode()


def test_a_submit_that_loses_the_race_shows_the_sending_that_won(editions, subscribers, sender, monkeypatch):
    """Two submits at once both find no sending yet; the engine starts one and refuses the other."""
    winner = api.start_send(editions["nl"])
    real, answers = status.mailing_for, [None]  # the loser looked before the winner's sending existed
    monkeypatch.setattr(status, "mailing_for", lambda edition: answers.pop() if answers else real(edition))
    response = sender.post(send_url(editions["nl"]), {**TICKED, "send_at": ""})
    assert response.status_code == 302 and response["Location"] == progress_url(winner)
    assert Mailing.objects.get() == winner


# Progress -----------------------------------------------------------------------------------------------------


@pytest.fixture
def sent(editions, subscribers):
    """The edition sent to its 8 subscribers; then two deliveries are marked failed and one unknown."""
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    mail.outbox.clear()
    first = list(Delivery.objects.order_by("pk").values_list("pk", flat=True)[:3])
    Delivery.objects.filter(pk__in=first[:2]).update(state=State.FAILED, error="rejected")
    Delivery.objects.filter(pk=first[2]).update(state=State.UNKNOWN)
    return mailing


def test_the_progress_screen_shows_the_figures_and_a_progress_bar(sent, sender, django_assert_max_num_queries):
    # The admin shell: session, user, its two-factor device, permissions, profile, locales; then the mailing itself,
    # its deliveries per state and its figures per language (test_figures.py).
    with django_assert_max_num_queries(20):
        response = sender.get(progress_url(sent))
    progress = response.context["progress"]
    assert (progress.counts[State.SENT], progress.counts[State.FAILED], progress.counts[State.UNKNOWN]) == (5, 2, 1)
    html = response.content.decode()
    assert re.search(r'<progress id="mailing-progress-bar" [^>]*max="8" value="8">100%</progress>', html)
    assert '<td data-state="sent">5</td>' in html and '<td data-state="failed">2</td>' in html
    assert "8 of 8 done (100%)" in html
    assert 'data-refresh-url=""' in html  # done: the page stops refreshing
    assert "newsletter/admin/mailing-progress.js" in html
    assert "<script>" not in html.split("data-mailing-progress")[1]  # the refresh is no inline script


def test_while_sending_the_figures_refresh_from_their_own_address(
    editions, subscribers, sender, django_assert_max_num_queries
):
    mailing = api.start_send(editions["nl"])
    task.prepare(mailing.pk)  # the deliveries exist, none is sent yet
    region = reverse("newsletter_mailings:progress_region", args=[mailing.pk])
    assert f'data-refresh-url="{region}"' in sender.get(progress_url(mailing)).content.decode()
    with django_assert_max_num_queries(10):
        response = sender.get(region)
    html = response.content.decode()
    assert "<html" not in html and 'max="8" value="0"' in html
    assert '<td data-state="pending">8</td>' in html
    assert reverse("newsletter_mailings:sent_copy", args=[mailing.pk, "en"]) in html  # frozen when sending began


def test_retry_failed_queues_the_failed_deliveries_again(sent, sender):
    failed = sorted(Delivery.objects.filter(state=State.FAILED).values_list("subscriber__email", flat=True))
    html = sender.get(progress_url(sent)).content.decode()
    url = reverse("newsletter_mailings:retry_failed", args=[sent.pk])
    assert f'action="{url}"' in html
    assert sender.get(url).status_code == 405  # only a POST acts
    response = sender.post(url, follow=True)
    assert response.redirect_chain == [(progress_url(sent), 302)]
    assert "2 failed deliveries are sent again." in response.content.decode()
    assert response.context["progress"].counts[State.PENDING] == 2
    task.run(sent.pk)
    assert sorted(address for message in mail.outbox for address in message.to) == failed


def test_the_interrupted_ones_are_explained_and_sent_again_only_on_request(sent, sender):
    html = sender.get(progress_url(sent)).content.decode()
    assert "whether it went out is unknown" in html
    url = reverse("newsletter_mailings:resend_unknown", args=[sent.pk])
    assert f'action="{url}"' in html
    response = sender.post(url, follow=True)
    assert "1 interrupted delivery is sent again." in response.content.decode()
    assert response.context["progress"].counts[State.UNKNOWN] == 0
    assert response.context["progress"].counts[State.PENDING] == 1


# The copy as sent ---------------------------------------------------------------------------------------------


def test_each_languages_sent_copy_shows_the_subject_html_and_text_as_frozen(sent, sender, editions):
    progress = sender.get(progress_url(sent)).content.decode()
    for language in ("nl", "en"):
        assert reverse("newsletter_mailings:sent_copy", args=[sent.pk, language]) in progress
    copy = MailingCopy.objects.get(mailing=sent, language="en")
    copy.text += "\n<b>not markup</b>"
    copy.save()
    # Editing the page afterwards changes nothing of what was sent.
    editions["en"].subject = "Changed later"
    editions["en"].save_revision().publish()

    response = sender.get(reverse("newsletter_mailings:sent_copy", args=[sent.pk, "en"]))
    html = response.content.decode()
    assert copy.subject in html and "Changed later" not in html
    assert "&lt;b&gt;not markup&lt;/b&gt;" in html  # the text is shown as text
    html_url = reverse("newsletter_mailings:sent_copy_html", args=[sent.pk, "en"])
    assert f'<iframe src="{html_url}" sandbox=""' in html

    framed = sender.get(html_url)
    assert framed.content.decode() == copy.html
    assert "sandbox" in framed["Content-Security-Policy"]
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    assert sender.get(reverse("newsletter_mailings:sent_copy", args=[sent.pk, "de"])).status_code == 404


# Finding mailings ---------------------------------------------------------------------------------------------


def test_the_newsletter_sends_menu_lists_mailings_with_state_and_counts(
    sent, sender, publish, django_assert_max_num_queries
):
    assert reverse("newsletter_mailings:index") in sender.get("/admin/").content.decode()
    december = publish(draft_edition(today=date(2026, 12, 1)).edition, datetime(2026, 12, 1, 9, tzinfo=UTC))
    later = api.start_send(december, send_at=timezone.now() + timedelta(days=1))
    sender.get(reverse("newsletter_mailings:index"))  # publishing emptied the site shell: fill it again
    with django_assert_max_num_queries(13):  # the figures are one query for the listed mailings, not one per mailing
        response = sender.get(reverse("newsletter_mailings:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert progress_url(sent) in html and sent.edition.title in html and progress_url(later) in html
    rows = {
        row.pk: (row.state, [(figures.language, figures.sent, figures.failed) for figures in row.figures])
        for row in response.context["object_list"]
    }
    assert rows == {sent.pk: ("done", [("nl", 2, 2), ("en", 3, 0)]), later.pk: ("scheduled", [])}
    assert reverse("newsletter_mailings:add") not in html
    assert_refused(sender.get, reverse("newsletter_mailings:add"))
    assert_refused(sender.post, reverse("newsletter_mailings:delete", args=[sent.pk]))
