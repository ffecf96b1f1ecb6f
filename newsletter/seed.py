"""The newsletter's part of the seed: the newsletter page and the privacy statement it links, in both languages.

Called by the seed loader (`load_seed_content`) through the `load_seed_content` hook, with the loader, whose
rules it follows: idempotent, and a page a person changed is never overwritten. The loader translates the pages
this returns.
"""

import tomllib
from pathlib import Path

from home.seeding.values import paragraphs

from .models import NewsletterIndexPage

SEED_FILE = Path(__file__).resolve().parent / "seed" / "pages.toml"


def load_newsletter_pages(loader):
    with open(SEED_FILE, "rb") as seed_file:
        data = tomllib.load(seed_file)
    newsletter = data["newsletter"]
    loader.english.update(
        {
            newsletter["title"]["nl"]: newsletter["title"]["en"],
            newsletter["intro"]["nl"]: newsletter["intro"]["en"],
        }
    )
    loader.english_slugs[newsletter["slug"]["nl"]] = newsletter["slug"]["en"]
    privacy_page = loader.content_page(data["privacy"])
    newsletter_page = loader.upsert(
        loader.home,
        NewsletterIndexPage,
        newsletter["slug"]["nl"],
        {
            "title": newsletter["title"]["nl"],
            "intro": paragraphs(newsletter["intro"]["nl"]),
            "privacy_page_id": privacy_page.pk,
        },
        NewsletterIndexPage.objects.child_of(loader.home),
    )
    # The privacy statement first: the English newsletter page links the English privacy statement.
    return [privacy_page, newsletter_page]
