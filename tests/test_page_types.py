import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from actions.models import ActionIndexPage, ActionPage
from home.models import ContentPage, HomePage
from newsletter.models import NewsletterIndexPage


class TestPageTree(WagtailPageTestCase):
    def test_home_page_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {ActionIndexPage, ContentPage, NewsletterIndexPage})

    def test_overview_only_under_home_and_holds_only_actions(self):
        self.assertAllowedParentPageTypes(ActionIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ActionIndexPage, {ActionPage})
        self.assertCanNotCreateAt(Page, ActionIndexPage)
        self.assertCanNotCreateAt(ActionPage, ActionIndexPage)

    def test_action_only_under_the_overview_and_has_no_children(self):
        self.assertAllowedParentPageTypes(ActionPage, {ActionIndexPage})
        self.assertAllowedSubpageTypes(ActionPage, set())
        self.assertCanNotCreateAt(HomePage, ActionPage)
        self.assertCanNotCreateAt(Page, ActionPage)


@pytest.mark.django_db
def test_one_overview_per_home_page(tree):
    assert not ActionIndexPage.can_create_at(tree["home"])


@pytest.mark.django_db
def test_every_page_type_is_routable_and_renders(tree, add_action, client):
    action = add_action(1)
    for page in (tree["home"], tree["index"], action):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()


def action_form(**fields):
    """The admin's add/edit form for an action, as an editor fills it in."""
    return nested_form_data(
        {
            "title": "Nieuwe actie",
            "slug": "nieuwe-actie",
            "number": "8",
            "status": "planned",
            "summary": "Een korte samenvatting.",
            "body": streamfield([("paragraph", rich_text("<p>Tekst.</p>"))]),
            "partners": streamfield([]),
            "updates": streamfield([]),
            **fields,
        }
    )


@pytest.mark.django_db
def test_editor_can_create_an_action_in_the_admin_and_preview_it(tree, admin_client):
    url = f"/admin/pages/add/actions/actionpage/{tree['index'].pk}/"
    data = action_form()
    preview = admin_client.post(url + "preview/", data)
    assert preview.json()["is_valid"] is True
    shown = admin_client.get(url + "preview/")
    assert shown.status_code == 200
    html = shown.content.decode()
    assert "<h1>Nieuwe actie</h1>" in html and ">Tekst.</p>" in html  # the site's own template
    response = admin_client.post(url, data)
    assert response.status_code == 302
    page = ActionPage.objects.get(slug="nieuwe-actie")
    assert page.has_unpublished_changes and page.number == 8
    assert ">Tekst.</p>" in page.body[0].value.source


@pytest.mark.django_db
def test_two_actions_in_one_overview_cannot_share_a_number(tree, add_action, admin_client):
    add_action(3)
    url = f"/admin/pages/add/actions/actionpage/{tree['index'].pk}/"
    response = admin_client.post(url, action_form(title="Dubbel", slug="dubbel", number="3"))
    assert response.status_code == 200
    assert "number" in response.context["form"].errors
    assert not ActionPage.objects.filter(slug="dubbel").exists()
