"""The site shell (home.serving.shell, home.serving.routing): Wagtail's routing in two queries, with Wagtail's
answers; the cached shell follows every change that Wagtail's signals report."""

from wagtail.models import PageViewRestriction

from actions.models import ActionIndexPage, ActionPage
from home.models import ContentPage


def overview():
    return ActionIndexPage.objects.get(locale__language_code="nl")


def test_a_draft_page_is_not_found_but_its_live_children_are(seeded, client):
    # Wagtail's Page.route: a page that is not live answers 404, and routing still passes it on the way down.
    index = overview()
    action = ActionPage.objects.child_of(index).live().first()
    index.unpublish()
    assert client.get(index.url).status_code == 404
    assert client.get(action.url).status_code == 200


def test_addresses_that_lead_nowhere_are_not_found(seeded, client):
    action = ActionPage.objects.child_of(overview()).live().first()
    for path in [action.url + "verder/", "/bestaat-niet/", overview().url + "bestaat-niet/", "/en/bestaat-niet/"]:
        assert client.get(path).status_code == 404, path


def test_a_page_type_with_routing_of_its_own_still_routes(seeded, client):
    response = client.get("/nieuwsbrief/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")


def test_each_language_routes_from_its_own_home(seeded, client):
    english = ActionIndexPage.objects.get(locale__language_code="en")
    response = client.get(english.url)
    assert response.status_code == 200 and response.context["page"].pk == english.pk
    assert client.get("/en" + overview().url).status_code == 404


def test_a_private_section_is_still_checked_on_every_visit(seeded, client):
    action = ActionPage.objects.filter(locale__language_code="nl").first()
    assert client.get(action.url).status_code == 200
    PageViewRestriction.objects.create(page=action, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(action.url).status_code == 302
    assert action.title not in client.get(action.get_parent().url).content.decode()


def test_a_new_page_in_the_menu_shows_once_published(seeded, client):
    home = overview().get_parent()
    client.get(home.url)
    page = home.add_child(instance=ContentPage(title="Over ons", slug="over-ons", body="[]", show_in_menus=True))
    page.save_revision().publish()
    assert 'href="/over-ons/"' in client.get(home.url).content.decode()
