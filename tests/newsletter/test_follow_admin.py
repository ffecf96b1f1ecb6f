"""Editors see who follows what: the follower counts of an action (per language and how often, in a fixed number of
queries), and what each subscriber follows in People → Subscribers and its CSV export (newsletter/admin/)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletter.models import Follow, Subscriber

State = Subscriber.State
FREQUENCIES = [("immediately", "nl"), ("immediately", "en"), ("weekly", "nl"), ("immediately", "nl")]


@pytest.fixture
def followed(add_action, make_subscriber):
    """Action 7, followed by three confirmed addresses and one waiting, and ignored by a bounced one."""
    action = add_action(7, title="De eed")
    now = timezone.now()

    def follow(email, frequency, language, state=Follow.State.CONFIRMED, subscriber_state=State.NOT_SUBSCRIBED):
        subscriber = make_subscriber(email, state=subscriber_state, language=language)
        return Follow.objects.create(
            subscriber=subscriber, action=action, frequency=frequency, state=state, state_changed_at=now
        )

    def add_followers(start, n):
        for number in range(start, start + n):
            frequency, language = FREQUENCIES[number % len(FREQUENCIES)]
            follow(f"f{number}@example.org", frequency, language)

    follow("ans@example.org", "weekly", "nl", subscriber_state=State.CONFIRMED)
    follow("bob@example.org", "immediately", "en")
    follow("cor@example.org", "immediately", "nl")
    follow("wacht@example.org", "immediately", "nl", state=Follow.State.PENDING)
    follow("weg@example.org", "weekly", "nl", state=Follow.State.STOPPED)
    follow("bounced@example.org", "weekly", "en", subscriber_state=State.BOUNCED)
    return {"action": action, "add_followers": add_followers}


def followers_url(action):
    return f"/admin/newsletter/actions/{action.pk}/followers/"


def test_the_follower_counts_per_language_and_frequency(followed, admin_client):
    response = admin_client.get(followers_url(followed["action"]))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert [(row["counts"], row["total"]) for row in counts["rows"]] == [([1, 1], 2), ([1, 0], 1)]
    assert (counts["total"], counts["pending"]) == (3, 1)
    html = response.content.decode()
    assert "3 adressen volgen deze actie." in html
    assert f'href="/admin/newsletter/actions/{followed["action"].pk}/told/"' in html


def test_the_counts_take_the_same_queries_whatever_the_number_of_followers(
    followed, admin_client, django_assert_max_num_queries
):
    url = followers_url(followed["action"])
    admin_client.get(url)  # the first request warms the caches of the admin (site, locales, permissions)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    followed["add_followers"](0, 20)
    with django_assert_max_num_queries(len(few)):
        response = admin_client.get(url)
    assert response.context["counts"]["total"] == 23


def test_the_action_header_menu_links_to_its_followers(followed, admin_client):
    action = followed["action"]
    response = admin_client.get(f"/admin/pages/{action.pk}/edit/")
    assert followers_url(action) in response.content.decode()


def test_an_editor_who_may_not_edit_the_action_sees_no_followers(followed, client, django_user_model):
    user = django_user_model.objects.create_user("lezer", "lezer@example.org", "secret", is_staff=False)
    client.force_login(user)
    assert client.get(followers_url(followed["action"])).status_code in (302, 403)


def test_subscribers_listing_shows_what_each_follows(followed, admin_client, django_assert_max_num_queries):
    followed["add_followers"](0, 10)
    with django_assert_max_num_queries(40):
        response = admin_client.get("/admin/subscribers/")
    html = response.content.decode()
    assert "De eed (Wekelijks overzicht)" in html
    assert "De eed (Zodra er nieuws is, wacht op bevestiging)" in html
    rows = response.context["subscriber_counts"]["rows"]
    by_state = {row["state"]: row["total"] for row in rows}
    assert by_state[State.NOT_SUBSCRIBED] == 14 and by_state[State.CONFIRMED] == 1


def test_the_csv_export_says_what_each_subscriber_follows(followed, admin_client):
    response = admin_client.get("/admin/subscribers/", {"export": "csv"})
    heading, *lines = csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    column = heading.index("Volgt")
    follows = {line[0]: line[column] for line in lines}
    assert follows["ans@example.org"] == "De eed (Wekelijks overzicht)"
    assert follows["wacht@example.org"] == "De eed (Zodra er nieuws is, wacht op bevestiging)"
    assert follows["weg@example.org"] == ""
