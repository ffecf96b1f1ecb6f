"""Drafting an edition from the actions' progress updates: the Dutch draft, and its English translation through
wagtail-localize with the English text of every update whose action is translated."""

import json
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.types import StringSegmentValue

from actions.models import ActionPage
from home.languages import translations

from .models import NewsletterIndexPage, NewsletterPage
from .told import last_sending_start, told_among


def news(action, untold, today):
    """The action's progress updates that no sent edition has told (`untold`), dated up to `today`, oldest first.

    Whatever their date: an update added on the day an edition went out, or entered late with an earlier date, is
    news until an edition that tells it is sent. One dated after `today` waits for the draft of its day.
    """
    chosen = [block for block in action.updates if block.id in untold and block.value["date"] <= today]
    return sorted(chosen, key=lambda block: block.value["date"])


def untold_updates(actions):
    """The block ids of the actions' progress updates that no sending has told (one query)."""
    ids = {block.id for action in actions for block in action.updates}
    return ids - told_among(ids)


def edition_texts(language, today, since):
    """Title, subject and preheader of a drafted edition, in `language`."""
    with translation.override(language):
        month = formats.date_format(today, "F Y")
        title = _("Newsletter %(month)s") % {"month": month}
        if since:
            preheader = _("How our actions have been doing since %(date)s") % {
                "date": formats.date_format(since, "j F Y")
            }
        else:
            preheader = _("How our actions are doing")
        return {"title": title, "subject": title, "preheader": preheader}


def item_stream(actions, updates):
    """The stored form of the action items, reusing the updates' own block ids (so translations pair up)."""
    return [
        {
            "type": "action_item",
            "id": str(uuid.uuid4()),
            "value": {
                "action": action.pk,
                "updates": [
                    {"type": "item", "id": block.id, "value": block.block.get_prep_value(block.value)}
                    for block in updates[action.pk]
                ],
            },
        }
        for action in actions
    ]


@dataclass
class Draft:
    edition: NewsletterPage
    translations: dict  # language code: the draft translation, for each language with a newsletter page
    since: date | None
    actions: list

    @property
    def translation(self):
        return self.translations.get("en")


@transaction.atomic
def draft_edition(today=None, user=None):
    """Creates a draft edition under the Dutch newsletter page from the updates no sent edition has told.

    One item per action that has such updates, in the actions' order. Before the first sending every update is
    news; `since` (the previous sending's day, for the preheader) is None then. The English translation is made
    through wagtail-localize, with the English text of every update whose action is translated; segments without
    one stay for the translator, as in any translation.
    """
    today = today or timezone.localdate()
    source_locale = Locale.get_default()
    index = NewsletterIndexPage.objects.filter(locale=source_locale).first()
    if index is None:
        raise NewsletterIndexPage.DoesNotExist("There is no newsletter page to add an edition to.")
    last_sending = last_sending_start()
    since = timezone.localdate(last_sending) if last_sending else None
    # Public actions only: a newsletter must not tell what a private page keeps to its readers.
    actions = list(ActionPage.objects.live().public().filter(locale=source_locale).order_by("number", "path"))
    untold = untold_updates(actions)
    updates = {action.pk: news(action, untold, today) for action in actions}
    actions = [action for action in actions if updates[action.pk]]

    texts = edition_texts(source_locale.language_code, today, since)
    edition = NewsletterPage(
        **texts,
        slug=unique_slug(index, slugify(today.strftime("%Y-%m"))),
        locale=source_locale,
        live=False,
        items=json.dumps(item_stream(actions, updates), cls=DjangoJSONEncoder),
    )
    index.add_child(instance=edition)
    edition.save_revision(user=user)
    translations = {
        locale.language_code: translate_draft(edition, index, locale, actions, today, since, user)
        for locale in Locale.objects.exclude(pk=source_locale.pk)
        if index.get_translation_or_none(locale) is not None
    }
    return Draft(edition=edition, translations=translations, since=since, actions=actions)


def unique_slug(parent, slug):
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken or candidate == NewsletterIndexPage.feed_slug:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def translate_draft(edition, index, target_locale, actions, today, since, user):
    """The draft translation of a drafted edition into `target_locale` (English), through wagtail-localize.

    The same edition is built once more from the translated texts (the translated actions' updates keep the Dutch
    blocks' ids), so the segments of both pair up by position; each pair becomes a string translation.
    """
    english_actions = {
        page.translation_key: page
        for page in ActionPage.objects.live().filter(
            locale=target_locale, translation_key__in=[action.translation_key for action in actions]
        )
    }
    twin = NewsletterPage(**edition_texts(target_locale.language_code, today, since), slug=edition.slug)
    twin.items = json.dumps(
        [
            {
                **item,
                "value": {
                    **item["value"],
                    "updates": [
                        english_update(update, english_actions.get(action.translation_key))
                        for update in item["value"]["updates"]
                    ],
                },
            }
            for item, action in zip(stored_items(edition), actions, strict=True)
        ],
        cls=DjangoJSONEncoder,
    )
    return write_translation(edition, target_locale, segment_pairs(edition, twin), user)


def write_translation(edition, target_locale, pairs, user):
    """The draft translation of `edition` into `target_locale`, with the string translations `pairs` gives
    ({(path, source string): translated string}); the segments without one stay for the translator."""
    source, _changed = translations.prepare(edition, target_locale, update=False)

    def translated(segment):
        text = pairs.get((segment.context.path, segment.string.data))
        return text if text != segment.string.data else None

    translations.write_segments(source, target_locale, translated)
    return translations.save(source, target_locale, publish=False, user=user, fallback=True)


def stored_items(edition):
    return [
        {"type": block.block_type, "id": block.id, "value": block.block.get_prep_value(block.value)}
        for block in edition.items
    ]


def english_update(update, english_action):
    """The English version of a Dutch update (same block id in the English action), or the update itself."""
    if english_action is not None:
        for block in english_action.updates:
            if block.id == update["id"]:
                return {**update, "value": block.block.get_prep_value(block.value)}
    return update


def segment_pairs(edition, twin):
    """{(path, Dutch string): English string} for the string segments two same-shaped editions share."""
    dutch = [segment for segment in extract_segments(edition) if isinstance(segment, StringSegmentValue)]
    english = [segment for segment in extract_segments(twin) if isinstance(segment, StringSegmentValue)]
    pairs = {}
    by_path = {}
    for segment in english:
        by_path.setdefault(segment.path, []).append(segment)
    for path in {segment.path for segment in dutch}:
        mine = [segment for segment in dutch if segment.path == path]
        theirs = by_path.get(path, [])
        if len(mine) == len(theirs):  # a rich text that changed shape in one language is left to the translator
            pairs.update({(path, a.string.data): b.string.data for a, b in zip(mine, theirs, strict=True)})
    return pairs
