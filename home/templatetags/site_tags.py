"""What the site shell needs on every page: the languages of the page and the main navigation."""

from django import template
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

register = template.Library()


def locale_homes(request):
    """The live home page of each language, by language code; one query, kept for the request."""
    if not hasattr(request, "_locale_homes"):
        site = Site.find_for_request(request)
        homes = Page.objects.none()
        if site:
            homes = Page.objects.live().filter(translation_key=site.root_page.translation_key)
        request._locale_homes = {home.locale.language_code: home for home in homes.select_related("locale")}
    return request._locale_homes


def current_home(request):
    return locale_homes(request).get(get_language())


@register.simple_tag(takes_context=True)
def page_languages(context):
    """One entry per language: where the switcher leads, and whether the page itself exists there.

    A page without a live translation links to that language's home page with ?untranslated=1,
    which shows a notice there, so no link ever leads to a missing translation.
    """
    request = context["request"]
    page = context.get("page")
    is_page = isinstance(page, Page) and page.pk is not None
    translations = {}
    if is_page:
        translations = {
            translation.locale.language_code: translation
            for translation in page.get_translations(inclusive=True).live().public().select_related("locale")
        }
    homes = locale_homes(request)
    current = get_language()
    languages = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        if target is not None:
            url = target.get_url(request)
        elif code in homes:
            # Pages that are not Wagtail pages (the 404) simply lead to the other home page.
            url = homes[code].get_url(request) + ("?untranslated=1" if is_page else "")
        else:
            continue
        languages.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "translated": target is not None,
                "missing": is_page and target is None,
                "current": code == current,
            }
        )
    return languages


@register.simple_tag(takes_context=True)
def home_url(context):
    """The home page of the current language (the root when the site has none yet)."""
    request = context["request"]
    home = current_home(request)
    return home.get_url(request) if home else "/"


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """The home page of the current language and its children that editors put in the menu.

    Each item says whether it is the page shown ("page") or one of its ancestors ("true"), for aria-current.
    """
    home = current_home(context["request"])
    if home is None:
        return []
    page = context.get("page")
    items = []
    for item in [home, *home.get_children().live().public().in_menu()]:
        current = None
        if isinstance(page, Page) and page.pk == item.pk:
            current = "page"
        elif isinstance(page, Page) and item.depth > home.depth and page.path.startswith(item.path):
            current = "true"
        title = _("Home") if item.pk == home.pk else item.title
        items.append({"title": title, "url": item.get_url(context["request"]), "current": current})
    return items
