"""One mailbox, one spelling: the domain in ASCII and lower case; addresses no newsletter should take are refused."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import escape

from home.visitors.addresses import UNUSUAL, counting_key, normalise
from joining.models import JoinRequest
from newsletter.models import Subscriber

FORM = {"language": "nl", "consent": "on"}
SUBSCRIBE = {"nl": "/nieuwsbrief-aanmelding/", "en": "/en/newsletter-subscription/"}


def refused(language):
    """The refusal in `language`, as the catalogue has it (the escaped form the page shows)."""
    with translation.override(language):
        return escape(str(UNUSUAL))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("john@exämple.org", "john@xn--exmple-cua.org"),
        ("john@xn--exmple-cua.org", "john@xn--exmple-cua.org"),
        ("John@EXÄMPLE.Org", "John@xn--exmple-cua.org"),  # the local part is the receiving server's business
        ("  ans@example.org.  ", "ans@example.org"),
    ],
)
def test_the_domain_is_stored_in_ascii_and_lower_case(typed, stored):
    assert normalise(typed) == stored


@pytest.mark.parametrize(
    "address",
    [
        '"john doe"@example.org',
        '"john"@example.org',
        "john@[192.0.2.1]",
        "john@[IPv6:2001:db8::1]",
        "john@localhost",
        "john@192.0.2.1",
        "jöhn@example.org",
        "john@exa_mple.org",
        "john@-example.org",
        "john..doe@example.org",
        "john@",
    ],
)
def test_addresses_no_newsletter_should_take_are_refused(address):
    with pytest.raises(ValidationError):
        normalise(address)


def test_two_spellings_of_one_mailbox_are_one_subscriber_and_one_limit(pages, client, run_worker):
    assert client.post(SUBSCRIBE["nl"], {**FORM, "email": "john@exämple.org"}).status_code == 200
    assert client.post(SUBSCRIBE["nl"], {**FORM, "email": "JOHN@xn--exmple-cua.org"}).status_code == 200
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["john@xn--exmple-cua.org"]
    run_worker()
    assert [message.to for message in mail.outbox] == [["john@xn--exmple-cua.org"]]
    # The per-address limit (5 an hour) counts every spelling as the one mailbox, from any client.
    for number, spelling in enumerate(["john@EXÄMPLE.org", "john@xn--exmple-cua.ORG", "john@exämple.org."]):
        response = client.post(SUBSCRIBE["nl"], {**FORM, "email": spelling}, REMOTE_ADDR=f"10.0.0.{number}")
        assert response.status_code == 200
    assert (
        client.post(SUBSCRIBE["nl"], {**FORM, "email": "john@exämple.org"}, REMOTE_ADDR="10.0.1.1").status_code == 429
    )


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("address", ['"john"@example.org', "john@[192.0.2.1]", "john@localhost"])
def test_the_subscribe_form_refuses_them_in_the_visitors_language(pages, client, run_worker, language, address):
    response = client.post(SUBSCRIBE[language], {**FORM, "email": address})
    assert response.status_code == 200
    assert refused(language) in response.content.decode()
    run_worker()
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_the_join_form_takes_the_same_addresses(add_action, client):
    action = add_action(3, title="Verkiezingen bundelen")
    join = {"name": "John", "message": "Ik doe mee."}
    refused_page = client.post(f"/doe-mee/{action.pk}/", {**join, "email": "john@localhost"})
    assert refused("nl") in refused_page.content.decode()
    assert not JoinRequest.objects.exists()
    client.post(f"/doe-mee/{action.pk}/", {**join, "email": "john@EXÄMPLE.org"})
    assert JoinRequest.objects.get().email == "john@xn--exmple-cua.org"


def test_the_limit_counts_spellings_alike_and_takes_any_text():
    assert counting_key("John@EXÄMPLE.org.") == counting_key("john@xn--exmple-cua.org")
    assert counting_key(" nonsense ") == counting_key("NONSENSE")
    assert counting_key("\ud800@example.org")  # a lone surrogate: counted, not a server error
