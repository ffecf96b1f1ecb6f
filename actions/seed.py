"""Builds the site's real content from the team's source text, in Dutch and (as its translation) English.

The Dutch tree comes from `seed/acties-en-interventies.nl.txt`, the team's page as they wrote it. The English
file has the same blocks in the same order, so pairing them by position gives every Dutch string its English
translation; those pairs are fed to wagtail-localize's own translation objects, which build the English tree.
`seed/seed.toml` holds what the source text lacks (the home page's title, featured actions, partners) in both
languages.

Loading is idempotent and never overwrites an editor's work: the loader saves its revisions without a user, so
a page whose latest revision has a user was changed by a person since, and is left as it is.

Other apps add their own pages through the `load_seed_content` Wagtail hook: each hook function is called with
the loader once the Dutch pages here exist, may use its `home`, `upsert`, `english` and `english_slugs` (an
English slug that should not follow the English title, by the Dutch slug) and `content_page` (a text page from
seed data), and returns the pages it created or kept, in the order they are to be translated.
"""

import html
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from wagtail import hooks
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from home.models import ContentPage, HomePage, Partner, point_default_site_at_public_address

from .models import ActionIndexPage, ActionPage

SEED_DIR = Path(__file__).resolve().parent / "seed"
SOURCE_FILES = {"nl": SEED_DIR / "acties-en-interventies.nl.txt", "en": SEED_DIR / "acties-en-interventies.en.txt"}
HOME_SLUG = "home"
ACTION_PATTERN = re.compile(r"^(\d+)\.\s+(.+?)\n(.+)$", re.DOTALL)
# A sentence ends at . ? or ! followed by a space and a capital letter or an opening quote.
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z\u00c0-\u00de\u201c\u2018\"'])")


class SeedError(Exception):
    pass


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


def paragraphs(*texts):
    return "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in texts)


def text_block(block, language):
    """A heading or paragraph block of a seeded text page, from its seed entry ({"type", "nl", "en"})."""
    text = block[language]
    if block["type"] == "heading":
        return ("heading", {"text": text, "level": "h2"})
    return ("paragraph", paragraphs(text))


def rich_intro(blocks):
    return "".join(
        f"<h2>{html.escape(text, quote=False)}</h2>" if kind == "heading" else paragraphs(text)
        for kind, text in blocks
    )


def stream(*blocks):
    """A StreamField value in its stored form, so it compares equal to what is in the database."""
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def stored(page, name):
    value = getattr(page, name)
    if hasattr(value, "raw_data"):
        return [{"type": block["type"], "value": block["value"]} for block in value.raw_data]
    return value


def edited_by_person(page):
    revision = page.latest_revision
    return page.has_unpublished_changes or (revision is not None and revision.user_id is not None)


class Loader:
    def __init__(self, report=print):
        self.report = report
        self.sources, self.extra = load_texts()
        self.english = english_for(self.sources, self.extra)
        self.nl = Locale.objects.get(language_code="nl")
        self.en, _ = Locale.objects.get_or_create(language_code="en")
        self.english_slugs = {}
        self.home = None

    @transaction.atomic
    def run(self):
        text = self.sources["nl"]
        site = self.extra["site"]
        partners = self.load_partners()
        root = Page.get_first_root_node()
        self.remove_placeholder(root)
        home_fields = {
            "title": site["home_title"]["nl"],
            "intro": paragraphs(text.team_intro),
            "featured_heading": site["featured_heading"]["nl"],
            "newsletter_call": paragraphs(text.newsletter_call),
        }
        home = self.upsert(root, HomePage, HOME_SLUG, home_fields, HomePage.objects.child_of(root))
        point_default_site_at_public_address(home)
        overview_fields = {
            "title": text.title,
            "intro": rich_intro(text.intro),
            "contact_call": paragraphs(text.contact_call, text.newsletter_call),
        }
        overview = self.upsert(
            home, ActionIndexPage, text.slug, overview_fields, ActionIndexPage.objects.child_of(home)
        )
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
            actions[action.number] = self.upsert(overview, ActionPage, action.slug, fields, existing)
        featured = stream(*(("action", actions[number].pk) for number in site["featured_actions"]))
        home = self.upsert(root, HomePage, HOME_SLUG, {**home_fields, "featured_actions": featured}, [home])
        self.home = home
        # Pages other apps add (each hook returns the pages it wants translated, in order); all pages exist
        # before any is translated, so the tree does not change under a translation afterwards.
        added = [page for load_more in hooks.get_hooks("load_seed_content") for page in load_more(self)]

        # Only what still reads as the seed wrote it has an English text in the seed; the rest is the
        # translators' work in the admin.
        for partner, _, as_seeded in partners:
            if as_seeded:
                self.translate(partner)
        for page in [home, overview, *actions.values(), *added]:
            if not edited_by_person(page):
                self.translate(page)

    def load_partners(self):
        """Partners are created once; after that they belong to the editors (snippets keep no revisions).

        Returns (partner, numbers of the actions that name it, whether it still reads as the seed wrote it).
        """
        partners = []
        for data in self.extra["partners"]:
            seeded = {"name": data["name"]["nl"], "description": data["description"]["nl"]}
            partner = Partner.objects.filter(locale=self.nl, url=data["url"]).first()
            if partner is None:
                partner = Partner.objects.create(locale=self.nl, url=data["url"], **seeded)
                self.report(f"created partner {partner}")
            as_seeded = all(getattr(partner, name) == value for name, value in seeded.items())
            partners.append((partner, set(data["actions"]), as_seeded))
        return partners

    def upsert(self, parent, model, slug, fields, existing):
        """Creates the page, or brings the loader's own earlier version up to date; never a person's version."""
        page = next(iter(existing), None)
        if page is None:
            page = model(slug=slug, locale=self.nl, show_in_menus=model is ActionIndexPage, **fields)
            parent.add_child(instance=page)
            self.report(f"created {model.__name__} {page.title!r}")
        elif edited_by_person(page):
            self.report(f"kept {page.title!r}: an editor changed it")
            return page
        elif all(stored(page, name) == value for name, value in fields.items()):
            return page
        else:
            for name, value in fields.items():
                setattr(page, name, json.dumps(value) if isinstance(value, list) else value)
            self.report(f"updated {model.__name__} {page.title!r}")
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    def content_page(self, data):
        """A text page (ContentPage) under the home page, from seed data: `slug`, `title` and `body` (headings
        and paragraphs), each in Dutch and English. Returns the Dutch page; the caller returns it to be translated."""
        self.english[data["title"]["nl"]] = data["title"]["en"]
        self.english.update({block["nl"]: block["en"] for block in data["body"]})
        slug = data["slug"]["nl"]
        self.english_slugs[slug] = data["slug"]["en"]
        fields = {"title": data["title"]["nl"], "body": stream(*(text_block(block, "nl") for block in data["body"]))}
        return self.upsert(
            self.home, ContentPage, slug, fields, ContentPage.objects.child_of(self.home).filter(slug=slug)
        )

    def remove_placeholder(self, root):
        """Deletes the welcome page Wagtail's first migration creates (and its site, which points at it)."""
        for page in root.get_children().filter(content_type__model="page", numchild=0):
            page.delete()

    def translate(self, instance):
        """Creates or updates the English translation of `instance` through wagtail-localize."""
        target = instance.get_translation_or_none(self.en)
        if target is not None and isinstance(target, Page) and edited_by_person(target):
            self.report(f"kept English {target.title!r}: an editor or translator changed it")
            return
        previous = TranslationSource.objects.filter(object_id=instance.translation_key, locale=self.nl).first()
        source, _ = TranslationSource.update_or_create_from_instance(instance)
        changed = target is None or previous is None or previous.last_updated_at != source.last_updated_at
        # The Translation record is what the admin's translation editor opens and syncs.
        Translation.objects.get_or_create(source=source, target_locale=self.en)
        english = dict(self.english)
        if isinstance(instance, Page):
            # The slug stays what it was when the page was made (addresses must not change); its English
            # counterpart follows the English title.
            english[instance.slug] = self.english_slugs.get(instance.slug) or slugify(
                english.get(instance.title, instance.slug)
            )
        segments = StringSegment.objects.filter(source=source).select_related("string", "context")
        for segment in segments:
            dutch = segment.string.data
            if dutch not in english:
                raise SeedError(f"No English translation in the seed for {dutch!r}")
            _, created = StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=self.en,
                context=segment.context,
                defaults={"data": english[dutch]},
            )
            changed = changed or created
        if changed:
            self.save_translation(source, instance)
            self.report(f"translated {instance} into English")

    def save_translation(self, source, instance):
        if not isinstance(instance, Page):
            source.create_or_update_translation(self.en, publish=True)
            return
        # wagtail-localize publishes a translated page on commit, from an in-memory copy whose tree fields
        # (numchild) predate the children this loader adds in the same transaction; publishing the saved draft
        # from a fresh copy keeps the tree intact, and works inside test transactions too.
        target, _ = source.create_or_update_translation(self.en, publish=False)
        Page.objects.get(pk=target.pk).specific.get_latest_revision().publish()
