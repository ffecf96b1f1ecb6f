"""Signing in to the Wagtail admin as an editor does, for the browser tests that work there."""

import re

PASSWORD = "redactie-wachtwoord"  # noqa: S105 (a test account)


def make_editor(username="redacteur"):
    """A superuser whose admin speaks English (the tests find Wagtail's controls by their English names)."""
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    editor = get_user_model().objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    return editor


def sign_in(page, base_url, username="redacteur"):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/admin/$"))
