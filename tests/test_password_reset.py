"""The admin's password reset: the same answer and path for every address, the mail from the worker, and limits."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

PASSWORD = "a-long-and-proper-password"
REFUSED = "Too many requests to reset a password. Please try again in an hour."


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redacteur", "redacteur@example.org", PASSWORD)


def reset(client, email, address="192.0.2.10"):
    return client.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_the_reset_mail_leaves_the_request_and_the_worker_sends_it(editor, client, mailoutbox, run_worker):
    response = reset(client, "Redacteur@Example.org")
    assert response.status_code == 302 and response["Location"] == "/admin/password_reset/done/"
    assert mailoutbox == [], "nothing is sent within the request"
    run_worker()
    assert [message.to for message in mailoutbox] == [["redacteur@example.org"]]

    link = re.search(r"https?://\S+/admin/password_reset/confirm/\S+/", mailoutbox[0].body).group(0)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new_password = "another-long-proper-password"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    login = client.post("/admin/login/", {"username": "redacteur", "password": new_password})
    assert login.status_code == 302


def test_known_and_unknown_addresses_get_the_same_answer_by_the_same_path(editor, client, mailoutbox, run_worker):
    known = reset(client, "redacteur@example.org")
    unknown = reset(client, "niemand@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert DBTaskResult.objects.count() == 2, "both queue their lookup"
    run_worker()
    assert len(mailoutbox) == 1


def refusal(response):
    """429 with the refusal in Dutch, the admin's language for someone not signed in."""
    with translation.override("nl"):
        return response.status_code == 429 and response.context["form"].non_field_errors() == [gettext(REFUSED)]


def test_the_sixth_request_in_an_hour_for_one_address_is_refused(editor, client, mailoutbox, run_worker):
    answers = [reset(client, "redacteur@example.org", address=f"192.0.2.{n}") for n in range(6)]
    assert [answer.status_code for answer in answers[:5]] == [302] * 5
    assert refusal(answers[5])
    assert reset(client, "iemand@example.org", address="192.0.2.9").status_code == 302, "other addresses go on"
    run_worker()
    assert len(mailoutbox) == 5


def test_a_client_asking_for_many_addresses_is_refused(db, client):
    answers = [reset(client, f"iemand{n}@example.org").status_code for n in range(20)]
    assert answers == [302] * 20
    assert refusal(reset(client, "nog-iemand@example.org"))
    assert reset(client, "nog-iemand@example.org", address="198.51.100.7").status_code == 302, "other clients go on"
