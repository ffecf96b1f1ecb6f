"""Security headers: a strict Content-Security-Policy for the public site, a looser one for the Wagtail admin."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse


class SiteCSPMiddleware(CSPMiddleware):
    """Public pages get CONTENT_SECURITY_POLICY (no inline script or style at all).

    The admin (including its preview of public pages) writes some scripts and styles inline, in Wagtail's and
    wagtail-localize's own templates, and frames its previews; CONTENT_SECURITY_POLICY_ADMIN replaces just those
    directives there, so meeting the admin's needs never weakens the public pages.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.replace is None and request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.replace = settings.CONTENT_SECURITY_POLICY_ADMIN
        return parts
