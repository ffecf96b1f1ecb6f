import tomllib
from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from wagtail import hooks

from home import two_factor

from .models import SiteSettings

ACCESSIBILITY_SEED = Path(__file__).resolve().parent / "seed" / "accessibility.toml"


@hooks.register("on_serve_page")
def mark_pages_for_the_cache(serve):
    """Marks a served page as one the page cache may keep (home.middleware decides whether it does).

    A page behind a view restriction only reaches this point for a visitor who passed it, and passing is kept in
    the session: the cache never answers or stores a request with a session cookie.
    """

    def serve_and_mark(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        response.is_public_page = True
        return response

    return serve_and_mark


@hooks.register("load_seed_content")
def seed_accessibility_statement(loader):
    """The accessibility statement (`seed/accessibility.toml`), linked from the footer unless editors chose a page."""
    with open(ACCESSIBILITY_SEED, "rb") as seed_file:
        page = loader.content_page(tomllib.load(seed_file)["accessibility"])
    site_settings = SiteSettings.load()
    if site_settings.accessibility_page_id is None:
        site_settings.accessibility_page = page
        site_settings.save()
    return [page]


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
