from django.template.loader import render_to_string
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from home.serving.shell import cached
from home.viewsets.policies import ArriveThroughTheSitePolicy

from .forms import JoinForm
from .models import JoinRequest
from .requests import erase_address
from .viewsets import JoinRequestViewSet


@hooks.register("action_page_sections")
def join_form_section(context):
    """The "Join" form on every action page (actions/ renders what this hook returns; it names no joining)."""
    action = context.get("page")
    if action is None or action.pk is None:
        return ""  # the editor's preview of an action not saved yet: there is nothing to join
    form = context.get("join_form")
    if form is not None:  # sent back with the visitor's own input and errors
        return join_form_html(action, form)
    # The empty form is the same for every visitor (it carries no CSRF token: public pages set no cookie), so it is
    # rendered once and kept with the site shell until the next change to any page.
    language = get_language()
    return cached(
        context.get("request"), f"join-form:{action.pk}:{language}", lambda: join_form_html(action, JoinForm())
    )


def join_form_html(action, form):
    return render_to_string(
        "joining/includes/join_form.html", {"action": action, "form": form, "LANGUAGE_CODE": get_language()}
    )


# Erasing an address from the newsletter erases the join requests sent from it too (the newsletter asks this hook,
# without naming joining).
hooks.register("erase_address", erase_address)


register_permission_policy(JoinRequest, ArriveThroughTheSitePolicy(JoinRequest))


@hooks.register("register_admin_viewset")
def register_viewset():
    return JoinRequestViewSet("join_requests")
