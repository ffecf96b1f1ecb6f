"""The preflight before sending: each rule on an edition's mail, errors refusing the sending, warnings asking for a
tick, and the edition's Preflight screen. The editors read the admin in English (test_send_admin.make_editor)."""

import json
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction
from wagtail.users.models import UserProfile

from home.models import ContentPage
from newsletter.delivery import api
from newsletter.models import Mailing
from newsletter.preflight import rules
from newsletter.preflight.report import preflight
from newsletter.preflight.rules import ERROR, WARNING
from tests.newsletter.test_send_admin import TICKED, make_editor, send_url

SPAMASSASSIN = shutil.which("spamassassin")


@pytest.fixture
def sender(django_user_model, client):
    client.force_login(make_editor(django_user_model, "sender", "send_newsletter"))
    return client


def republish(edition, body="", **fields):
    """`edition` published again with `body` (HTML in a paragraph) as its "more" and the `fields` given."""
    edition.body = json.dumps([{"type": "paragraph", "value": body}] if body else [])
    for name, value in fields.items():
        setattr(edition, name, value)
    edition.save_revision().publish()
    return edition


def findings(edition):
    """(level, message) of every finding on `edition`'s mail, SpamAssassin left out, said in English."""
    with translation.override("en"):
        (mail,) = preflight([edition], with_spam=False).mails
    return [(finding.level, finding.message) for finding in mail.findings]


def link(path):
    return f'<p><a href="{settings.SITE_URL}{path}">lees</a></p>'


def test_the_drafted_edition_passes_with_its_own_links_and_lists_external_ones(editions):
    edition = republish(editions["nl"], '<p><a href="https://example.org/rapport">Het rapport</a></p>')
    (mail,) = preflight([edition], with_spam=False).mails
    # Its links to the actions, to itself on the site and to the unsubscribe route are all fine.
    assert mail.findings == []
    assert mail.external == ["https://example.org/rapport"]


def test_a_link_to_no_page_is_an_error(editions):
    edition = republish(editions["nl"], link("/acties-en-interventies/bestaat-niet/"))
    assert findings(edition) == [
        (ERROR, f"The link to {settings.SITE_URL}/acties-en-interventies/bestaat-niet/ leads to no page of this site.")
    ]


def test_links_to_a_draft_and_to_a_private_page_are_errors(editions, tree):
    draft = tree["home"].add_child(instance=ContentPage(title="Concept", slug="concept", body="[]", live=False))
    private = tree["home"].add_child(instance=ContentPage(title="Intern", slug="intern", body="[]"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    edition = republish(editions["nl"], link(draft.url) + link(private.url))
    assert findings(edition) == [
        (ERROR, f"The link to {settings.SITE_URL}/concept/ leads to “Concept”, which is not published."),
        (ERROR, f"The link to {settings.SITE_URL}/intern/ leads to “Intern”, which is private."),
    ]


def test_an_english_mail_linking_a_dutch_page_is_an_error_where_its_translation_is_live(editions, actions):
    translated, untranslated = actions["nl"][0], actions["nl"][3]
    # Without the drafted items, one of which links an untranslated action too.
    edition = republish(editions["en"], link(translated.url) + link(untranslated.url), items="[]")
    assert findings(edition) == [
        (
            ERROR,
            f"The link to {settings.SITE_URL}{translated.url} leads to “{translated.title}”, which is in "
            "Nederlands: link its translation instead.",
        ),
        (
            WARNING,
            f"The link to {settings.SITE_URL}{untranslated.url} leads to “{untranslated.title}”, which is in "
            "Nederlands: it has no translation yet.",
        ),
    ]


def test_an_image_needs_alternative_text(editions):
    edition = republish(editions["nl"], '<p><img src="/media/a.png"><img src="/media/b.png" alt=""></p>')
    assert findings(edition) == [
        (ERROR, f"The image {settings.SITE_URL}/media/a.png has no alternative text."),
        (
            WARNING,
            f"The image {settings.SITE_URL}/media/b.png has empty alternative text: right only if it is decorative.",
        ),
    ]


def test_a_mail_over_102_kb_is_an_error(editions):
    edition = republish(editions["nl"], "<p>" + "Vakmanschap. " * 12_000 + "</p>")  # about 150 KB
    ((level, message),) = findings(edition)
    assert level == ERROR
    assert message.startswith("The e-mail's HTML is 15") and "Gmail clips mails over 102 KB" in message


def test_a_long_subject_and_a_missing_preheader_are_warnings(editions):
    edition = republish(editions["nl"], subject="Nieuws " * 12, preheader="")
    assert findings(edition) == [
        (WARNING, "The subject has 83 characters; inboxes cut it short after about 78."),
        (WARNING, "The e-mail has no preheader: inboxes show its first words instead."),
    ]


def test_braces_a_template_language_would_read_are_a_warning(editions):
    edition = republish(editions["nl"], "<p>Schrijf {{ naam }} en {% if %} niet zo.</p>")
    assert findings(edition) == [
        (
            WARNING,
            "The e-mail contains {%, {{, which a mail provider's template language reads as a tag; it is sent "
            "escaped, but check that it is meant.",
        ),
    ]


def test_a_spam_score_from_five_is_a_warning_and_the_same_mail_is_scored_once(editions, monkeypatch):
    scored = []

    def score(message):
        scored.append(message.subject)
        return 5.5, "X-Spam-Status: Yes, score=5.5"

    monkeypatch.setattr(rules, "spam_report", score)
    with translation.override("en"):
        first, second = (preflight([editions["nl"]]) for _twice in range(2))
    assert scored == ["Nieuwsbrief november 2026"]
    assert first.mails[0].spam_score == second.mails[0].spam_score == 5.5
    assert [finding.message for finding in second.warnings] == [
        "SpamAssassin scores the e-mail 5.5: at 5 or more, filters call it spam."
    ]
    republish(editions["nl"], "<p>Nieuw.</p>")
    preflight([editions["nl"]])
    assert len(scored) == 2  # an edited mail is scored again


@pytest.mark.skipif(SPAMASSASSIN is not None, reason="spamassassin is installed: the next test scores the mail")
def test_without_spamassassin_the_screen_says_there_is_no_score(editions, subscribers, sender):
    report = preflight([editions["nl"]])
    assert report.spam_checked is False and report.mails[0].spam_score is None
    assert "SpamAssassin is not installed on the server" in sender.get(send_url(editions["nl"])).content.decode()


@pytest.mark.skipif(
    SPAMASSASSIN is None, reason="Debian's spamassassin is not installed (apt-get install spamassassin)"
)
def test_spamassassin_scores_each_language_and_the_screen_shows_it(editions, subscribers, sender):
    report = preflight([editions["nl"], editions["en"]])
    assert report.spam_checked and all(mail.spam_score is not None for mail in report.mails)
    assert "SpamAssassin score: " in sender.get(send_url(editions["nl"])).content.decode()


# Sending ---------------------------------------------------------------------------------------------------------


def test_errors_block_the_sending_on_the_screen_and_in_start_send(editions, subscribers, sender):
    republish(editions["en"], link("/en/nowhere/"))
    page = sender.get(send_url(editions["nl"])).content.decode()
    assert "The preflight found 1 error: the edition cannot be sent until it is fixed and published." in page
    assert "Send the edition" not in page
    # Refused on the server too: a POST made anyway, and the API the command uses.
    response = sender.post(send_url(editions["nl"]), {"send_at": "", "preflight_seen": "on"})
    assert "The preflight found errors in this edition: fix them and publish it, then send it." in (
        response.content.decode()
    )
    with pytest.raises(api.CannotSend):
        api.start_send(editions["nl"])
    assert not Mailing.objects.exists()
    # Fixed and published, it goes (ticked for the warning on the English item that links an untranslated action).
    republish(editions["en"])
    assert sender.post(send_url(editions["nl"]), {**TICKED, "send_at": ""}).status_code == 302
    assert Mailing.objects.filter(edition=editions["nl"]).exists()


def test_warnings_need_the_tick(editions, subscribers, sender):
    republish(editions["en"], items="[]")  # without its item that links an action that has no translation
    republish(editions["nl"], preheader="")
    page = sender.get(send_url(editions["nl"])).content.decode()
    assert "The preflight found 1 warning: read it before sending." in page
    assert "I have read the preflight&#x27;s warnings and send anyway" in page
    response = sender.post(send_url(editions["nl"]), {"send_at": "", "despite_translations": "on"})
    assert list(response.context["form"].errors) == ["preflight_seen"]
    assert not Mailing.objects.exists()
    assert sender.post(send_url(editions["nl"]), {**TICKED, "send_at": ""}).status_code == 302
    assert Mailing.objects.filter(edition=editions["nl"]).exists()


def test_a_clean_edition_needs_no_tick(editions, subscribers, sender):
    republish(editions["en"], items="[]")  # without its item that links an action that has no translation
    page = sender.get(send_url(editions["nl"])).content.decode()
    assert "The preflight found no errors and no warnings." in page
    assert "preflight_seen" not in page


# The edition's Preflight screen ------------------------------------------------------------------------------------


def preflight_url(edition):
    return reverse("newsletter_preflight", args=[edition.pk])


def test_the_preflight_screen_checks_the_latest_draft_of_each_language(
    editions, django_user_model, client, django_assert_max_num_queries
):
    client.force_login(make_editor(django_user_model, "editor"))  # may edit; needs no permission to send
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[editions["nl"].pk])).content.decode()
    assert preflight_url(editions["nl"]) in edit
    draft = editions["nl"]
    draft.body = json.dumps([{"type": "paragraph", "value": link("/nergens/")}])
    draft.save_revision()  # not published: the screen checks the draft
    with django_assert_max_num_queries(50):
        page = client.get(preflight_url(draft)).content.decode()
    assert f"The link to {settings.SITE_URL}/nergens/ leads to no page of this site." in page
    # The English mail's item links an action that has no translation yet.
    assert "which is in Nederlands: it has no translation yet." in page
    assert page.index("Nieuwsbrief november 2026") < page.index("Newsletter November 2026")
    assert client.post(preflight_url(draft)).status_code == 405  # it only shows


def test_who_may_not_edit_the_edition_gets_no_preflight(editions, django_user_model, client):
    user = django_user_model.objects.create_user("reader", "reader@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(preflight_url(editions["nl"])).status_code == 302


def test_the_preflight_screen_speaks_dutch(editions, client, django_user_model):
    editor = make_editor(django_user_model, "redacteur")
    UserProfile.objects.filter(user=editor).update(preferred_language="nl")
    client.force_login(editor)
    page = client.get(preflight_url(editions["nl"])).content.decode()
    assert "Voorcontrole" in page and "Niets te melden." in page
    assert "Preflight" not in page and "Nothing to report" not in page
