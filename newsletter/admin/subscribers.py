"""The subscribers in the admin: the listing with its counts per state and language, search, filters, export."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from home.viewsets.spreadsheet import SafeExportIndexView
from newsletter.models import Subscriber


class SubscriberIndexView(SafeExportIndexView):
    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows = Subscriber.objects.values("state", "language").annotate(count=Count("pk"))
        counts = {(row["state"], row["language"]): row["count"] for row in rows}
        languages = [code for code, _name in Subscriber._meta.get_field("language").choices]
        context["subscriber_counts"] = {
            "languages": languages,
            "rows": [
                {
                    "state": state,
                    "label": label,
                    "counts": [counts.get((state, code), 0) for code in languages],
                    "total": sum(counts.get((state, code), 0) for code in languages),
                }
                for state, label in Subscriber.State.choices
            ],
            "total": sum(counts.values()),
        }
        return context


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    index_view_class = SubscriberIndexView
    index_template_name = "newsletter/admin/subscriber_index.html"
    icon = "mail"
    menu_label = _("Subscribers")
    list_display = ["email", "state", "language", "created_at", "state_changed_at"]
    list_filter = ["state", "language"]
    list_export = [
        "email",
        "state",
        "language",
        "created_at",
        "state_changed_at",
        "consent_given_at",
        "consent_version",
        "requested_at",
        "requested_language",
        "requested_consent_version",
    ]
    export_filename = "subscribers"
    search_fields = ["email"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    # The address is what the subscriber confirmed: editors may correct the state or language, not the address.
    form_fields = ["state", "language"]
