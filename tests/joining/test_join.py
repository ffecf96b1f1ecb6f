"""The "Doe mee" / "Join" form on every action page."""

from smtplib import SMTPException

import pytest
from django.core import mail
from django.utils import translation
from django.utils.html import escape

from home.models import SiteSettings
from joining.forms import NOT_PLAIN_NAME
from joining.models import JoinRequest
from joining.requests import submit_join_request

FORM = {"name": "Ans de Vries", "email": "ans@example.org", "message": "Ik wil graag meedoen."}


@pytest.fixture
def action(add_action):
    SiteSettings.objects.update_or_create(pk=SiteSettings.load().pk, defaults={"contact_email": "team@example.org"})
    return add_action(3, title="Verkiezingen bundelen")


def join_url(action, prefix=""):
    return f"{prefix}/doe-mee/{action.pk}/" if not prefix else f"{prefix}/join-action/{action.pk}/"


def test_every_action_page_shows_the_join_form_without_a_cookie(action, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = client.get(action.url)
    html = response.content.decode()
    assert f'<form method="post" action="/doe-mee/{action.pk}/#join" novalidate>' in html
    assert "Doe mee" in html
    assert "csrfmiddlewaretoken" not in html
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in response.headers.get("Vary", "").lower()


def test_a_join_request_is_saved_mailed_to_the_team_and_acknowledged(action, client, settings):
    settings.SITE_URL = "https://kernteam.example"
    response = client.post(join_url(action), FORM)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "doorgestuurd naar het kernteam" in response.content.decode()
    request = JoinRequest.objects.get()
    assert (request.action, request.action_title, request.name, request.language) == (
        action,
        "Verkiezingen bundelen",
        "Ans de Vries",
        "nl",
    )
    assert request.mail_status == JoinRequest.MailStatus.SENT
    team, acknowledgement = mail.outbox
    assert team.to == ["team@example.org"]
    assert team.reply_to == ["ans@example.org"]
    assert "Verkiezingen bundelen" in team.subject and "Ans de Vries" in team.subject
    assert "Ik wil graag meedoen." in team.body
    assert action.full_url in team.body
    assert acknowledgement.to == ["ans@example.org"]
    assert acknowledgement.subject == "We hebben je aanmelding voor “Verkiezingen bundelen” ontvangen"
    assert acknowledgement.alternatives[0][1] == "text/html"


def test_the_acknowledgement_speaks_the_language_of_the_page(action, tree, client, english):
    for page in (tree["home"], tree["index"]):
        page.copy_for_translation(english).save_revision().publish()
    english_action = action.copy_for_translation(english)
    english_action.title = "Bundling elections"
    english_action.save_revision().publish()
    assert client.post(f"/en/join-action/{english_action.pk}/", FORM).status_code == 200
    _, acknowledgement = mail.outbox
    assert acknowledgement.subject == "We received your request to join “Bundling elections”"
    assert "Thank you for wanting to join" in acknowledgement.body


def test_when_mail_fails_the_request_is_kept_and_the_person_is_told(action, client, monkeypatch):
    def fail(self, messages):
        raise SMTPException("mail server down")

    # Django's test environment delivers into mail.outbox through the locmem backend: make it fail.
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", fail)
    response = client.post(join_url(action), FORM)
    assert response.status_code == 200
    assert "We hebben je aanmelding voor “Verkiezingen bundelen” bewaard" in response.content.decode()
    request = JoinRequest.objects.get()
    assert request.mail_status == JoinRequest.MailStatus.FAILED
    assert request.message == "Ik wil graag meedoen."


def test_invalid_input_shows_the_action_page_again_with_messages_and_what_was_typed(action, client):
    response = client.post(join_url(action), {**FORM, "email": "ans@", "message": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Verkiezingen bundelen</h1>" in html
    assert 'value="Ans de Vries"' in html
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in html
    assert "Vertel ons kort hoe je zou willen meedoen." in html
    assert not JoinRequest.objects.exists()
    assert mail.outbox == []


def test_the_honeypot_and_the_rate_limit_guard_the_join_form(action, client):
    assert client.post(join_url(action), {**FORM, "website": "spam"}).status_code == 200
    assert not JoinRequest.objects.exists()
    for _ in range(5):
        assert client.post(join_url(action), FORM).status_code == 200
    assert client.post(join_url(action), FORM).status_code == 429
    assert JoinRequest.objects.count() == 5


def test_editors_see_join_requests_in_the_admin(action, client, admin_client):
    client.post(join_url(action), FORM)
    response = admin_client.get("/admin/join_requests/")
    assert response.status_code == 200
    assert "Ans de Vries" in response.content.decode()
    export = admin_client.get("/admin/join_requests/?export=csv")
    assert "Ik wil graag meedoen." in b"".join(export.streaming_content).decode()


@pytest.mark.parametrize(
    "name",
    [
        "Ans\nde Vries",
        "Ans\r\nBcc: everyone@example.org",
        "Ans \u202ekooc",  # right-to-left override
        "Ans\u200bde Vries",  # zero-width space
        "Ans\x00",
        "Visit https://spam.example",
        "Buy at spam.example now",
        "www.spam.example",
        "Eve <b>&</b>",
        "x" * 101,
    ],
)
def test_the_name_is_plain_short_and_on_one_line(action, client, name):
    """Only the team sees the name, yet it must carry no one's message: no line breaks, control, bidi or
    zero-width characters, markup or web addresses, and 100 characters at most."""
    response = client.post(join_url(action), {**FORM, "name": name})
    assert response.status_code == 200
    assert not JoinRequest.objects.exists() and mail.outbox == []
    assert 'id="id_name_error"' in response.content.decode()  # the message stands by the name field


@pytest.mark.parametrize("name", ["Ans de Vries", "J.R.R. Tolkien", "Renée O’Brien-Smit", "Zoë  van  der Berg"])
def test_ordinary_names_pass(action, client, name):
    assert client.post(join_url(action), {**FORM, "name": name}).status_code == 200
    assert JoinRequest.objects.get().name == " ".join(name.split())


def test_the_acknowledgement_echoes_nothing_the_stranger_typed(action, client):
    client.post(join_url(action), {**FORM, "message": "Koop nu bij https://spam.example"})
    _, acknowledgement = mail.outbox
    html = acknowledgement.alternatives[0][0]
    for text in (acknowledgement.subject, acknowledgement.body, html):
        assert "Ans" not in text and "spam.example" not in text
    assert acknowledgement.body.startswith("Hallo,")


def test_the_teams_mail_has_a_plain_subject_and_no_fake_lines(action):
    """Whoever calls the service (the form refuses such names): the subject is plain text, the name one line."""
    submit_join_request(action, "Eve <b>&</b>", "eve@example.org", "Hoi", "nl")
    submit_join_request(action, "Eve\nE-mail address: boss@example.org", "eve@example.org", "Hoi", "en")
    first, _, second, _ = mail.outbox
    assert first.subject == "Aanmelding voor “Verkiezingen bundelen” van Eve <b>&</b>"
    assert "Eve &lt;b&gt;&amp;&lt;/b&gt;" in first.alternatives[0][0]  # escaped once in HTML
    assert "Eve <b>&</b>" in first.body
    lines = second.body.splitlines()
    assert not any(line.startswith("E-mail address: boss") or line.startswith("E-mailadres: boss") for line in lines)
    assert "\n" not in second.subject


def test_a_name_refused_for_its_characters_gets_a_clear_message(action, client):
    response = client.post(join_url(action), {**FORM, "name": "Ans\u202e"})
    with translation.override("nl"):
        assert escape(str(NOT_PLAIN_NAME)) in response.content.decode()
