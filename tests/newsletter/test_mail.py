"""Mail in both languages, with absolute links; and the development backend that writes .eml files."""

import email
import re
from email import policy

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from newsletter import services
from newsletter.mail_backends import EmlFileBackend


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "path"),
    [
        ("nl", "Bevestig je inschrijving op onze nieuwsbrief", "Hallo,", "/nieuwsbrief-aanmelding/bevestigen/"),
        ("en", "Confirm your subscription to our newsletter", "Hello,", "/en/newsletter-subscription/confirm/"),
    ],
)
def test_the_confirmation_mail_speaks_the_subscribers_language_in_text_and_html(
    pages, settings, run_worker, language, subject, greeting, path
):
    settings.SITE_URL = "https://kernteam.example"
    services.subscribe("ans@example.org", language)
    run_worker()
    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert message.subject == subject
    assert message.body.startswith(greeting)
    assert f'<html lang="{language}">' in html
    assert greeting in html
    # The link the worker signed (its token holds the second it was made, so it is read from the mail, not remade).
    link = re.search(re.escape("https://kernteam.example" + path) + r"(\S+)/", message.body)
    assert link and f'href="{link.group(0)}"' in html
    assert services.subscriber_for_confirmation(link.group(1)) == (services.Subscriber.objects.get(), None)


def test_mail_is_rendered_in_the_subscribers_language_whatever_the_visitors(pages, client, run_worker):
    client.post("/nieuwsbrief-aanmelding/", {"email": "ans@example.org", "language": "en", "consent": "on"})
    run_worker()
    (message,) = mail.outbox
    assert message.subject == "Confirm your subscription to our newsletter"


def test_the_development_backend_writes_one_eml_file_per_message_and_recipient(tmp_path):
    first = EmailMultiAlternatives("Eén", "tekst", "team@example.org", ["a@example.org", "b@example.org"])
    first.attach_alternative("<p>tekst</p>", "text/html")
    second = EmailMultiAlternatives("Twee", "tekst", "team@example.org", ["c@example.org"])
    assert EmlFileBackend(file_path=tmp_path).send_messages([first, second]) == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 3
    assert [name.name.rsplit("-", 1)[-1] for name in files] == [
        "a@example.org.eml",
        "b@example.org.eml",
        "c@example.org.eml",
    ]
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Eén"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>tekst</p>"
    assert parsed.get_body(("plain",)).get_content().strip() == "tekst"


def test_development_settings_use_the_eml_backend():
    from config.settings import dev

    assert dev.EMAIL_BACKEND == "newsletter.mail_backends.EmlFileBackend"
    assert dev.EMAIL_FILE_PATH.name == "sent-mail"
