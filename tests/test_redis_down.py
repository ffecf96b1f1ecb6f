"""With Redis down, the site goes on: pages are rendered afresh, and rate-limited forms refuse politely."""

import pytest
from django.conf import settings as project_settings

from config.settings.base import cache

# Nothing listens on port 1: every connection is refused at once, as when Redis has stopped.
STOPPED_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {name: cache(name, STOPPED_REDIS) for name in project_settings.CACHES}


def test_pages_and_search_still_answer(seeded, redis_down, client):
    for path in ["/", "/acties-en-interventies/", "/zoeken/?q=ambtenaar", "/"]:  # the home twice: no cache to answer
        assert client.get(path).status_code == 200, path


def test_rate_limited_forms_ask_to_come_back_later_instead_of_failing(seeded, redis_down, client):
    response = client.post("/nieuwsbrief-aanmelding/", {"email": "ans@example.org", "language": "nl", "consent": "on"})
    assert response.status_code == 429
    assert "<h1>" in response.content.decode()
