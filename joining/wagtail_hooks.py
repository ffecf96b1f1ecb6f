from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from home.viewsets.policies import ArriveThroughTheSitePolicy
from home.viewsets.spreadsheet import SafeExportIndexView

from .forms import JoinForm
from .models import JoinRequest
from .requests import erase_address


@hooks.register("action_page_sections")
def join_form_section(context):
    """The "Join" form on every action page (actions/ renders what this hook returns; it names no joining)."""
    action = context.get("page")
    if action is None or action.pk is None:
        return ""  # the editor's preview of an action not saved yet: there is nothing to join
    form = context.get("join_form") or JoinForm()
    return render_to_string(
        "joining/includes/join_form.html", {"action": action, "form": form, "LANGUAGE_CODE": get_language()}
    )


# Erasing an address from the newsletter erases the join requests sent from it too (the newsletter asks this hook,
# without naming joining).
hooks.register("erase_address", erase_address)


register_permission_policy(JoinRequest, ArriveThroughTheSitePolicy(JoinRequest))


class JoinRequestViewSet(ModelViewSet):
    model = JoinRequest
    index_view_class = SafeExportIndexView
    icon = "group"
    menu_label = _("Join requests")
    menu_order = 252
    add_to_admin_menu = True
    list_display = ["name", "action_title", "email", "created_at", "mail_status"]
    list_filter = ["mail_status", "language"]
    list_export = ["created_at", "action_title", "name", "email", "message", "language", "mail_status"]
    export_filename = "join-requests"
    search_fields = ["name", "email", "action_title", "message"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["mail_status"]


@hooks.register("register_admin_viewset")
def register_viewset():
    return JoinRequestViewSet("join_requests")
