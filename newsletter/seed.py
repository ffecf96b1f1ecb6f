"""The newsletter's part of the seed: the newsletter page and the privacy statement it links, in both languages.

Called by the seed loader (`load_seed_content`) through the `load_seed_content` hook, with the loader, whose
rules it follows: idempotent, and a page a person changed is never overwritten. The loader translates the pages
this returns.
"""

import tomllib
from pathlib import Path

from actions.seed import paragraphs, stream
from home.models import ContentPage

from .models import NewsletterIndexPage

SEED_FILE = Path(__file__).resolve().parent / "seed" / "pages.toml"


def body_block(block, language):
    text = block[language]
    if block["type"] == "heading":
        return ("heading", {"text": text, "level": "h2"})
    return ("paragraph", paragraphs(text))


def load_newsletter_pages(loader):
    with open(SEED_FILE, "rb") as seed_file:
        data = tomllib.load(seed_file)
    newsletter, privacy = data["newsletter"], data["privacy"]
    loader.english.update(
        {
            newsletter["title"]["nl"]: newsletter["title"]["en"],
            newsletter["intro"]["nl"]: newsletter["intro"]["en"],
            privacy["title"]["nl"]: privacy["title"]["en"],
            **{block["nl"]: block["en"] for block in privacy["body"]},
        }
    )
    loader.english_slugs.update({page["slug"]["nl"]: page["slug"]["en"] for page in (newsletter, privacy)})
    home = loader.home

    privacy_slug = privacy["slug"]["nl"]
    privacy_page = loader.upsert(
        home,
        ContentPage,
        privacy_slug,
        {"title": privacy["title"]["nl"], "body": stream(*(body_block(block, "nl") for block in privacy["body"]))},
        ContentPage.objects.child_of(home).filter(slug=privacy_slug),
    )
    newsletter_page = loader.upsert(
        home,
        NewsletterIndexPage,
        newsletter["slug"]["nl"],
        {
            "title": newsletter["title"]["nl"],
            "intro": paragraphs(newsletter["intro"]["nl"]),
            "privacy_page_id": privacy_page.pk,
        },
        NewsletterIndexPage.objects.child_of(home),
    )
    # The privacy statement first: the English newsletter page links the English privacy statement.
    return [privacy_page, newsletter_page]
