"""Every public page is valid HTML: the Nu HTML Checker (npm vnu-jar, on the machine's Java) finds no error."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

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


def test_every_public_page_is_valid_html(seeded, client, tmp_path):
    pages = crawl(client, ["/", "/en/"])
    pages["/bestaat-niet/ (404)"] = client.get("/bestaat-niet/").content.decode()
    pages["/nieuwsbrief/ (form errors)"] = client.post(
        "/nieuwsbrief-aanmelding/", {"email": "geen-adres"}
    ).content.decode()
    assert len(pages) >= 20
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
