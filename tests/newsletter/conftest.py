import re

import pytest

from home.models import ContentPage
from newsletter.models import NewsletterIndexPage, Subscriber
from newsletter.services import CONSENT_VERSION


@pytest.fixture
def pages(tree, english):
    """The Dutch newsletter page and privacy statement on the small tree, and their English translations."""
    home = tree["home"]
    privacy = home.add_child(instance=ContentPage(title="Privacyverklaring", slug="privacyverklaring", body="[]"))
    newsletter = home.add_child(
        instance=NewsletterIndexPage(
            title="Nieuwsbrief", slug="nieuwsbrief", intro="<p>Elke maand.</p>", privacy_page=privacy
        )
    )
    en_home = home.copy_for_translation(english)
    en_home.save_revision().publish()
    en_privacy = privacy.copy_for_translation(english)
    en_privacy.title, en_privacy.slug = "Privacy statement", "privacy"
    en_privacy.save_revision().publish()
    en_newsletter = newsletter.copy_for_translation(english)
    en_newsletter.title, en_newsletter.slug = "Newsletter", "newsletter"
    en_newsletter.save_revision().publish()
    return {"newsletter": newsletter, "privacy": privacy, "en_newsletter": en_newsletter, "en_privacy": en_privacy}


@pytest.fixture
def make_subscriber(db):
    def make(email="ans@example.org", state=Subscriber.State.CONFIRMED, language="nl"):
        from django.utils import timezone

        now = timezone.now()
        return Subscriber.objects.create(
            email=email,
            language=language,
            state=state,
            state_changed_at=now,
            consent_given_at=now,
            consent_version=CONSENT_VERSION,
        )

    return make


@pytest.fixture
def link_in():
    def find(message, path_part):
        """The first absolute link in the plain-text body of `message` that contains `path_part`."""
        match = re.search(r"https?://\S*" + re.escape(path_part) + r"\S*", message.body)
        assert match, message.body
        return match.group(0)

    return find
