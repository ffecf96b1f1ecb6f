"""Where a link in an edition's mail leads: one of our pages (which must be live, public and in the mail's
language), one of our own routes or files (fine), or another site (listed for the editor, never fetched)."""

from dataclasses import dataclass
from functools import cache, cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import get_language_from_path
from wagtail.models import Page, PageViewRestriction, Site

from home.serving.routing import overrides_route

# What a link is: the kinds of `Target`.
EXTERNAL, OWN, PAGE, MISSING = "external", "own", "page", "missing"


@dataclass(frozen=True)
class Target:
    kind: str
    page: Page | None = None  # the page a PAGE link leads to


class Links:
    """Finds what links lead to, for one preflight: the home pages and the private sections are read once, each
    address is looked up once (one query for one of our pages)."""

    @cache  # noqa: B019 (one instance per preflight: the cache goes with it)
    def target(self, url):
        """What `url` (absolute, as in a rendered mail) leads to. mailto: and other schemes are EXTERNAL."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(settings.SITE_URL).netloc:
            return Target(EXTERNAL)
        path = parts.path or "/"
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return Target(OWN)
        # The address's own language prefix (none: the default language) decides which tree and routes it is in.
        language = get_language_from_path(path) or settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                match = resolve(path)
            except Resolver404:
                return Target(MISSING)
        if match.url_name != "wagtail_serve":
            return Target(OWN)
        page = self.page_at(language, match.args[0])
        return Target(PAGE, page) if page else Target(MISSING)

    @cached_property
    def homes(self):
        """{language code: the home page of that language's tree}."""
        root = Site.objects.get(is_default_site=True).root_page
        return {
            page.locale.language_code: page for page in root.get_translations(inclusive=True).select_related("locale")
        }

    @cached_property
    def private_sections(self):
        """The tree paths of the pages with a view restriction (their descendants are private too)."""
        return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))

    def is_public(self, page):
        return not page.path.startswith(self.private_sections) if self.private_sections else True

    def page_at(self, language, path):
        """The page at `path` below the home page of `language`, live or not (a draft is found, to say it is one).

        A page that routes on its own (a RoutablePageMixin page) answers for the addresses below it.
        """
        home = self.homes.get(language)
        if home is None:
            return None
        components = [part for part in path.split("/") if part]
        url_paths = [
            home.url_path + "".join(f"{part}/" for part in components[:depth]) for depth in range(len(components) + 1)
        ]
        found = {
            page.url_path: page
            for page in Page.objects.filter(url_path__in=url_paths, path__startswith=home.path).select_related(
                "locale"
            )
        }
        for depth in range(len(components), -1, -1):
            page = found.get(url_paths[depth])
            if page is not None:
                return page if depth == len(components) or overrides_route(page) else None
        return None
