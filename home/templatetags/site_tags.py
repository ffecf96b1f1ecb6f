"""What the site shell needs on every page: the languages of the page, the main navigation and the site's name.

Every tag also works without a request (mail and background tasks render with none): links then come from the
default Site, which follows SITE_URL.
"""

from html import unescape
from urllib.parse import urljoin

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar
from wagtail.models import Page

from home.serving.canonical import own_host
from home.serving.shell import cached, is_public, shell

register = template.Library()


def locale_homes(request):
    """The live home page of each language, by language code: {"pk": ..., "url": ...}."""
    return shell(request).homes


def current_home(request):
    return locale_homes(request).get(get_language())


def absolute(request, url):
    return request.build_absolute_uri(url) if request else urljoin(settings.SITE_URL + "/", url)


@register.simple_tag
def site_name():
    """The site's name in the current language: one source for the header, the title and mail."""
    return str(settings.WAGTAIL_SITE_NAME)


@register.simple_tag(takes_context=True)
def page_languages(context):
    """One entry per language: where the switcher leads, and whether the page itself exists there.

    A page without a live translation links to that language's home page with ?untranslated=1,
    which shows a notice there, so no link ever leads to a missing translation. A view that is not a Wagtail page
    (search) may give its own address in each language as `language_urls`.
    """
    request = context.get("request")
    page = context.get("page")
    is_page = isinstance(page, Page) and page.pk is not None
    views = context.get("language_urls") or {}
    if not is_page or views or request is None:
        return languages_of(request, page if is_page else None, views)
    # A page's languages are the same for every visitor: kept with the site shell until the next change to any page,
    # per host as their absolute addresses are (and, as the shell, only for the site's own host).
    name = f"languages:{page.pk}:{get_language()}:{request.scheme}://{request.get_host()}"
    return cached(request, name, lambda: languages_of(request, page, views), keep=own_host(request))


def languages_of(request, page, views):
    is_page = page is not None
    translations = {}
    if is_page:
        translations = {
            translation.locale.language_code: translation
            for translation in page.get_translations(inclusive=True).live().select_related("locale")
            if is_public(translation, request)
        }
    homes = locale_homes(request)
    current = get_language()
    languages = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        if target is not None:
            url = target.get_url(request)
        elif code in views:
            url = views[code]
        elif code in homes:
            # Pages that are not Wagtail pages (the 404) simply lead to the other home page.
            url = homes[code]["url"] + ("?untranslated=1" if is_page else "")
        else:
            continue
        languages.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": absolute(request, url),
                "translated": target is not None or code in views,
                "missing": is_page and target is None,
                "current": code == current,
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    return languages


@register.simple_tag(takes_context=True)
def home_url(context):
    """The home page of the current language (the root when the site has none yet)."""
    request = context.get("request")
    home = current_home(request)
    return home["url"] if home else "/"


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """The home page of the current language and its children that editors put in the menu (the first item is the
    home page).

    Each item says whether it is the page shown ("page") or one of its ancestors ("true"), for aria-current.
    """
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    navigation = shell(context.get("request")).navigation
    items = []
    for index, item in enumerate(navigation):
        current = None
        if page is not None and page.pk == item["pk"]:
            current = "page"
        elif page is not None and index > 0 and page.path.startswith(item["path"]):
            current = "true"
        title = _("Home") if index == 0 else item["title"]
        items.append({"title": title, "url": item["url"], "current": current})
    return items


@register.simple_tag(takes_context=True)
def editor_userbar(context):
    """Wagtail's userbar (edit this page, preview, ...) for editors who are signed in.

    Reading the user reads the session, which adds `Vary: Cookie` and makes a page uncacheable, so pages whose
    visitor has no session cookie (every anonymous visitor) never look.
    """
    request = context.get("request")
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    return wagtailuserbar(context)


@register.simple_tag(takes_context=True)
def translated_page(context, page_id):
    """The live page in the current language that translates page `page_id` (itself included), as its url and
    title, or {} when there is none.

    For pages chosen once in the site settings (the accessibility statement); kept with the site shell, so the
    footer costs no query.
    """
    if not page_id:
        return {}
    request = context.get("request")

    def find():
        chosen = Page.objects.filter(pk=page_id).values("translation_key")
        page = Page.objects.live().filter(translation_key__in=chosen, locale__language_code=get_language()).first()
        return {"url": page.get_url(request), "title": page.title} if page else {}

    return cached(request, f"translated:{page_id}:{get_language()}", find)


# Where a page that has no search description of its own says what it is about (an action's summary, an edition's
# preheader, an introduction); search engines show it under the title.
DESCRIPTION_FIELDS = ["search_description", "summary", "preheader", "intro"]


@register.simple_tag
def meta_description(page):
    for field in DESCRIPTION_FIELDS:
        text = " ".join(unescape(strip_tags(str(getattr(page, field, "") or ""))).split())
        if text:
            return Truncator(text).words(40)
    return ""
