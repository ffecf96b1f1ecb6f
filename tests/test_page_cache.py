"""Visitors get pages from the shared cache; whatever changes what they see empties it; editors never share it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.middleware.security import SecurityMiddleware
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from actions.models import ActionIndexPage, ActionPage
from home.models import Partner, SiteSettings
from home.serving.page_cache import GENERATION_KEY, page_cache

OVERVIEW = "/acties-en-interventies/"


def queries_for(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries)


def rendered(client, path, **extra):
    """Whether `client` was answered with a page rendered now (a template rendered), not one from the cache: a full
    render may need no query, with the site shell and the route kept per generation."""
    response = client.get(path, **extra)
    return response, bool(response.templates)


@pytest.fixture
def action(seeded):
    # The settings row is made on first use, and making it empties the cache: make it before the test does.
    SiteSettings.load()
    return ActionPage.objects.get(locale__language_code="nl", number=2)


def test_a_second_visit_is_answered_from_the_cache_without_a_query(action, client):
    first, first_queries = queries_for(client, action.url)
    again, again_queries = queries_for(client, action.url)
    assert first.status_code == again.status_code == 200 and first_queries > 0
    assert again_queries == 0
    assert again.content == first.content
    cache_control = {part.strip() for part in again["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=0", "s-maxage=60"}


def test_a_hit_carries_every_header_of_the_miss_byte_for_byte(action, client, settings):
    """A hit is answered before the security middleware runs: the stored page must already carry its headers."""
    settings.SECURE_HSTS_SECONDS = 3600  # read when the client's middleware is made, on its first request
    miss = client.get(action.url, secure=True)
    hit = client.get(action.url, secure=True)
    assert hit.content == miss.content
    assert list(hit.items()) == list(miss.items())
    for header in [
        "Content-Security-Policy",
        "Permissions-Policy",
        "Strict-Transport-Security",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Cross-Origin-Opener-Policy",
        "Content-Length",
    ]:
        assert header in hit, header


def recording(calls, name, function):
    """`function`, noting `name` in `calls` each time it is called, except from within another recorded call (the
    local-memory cache of the tests reads many keys one at a time; Redis in one round trip)."""

    def record(*args, **kwargs):
        if calls and calls[-1] is None:
            return function(*args, **kwargs)
        calls.append(None)
        try:
            return function(*args, **kwargs)
        finally:
            calls[-1] = name

    return record


def test_a_hit_is_one_cache_read_before_any_other_middleware(action, client, monkeypatch):
    client.get(action.url)
    cache, calls = page_cache(), []
    for name in ["get", "get_many"]:
        monkeypatch.setattr(cache, name, recording(calls, name, getattr(cache, name)))
    monkeypatch.setattr(
        SecurityMiddleware, "process_request", recording(calls, "middleware", SecurityMiddleware.process_request)
    )
    assert client.get(action.url).status_code == 200
    assert calls == ["get_many"]
    calls.clear()
    assert client.get(OVERVIEW).status_code == 200
    assert calls[:2] == ["get_many", "middleware"]  # a miss goes through the others


def test_pages_vary_on_nothing_a_visitor_sends(action, client):
    for path in ["/", "/en/", OVERVIEW, action.url]:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="django_language=en")
        assert "Vary" not in response, f"{path} varies on {response.get('Vary')}"
        assert response["Content-Language"] == ("en" if path.startswith("/en/") else "nl")
        assert ('<html lang="en">' in response.content.decode()) is path.startswith("/en/")


@pytest.mark.parametrize(
    "change",
    ["publish", "unpublish", "move", "delete", "translation", "partner", "settings"],
)
def test_whatever_changes_a_page_empties_the_cache(action, client, change):
    english = ActionPage.objects.get(locale__language_code="en", number=2)
    for path in [action.url, english.url, OVERVIEW]:
        client.get(path)
    if change == "publish":
        action.title = "Een nieuwe titel"
        action.save_revision().publish()
        assert "Een nieuwe titel" in client.get(OVERVIEW).content.decode()
    elif change == "unpublish":
        action.unpublish()
        assert client.get(action.url).status_code == 404
    elif change == "move":
        action.move(ActionPage.objects.get(locale__language_code="nl", number=7), pos="right")
        overview = client.get(OVERVIEW).content.decode()
        assert overview.index("Platform O als verzamelplaats") < overview.index(action.title)
    elif change == "delete":
        action.delete()
        assert client.get(action.url).status_code == 404
    elif change == "translation":
        english.title = "A newly translated title"
        english.save_revision().publish()
        assert "A newly translated title" in client.get(english.url).content.decode()
    elif change == "partner":
        partner = Partner.objects.get(locale__language_code="nl", name="Platform O")
        partner.description = "Een nieuwe beschrijving."
        partner.save()
        action_one = ActionPage.objects.get(locale__language_code="nl", number=1)
        client.get(action_one.url)
        partner.description = "Nog een nieuwe beschrijving."
        partner.save()
        assert "Nog een nieuwe beschrijving." in client.get(action_one.url).content.decode()
    elif change == "settings":
        site_settings = SiteSettings.load()
        site_settings.contact_email = "team@kernteam.example.nl"
        site_settings.save()
        assert "team@kernteam.example.nl" in client.get(OVERVIEW).content.decode()


def test_an_editor_is_never_served_nor_stores_a_cached_page(action, client, admin_client):
    client.get(action.url)  # a visitor fills the cache
    response, fresh = rendered(admin_client, action.url)
    assert fresh and "wagtail-userbar" in response.content.decode()
    assert "wagtail-userbar" not in client.get(action.url).content.decode()


def test_made_up_query_strings_are_served_but_not_cached(action, client):
    client.get(f"{action.url}?utm_source=x")
    _, fresh = rendered(client, f"{action.url}?utm_source=x")
    assert fresh
    client.get(f"{OVERVIEW}?page=1")
    _, fresh = rendered(client, f"{OVERVIEW}?page=1")
    assert not fresh


def test_errors_and_other_languages_are_kept_apart(action, client):
    assert client.get("/bestaat-niet/").status_code == 404
    _, fresh = rendered(client, "/bestaat-niet/")
    assert fresh, "a 404 is not cached"
    dutch = client.get(OVERVIEW).content.decode()
    english = client.get("/en/actions-and-interventions/").content.decode()
    assert (
        dutch != english
        and ActionIndexPage.objects.get(locale=Locale.objects.get(language_code="en")).title in english
    )


def test_a_deployment_drops_the_pages_the_old_code_cached(action, client):
    client.get(action.url)
    call_command("migrate", verbosity=0)  # what every deployment runs
    _, fresh = rendered(client, action.url)
    assert fresh


def test_a_lost_generation_never_brings_back_older_pages(action, client):
    """Caches may drop keys (expiry, eviction): pages cached before must not come back when the generation goes."""
    client.get(action.url)
    action.title = "Een nieuwe titel"
    action.save_revision().publish()
    assert "Een nieuwe titel" in client.get(action.url).content.decode()
    page_cache().delete(GENERATION_KEY)
    assert "Een nieuwe titel" in client.get(action.url).content.decode()


def stored_shells(host):
    """The site shell's values kept for `host` (its keys end in the host where the value depends on it)."""
    return sum(":shell:" in key and key.endswith(host) for key in page_cache()._cache)


def stored_pages():
    """The pages in the page cache (the local-memory cache of the tests), whatever their generation."""
    return sum(":pages:" in key and not key.endswith(GENERATION_KEY) for key in page_cache()._cache)


@pytest.fixture
def three_pages_of_actions(action, monkeypatch):
    """The overview paginated three to a page: its seven actions make pages 1, 2 and 3."""
    monkeypatch.setattr(ActionIndexPage, "actions_per_page", 3)


def test_page_numbers_that_do_not_exist_are_served_but_not_cached(three_pages_of_actions, client):
    made_up = ["fill1", "fill2", "4", "999", "02", "0", "-1", "2.0", " 2", "١"]
    for value in made_up:
        assert client.get(OVERVIEW, {"page": value}).status_code == 200
    assert client.get(f"{OVERVIEW}?page=2&page=3").status_code == 200
    assert client.get("/", {"page": "2"}).status_code == 200  # the home page has no pages of its own
    assert stored_pages() == 0
    for value in ["1", "2", "3"]:
        client.get(OVERVIEW, {"page": value})
    assert stored_pages() == 3
    assert "Pagina 2 van 3" in client.get(OVERVIEW, {"page": "2"}).content.decode()


def test_the_same_address_written_otherwise_is_the_same_entry(three_pages_of_actions, client):
    client.get(f"{OVERVIEW}?page=2")
    _, fresh = rendered(client, f"{OVERVIEW}?&&page=2&")
    assert not fresh and stored_pages() == 1


def test_untranslated_is_cached_only_with_the_value_the_language_switcher_gives(action, client):
    for value in ["", "0", "yes", "1" * 2000, "<b>"]:
        client.get("/en/", {"untranslated": value})
    assert stored_pages() == 0
    client.get("/en/", {"untranslated": "1"})
    _, fresh = rendered(client, "/en/?untranslated=1")
    assert not fresh and stored_pages() == 1


@pytest.mark.parametrize(
    "host", ["testserver:8000", "testserver:1", "TESTSERVER", "Testserver", "testserver.", "localhost", "127.0.0.1"]
)
def test_only_the_sites_own_host_is_cached(action, client, host):
    """SITE_URL's host (http://testserver in the tests): every port, capital or trailing dot would be one more copy
    of every page, and ALLOWED_HOSTS lets them all through."""
    first = client.get(action.url, HTTP_HOST=host)
    _, fresh = rendered(client, action.url, HTTP_HOST=host)
    assert first.status_code == 200 and fresh and stored_pages() == 0
    assert stored_shells(host) == 0  # nor what the site shell keeps per host
    client.get(action.url)
    assert stored_pages() == 1 and stored_shells("testserver") > 0


def test_a_name_allowed_hosts_lists_is_cached_on_the_port_the_server_listens_on(action, client, settings):
    """As the benchmarks and `make faults` reach gunicorn: at its own address and port."""
    settings.ALLOWED_HOSTS = ["kernteam.example.nl", "127.0.0.1", ".example.org"]
    for host in ["127.0.0.1:8400", "127.0.0.1:1", "www.example.org", "127.0.0.1"]:
        client.get(action.url, HTTP_HOST=host, SERVER_PORT="8400")
    assert stored_pages() == 2  # 127.0.0.1:8400 and 127.0.0.1


def test_a_page_stored_while_a_change_commits_is_dropped_when_it_commits(
    action, client, django_capture_on_commit_callbacks
):
    """Publishing empties the cache inside its transaction; a visitor's request before the commit still reads the
    old page and stores it under the new generation. The commit starts another one."""
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        action.title = "Een nieuwe titel"
        action.save_revision().publish()
        client.get(OVERVIEW)  # stands for the other request, which stored the page as it read it then
    _, fresh = rendered(client, OVERVIEW)
    assert not fresh
    for callback in on_commit:
        callback()
    _, fresh = rendered(client, OVERVIEW)
    assert fresh
