"""The site's own addresses beside Wagtail's pages: the sitemap, robots.txt, security.txt and the web manifest."""

from collections import defaultdict
from datetime import UTC

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Page


@require_safe
def sitemap(request):
    """Every live page of both language trees, each with its translations as xhtml:link alternates.

    Wagtail's own sitemap walks only the default language's tree and knows no alternates.
    """
    pages = Page.objects.live().public().filter(depth__gt=1).select_related("locale").order_by("path")
    located = [(page, page.get_url(request)) for page in pages]
    versions = defaultdict(list)
    for page, url in located:
        if url:
            versions[page.translation_key].append((page.locale.language_code, request.build_absolute_uri(url)))
    default = settings.LANGUAGE_CODE
    entries = [
        {
            "location": request.build_absolute_uri(url),
            "lastmod": page.last_published_at,
            "alternates": versions[page.translation_key] if len(versions[page.translation_key]) > 1 else [],
            "default": next((loc for code, loc in versions[page.translation_key] if code == default), None),
        }
        for page, url in located
        if url
    ]
    return render(request, "sitemap.xml", {"entries": entries}, content_type="application/xml; charset=utf-8")


@require_safe
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


@require_safe
def security_txt(request):
    """RFC 9116: how to report a vulnerability, in the site's languages."""
    lines = [
        f"Contact: {settings.SECURITY_TXT_CONTACT}",
        f"Expires: {parse_datetime(settings.SECURITY_TXT_EXPIRES).astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
        f"Preferred-Languages: {', '.join(code for code, name in settings.LANGUAGES)}",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def web_manifest(request):
    """The web app manifest of one language (/manifest.webmanifest, /en/manifest.webmanifest): its names are in
    that language and it starts at that language's home page, the folder the manifest is in."""
    png = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    manifest = {
        "name": str(settings.WAGTAIL_SITE_NAME),
        "short_name": gettext("Public Service Craftsmanship"),
        "lang": get_language(),
        "dir": "ltr",
        "start_url": "./",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#154273",
        "icons": [
            *png,
            {**png[-1], "purpose": "maskable"},  # drawn with the safe zone maskable icons need
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
