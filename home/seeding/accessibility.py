"""Home's part of the seed: the accessibility statement (`home/seed/accessibility.toml`), in both languages."""

import tomllib
from pathlib import Path

from ..models import SiteSettings

ACCESSIBILITY_SEED = Path(__file__).resolve().parent.parent / "seed" / "accessibility.toml"


def load_accessibility_statement(loader):
    """The statement, linked from the footer unless editors chose a page."""
    with open(ACCESSIBILITY_SEED, "rb") as seed_file:
        page = loader.content_page(tomllib.load(seed_file)["accessibility"])
    site_settings = SiteSettings.load()
    if site_settings.accessibility_page_id is None:
        site_settings.accessibility_page = page
        site_settings.save()
    return [page]
