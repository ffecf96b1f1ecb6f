"""A CDN in front: publishing purges the page from it, pages say how long it may keep them, static files forever."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import pytest
from django.templatetags.static import static
from django.test import Client
from test_security import YEAR, assert_security_headers
from test_settings import REQUIRED, manage

from actions.models import ActionPage
from config.settings.base import frontend_cache


class PurgeRecorder(BaseHTTPRequestHandler):
    """A cache that accepts HTTP PURGE, as Varnish or nginx do, and notes what it was asked."""

    purged = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    server = HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    PurgeRecorder.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", PurgeRecorder.purged
    server.shutdown()
    server.server_close()


def test_no_cdn_is_purged_unless_the_environment_names_one():
    assert frontend_cache({}) == {}
    assert set(frontend_cache({"CDN_PURGE_URL": "http://varnish:6081", "CLOUDFLARE_ZONE_ID": "zone"})) == {
        "http",
        "cloudflare",
    }


def test_publishing_and_unpublishing_purge_the_page_from_an_http_cache(
    seeded, settings, purge_server, django_capture_on_commit_callbacks
):
    location, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = frontend_cache({"CDN_PURGE_URL": location})
    dutch = ActionPage.objects.get(locale__language_code="nl", number=2)
    english = ActionPage.objects.get(locale__language_code="en", number=2)
    with django_capture_on_commit_callbacks(execute=True):
        dutch.save_revision().publish()
    assert purged == [("testserver", dutch.url)]
    with django_capture_on_commit_callbacks(execute=True):
        english.unpublish()
    assert purged[1:] == [("testserver", english.url)] and english.url.startswith("/en/")


def test_publishing_purges_the_page_from_cloudflare(seeded, settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = frontend_cache({"CLOUDFLARE_ZONE_ID": "zone-1", "CLOUDFLARE_API_TOKEN": "token"})
    page = ActionPage.objects.get(locale__language_code="nl", number=3)
    with mock.patch("requests.post") as post, django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    (url,), call = post.call_args
    assert url == "https://api.cloudflare.com/client/v4/zones/zone-1/purge_cache"
    assert call["json"] == {"files": [f"http://testserver{page.url}"]}
    assert call["headers"]["Authorization"] == "Bearer token"


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """The static files as production collects them."""
    root = tmp_path_factory.mktemp("static")
    result = manage("collectstatic", "--no-input", **REQUIRED, STATIC_ROOT=str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_static_files_are_hashed_compressed_and_immutable(collected_static, settings):
    settings.STATIC_ROOT = collected_static
    settings.SECURE_HSTS_SECONDS = YEAR
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.startswith("/static/css/site.")
    client = Client()  # a new client: whitenoise reads the collected files when the middleware starts
    for encoding in ["br", "gzip"]:
        response = client.get(url, HTTP_ACCEPT_ENCODING=encoding, secure=True)
        assert response.status_code == 200 and response["Content-Encoding"] == encoding
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {"max-age=315360000", "public", "immutable"}
        assert response["Vary"] == "Accept-Encoding"
        assert_security_headers(response, url)
