from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import page_permission_policy

from .security import two_factor
from .seeding.accessibility import load_accessibility_statement
from .viewsets.translation_report import REPORT_PERMISSIONS, TranslationReportView


@hooks.register("on_serve_page")
def mark_pages_for_the_cache(serve):
    """Marks a served page as one the page cache may keep (home.serving.middleware decides whether it does).

    A page behind a view restriction only reaches this point for a visitor who passed it, and passing is kept in
    the session: the cache never answers or stores a request with a session cookie.
    """

    def serve_and_mark(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        response.is_public_page = True
        return response

    return serve_and_mark


# After the actions' part, which builds the home page this one adds a page under (see home.seeding.loader).
hooks.register("load_seed_content", load_accessibility_statement)


@hooks.register("register_admin_urls")
def two_factor_urls():
    return two_factor.urlpatterns


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    """Where an editor who has no device yet sets one up (when it is optional; when required, they already did)."""
    if not user_has_device(request.user):
        return {
            "url": reverse("two_factor_enrol"),
            "label": _("Set up two-factor login"),
            "help_text": _("Ask for a code from an app on your phone at every sign-in, as well as your password."),
        }
    return None


@hooks.register("register_admin_urls")
def translation_report_urls():
    return [
        path("reports/translations/", TranslationReportView.as_view(), name="translation_report"),
        path(
            "reports/translations/results/",
            TranslationReportView.as_view(results_only=True),
            name="translation_report_results",
        ),
    ]


class TranslationReportMenuItem(MenuItem):
    def is_shown(self, request):
        return page_permission_policy.user_has_any_permission(request.user, REPORT_PERMISSIONS)


@hooks.register("register_reports_menu_item")
def translation_report_menu_item():
    return TranslationReportMenuItem(
        _("Translations"), reverse("translation_report"), name="translation-state", icon_name="site", order=900
    )


@hooks.register("construct_reports_menu")
def leave_out_wagtail_localize_report(request, menu_items):
    """wagtail-localize's own "Translations" report lists its translation records, not pages; two items of one name
    would confuse, and ours answers what editors ask (which pages are translated, which are behind). Its address
    still works."""
    localize_report = reverse("wagtail_localize:translations_report")
    menu_items[:] = [item for item in menu_items if item.url != localize_report]
