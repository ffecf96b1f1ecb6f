"""What is made for one visitor's session is marked private for every cache on the way, not only by `Vary: Cookie`
(which a CDN may ignore): `Cache-Control: private, no-store`, as Wagtail marks restricted pages."""


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_a_document_in_a_restricted_collection_is_private(private, admin_client):
    response = admin_client.get(private["document"])
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_pages_an_editor_sees_are_private(private, tree, admin_client):
    for path in ["/", tree["index"].url, private["page"], "/zoeken/?q=x", "/bestaat-niet/"]:
        response = admin_client.get(path)
        assert {"private", "no-store"} <= cache_control(response), path
        assert "public" not in cache_control(response), path


def test_a_visitors_pages_and_public_documents_stay_shareable(private, tree, client):
    page = client.get(tree["index"].url)
    assert cache_control(page) == {"public", "max-age=0", "s-maxage=60"}
    document = client.get(private["public document"])
    assert document.status_code == 200 and "private" not in cache_control(document)


def test_an_answers_own_cache_control_is_kept(private, admin_client):
    """The web manifest is the same for everyone, signed in or not (its view says so)."""
    assert cache_control(admin_client.get("/manifest.webmanifest")) == {"public", "max-age=86400"}
