"""A progress update and a published edition on top of the seed content (which has neither), for the tests of
the whole site: the HTML checker, and the browser suite's pages and journeys."""

import json
from datetime import date


def add_progress_update():
    """The first Dutch action, with a progress update for a newsletter edition to report."""
    from actions.models import ActionPage

    action = ActionPage.objects.filter(locale__language_code="nl").order_by("path").first()
    action.updates = json.dumps(
        [{"type": "update", "value": {"date": "2026-11-02", "text": "<p>De eerste gesprekken zijn gevoerd.</p>"}}]
    )
    action.save_revision().publish()
    return action


def publish_edition():
    """A newsletter edition in both languages, drafted from the actions' updates and published (the Draft)."""
    from newsletter.drafting import draft_edition

    draft = draft_edition(today=date(2026, 11, 30))
    for page in (draft.edition, draft.translation):
        page.save_revision().publish()
    return draft
