"""What each process keeps of the page cache in its own memory (home.serving.memory): a hit within
PAGE_CACHE_MEMORY_SECONDS costs no round trip to the shared cache, a publish in this process shows at once, and the
values of one generation (site shell, routes, fragments) are each request's own copies."""

import pytest
from django.test import RequestFactory

from actions.models import ActionPage
from home.models import SiteSettings
from home.serving import memory, routing
from home.serving.cache_hits import CachedPagesApplication
from home.serving.page_cache import invalidate_page_cache, page_cache
from tests.test_cache_hits import Django, call


@pytest.fixture
def counted_reads(monkeypatch):
    """The keys read from the shared page cache, one entry per round trip (the tests' local-memory cache reads the
    keys of a `get_many` one `get` at a time; Redis in one round trip)."""
    cache, reads, inside = page_cache(), [], []
    get, get_many = cache.get, cache.get_many

    def counted_get(key, *args, **kwargs):
        if not inside:
            reads.append([key])
        return get(key, *args, **kwargs)

    def counted_get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    return reads


@pytest.fixture
def site(seeded, settings):
    settings.PAGE_CACHE_MEMORY_SECONDS = 1  # as in production (the tests' settings turn it off)
    SiteSettings.load()  # made on first use, which empties the cache: before the test
    django = Django()
    return CachedPagesApplication(django), django


@pytest.fixture
def action(seeded):
    return ActionPage.objects.get(locale__language_code="nl", number=2)


@pytest.fixture
def clock(monkeypatch):
    """memory's monotonic clock, moved on by hand."""
    now = [1000.0]
    monkeypatch.setattr(memory.time, "monotonic", lambda: now[0])
    return now


def test_hits_within_the_second_read_nothing_from_the_shared_cache(site, action, counted_reads, clock):
    application, django = site
    miss = call(application, path=action.url)
    first_hit = call(application, path=action.url)
    reads = len(counted_reads)
    again = call(application, path=action.url)
    assert django.calls == 1 and miss[:3] == first_hit[:3] == again[:3]
    assert len(counted_reads) == reads  # the last hit: no round trip at all
    clock[0] += 1.5
    assert call(application, path=action.url)[:3] == miss[:3]
    assert len(counted_reads) == reads + 1  # a second later: the page is read again, with the generation


def test_a_publish_in_this_process_shows_at_once(site, action, clock):
    application, django = site
    call(application, path=action.url)
    call(application, path=action.url)
    action.title = "Een nieuwe titel"
    action.save_revision().publish()
    assert b"Een nieuwe titel" in call(application, path=action.url)[2]
    assert django.calls == 2


def test_a_change_another_process_made_shows_within_the_second(site, action, clock):
    """Another process's publish is a new generation in the shared cache, which this process has not seen."""
    application, django = site
    call(application, path=action.url)
    call(application, path=action.url)
    ActionPage.objects.filter(pk=action.pk).update(title="Een nieuwe titel")
    page_cache().delete("pages:generation")
    assert b"Een nieuwe titel" not in call(application, path=action.url)[2]
    clock[0] += 1.5
    assert b"Een nieuwe titel" in call(application, path=action.url)[2]


def test_no_memory_of_answers_when_it_is_turned_off(site, action, counted_reads, settings):
    settings.PAGE_CACHE_MEMORY_SECONDS = 0
    application, _ = site
    call(application, path=action.url)
    reads = len(counted_reads)
    call(application, path=action.url)
    call(application, path=action.url)
    assert len(counted_reads) == reads + 2 and not memory.answers


def test_the_memory_of_answers_is_bounded(monkeypatch, settings):
    settings.PAGE_CACHE_MEMORY_SECONDS = 1
    monkeypatch.setattr(memory, "MAX_ANSWERS", 3)
    for number in range(10):
        memory.keep_answer(f"key{number}", ("200 OK", (), b""))
    assert 0 < len(memory.answers) <= 3 and memory.recent_answer("key9") is not None


def routed(action, **cookies):
    """The page Wagtail's routing (home.serving.routing) finds for the action's address."""
    request = RequestFactory().get(action.url)
    request.COOKIES.update(cookies)
    return routing.route(request, action.url).page


def test_each_request_gets_its_own_copy_of_a_kept_page(action):
    """A route is kept per generation: a request that changes the page object it got changes no other's."""
    first = routed(action)
    first.title = "Alleen voor dit verzoek"
    again = routed(action)
    assert again.pk == action.pk and again.title == action.title and again is not first


def test_an_editor_gets_the_page_as_it_is_now(action, settings):
    """The kept route is the page as published; an editor's userbar shows its state now (a draft saved since)."""
    routed(action)
    ActionPage.objects.filter(pk=action.pk).update(has_unpublished_changes=True)  # what saving a draft does
    assert not routed(action).has_unpublished_changes
    assert routed(action, **{settings.SESSION_COOKIE_NAME: "x"}).has_unpublished_changes


def test_values_are_kept_per_generation_and_bounded(monkeypatch):
    monkeypatch.setattr(memory, "MAX_VALUES", 3)
    memory.keep("a", "shell", {"title": "A"})
    assert memory.recall("a", "shell") == {"title": "A"} and memory.recall("b", "shell") is None
    assert memory.recall("a", "shell") is not memory.recall("a", "shell")  # a copy each time, unless text
    for number in range(5):
        memory.keep("a", f"value{number}", "text")
    assert len(memory.values_of_generation[1]) <= 3
    memory.keep("b", "shell", "new")
    assert memory.recall("a", "value4") is None and memory.recall("b", "shell") == "new"


def test_a_full_render_reads_only_the_generation_from_the_shared_cache(site, action, counted_reads, client):
    """Site shell, route, fragments and Wagtail's site root paths: from this process's memory after the first."""
    uncached = action.url + "?utm_source=test"  # served, never stored: rendered in full each time
    client.get(uncached)
    del counted_reads[:]
    invalidate_page_cache()  # memory starts over too; once more, to see what a render reads
    client.get(uncached)
    reads = len(counted_reads)
    assert client.get(uncached).status_code == 200
    assert len(counted_reads) == reads  # the generation itself is in memory for the second


def test_another_hosts_values_are_not_kept(seeded, client):
    """As the shared cache keeps nothing for a host that is not the site's own (home.serving.canonical)."""
    client.get("/", HTTP_HOST="TESTSERVER")
    generation, values = memory.values_of_generation
    assert not any("TESTSERVER" in name for name in values)
    client.get("/")
    assert any("testserver" in name for name in memory.values_of_generation[1])
