"""The "Follow this action" section of every action page (actions/ renders what the `action_page_sections` hook
returns, and names no newsletter; wagtail_hooks.py registers it)."""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from home.serving.shell import cached

from .follow_forms import FollowForm
from .models import NewsletterIndexPage


def privacy_url(language):
    """The address of the privacy statement in `language` that the consent sentence links, or "" without one."""
    index = NewsletterIndexPage.objects.live().filter(locale__language_code=language).first()
    privacy = index.privacy_statement() if index else None
    return privacy.url if privacy else ""


def follow_form_section(context):
    action = context.get("page")
    if action is None or action.pk is None:
        return ""  # the editor's preview of an action not saved yet: there is nothing to follow
    language = get_language()
    # Kept with the site shell until a page changes: the action page stays within its queries.
    url = cached(context.get("request"), f"newsletter:privacy:{language}", lambda: privacy_url(language))
    form = context.get("follow_form") or FollowForm()
    return render_to_string(
        "newsletter/includes/follow_form.html", {"action": action, "form": form, "privacy_url": url}
    )
