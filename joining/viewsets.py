"""Join requests in the admin: a listing to read, search, filter and export; only their mail status is edited."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from home.viewsets.spreadsheet import SafeExportIndexView

from .models import JoinRequest


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
