"""The Content-Security-Policy: strict on public pages, with what the Wagtail admin needs added there only."""

from csp.middleware import CSPMiddleware
from django.urls import reverse

from ..conf import home_settings


class SiteCSPMiddleware(CSPMiddleware):
    """Public pages get CONTENT_SECURITY_POLICY (no inline script or style at all).

    The admin writes some scripts and styles inline, in Wagtail's and wagtail-localize's own templates, and frames
    its previews; CONTENT_SECURITY_POLICY_ADMIN replaces just those directives there, so meeting the admin's needs
    never weakens the public pages. A preview is rendered through the middleware as a dummy request for the page's
    public address, and framed by the admin: it gets the admin's policy too.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.replace is None and for_admin(request):
            parts.replace = home_settings.CONTENT_SECURITY_POLICY_ADMIN
        return parts


def for_admin(request):
    return getattr(request, "is_dummy", False) or request.path_info.startswith(reverse("wagtailadmin_home"))
