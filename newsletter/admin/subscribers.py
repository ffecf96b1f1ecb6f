"""The subscribers in the admin: the listing with its counts per state and language, what each follows, search,
filters, export."""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from home.viewsets.spreadsheet import SafeExportIndexView
from newsletter.models import Follow, Subscriber


class SubscriberIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        # What each subscriber follows, in one more query for the whole page (or export), not one per row.
        follows = Follow.objects.select_related("action").order_by("action__title")
        return super().get_base_queryset().prefetch_related(Prefetch("follows", queryset=follows))

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
    list_display = ["email", "state", "language", "followed_actions", "created_at", "state_changed_at"]
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
        "followed_actions",
    ]
    export_headings = {"followed_actions": _("Follows")}
    export_filename = "subscribers"
    search_fields = ["email"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    # The address is what the subscriber confirmed: editors may correct the state or language, not the address.
    form_fields = ["state", "language"]
