import json
import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connections
from django.utils import timezone
from fake_brevo import API_KEY, FakeBrevo
from postmark_events import SECRET
from wagtail.models import Locale

from actions.models import ActionPage
from home.models import ContentPage
from newsletter.delivery import api, task
from newsletter.drafting import draft_edition
from newsletter.models import Follow, Mailing, NewsletterIndexPage, NewsletterPage, Subscriber
from newsletter.services import CONSENT_VERSION

BREVO_PORT = 0  # any free port: two runs on one machine must not collide


@pytest.fixture
def pages(tree, english):
    """The Dutch newsletter page and privacy statement on the small tree, and their English translations."""
    home = tree["home"]
    privacy = home.add_child(instance=ContentPage(title="Privacyverklaring", slug="privacyverklaring", body="[]"))
    newsletter = home.add_child(
        instance=NewsletterIndexPage(
            title="Nieuwsbrief", slug="nieuwsbrief", intro="<p>Elke maand.</p>", privacy_page=privacy
        )
    )
    en_home = home.copy_for_translation(english)
    en_home.save_revision().publish()
    en_privacy = privacy.copy_for_translation(english)
    en_privacy.title, en_privacy.slug = "Privacy statement", "privacy"
    en_privacy.save_revision().publish()
    en_newsletter = newsletter.copy_for_translation(english)
    en_newsletter.title, en_newsletter.slug = "Newsletter", "newsletter"
    en_newsletter.save_revision().publish()
    return {"newsletter": newsletter, "privacy": privacy, "en_newsletter": en_newsletter, "en_privacy": en_privacy}


@pytest.fixture
def webhook_secret(settings):
    """The secret anymail's tracking webhook asks of the provider (postmark_events.py posts with it)."""
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}


@pytest.fixture
def make_subscriber(db):
    def make(email="ans@example.org", state=Subscriber.State.CONFIRMED, language="nl"):
        from django.utils import timezone

        now = timezone.now()
        return Subscriber.objects.create(
            email=email,
            language=language,
            state=state,
            state_changed_at=now,
            consent_given_at=now,
            consent_version=CONSENT_VERSION,
        )

    return make


@pytest.fixture
def subscribers(make_subscriber):
    """Five Dutch and three English confirmed subscribers, and two who must get nothing."""
    made = [make_subscriber(f"nl{n}@example.org") for n in range(5)]
    made += [make_subscriber(f"en{n}@example.org", language="en") for n in range(3)]
    make_subscriber("pending@example.org", state=Subscriber.State.PENDING)
    make_subscriber("gone@example.org", state=Subscriber.State.UNSUBSCRIBED)
    return made


@pytest.fixture
def link_in():
    def find(message, path_part):
        """The first absolute link in the plain-text body of `message` that contains `path_part`."""
        match = re.search(r"https?://\S*" + re.escape(path_part) + r"\S*", message.body)
        assert match, message.body
        return match.group(0)

    return find


# Editions ------------------------------------------------------------------------------------------------------


def update(day, text, block_id):
    return {"type": "update", "id": block_id, "value": {"date": day.isoformat(), "text": f"<p>{text}</p>"}}


@pytest.fixture
def actions(pages, add_action):
    """Four Dutch actions with dated updates; the first two have English translations (with the same block ids)."""
    first = add_action(
        1,
        title="Vakmanschap zichtbaar maken",
        updates=json.dumps(
            [
                update(date(2026, 9, 20), "Oude stand van zaken.", "u1-old"),
                update(date(2026, 10, 12), "De eerste bijeenkomst was druk bezocht.", "u1-new"),
            ]
        ),
    )
    second = add_action(
        2, title="Leren van elkaar", updates=json.dumps([update(date(2026, 10, 30), "Vijf teams doen mee.", "u2")])
    )
    third = add_action(3, title="Zonder nieuws", updates=json.dumps([update(date(2026, 8, 1), "Lang geleden.", "u3")]))
    fourth = add_action(
        4, title="Alleen Nederlands", updates=json.dumps([update(date(2026, 11, 2), "Net begonnen.", "u4")])
    )
    english = Locale.objects.get(language_code="en")
    translated = {}
    for page, title, texts in [
        (
            first,
            "Making craftsmanship visible",
            {"u1-old": "Old news.", "u1-new": "The first meeting was well attended."},
        ),
        (second, "Learning from each other", {"u2": "Five teams take part."}),
    ]:
        copy = page.copy_for_translation(english, copy_parents=True)
        copy.title = title
        copy.updates = json.dumps(
            [
                {
                    "type": "update",
                    "id": block.id,
                    "value": {"date": block.value["date"].isoformat(), "text": f"<p>{texts[block.id]}</p>"},
                }
                for block in page.updates
            ]
        )
        copy.save_revision().publish()
        translated[page.number] = copy
    return {"nl": [first, second, third, fourth], "en": translated}


@pytest.fixture
def edit_updates(actions):
    """Publishes the Dutch action `number` again with its updates' texts and dates `corrected` ({block id: (date,
    text)}) and the updates `added` ((date, text, block id) each)."""

    def edit(number, added=(), corrected=None):
        action = ActionPage.objects.get(pk=actions["nl"][number - 1].pk)
        corrected = corrected or {}
        stored = [
            update(*corrected[block["id"]], block["id"]) if block["id"] in corrected else block
            for block in action.updates.raw_data
        ]
        action.updates = json.dumps(stored + [update(*new) for new in added])
        action.save_revision().publish()
        return action

    return edit


@pytest.fixture
def send():
    return send_edition


def send_edition(edition, when):
    """Sends `edition` (to whoever is subscribed, maybe nobody) as if its sending started and finished on `when`."""
    mailing = api.start_send(edition)
    task.run(mailing.pk)
    Mailing.objects.filter(pk=mailing.pk).update(started_at=when, finished_at=when)
    NewsletterPage.objects.filter(pk=edition.pk).update(sent_at=when)
    mailing.refresh_from_db()
    return mailing


@pytest.fixture
def publish():
    return publish_edition


def publish_edition(edition, when):
    """Publishes `edition` as if on `when` (the archive and the next draft go by that date)."""
    edition.save_revision().publish()
    NewsletterPage.objects.filter(pk=edition.pk).update(first_published_at=when, last_published_at=when)
    edition.refresh_from_db()
    return edition


@pytest.fixture
def editions(actions, publish):
    """The November edition, published, in Dutch and English."""
    draft = draft_edition(today=date(2026, 11, 1))
    when = datetime(2026, 11, 1, 9, tzinfo=UTC)
    return {"nl": publish(draft.edition, when), "en": publish(draft.translation, when)}


# Sending ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def many(db):
    """Adds `count` confirmed Dutch subscribers in one query."""

    def add(count, prefix="reader"):
        now = timezone.now()
        Subscriber.objects.bulk_create(
            Subscriber(
                email=f"{prefix}{n}@example.org",
                language="nl",
                state=Subscriber.State.CONFIRMED,
                state_changed_at=now,
                consent_given_at=now,
                consent_version=CONSENT_VERSION,
            )
            for n in range(count)
        )
        return set(Subscriber.objects.filter(email__startswith=prefix).values_list("email", flat=True))

    return add


@pytest.fixture
def brevo(settings, tmp_path):
    """anymail's real Brevo backend, pointed at the fake Brevo server (no faults unless a test sets them)."""
    server = FakeBrevo(BREVO_PORT, tmp_path / "brevo.log", timeout_seconds=1.0, seed=9).start()
    settings.EMAIL_BACKEND = "anymail.backends.brevo.EmailBackend"
    settings.NEWSLETTER_BATCH_SENDING = None  # chosen from the backend: Brevo sends in batches
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "BREVO_API_KEY": API_KEY,
        "BREVO_API_URL": server.api_url,
        "REQUESTS_TIMEOUT": 0.5,
    }
    settings.NEWSLETTER_RETRY_DELAY = 0.01
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def in_two_workers():
    """Runs `work(name)` in two threads at once, "one" and "two", each with database connections of its own."""

    def run(work):
        def worker(name):
            try:
                work(name)
            finally:
                connections.close_all()

        workers = [threading.Thread(target=worker, args=(name,)) for name in ("one", "two")]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()

    return run


@pytest.fixture
def follow(make_subscriber, actions):
    """Makes `email` (a subscriber of `language`, created if new) follow action `number`, confirmed."""

    def make(email, number=1, language="nl", frequency=Follow.Frequency.IMMEDIATELY, **subscriber):
        person = Subscriber.objects.filter(email=email).first() or make_subscriber(
            email, language=language, **subscriber
        )
        now = timezone.now()
        return Follow.objects.create(
            subscriber=person,
            action=actions["nl"][number - 1],
            frequency=frequency,
            state=Follow.State.CONFIRMED,
            state_changed_at=now,
            consent_given_at=now - timedelta(days=1),
        )

    return make
