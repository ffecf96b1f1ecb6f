"""Bad input never gives a server error: unknown addresses get the styled 404, odd query strings are ignored."""

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


def test_out_of_range_page_shows_the_last_page_of_actions(seeded, client):
    html = client.get("/acties-en-interventies/?page=999").content.decode()
    assert "Politieke agendering" in html


def test_pages_only_answer_read_requests_without_a_session(seeded, client):
    response = client.get("/acties-en-interventies/")
    assert not response.cookies, "anonymous pages stay cookie-free and cacheable"
    assert client.post("/sitemap.xml").status_code == 405
