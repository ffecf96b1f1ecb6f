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
    request, language = context.get("request"), get_language()
    form = context.get("follow_form")
    if form is not None:  # sent back with the visitor's own input and errors
        return follow_form_html(request, action, form, language)
    # The empty form is the same for every visitor (no CSRF token: the page sets no cookie), so it is rendered once
    # and kept with the site shell until the next change to any page.
    return cached(
        request,
        f"follow-form:{action.pk}:{language}",
        lambda: follow_form_html(request, action, FollowForm(), language),
    )


def follow_form_html(request, action, form, language):
    # Kept with the site shell until a page changes: the action page stays within its queries.
    url = cached(request, f"newsletter:privacy:{language}", lambda: privacy_url(language))
    return render_to_string(
        "newsletter/includes/follow_form.html", {"action": action, "form": form, "privacy_url": url}
    )
