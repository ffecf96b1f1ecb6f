"""Which progress updates a publish of an action page makes news for its followers, in that page's language.

An update is its StreamField block, known by its id, which stays the same through every revision and in the
translation (wagtail-localize keeps the source's block ids). On the Dutch page (the source) an update is news when
no earlier live revision of that page had its id and the editor left "tell followers" ticked. A translation tells
the updates that were news on the Dutch page once it carries them itself, so that its readers get them in their own
language, never the Dutch text.
"""

import json

from django.conf import settings
from wagtail.models import PageLogEntry, Revision

from home.serving.shell import is_public

from ..models import Mailing

# The log entries of a publish (Wagtail writes them after page_published, so they are the earlier ones), from the
# admin and from the clock's scheduled publishing.
PUBLISH_LOG_ACTIONS = ["wagtail.publish", "wagtail.publish.scheduled"]


def stored_update_ids(content):
    """The block ids of the updates in a revision's stored content (the stream is stored as JSON text)."""
    updates = content.get("updates") or []
    if isinstance(updates, str):
        updates = json.loads(updates)
    return {block["id"] for block in updates if "id" in block}


def earlier_live_update_ids(page, revision):
    """Every update id that a revision of `page` published before `revision` had (one query for the revisions);
    None when this is its first publish."""
    published = (
        PageLogEntry.objects.filter(page=page, action__in=PUBLISH_LOG_ACTIONS, revision__isnull=False)
        .exclude(revision=revision)
        .values("revision")
    )
    contents = list(Revision.objects.filter(pk__in=published).values_list("content", flat=True))
    if not contents:
        return None
    return set().union(*(stored_update_ids(content) for content in contents))


def news_on_publish(page, revision):
    """The block ids of the updates that this publish of `page` (an ActionPage in either language) is to tell its
    language's followers, in the page's order; none for a page that is not live and public."""
    if not page.live or not is_public(page):
        return []
    ticked = [block.id for block in page.updates if block.value["tell_followers"]]
    if page.locale.language_code == settings.LANGUAGE_CODE:
        earlier = earlier_live_update_ids(page, revision)
        if earlier is None:  # nobody can have followed a page that was never live: its updates are its start
            return []
        return [update_id for update_id in ticked if update_id not in earlier]
    news_in_source = set(
        Mailing.objects.filter(
            kind=Mailing.Kind.ALERT, language=settings.LANGUAGE_CODE, update_id__in=ticked
        ).values_list("update_id", flat=True)
    )
    return [update_id for update_id in ticked if update_id in news_in_source]
