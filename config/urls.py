from anymail import urls as anymail_urls
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home.errors import not_found
from home.security.password_reset import QueuedPasswordResetView
from home.views import robots_txt, security_txt, sitemap, web_manifest
from search.views import search


def tracking_webhook(esp):
    """The configured mail provider's tracking webhook (ANYMAIL_ESP), and no other.

    anymail.urls routes every provider anymail knows, inbound mail too; one that is not configured fails on its first
    request (a 500, as its keys are missing), so the others are not routed at all (404). Mandrill's is one combined
    webhook. Without a provider (development, SMTP) there is none.
    """
    names = {f"{esp}_tracking_webhook", f"{esp}_webhook"}
    return [pattern for pattern in anymail_urls.urlpatterns if esp and pattern.name in names]


# Every other address under /anymail/ is not found, whatever the method.
webhooks = [*tracking_webhook(getattr(settings, "ANYMAIL_ESP", "")), re_path(r"", not_found)]


# The database out of reach answers 503 instead of 500 (the same page); a Host the site does not serve, 400.
handler400 = "home.errors.bad_request"
handler500 = "home.errors.server_error"

urlpatterns = [
    # Before Wagtail's own: the same page, but the mail leaves the request and the requests are limited.
    path("admin/password_reset/", QueuedPasswordResetView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    # The mail provider reports bounces and complaints here: /anymail/<esp>/tracking/ (ANYMAIL_WEBHOOK_SECRET).
    path("anymail/", include((webhooks, anymail_urls.app_name))),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Dutch (the default) has no prefix: / and /acties-en-interventies/; English lives under /en/.
# /zoeken/ and /en/search/: the path is translated; it and the newsletter's paths come before Wagtail's catch-all.
urlpatterns += i18n_patterns(
    path(_("search/"), search, name="search"),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    path("", include("newsletter.urls")),
    path("", include("joining.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
