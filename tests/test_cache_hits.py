"""The WSGI layer in front of Django (config/wsgi.py): a visitor's hit is answered with the stored status, headers and
bytes before Django's handler runs; whatever an editor, a signed-in client or a stranger's address asks goes past."""

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from actions.models import ActionPage
from home.models import SiteSettings
from home.serving.cache_hits import CachedPagesApplication

SECURITY_HEADERS = ["Content-Security-Policy", "Permissions-Policy", "Strict-Transport-Security", "Referrer-Policy"]


class Django:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        self.application = get_wsgi_application()
        self.calls = 0

    def __call__(self, environ, start_response):
        """As Django's test client does: a request's start and end do not close the test's database connection
        (which holds the test's transaction; on PostgreSQL closing it ends the test)."""
        self.calls += 1
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return self.application(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture
def site(seeded, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    SiteSettings.load()  # made on first use, which empties the cache: before the test
    django = Django()
    return CachedPagesApplication(django), django


@pytest.fixture
def action(seeded):
    return ActionPage.objects.get(locale__language_code="nl", number=2).url


def call(application, method="get", path="/", **extra):
    """The status, headers and body `application` answers, and the queries it made."""
    environ = getattr(RequestFactory(), method)(path, secure=True, **extra).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=headers)

    with CaptureQueriesContext(connection) as queries:
        body = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], body, len(queries)


def test_a_hit_is_the_stored_answer_without_djangos_handler(site, action):
    application, django = site
    miss = call(application, path=action)
    hit = call(application, path=action)
    assert django.calls == 1 and hit[3] == 0
    assert hit[:3] == miss[:3] and miss[0] == "200 OK"
    names = [name for name, _ in hit[1]]
    for header in SECURITY_HEADERS:
        assert header in names, header


def test_head_gets_the_stored_headers_and_no_body(site, action):
    application, django = site
    status, headers, body, _ = call(application, path=action)
    assert call(application, "head", action)[:3] == (status, headers, b"")
    assert django.calls == 1 and body


@pytest.mark.parametrize(
    "request_",
    [
        {"HTTP_COOKIE": "sessionid=x"},
        {"HTTP_AUTHORIZATION": "Basic cmVkYWN0ZXVyOnNlY3JldA=="},
        {"HTTP_HOST": "testserver:8000"},
        {"QUERY_STRING": "utm_source=x"},
        {"method": "post"},
    ],
    ids=["session", "authorization", "another host", "made-up query", "post"],
)
def test_what_a_session_credentials_or_another_address_ask_goes_to_django(site, action, request_):
    application, django = site
    call(application, path=action)
    request_ = dict(request_)
    call(application, request_.pop("method", "get"), action, **request_)
    assert django.calls == 2


def test_a_request_with_credentials_stores_nothing(site, action):
    application, django = site
    call(application, path=action, HTTP_AUTHORIZATION="Basic cmVkYWN0ZXVyOnNlY3JldA==")
    call(application, path=action)
    assert django.calls == 2


def test_a_request_django_finds_suspicious_gets_djangos_answer(site, action, settings):
    application, django = site
    too_many_fields = "&".join(f"utm{number}=x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    answer = call(application, path=action, QUERY_STRING=too_many_fields)[:3]
    assert django.calls == 1
    assert answer == call(django.application, path=action, QUERY_STRING=too_many_fields)[:3]
