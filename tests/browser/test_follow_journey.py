"""Issue 19's journey on the live site with the seed, in Dutch and in English: a visitor follows an action from its
page, confirms from the mail in sent-mail/, an editor publishes a progress update in the admin, the alert arrives as
an .eml in sent-mail/, and the visitor stops following that action from it.

Each run writes (a follower, an update on the action), so it has a freshly seeded site of its own (seeded_site).
"""

import email
import json
import re
import threading
from email import policy
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect
from test_editor_journey import add_block, type_rich_text
from test_sending import run_worker

from tests.browser.admin import make_editor, sign_in

UPDATE = "De tweede bijeenkomst is gepland."
ENGLISH_UPDATE = "The second meeting has been planned."


def t(language, text):
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def sent_mail(settings, tmp_path):
    """The development mail backend: each message a file in sent-mail/, as `make run` keeps them."""
    settings.EMAIL_BACKEND = "newsletter.mail_backends.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "sent-mail")
    settings.NEWSLETTER_BATCH_SENDING = False
    return tmp_path / "sent-mail"


def mails_to(folder, address):
    """The messages in `folder` to `address`, oldest first."""
    files = sorted(folder.glob(f"*{address}.eml")) if folder.exists() else []
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]


def work():
    """The newsletter's worker, until its queue is empty (what `make run` starts beside the server)."""
    worker = threading.Thread(target=run_worker)
    worker.start()
    worker.join(timeout=60)


def link_in(message, path_part):
    text = message.get_body(preferencelist=("plain",)).get_content()
    # html2text writes a link as "text (url)" or "[text](url)": the address ends before a closing bracket.
    return next(url for url in re.findall(r"https?://[^\s)\]>]+", text) if path_part in url)


def publish_update_in_the_admin(page, base_url, action_id):
    """The editor adds a progress update dated today to the Dutch action and publishes it."""
    page.goto(f"{base_url}/admin/pages/{action_id}/edit/")
    updates = page.locator("[data-contentpath='updates']").first
    add_block(updates, page)
    updates.locator("input[name$='-value-date']").last.fill(timezone.localdate().isoformat())
    page.keyboard.press("Escape")  # closes the date picker
    type_rich_text(page, updates.locator("[contenteditable='true']").last, UPDATE)
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("published")


def publish_english_translation(action_id):
    """The translator's part: the English page gets the Dutch page's updates (same block ids), in English."""
    from wagtail.models import Locale

    from actions.models import ActionPage

    dutch = ActionPage.objects.get(pk=action_id)
    english = dutch.get_translation(Locale.objects.get(language_code="en"))
    english.updates = json.dumps(
        [
            {**block, "value": {**block["value"], "text": f"<p>{ENGLISH_UPDATE}</p>"}}
            if UPDATE in block["value"]["text"]
            else block
            for block in dutch.updates.raw_data
        ]
    )
    english.save_revision().publish()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_follow_an_action_get_its_alert_and_stop_following_from_it(
    seeded_site, open_page, sent_mail, language, settings
):
    from actions.models import ActionPage
    from newsletter.models import Follow

    settings.SITE_URL = seeded_site
    dutch = ActionPage.objects.live().filter(locale__language_code="nl").order_by("path").first()
    action = ActionPage.objects.live().get(translation_key=dutch.translation_key, locale__language_code=language)
    reader = f"volger-{language}@example.org"
    make_editor()
    page = open_page("desktop")

    # The visitor follows the action from its page, as it happens.
    page.goto(seeded_site + action.url)
    form = page.locator("#follow form")
    form.get_by_label(t(language, "E-mail address"), exact=True).fill(reader)
    form.get_by_label(t(language, "As it happens"), exact=True).check()
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name=t(language, "Follow this action")).click()
    expect(page.locator("h1")).to_have_text(t(language, "Check your inbox"))
    assert page.context.cookies() == []

    # The worker sends the confirmation mail; it names the action, in the visitor's language.
    work()
    (confirmation,) = mails_to(sent_mail, reader)
    assert action.title in confirmation["Subject"]
    page.goto(
        seeded_site + urlsplit(link_in(confirmation, "/volg-actie/" if language == "nl" else "/follow-action/")).path
    )
    page.get_by_role("button", name=t(language, "Follow this action")).click()
    expect(page.locator("h1")).to_contain_text(action.title)
    assert Follow.objects.get(subscriber__email=reader).state == Follow.State.CONFIRMED

    # An editor publishes a progress update in the admin (and, for English readers, the translation follows).
    sign_in(page, seeded_site)
    publish_update_in_the_admin(page, seeded_site, dutch.pk)
    if language == "en":
        work()
        assert len(mails_to(sent_mail, reader)) == 1  # no Dutch text under an English subject: it waits
        publish_english_translation(dutch.pk)
    work()

    # The alert arrives in sent-mail/, in the reader's language, with its own stop link and one-click header.
    confirmation, alert = mails_to(sent_mail, reader)
    text = alert.get_body(preferencelist=("plain",)).get_content()
    assert action.title in alert["Subject"]
    assert (UPDATE if language == "nl" else ENGLISH_UPDATE) in text
    stop = link_in(alert, "/volg-actie/stoppen/" if language == "nl" else "/follow-action/stop/")
    one_click = "een-klik/" if language == "nl" else "one-click/"
    assert alert["List-Unsubscribe"].strip() == f"<{stop}{one_click}>"  # RFC 8058: stops this follow only

    # The reader stops following from the alert's link.
    page.context.clear_cookies()
    page.goto(seeded_site + urlsplit(stop).path)
    page.locator("main").get_by_role("button", name=t(language, "Stop following")).click()
    expect(page.locator("h1")).to_contain_text(action.title)
    assert Follow.objects.get(subscriber__email=reader).state == Follow.State.STOPPED
