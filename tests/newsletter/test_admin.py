"""Editors see subscribers in the admin: search, filters, counts per state and language, CSV export."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page

from joining.models import JoinRequest
from newsletter.models import Subscriber

State = Subscriber.State
URL = "/admin/subscribers/"


@pytest.fixture
def subscribers(make_subscriber):
    make_subscriber("ans@example.org", State.CONFIRMED, "nl")
    make_subscriber("bob@example.org", State.CONFIRMED, "en")
    make_subscriber("cor@example.org", State.PENDING, "nl")
    make_subscriber("dirk@example.org", State.BOUNCED, "nl")


def counts_table(html):
    start = html.index("data-state-counts")
    return html[start : html.index("</tbody>", start)]


def test_the_listing_counts_subscribers_per_state_and_language(subscribers, admin_client):
    response = admin_client.get(URL)
    assert response.status_code == 200
    rows = response.context["subscriber_counts"]["rows"]
    by_state = {row["state"]: (row["counts"], row["total"]) for row in rows}
    assert by_state[State.CONFIRMED] == ([1, 1], 2)
    assert by_state[State.PENDING] == ([1, 0], 1)
    assert by_state[State.BOUNCED] == ([1, 0], 1)
    assert by_state[State.COMPLAINED] == ([0, 0], 0)
    assert response.context["subscriber_counts"]["total"] == 4
    assert "<td>2</td>" in counts_table(response.content.decode())


def test_search_and_filters(subscribers, admin_client):
    found = admin_client.get(URL, {"q": "bob"}).content.decode()
    assert "bob@example.org" in found and "ans@example.org" not in found
    filtered = admin_client.get(URL, {"state": "confirmed", "language": "nl"}).content.decode()
    assert "ans@example.org" in filtered
    assert "bob@example.org" not in filtered and "cor@example.org" not in filtered


def test_csv_export(subscribers, admin_client):
    response = admin_client.get(URL, {"export": "csv", "state": "confirmed"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="subscribers')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3  # header and the two confirmed subscribers
    assert {row[0] for row in rows[1:]} == {"ans@example.org", "bob@example.org"}


def editor(django_user_model, *codenames):
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw", is_staff=False)
    group = Group.objects.create(name="Newsletter readers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.permissions.add(*Permission.objects.filter(content_type__app_label="newsletter", codename__in=codenames))
    GroupPagePermission.objects.create(
        group=group, page=Page.get_first_root_node(), permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(group)
    return user


def test_subscribers_are_behind_a_permission_of_their_own(subscribers, client, django_user_model):
    client.force_login(editor(django_user_model))
    assert client.get(URL).status_code in (302, 403)
    assert client.get(URL, {"export": "csv"}).status_code in (302, 403)


def test_an_editor_with_the_permission_sees_them(subscribers, client, django_user_model):
    client.force_login(editor(django_user_model, "view_subscriber"))
    response = client.get(URL)
    assert response.status_code == 200
    assert "ans@example.org" in response.content.decode()


def test_nobody_adds_subscribers_or_join_requests_by_hand(admin_client):
    for url in (URL, "/admin/join_requests/"):
        listing = admin_client.get(url)
        assert listing.status_code == 200
        assert f'href="{url}new/"' not in listing.content.decode()
        assert admin_client.get(url + "new/").status_code in (302, 403)


def test_an_editor_can_correct_a_state_but_not_the_address(subscribers, admin_client):
    subscriber = Subscriber.objects.get(email="dirk@example.org")
    response = admin_client.post(
        f"{URL}edit/{subscriber.pk}/", {"state": "confirmed", "language": "en", "email": "other@example.org"}
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert (subscriber.email, subscriber.state, subscriber.language) == ("dirk@example.org", "confirmed", "en")


def test_the_csv_exports_hold_no_formulas(make_subscriber, admin_client):
    """Strangers type what the exports hold: a cell a spreadsheet would run as a formula starts with a quote."""
    make_subscriber("=1+2@example.org")
    JoinRequest.objects.create(
        action_title="-2+3",
        name="@SUM(1+1)",
        email="+31@example.org",
        message='=HYPERLINK("https://evil.example","Klik")',
        language="nl",
    )
    JoinRequest.objects.create(
        action_title="Actie", name="\tTab", email="a@example.org", message="\rCR", language="nl"
    )
    subscribers = export_rows(admin_client, URL)
    assert subscribers[1][0] == "'=1+2@example.org"
    join_requests = export_rows(admin_client, "/admin/join_requests/")
    cells = {cell for row in join_requests[1:] for cell in row}
    assert {"'-2+3", "'@SUM(1+1)", "'+31@example.org", '\'=HYPERLINK("https://evil.example","Klik")'} <= cells
    assert {"'\tTab", "'\rCR", "Actie", "a@example.org"} <= cells
    # A spreadsheet's own types stay as they were: dates and plain text are not quoted.
    assert not any(cell.startswith("'") for cell in subscribers[0] + subscribers[1][1:])


def export_rows(admin_client, url):
    response = admin_client.get(url, {"export": "csv"})
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
