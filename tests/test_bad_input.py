"""Property-based: whatever a client sends to a public address (paths, query strings, headers, bodies, methods,
odd Unicode), the answer is never a server error, and an error comes with a page that says what went wrong.

Hypothesis runs with the profile in tests/conftest.py: derandomized and modest by default (the same examples on
every run and in CI); HYPOTHESIS_PROFILE=thorough searches far more, with fresh random examples. The search runs on
the database of the run (PostgreSQL's query parser when DATABASE_URL points at it, as one CI run does), and one test
sends everything through production's middleware and host validation, with any Host header.
"""

import base64
import json
import runpy
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.http.request import split_domain_port, validate_host
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_settings import REQUIRED

from actions.models import ActionPage
from joining.forms import JoinForm
from newsletter.follow_forms import FollowForm
from newsletter.forms import SubscribeForm

WEBHOOK_SECRET = "hooks:s3cret-value"
METHODS = ["get", "post", "put", "patch", "delete", "options", "head"]
# Text a browser could send: any Unicode but lone surrogates (which cannot be encoded at all), with NUL and other
# control characters, right-to-left marks, combining characters and emoji included.
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
# A query string: keys and values of any text, percent-encoded, mixed with raw pieces that are not (bytes that are
# not UTF-8, a lone %, a long value), and search syntax that PostgreSQL's parser once failed on (a run of minus signs).
query_part = text.map(quote) | st.sampled_from(
    ["%ff", "%00", "%c0%af", "%", "%%", "a" * 5000, "-1", "1e9", "[]", "-" * 40, "-%20" * 40, "%22-" * 40]
)
query_strings = st.lists(
    st.tuples(query_part | st.sampled_from(["q", "page", "kind", "untranslated"]), query_part), max_size=4
).map(lambda pairs: "&".join(f"{key}={value}" for key, value in pairs))
# The fixed parts of every public address: the pages, search, the newsletter's links and forms, the webhook, the
# feeds and the site's text files. Tokens and ids are filled in by the strategy.
ADDRESSES = [
    "/",
    "/en/",
    "/acties-en-interventies/",
    "/en/actions-and-interventions/",
    "/zoeken/",
    "/en/search/",
    "/nieuwsbrief/",
    "/nieuwsbrief/feed/",
    "/en/newsletter/feed/",
    "/nieuwsbrief-aanmelding/",
    "/en/newsletter-subscription/",
    "/nieuwsbrief-aanmelding/bevestigen/{token}/",
    "/nieuwsbrief-aanmelding/afmelden/{token}/",
    "/nieuwsbrief-aanmelding/afmelden/{token}/een-klik/",
    "/doe-mee/{id}/",
    "/volg-actie/{id}/",
    "/volg-actie/bevestigen/{token}/",
    "/volg-actie/stoppen/{token}/",
    "/volg-actie/stoppen/{token}/een-klik/",
    "/anymail/postmark/tracking/",
    "/anymail/brevo/tracking/",
    "/.well-known/security.txt",
    "/sitemap.xml",
    "/robots.txt",
]
path_segment = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/?#"), min_size=1, max_size=30)


@st.composite
def addresses(draw):
    address = draw(st.sampled_from(ADDRESSES))
    address = address.format(token=draw(path_segment), id=draw(st.integers(-1, 10**12)))
    if draw(st.booleans()):
        address += draw(path_segment) + draw(st.sampled_from(["/", ""]))
    return address


form_data = st.dictionaries(
    st.sampled_from(
        ["email", "language", "consent", "name", "message", "website", "action", "q", "page", "frequency", "form_key"]
    )
    | text,
    st.lists(text, max_size=3),
    max_size=6,
)
# What a server hands Django as a header: bytes read as Latin-1.
header_text = st.text(st.characters(max_codepoint=255, exclude_categories=["Cs"]), max_size=60)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": header_text,
        "HTTP_COOKIE": header_text,
        "HTTP_USER_AGENT": header_text,
        "HTTP_X_FORWARDED_FOR": header_text,
        "HTTP_REFERER": header_text,
        "HTTP_IF_MODIFIED_SINCE": header_text,
        "HTTP_IF_NONE_MATCH": header_text,
        "HTTP_RANGE": header_text,
        "HTTP_AUTHORIZATION": st.just("Basic " + base64.b64encode(WEBHOOK_SECRET.encode()).decode()) | header_text,
    },
)
# What a mail provider's webhook reads, with fields of any name and value.
bounce_events = st.dictionaries(text, text, max_size=4).map(lambda fields: [{"RecordType": "Bounce", **fields}])
bodies = st.one_of(
    form_data.map(lambda data: ("form", data)),
    st.recursive(st.none() | st.booleans() | st.integers() | text, lambda inner: st.lists(inner, max_size=3)).map(
        lambda value: ("json", json.dumps(value))
    ),
    bounce_events.map(lambda events: ("json", json.dumps(events))),  # the webhook's shape, any fields in it
    st.binary(max_size=300).map(lambda data: ("raw", data)),
)


# What a client may put in Host: the site's own name in many spellings, other names, and anything at all.
PRODUCTION_HOST = REQUIRED["ALLOWED_HOSTS"]
hosts = st.one_of(
    st.sampled_from(
        [PRODUCTION_HOST, PRODUCTION_HOST.upper(), PRODUCTION_HOST + ".", "evil.example", "[::1]", "127.0.0.1", ""]
    ),
    st.integers(0, 99999).map(lambda port: f"{PRODUCTION_HOST}:{port}"),
    st.sampled_from([f"{PRODUCTION_HOST}:", f"{PRODUCTION_HOST}@evil.example", f"evil.example#{PRODUCTION_HOST}"]),
    header_text,
)


def send(client, method, address, query, body, extra):
    """As a browser or a script would: the path and the query percent-encoded (the query with raw bytes too)."""
    kind, data = body
    path = quote(address, safe="/")
    extra = {**extra, "QUERY_STRING": query}
    if method in ("get", "head"):
        return getattr(client, method)(path, **extra)
    if kind == "form" and method == "post":
        return client.post(path, data, **extra)  # multipart, as forms with files send it
    if kind == "form":
        data, kind = urlencode(data, doseq=True), "application/x-www-form-urlencoded"
    content_type = {"json": "application/json", "raw": "application/octet-stream"}.get(kind, kind)
    return client.generic(method.upper(), path, data, content_type, **extra)


def assert_clear_answer(response, method, label):
    assert response.status_code < 500, label
    if "Content-Length" in response and method != "head" and not response.streaming:
        assert response["Content-Length"] == str(len(response.content)), f"{label}: a length the body does not have"
    if response.status_code >= 400 and method != "head":
        assert response.content.strip(), f"{label}: an error without a word of explanation"
        if response["Content-Type"].startswith("text/html"):
            assert "<h1>" in response.content.decode(), f"{label}: an error page without a heading"


@pytest.fixture
def webhook_secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": WEBHOOK_SECRET}


# What production decides about a request (config/settings/production.py): its middleware, host validation,
# https, cookies and the second factor. The database, caches, static files and mail stay the tests' own.
PRODUCTION_REQUEST_SETTINGS = [
    "MIDDLEWARE",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "TWO_FACTOR_REQUIRED",
    "DEBUG",
]


@pytest.fixture
def production(settings, monkeypatch):
    """The production settings for requests, from its own module read with its required environment."""
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    production = runpy.run_path(
        str(Path(django_settings.BASE_DIR) / "config" / "settings" / "production.py"), run_name="config.settings.x"
    )
    for name in PRODUCTION_REQUEST_SETTINGS:
        setattr(settings, name, production[name])
    # base.py read the variable once, when the tests' settings were loaded.
    settings.ALLOWED_HOSTS = REQUIRED["ALLOWED_HOSTS"].split(",")


# Every example of a test runs inside its one set of fixtures (one transaction, one client), which is what we want.
with_fixtures = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
REQUESTS = {
    "method": st.sampled_from(METHODS),
    "address": addresses(),
    "query": query_strings,
    "body": bodies,
    "extra": headers,
}


@with_fixtures
@given(**REQUESTS)
def test_no_request_to_a_public_address_gets_a_server_error(
    seeded, webhook_secret, client, method, address, query, body, extra
):
    response = send(client, method, address, query, body, extra)
    assert_clear_answer(response, method, f"{method.upper()} {address} ?{query} {body} {extra}")


@with_fixtures
@given(**REQUESTS, host=hosts, secure=st.booleans())
def test_no_request_through_the_production_middleware_gets_a_server_error(
    seeded, production, webhook_secret, client, method, address, query, body, extra, host, secure
):
    """Host validation as production has it: a Host it does not serve is a 400 with the site's page, whatever else
    the request holds; any other request gets what the test above promises."""
    response = send(client, method, address, query, body, {**extra, "HTTP_HOST": host, "secure": secure})
    label = f"{method.upper()} {host} {address} ?{query} {body} {extra}"
    domain, _ = split_domain_port(host)
    if not (domain and validate_host(domain, [PRODUCTION_HOST])):
        assert response.status_code == 400, label
    assert_clear_answer(response, method, label)


@with_fixtures
@given(data=form_data, language=st.sampled_from(["nl", "en"]))
def test_the_forms_take_any_input_and_answer_with_their_page(seeded, client, data, language):
    action = ActionPage.objects.get(number=2, locale__language_code=language)
    for form_class, address in [
        (SubscribeForm, reverse("newsletter:subscribe") if language == "nl" else "/en/newsletter-subscription/"),
        (JoinForm, ("" if language == "nl" else "/en") + reverse("joining:join", kwargs={"page_id": action.pk})),
        (
            FollowForm,
            ("" if language == "nl" else "/en") + reverse("newsletter:follow", kwargs={"page_id": action.pk}),
        ),
    ]:
        form = form_class(data)
        form.is_valid()  # raises nothing, whatever was sent
        response = client.post(address, data, REMOTE_ADDR="192.0.2.1")
        assert_clear_answer(response, "post", f"{address} {data}")


@pytest.mark.parametrize(
    ("address", "body"),
    [
        ("/nieuwsbrief-aanmelding/", {"email": "a" * 3_000_000}),  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        ("/nieuwsbrief-aanmelding/", {f"field{n}": "x" for n in range(20_000)}),  # over the number of fields
        ("/zoeken/", {"q": "x" * 3_000_000}),
    ],
    ids=["huge-body", "too-many-fields", "huge-search"],
)
def test_huge_bodies_are_refused_with_a_page(seeded, client, address, body):
    response = client.post(address, body)
    assert response.status_code in (400, 405, 413)
    assert_clear_answer(response, "post", address)


def test_a_method_an_address_does_not_take_gets_a_page_that_says_so(seeded, client):
    response = client.get("/nieuwsbrief-aanmelding/afmelden/onzin/een-klik/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    dutch = "Dit adres accepteert alleen wat een link of het formulier op onze pagina’s verstuurt"
    assert dutch in response.content.decode()
    english = client.put("/en/search/?q=x")
    assert english.status_code == 405 and '<html lang="en">' in english.content.decode()
