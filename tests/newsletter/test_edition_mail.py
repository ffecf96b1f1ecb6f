"""An edition as e-mail: both parts from the same content, the headers, previews, the test send, SpamAssassin."""

import email
import re
import shutil
from datetime import UTC, date, datetime
from email import policy

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from newsletter import form_keys, links
from newsletter.drafting import draft_edition
from newsletter.mail_backends import EmlFileBackend
from newsletter.messages import edition_message, send_test
from newsletter.models import NewsletterPage
from newsletter.spam import spam_report

SITE = "https://kernteam.example"


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def editions(actions, publish, site_url):
    """The November edition, published, in Dutch and English."""
    draft = draft_edition(today=date(2026, 11, 1))
    when = datetime(2026, 11, 1, 9, tzinfo=UTC)
    return {"nl": publish(draft.edition, when), "en": publish(draft.translation, when)}


def html_of(message):
    (alternative,) = message.alternatives
    assert alternative[1] == "text/html"
    return alternative[0]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_message_carries_the_subscribers_own_unsubscribe_link_and_list_headers(
    editions, make_subscriber, language, client
):
    subscriber = make_subscriber(language=language)
    message = edition_message(editions[language], subscriber)
    personal = links.preferences_url(subscriber)
    one_click = links.one_click_unsubscribe_url(subscriber)
    assert message.to == [subscriber.email]
    assert message.extra_headers["List-Unsubscribe"] == f"<{one_click}>"
    assert one_click.startswith("https://")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Id"] == "<nieuwsbrief.kernteam.example>"
    assert personal in message.body
    assert f'href="{personal}"' in html_of(message)
    # The link is this subscriber's: following it and saving with the newsletter unticked unsubscribes them.
    key = form_keys.form_key(links.unsubscribe_token(subscriber))
    client.post(personal.removeprefix(SITE), {"action": "save", "language": language, "form_key": key})
    subscriber.refresh_from_db()
    assert subscriber.state == subscriber.State.UNSUBSCRIBED


def test_the_html_part_is_made_for_mail_clients(editions, make_subscriber):
    html = html_of(edition_message(editions["nl"], make_subscriber()))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "nl"
    assert soup.title.string == "Nieuwsbrief november 2026"
    tables = soup.find_all("table")
    assert tables and all(table.get("role") == "presentation" for table in tables)
    # The CSS is inlined: no style element is left, and the stylesheet's rules sit on the elements.
    assert soup.find("style") is None
    assert "font-size:22px" in soup.find("h2")["style"].replace(" ", "")
    assert "border-left: 3px solid #01689b" in soup.find("li", class_="update")["style"]
    # The preheader comes first, hidden.
    preheader = soup.find(class_="preheader")
    assert preheader.get_text(strip=True) == editions["nl"].preheader
    assert "display:none" in preheader["style"].replace(" ", "")
    assert soup.body.find(True) is preheader
    # No tracking: no images at all (so none without alt text), every link is the site's own, unrewritten.
    assert all(image.get("alt") is not None for image in soup.find_all("img"))
    assert not soup.find_all("img")
    links = [a["href"] for a in soup.find_all("a")]
    assert links and all(link.startswith(SITE + "/") for link in links)


@pytest.mark.parametrize(
    ("language", "action_path", "texts"),
    [
        (
            "nl",
            "/acties-en-interventies/vakmanschap-zichtbaar-maken/",
            ["1. Vakmanschap zichtbaar maken", "De eerste bijeenkomst was druk bezocht.", "Lees meer over"],
        ),
        ("en", None, ["1. Making craftsmanship visible", "The first meeting was well attended.", "Read more about"]),
    ],
)
def test_both_parts_hold_the_same_content_with_absolute_links_back_to_each_action(
    editions, actions, make_subscriber, language, action_path, texts
):
    edition = editions[language]
    message = edition_message(edition, make_subscriber(language=language))
    html, text = html_of(message), message.body
    action_urls = [SITE + page.url for page in (actions["en"][1], actions["en"][2])] if language == "en" else []
    action_urls = action_urls or [SITE + action_path, SITE + actions["nl"][1].url]
    for url in action_urls:
        assert f'href="{url}"' in html
        assert url in text
    for fragment in texts:
        assert fragment in " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
        assert fragment in text
    assert message.subject == edition.subject
    assert f'href="{SITE}{edition.url}"' in html  # the web version
    assert SITE + edition.url in text
    # Plain text, readable: no markup, no preheader repeated at the top, no layout-table pipes.
    assert not re.search(r"<[a-z/]", text)
    assert "|" not in text
    assert not text.startswith(edition.preheader)
    assert text.splitlines()[0] != ""


def test_each_update_keeps_its_date_in_both_parts(editions, make_subscriber):
    message = edition_message(editions["nl"], make_subscriber())
    assert "12 oktober 2026" in message.body
    assert '<time datetime="2026-10-12">12 oktober 2026</time>' in html_of(message)


def test_the_editor_previews_the_web_page_the_mail_and_its_plain_text(editions):
    edition = editions["nl"]
    assert [mode for mode, _label in edition.preview_modes] == ["", "email", "text"]
    web = edition.make_preview_request(preview_mode="")
    assert web.status_code == 200
    web_html = web.render().content.decode()
    assert "<h1>Nieuwsbrief november 2026</h1>" in web_html and 'class="site-header' in web_html
    as_mail = edition.make_preview_request(preview_mode="email")
    mail_html = as_mail.content.decode()
    assert 'role="presentation"' in mail_html and "<style" not in mail_html
    assert f'href="{SITE}/acties-en-interventies/vakmanschap-zichtbaar-maken/"' in mail_html
    as_text = edition.make_preview_request(preview_mode="text")
    assert as_text["Content-Type"] == "text/plain; charset=utf-8"
    text = as_text.content.decode()
    assert "1. Vakmanschap zichtbaar maken" in text and "<" not in text


def test_the_preview_shows_the_unsaved_changes(editions):
    edition = editions["nl"]
    edition.subject = "Een ander onderwerp"
    edition.intro = "<p>Nog niet opgeslagen inleiding.</p>"
    assert "Nog niet opgeslagen inleiding." in edition.make_preview_request(preview_mode="text").content.decode()


@pytest.fixture
def editor(admin_user, client):
    admin_user.email = "redacteur@example.org"
    admin_user.save()
    client.force_login(admin_user)
    return admin_user


def test_send_a_test_mails_the_latest_draft_to_the_editor_marked_as_a_test(editions, editor, client):
    edition = editions["nl"]
    edition.subject = "Concept-onderwerp"
    edition.save_revision(user=editor)  # a draft on top of the published edition
    url = reverse("newsletter_send_test", args=[edition.pk])
    assert "Test versturen" in client.get(url).content.decode() or client.get(url).status_code == 200
    assert mail.outbox == []  # the GET only asks
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=[edition.pk]
    )
    (message,) = mail.outbox
    assert message.to == ["redacteur@example.org"]
    assert message.subject == "[Test] Concept-onderwerp"
    assert "List-Unsubscribe" in message.extra_headers and "List-Id" in message.extra_headers
    assert "1. Vakmanschap zichtbaar maken" in message.body


def test_the_edit_view_offers_the_test_send(editions, editor, client):
    html = client.get(reverse("wagtailadmin_pages:edit", args=[editions["nl"].pk])).content.decode()
    assert reverse("newsletter_send_test", args=[editions["nl"].pk]) in html


def test_send_a_test_without_an_address_sends_nothing_and_says_so(editions, editor, client):
    editor.email = ""
    editor.save()
    response = client.post(reverse("newsletter_send_test", args=[editions["nl"].pk]), follow=True)
    assert mail.outbox == []
    assert "geen e-mailadres" in response.content.decode() or "no e-mail address" in response.content.decode()


def test_an_editor_without_edit_rights_cannot_send_a_test(editions, client, django_user_model):
    user = django_user_model.objects.create_user("lezer", "lezer@example.org", "x")
    client.force_login(user)
    client.post(reverse("newsletter_send_test", args=[editions["nl"].pk]))
    assert mail.outbox == []


def test_the_newsletter_page_offers_drafting_from_the_actions_and_the_post_drafts(actions, pages, editor, client):
    index = pages["newsletter"]
    url = reverse("newsletter_draft_edition", args=[index.pk])
    assert url in client.get(reverse("wagtailadmin_pages:edit", args=[index.pk])).content.decode()
    assert client.get(url).status_code == 200
    assert not NewsletterPage.objects.exists()  # the GET only asks
    response = client.post(url)
    edition = NewsletterPage.objects.get(locale__language_code="nl")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[edition.pk])
    assert not edition.live and edition.latest_revision.user == editor
    assert NewsletterPage.objects.filter(locale__language_code="en").count() == 1


def test_the_test_mail_opens_from_sent_mail_with_both_parts_and_the_headers(editions, editor, settings, tmp_path):
    settings.EMAIL_BACKEND = "newsletter.mail_backends.EmlFileBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    send_test(editions["en"], editor)
    (path,) = tmp_path.glob("*.eml")
    parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "[Test] Newsletter November 2026"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["List-Id"] == "<nieuwsbrief.kernteam.example>"
    assert (
        parsed["List-Unsubscribe"]
        .strip()
        .startswith("<https://kernteam.example/en/newsletter-subscription/unsubscribe/")
    )
    assert "Making craftsmanship visible" in parsed.get_body(("plain",)).get_content()
    assert '<html lang="en">' in parsed.get_body(("html",)).get_content()
    assert isinstance(EmlFileBackend(file_path=tmp_path), EmlFileBackend)


@pytest.mark.skipif(
    shutil.which("spamassassin") is None,
    reason="Debian's spamassassin is not installed (apt-get install spamassassin)",
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_spamassassin_scores_a_rendered_edition_below_two(editions, make_subscriber, settings, language):
    settings.DEFAULT_FROM_EMAIL = "Kernteam Ambtelijk Vakmanschap <nieuwsbrief@kernteam.example>"
    score, headers = spam_report(edition_message(editions[language], make_subscriber(language=language)))
    print(f"SpamAssassin score ({language}): {score}")
    assert score < 2, headers
