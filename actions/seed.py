"""Builds the site's real content from the team's source text, in Dutch and (as its translation) English.

The Dutch tree comes from `seed/acties-en-interventies.nl.txt`, the team's page as they wrote it. The English
file has the same blocks in the same order, so pairing them by position gives every Dutch string its English
translation; those pairs are fed to wagtail-localize's own translation objects, which build the English tree.
`seed/seed.toml` holds what the source text lacks (the home page's title, featured actions, partners) in both
languages.

The seed loader (home.seeding.loader) calls `load_actions` first, through the `load_seed_content` hook: it builds
the home page the other apps' parts add their pages under. The loader's rules hold: idempotent, and what a person
changed is never overwritten.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from home.models import Partner
from home.seeding.loader import SeedError
from home.seeding.values import paragraphs, rich_text, stream

from .models import ActionIndexPage, ActionPage

SEED_DIR = Path(__file__).resolve().parent / "seed"
SOURCE_FILES = {"nl": SEED_DIR / "acties-en-interventies.nl.txt", "en": SEED_DIR / "acties-en-interventies.en.txt"}
ACTION_PATTERN = re.compile(r"^(\d+)\.\s+(.+?)\n(.+)$", re.DOTALL)
# A sentence ends at . ? or ! followed by a space and a capital letter or an opening quote.
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z\u00c0-\u00de\u201c\u2018\"'])")


@dataclass(frozen=True)
class Action:
    number: int
    title: str
    text: str

    @property
    def slug(self):
        return slugify(self.title)

    @property
    def summary(self):
        return SENTENCE_END.split(self.text, maxsplit=1)[0]


@dataclass(frozen=True)
class SourceText:
    title: str
    intro: tuple  # ("heading" | "paragraph", text) in order
    actions: tuple
    contact_call: str
    newsletter_call: str

    @property
    def slug(self):
        return slugify(self.title)

    @property
    def team_intro(self):
        return next(text for kind, text in self.intro if kind == "paragraph")


def parse_source(path):
    """Reads the page's text: a title, intro blocks, numbered actions, then the contact and newsletter calls."""
    text = path.read_text(encoding="utf-8").replace("\u00a0", " ")
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    title, *rest = blocks
    intro, actions, after = [], [], []
    for block in rest:
        match = ACTION_PATTERN.match(block)
        if match:
            number, action_title, action_text = match.groups()
            actions.append(Action(int(number), action_title.strip(), " ".join(action_text.split())))
        elif actions:
            after.append(block)
        else:
            is_heading = "\n" not in block and len(block) < 80 and not block.endswith(".")
            intro.append(("heading" if is_heading else "paragraph", block))
    if len(after) != 2 or not actions:
        raise SeedError(f"{path.name}: expected intro, numbered actions, a contact call and a newsletter call.")
    return SourceText(title, tuple(intro), tuple(actions), *after)


def load_texts():
    sources = {code: parse_source(path) for code, path in SOURCE_FILES.items()}
    with open(SEED_DIR / "seed.toml", "rb") as extra:
        return sources, tomllib.load(extra)


def english_for(sources, extra):
    """Every Dutch string of the seed mapped to its English translation, paired by position."""
    nl, en = sources["nl"], sources["en"]
    if len(nl.intro) != len(en.intro) or [a.number for a in nl.actions] != [a.number for a in en.actions]:
        raise SeedError("The English source text does not have the same blocks as the Dutch one.")
    pairs = [
        (nl.title, en.title),
        (nl.contact_call, en.contact_call),
        (nl.newsletter_call, en.newsletter_call),
        *((nl_text, en_text) for (_, nl_text), (_, en_text) in zip(nl.intro, en.intro, strict=True)),
    ]
    for nl_action, en_action in zip(nl.actions, en.actions, strict=True):
        pairs += [
            (nl_action.title, en_action.title),
            (nl_action.summary, en_action.summary),
            (nl_action.text, en_action.text),
        ]
    for key in ("home_title", "featured_heading"):
        pairs.append((extra["site"][key]["nl"], extra["site"][key]["en"]))
    for partner in extra["partners"]:
        pairs += [(partner[key]["nl"], partner[key]["en"]) for key in ("name", "description")]
    return dict(pairs)


def load_actions(loader):
    """The partners, the home page, the overview of the actions and the actions, from the team's source text.

    Returns them to be translated: the partners that still read as the seed wrote them (the English action pages
    name the English partners), then the pages.
    """
    sources, extra = load_texts()
    loader.english.update(english_for(sources, extra))
    text = sources["nl"]
    site = extra["site"]
    partners = load_partners(loader, extra["partners"])
    home_fields = {
        "title": site["home_title"]["nl"],
        "intro": paragraphs(text.team_intro),
        "featured_heading": site["featured_heading"]["nl"],
        "newsletter_call": paragraphs(text.newsletter_call),
    }
    home = loader.home_page(home_fields)
    overview_fields = {
        "title": text.title,
        "intro": rich_text(text.intro),
        "contact_call": paragraphs(text.contact_call, text.newsletter_call),
    }
    existing = ActionIndexPage.objects.child_of(home)
    overview = loader.upsert(home, ActionIndexPage, text.slug, overview_fields, existing, in_menu=True)
    actions = {}
    for action in text.actions:
        fields = {
            "title": action.title,
            "number": action.number,
            "summary": action.summary,
            "status": ActionPage.Status.ONGOING,
            "body": stream(("paragraph", paragraphs(action.text))),
            "partners": stream(*(("partner", p.pk) for p, numbers, _ in partners if action.number in numbers)),
        }
        existing = ActionPage.objects.child_of(overview).filter(number=action.number)
        actions[action.number] = loader.upsert(overview, ActionPage, action.slug, fields, existing)
    featured = stream(*(("action", actions[number].pk) for number in site["featured_actions"]))
    home = loader.home_page({**home_fields, "featured_actions": featured})
    as_seeded = [partner for partner, _, unchanged in partners if unchanged]
    return [*as_seeded, home, overview, *actions.values()]


def load_partners(loader, seeded_partners):
    """Partners are created once; after that they belong to the editors (snippets keep no revisions).

    Returns (partner, numbers of the actions that name it, whether it still reads as the seed wrote it).
    """
    partners = []
    for data in seeded_partners:
        seeded = {"name": data["name"]["nl"], "description": data["description"]["nl"]}
        partner = Partner.objects.filter(locale=loader.nl, url=data["url"]).first()
        if partner is None:
            partner = Partner.objects.create(locale=loader.nl, url=data["url"], **seeded)
            loader.report(f"created partner {partner}")
        as_seeded = all(getattr(partner, name) == value for name, value in seeded.items())
        partners.append((partner, set(data["actions"]), as_seeded))
    return partners
