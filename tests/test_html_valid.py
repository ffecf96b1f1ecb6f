"""Every public page is valid HTML: the Nu HTML Checker (npm vnu-jar, on the machine's Java) finds no error."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from tests.edition_content import add_progress_update, publish_edition
from tests.test_i18n import internal_links

VNU = Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.skipif(
    not VNU.exists() or shutil.which("java") is None,
    reason="needs the Nu HTML Checker (`npm ci` installs vnu-jar; `make test` does) and Java",
)


def crawl(client, start):
    """Every page reachable from `start` by links, as {address: HTML}."""
    pages, queue = {}, list(start)
    while queue:
        url = queue.pop()
        if url in pages or url.startswith(("/admin/", "/documents/")):
            continue
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            pages[url] = response.content.decode()
            queue.extend(internal_links(pages[url]) - set(pages))
    return pages


def pages_in_every_state(client):
    """The pages no link leads to: search, the forms with errors and sent, the personal links, the 404s."""
    from actions.models import ActionPage
    from newsletter.links import confirmation_url, preferences_url
    from newsletter.models import Subscriber
    from newsletter.services import subscribe

    responses = {}
    for language in ("nl", "en"):
        with translation.override(language):
            search, form = reverse("search"), reverse("newsletter:subscribe")
            action = ActionPage.objects.live().filter(locale__language_code=language).first()
            join = reverse("joining:join", args=[action.pk])
        for query in ("", "?q=verkiezingen", "?q=elections", "?q=electoins", "?q=verkiezingen&kind=action"):
            responses[search + query] = client.get(search + query)
        not_found = {"nl": "/bestaat-niet/", "en": "/en/does-not-exist/"}[language]
        responses[f"{not_found} (404)"] = client.get(not_found)
        responses[f"{form} (errors)"] = client.post(form, {"email": "geen-adres", "language": language})
        sent = {"email": f"nieuw-{language}@example.org", "language": language, "consent": "on"}
        responses[f"{form} (sent)"] = client.post(form, sent)
        responses[f"{join} (errors)"] = client.post(join, {"email": "geen-adres"})
        responses[f"{join} (sent)"] = client.post(join, {"name": "Lezer", "email": "l@example.org", "message": "Ja."})
        subscribe(f"lezer-{language}@example.org", language)
        subscriber = Subscriber.objects.get(email=f"lezer-{language}@example.org")
        for url in (confirmation_url(subscriber), preferences_url(subscriber)):
            path = urlsplit(url).path
            responses[path] = client.get(path)
            responses[f"{path} (sent)"] = client.post(path, {"action": "unsubscribe"})
            responses[f"{path} (invalid link)"] = client.get(path.rstrip("/") + "x/")
        responses.update(following_pages(client, action, language))
    pages = {name: response.content.decode() for name, response in responses.items()}
    return pages | following_mails()


def following_pages(client, action, language):
    """The follow form with errors and sent, its confirmation, the preference page of a follower, a stop link."""
    from newsletter import following, form_keys, links
    from newsletter.models import Follow

    responses = {}
    with translation.override(language):
        follow = reverse("newsletter:follow", args=[action.pk])
    responses[f"{follow} (errors)"] = client.post(follow, {"email": "geen-adres", "frequency": "weekly"})
    email = f"volger-{language}@example.org"
    sent = {"email": email, "frequency": "weekly", "consent": "on"}
    responses[f"{follow} (sent)"] = client.post(follow, sent)
    found = Follow.objects.select_related("subscriber", "action").get(subscriber__email=email)
    confirm = urlsplit(links.follow_confirmation_url(found, language)).path
    responses[confirm] = client.get(confirm)
    responses[f"{confirm} (confirmed)"] = client.post(confirm)
    responses[f"{confirm} (invalid link)"] = client.get(confirm.rstrip("/") + "x/")
    preferences = urlsplit(links.preferences_url(found.subscriber)).path
    responses[f"{preferences} (following)"] = client.get(preferences)
    stop = urlsplit(links.stop_follow_url(found.subscriber, found.action)).path
    responses[stop] = client.get(stop)
    key = form_keys.form_key(stop.rstrip("/").rpartition("/")[2])
    responses[f"{stop} (stopped)"] = client.post(stop, {"form_key": key})
    key = form_keys.form_key(links.unsubscribe_token(found.subscriber))
    responses[f"{preferences} (left)"] = client.post(preferences, {"action": "leave", "form_key": key})
    following.follow(email, following.source_action(action), "immediately", language)
    return responses


def following_mails():
    """The HTML of the follow confirmation mail in both languages and both frequencies."""
    from newsletter.messages import follow_confirmation_message
    from newsletter.models import Follow

    return {
        f"follow confirmation mail ({language}, {frequency})": follow_confirmation_message(
            Follow(subscriber=found.subscriber, action=found.action, requested_frequency=frequency), language
        ).alternatives[0][0]
        for found in Follow.objects.select_related("subscriber", "action")[:1]
        for language in ("nl", "en")
        for frequency in Follow.Frequency
    }


def test_every_public_page_is_valid_html(seeded, client, tmp_path):
    add_progress_update()
    edition = publish_edition()  # its pages are linked from the archive on the newsletter pages
    pages = crawl(client, ["/", "/en/"])
    assert {"/toegankelijkheid/", "/en/accessibility/", edition.edition.url, edition.translation.url} <= set(pages)
    pages.update(pages_in_every_state(client))
    assert len(pages) >= 50
    canary = "(a page with a known error, so the test proves the checker ran)"
    pages[canary] = "<!DOCTYPE html><html lang=nl><title>x</title><ul><div></div></ul>"
    files = {}
    for number, (url, html) in enumerate(sorted(pages.items())):
        path = tmp_path / f"page-{number}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = url
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *(str(tmp_path / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    problems = [
        (files.get(message.get("url", "").rpartition("/")[2]), f"line {message.get('lastLine')}: {message['message']}")
        for message in messages
    ]
    assert any(url == canary and "“div” not allowed" in problem for url, problem in problems)
    errors = [f"{url} {problem}" for url, problem in problems if url != canary]
    assert not errors, "The Nu HTML Checker found errors:\n" + "\n".join(errors)
