"""Signed-in editors get Wagtail's userbar on the public site; anonymous pages never read the session."""

import pytest

from actions.models import ActionPage

PUBLIC_PATHS = ["/", "/acties-en-interventies/", "/en/", "/en/actions-and-interventions/", "/bestaat-niet/"]


def action_paths():
    return [page.url for page in ActionPage.objects.filter(number=4)]  # Dutch and English


@pytest.fixture
def paths(seeded):
    return PUBLIC_PATHS + action_paths()


def test_anonymous_pages_set_no_cookie_and_do_not_vary_on_it(paths, client):
    for path in paths:
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        assert not response.cookies, f"{path} sets {list(response.cookies)}"
        assert "Cookie" not in response.get("Vary", ""), f"{path} varies on Cookie"
        assert "wagtail-userbar" not in response.content.decode()


def test_a_signed_in_editor_can_jump_from_every_page_to_its_editor(paths, admin_client):
    for path in paths[:-3]:  # the 404 has no page to edit; the actions are checked below
        assert 'id="wagtail-userbar-template"' in admin_client.get(path).content.decode(), path
    for page in ActionPage.objects.filter(number=4):
        html = admin_client.get(page.url).content.decode()
        assert f'href="//testserver/admin/pages/{page.pk}/edit/"' in html, page.url


def test_a_stale_session_cookie_shows_nothing_to_a_visitor(paths, client):
    client.cookies["sessionid"] = "expired-or-forged"
    html = client.get("/").content.decode()
    assert "wagtail-userbar" not in html
