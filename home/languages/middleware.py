"""The language of a request: from its address alone."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PathLocaleMiddleware(LocaleMiddleware):
    """The language is in the URL and only there: /en/... is English, everything else Dutch.

    Django's LocaleMiddleware also reads Accept-Language and the language cookie for addresses without a language
    prefix (all Dutch ones) and so sends `Vary: Accept-Language`, which makes every Dutch page a separate entry per
    browser language in caches and CDNs, although Wagtail serves the same page whatever the browser asks.
    """

    def process_request(self, request):
        translation.activate(translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
