"""What every page needs around its own content, kept in the page cache until the next change to any page.

The header, the footer, the language switcher and routing ask the same things on every request: which Wagtail
Site answers, the home page of each language, the menu, the site settings, which sections are private. Asked of
the database, that is most of a page's queries; here they are built once per generation of the page cache (see
`home.serving.page_cache.invalidate_page_cache`, which everything that changes them calls) and read with one cache get.
"""

from contextvars import ContextVar
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.utils.translation import get_language
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.models import Locale, Page, PageViewRestriction, Site

from ..conf import home_settings
from . import memory
from .canonical import own_host
from .page_cache import current_generation, page_cache

# The request being answered, for code that has none at hand (page models): it shares the request's values.
current_request = ContextVar("current_request", default=None)


def cached(request, name, build, keep=True):
    """`build()`, from the page cache under the current generation (stored there, and in this process's memory,
    unless `keep` is false); each value is read once per request."""
    request = request or current_request.get()
    if request is not None and name in getattr(request, "_shell_values", {}):
        return request._shell_values[name]
    cache = page_cache()
    generation = getattr(request, "_page_generation", None) or current_generation(cache)
    value = memory.recall(generation, name) if keep else None
    if value is None:
        # "v2" changes whenever a kept value changes its shape (v2: the Shell's site_root_paths): a process of the
        # previous release, still answering during a deploy, must never hand this code a value it cannot read.
        key = f"shell:v2:{generation}:{name}"
        value = cache.get(key)
        if value is None:
            value = build()
            if keep:
                cache.set(key, value, home_settings.PAGE_CACHE_SECONDS)
        if keep:
            memory.keep(generation, name, value)
    if request is not None:
        request._page_generation = generation
        request._shell_values = {**getattr(request, "_shell_values", {}), name: value}
    return value


@dataclass(frozen=True)
class Shell:
    """What every page of one host and language needs around its content."""

    site: Site | None  # the Wagtail Site that answers
    locale: Locale | None  # the visitor's language
    root: Page | None  # where routing starts: the site's root page in the visitor's language
    homes: dict  # language code: {"pk", "url"} of the live home page in that language
    navigation: list  # the home page and its menu children: {"pk", "path", "depth", "title", "url"}
    settings: dict  # generic site settings model: its instance
    private: list  # the pages with a view restriction (their descendants are private too)
    site_root_paths: list  # Wagtail's `Site.get_site_root_paths()`, which every page URL starts from


def shell(request):
    """The site shell for this request's host and language (for the default Site without a request)."""
    if request is None:
        return cached(None, f"default:{get_language()}", lambda: build_shell(None))
    # Kept only for the host as the site spells it: every port or capitalisation a stranger sends would be an entry.
    host = request.get_host()
    return cached(request, f"{get_language()}:{host}", lambda: build_shell(request), keep=own_host(request))


def build_shell(request):
    site = Site.find_for_request(request) if request else Site.objects.filter(is_default_site=True).first()
    language = get_language()
    homes, root, navigation = {}, None, []
    if site is not None:
        live_homes = Page.objects.live().filter(translation_key=site.root_page.translation_key)
        homes = {home.locale.language_code: home for home in live_homes.select_related("locale")}
        # What Wagtail's routing starts from: the root page in the visitor's language (`Page.localized`).
        root = site.root_page
        if language in homes and homes[language].locale_id != root.locale_id:
            root = homes[language]
    home = homes.get(language)
    private = [restriction.page for restriction in PageViewRestriction.objects.select_related("page")]
    if home is not None:
        menu = exclude_private(home.get_children().live().in_menu(), private)
        navigation = [
            {"pk": item.pk, "path": item.path, "depth": item.depth, "title": item.title, "url": item.get_url(request)}
            for item in [home, *menu]
        ]
    return Shell(
        site=site,
        locale=Locale.objects.filter(language_code=language).first(),
        root=root,
        homes={code: {"pk": page.pk, "url": page.get_url(request)} for code, page in homes.items()},
        navigation=navigation,
        settings={model: model.load() for model in settings_registry if issubclass(model, BaseGenericSetting)},
        private=private,
        site_root_paths=Site.get_site_root_paths(),
    )


def prepare(request):
    """Gives Wagtail what it would otherwise look up on this request: the Site, the site root paths (from Django's
    cache, a round trip) and the generic site settings."""
    found = shell(request)
    request._wagtail_site = found.site
    request._wagtail_cached_site_root_paths = found.site_root_paths
    for model, instance in found.settings.items():
        setattr(request, model.get_cache_attr_name(), instance)


def private_sections(request=None):
    """The pages that carry a view restriction (their descendants are private too)."""
    return shell(request or current_request.get()).private


def public(queryset, request=None):
    """`queryset.public()` (Wagtail's), without the query for the view restrictions that it runs every time."""
    return exclude_private(queryset, private_sections(request))


def exclude_private(queryset, sections):
    if not sections:
        return queryset
    return queryset.exclude(reduce(or_, (queryset.descendant_of_q(page, inclusive=True) for page in sections)))


def is_public(page, request=None):
    return not any(page.path.startswith(section.path) for section in private_sections(request))


class ViewRestrictionsFromShell:
    """For page models: Wagtail checks a page's view restrictions on every visit, in two queries; where no page
    at all has a restriction (`private_sections`), there are none to find."""

    def get_view_restrictions(self):
        if not private_sections():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
