"""Bad input never gives a server error: unknown addresses get the styled 404, odd query strings are ignored."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.views.defaults import server_error

from actions.models import ActionIndexPage

UNKNOWN_URLS = [
    "/bestaat-niet/",
    "/acties-en-interventies/bestaat-niet/",
    "/en/does-not-exist/",
    "/de/",
    "/xx/",
    "/de/acties-en-interventies/",
    "/nl/",
    "/%E2%82%AC%00/",
    "/" + "a" * 3000 + "/",
]
MALFORMED_QUERIES = [
    "page=abc",
    "page=-1",
    "page=0",
    "page=99999999999999999999",
    "page=",
    "page=1&page=x",
    "page=%00",
    "%ff=%ff",
]


def test_unknown_addresses_get_the_styled_404(seeded, client):
    for url in UNKNOWN_URLS:
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert '<main id="main"' in html and html.count("<h1>") == 1
        assert 'class="site-header"' in html


def test_the_404_speaks_the_language_of_the_address(seeded, client):
    assert '<html lang="en">' in client.get("/en/does-not-exist/").content.decode()
    assert '<html lang="nl">' in client.get("/bestaat-niet/").content.decode()


def test_malformed_page_numbers_and_query_strings_never_fail(seeded, client):
    for query in MALFORMED_QUERIES:
        for url in ["/acties-en-interventies/", "/", "/en/actions-and-interventions/"]:
            response = client.get(f"{url}?{query}")
            assert response.status_code == 200, (url, query)


def test_out_of_range_page_shows_the_last_page_of_actions(seeded, client, monkeypatch):
    # Three to a page makes three pages of the seven actions: 1-3, 4-6 and 7.
    monkeypatch.setattr(ActionIndexPage, "actions_per_page", 3)
    last = client.get("/acties-en-interventies/?page=999").content.decode()
    assert "Platform O als verzamelplaats" in last and "Politieke agendering" not in last
    assert "Pagina 3 van 3" in last
    first = client.get("/acties-en-interventies/").content.decode()
    assert "De ambtenaar als professional" in first and "Politieke agendering" not in first


def test_pagination_links_keep_the_other_query_parameters(seeded, client, monkeypatch):
    monkeypatch.setattr(ActionIndexPage, "actions_per_page", 3)
    html = client.get("/acties-en-interventies/?page=2&status=ongoing").content.decode()
    assert 'href="?page=1&amp;status=ongoing" rel="prev"' in html
    assert 'href="?page=3&amp;status=ongoing" rel="next"' in html


def test_pages_only_answer_read_requests_without_a_session(seeded, client):
    response = client.get("/acties-en-interventies/")
    assert not response.cookies, "anonymous pages stay cookie-free and cacheable"
    assert client.post("/sitemap.xml").status_code == 405


def test_server_error_page_is_styled_and_bilingual():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Er ging iets mis</h1>" in html and "Something went wrong" in html
    assert "/static/css/site.css" in html


def test_without_its_database_the_site_answers_503_with_the_error_page(seeded, monkeypatch):
    """PostgreSQL stopped or restarting: every query fails. The page says to try again; the status says it passes."""

    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    with monkeypatch.context() as patch:  # undone before the test database is cleaned up
        patch.setattr(CursorWrapper, "execute", unreachable)
        response = Client(raise_request_exception=False).get("/en/")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "Something went wrong" in response.content.decode()


def broken(request):
    raise ValueError("a bug")


# This module as a URLconf, for the test below: one view with a bug, and the site's handler of server errors.
urlpatterns = [path("broken/", broken)]
handler500 = "home.errors.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_any_other_fault_stays_a_500():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500 and "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()


PRODUCTION_HOST = "kernteam.example.nl"


@pytest.fixture
def production_hosts(settings):
    """Host validation as production has it: one real host, requests over https (else redirected there)."""
    settings.ALLOWED_HOSTS = [PRODUCTION_HOST]
    settings.SITE_URL = f"https://{PRODUCTION_HOST}"
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.parametrize(
    "path", ["/", "/en/", "/acties-en-interventies/", "/bestaat-niet/", "/zoeken/?q=x", "/nieuwsbrief-aanmelding/"]
)
@pytest.mark.parametrize("secure", [True, False], ids=["https", "http"])
def test_a_host_the_site_does_not_serve_gets_the_400_page(seeded, production_hosts, client, path, secure):
    assert client.get(path, HTTP_HOST=PRODUCTION_HOST, secure=True).status_code in (200, 302, 404)  # fills the caches
    response = client.get(path, HTTP_HOST="evil.example", secure=secure)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Verzoek niet begrepen</h1>" in html or "<h1>Request not understood</h1>" in html
    assert "evil.example" not in html
    assert ('<html lang="en">' in html) == path.startswith("/en/")


def test_a_host_the_site_does_not_serve_gets_400_for_every_method(seeded, production_hosts, client):
    assert (
        client.post("/nieuwsbrief-aanmelding/", {"email": "a@example.org"}, HTTP_HOST="evil.example").status_code
        == 400
    )
    assert client.head("/", HTTP_HOST="evil.example", secure=True).status_code == 400


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/doe-mee/1/"),
        ("get", "/en/join-action/1/"),
        ("get", "/nieuwsbrief-aanmelding/afmelden/onzin/een-klik/"),
        ("put", "/zoeken/?q=x"),
        ("delete", "/sitemap.xml"),
    ],
)
def test_an_error_page_added_to_an_empty_answer_carries_its_own_length(seeded, client, method, path):
    """Django answers a method a view does not take with an empty 405, and CommonMiddleware gives it
    `Content-Length: 0`; a server trusts that header and sends no page (gunicorn), or more than it said (runserver),
    which leaves a client waiting for a body that never comes."""
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert b"<h1>" in response.content
    assert response["Content-Length"] == str(len(response.content))
