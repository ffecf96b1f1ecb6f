"""Passwords of private pages and of private collections' documents cannot be guessed without limit."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from home.models import HomePage

PASSWORD = "de-juiste-toegangscode"  # noqa: S105


@pytest.fixture
def restrictions(tree):
    """The address each password form posts to, for a private page and a private collection."""
    page = tree["home"].add_child(instance=HomePage(title="Voor leden", slug="leden", intro="<p>Alleen leden.</p>"))
    on_page = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    collection = Collection.get_first_root_node().add_child(name="Leden")
    on_documents = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password=PASSWORD
    )
    with translation.override("nl"):
        return {
            "page": reverse("wagtailcore_authenticate_with_password", args=[on_page.pk, page.pk]),
            "documents": reverse("wagtaildocs_authenticate_with_password", args=[on_documents.pk]),
        }


def attempt(client, path, password, address="192.0.2.10"):
    return client.post(path, {"password": password, "return_url": "/"}, REMOTE_ADDR=address)


@pytest.mark.parametrize("kind", ["page", "documents"])
def test_a_client_that_keeps_guessing_is_refused_and_others_are_not(client, restrictions, kind):
    path = restrictions[kind]
    answers = [attempt(client, path, f"gok-{n}").status_code for n in range(5)]
    assert answers == [200] * 5, "five tries, as the admin login allows"
    refused = attempt(client, path, PASSWORD)
    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert "Te veel pogingen" in refused.content.decode(), "even the right password waits"
    assert attempt(client, path, PASSWORD, address="198.51.100.7").status_code == 302, "another visitor gets in"


def test_many_clients_together_cannot_guess_one_password_quickly(client, restrictions):
    path = restrictions["page"]
    for n in range(30):
        attempt(client, path, "gok", address=f"192.0.2.{n}")
    assert attempt(client, path, PASSWORD, address="198.51.100.7").status_code == 429
    assert attempt(client, restrictions["documents"], PASSWORD, address="198.51.100.7").status_code == 302


def test_the_refusal_speaks_the_visitors_language(client, restrictions):
    path = "/en" + restrictions["page"]
    for n in range(5):
        attempt(client, path, f"guess-{n}")
    refused = attempt(client, path, "guess")
    assert refused.status_code == 429 and "Too many attempts" in refused.content.decode()
    assert refused["Content-Language"] == "en"
