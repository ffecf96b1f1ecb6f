"""Two-factor login for editors: after the password, a code from an authenticator app (TOTP, django-otp).

wagtail-2fa, the Wagtail package for this, cannot even be imported with Wagtail 8 (its hooks import
`wagtail.users.widgets`, which Wagtail 8 removed: labd/wagtail-2fa#283), so the two steps are built here on
django-otp, which keeps the devices, checks the codes, refuses a code used twice and slows down guessing.

TWO_FACTOR_REQUIRED: every editor must enrol a device and give its code before the admin, or anything a signed-in
visitor may see, opens. Without it, an editor who enrolled one (through the account menu) is still asked for its
code; others sign in with the password.
"""

import base64
import functools
import io

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from ..conf import home_settings

# Views an editor reaches between the password and the code: signing in and out, the two steps, and what the
# sign-in pages load. Everywhere else such a session counts as signed out.
OPEN_BEFORE_SECOND_FACTOR = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "two_factor_verify",
    "two_factor_enrol",
}


def second_factor_step(user):
    """The step ("two_factor_verify" or "two_factor_enrol") a signed-in user has still to take, or None."""
    if not user.is_authenticated or user.is_verified():
        return None
    if user_has_device(user):
        return "two_factor_verify"
    if home_settings.TWO_FACTOR_REQUIRED:
        return "two_factor_enrol"
    return None


def is_open(request):
    # Before the URL is resolved, or when it does not resolve (a 404 page), nothing is open.
    match = request.resolver_match
    return match is not None and match.url_name in OPEN_BEFORE_SECOND_FACTOR


class SecondFactorMiddleware:
    """A session that still has to give its code (or set up its app) counts as signed out everywhere but the steps
    that ask for it: private pages, documents in private collections and the userbar see an anonymous visitor. In
    the admin, and at Wagtail's sign-in page for private pages, it is sent to the step instead.

    After django-otp's OTPMiddleware, which knows whether this session gave a code. The user stays lazy, so a
    visitor without a session is never looked up (which would add `Vary: Cookie` to a cacheable page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user
        # Asked once a request, and only with a session: reading it would add `Vary: Cookie` to a cacheable page.
        request.second_factor_step = functools.cache(
            lambda: settings.SESSION_COOKIE_NAME in request.COOKIES and second_factor_step(signed_in)
        )
        request.user = SimpleLazyObject(
            lambda: AnonymousUser() if request.second_factor_step() and not is_open(request) else signed_in
        )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = request.second_factor_step()
        if not step or is_open(request):
            return None
        if request.path_info.startswith(reverse("wagtailadmin_home")):
            return redirect_to_login(request.get_full_path(), reverse(step))
        # Wagtail's sign-in for private pages, where such a session comes back after its password: the code next.
        if request.resolver_match.url_name == "wagtailcore_login" and request.method == "GET":
            return redirect_to_login(request.GET.get("next", ""), reverse(step))
        return None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        # django-otp counts wrong codes per device and makes each next try wait twice as long.
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("Too many wrong codes. Wait a moment and try again."))
        if not self.device.verify_token(self.cleaned_data["code"].replace(" ", "")):
            raise forms.ValidationError(_("This code is not right. Give the code your app shows now."))
        return self.cleaned_data["code"]


def next_url(request):
    url = request.POST.get("next", request.GET.get("next", ""))
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if safe else reverse("wagtailadmin_home")


def verified(request, device):
    otp_login(request, device)
    return redirect(next_url(request))


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """The second step of signing in: the code of the device the editor enrolled."""
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None:
        return redirect_to_login(next_url(request), reverse("two_factor_enrol"))
    form = CodeForm(device, request.POST or None)
    if form.is_valid():
        return verified(request, device)
    return TemplateResponse(request, "two_factor/verify.html", {"form": form, "next": next_url(request)})


@never_cache
@sensitive_post_parameters("code")
def enrol(request):
    """Links an authenticator app to the account: scan the QR code (or type the key), then give a first code.

    Only while the account has no device: a second one is added by someone who already passed the first, never
    by whoever only knows the password.
    """
    if user_has_device(request.user):
        return redirect_to_login(next_url(request), reverse("two_factor_verify"))
    # The same unconfirmed device until it is confirmed, so reloading the page keeps the code that was scanned.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    device = device or TOTPDevice.objects.create(user=request.user, confirmed=False, name="authenticator")
    form = CodeForm(device, request.POST or None)
    if form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return verified(request, device)
    qr_code = io.BytesIO()
    write_qrcode_image(device.config_url, qr_code)
    context = {
        "form": form,
        "next": next_url(request),
        # A data: address (the admin's policy allows those for images): the key never sits in a cacheable file.
        "qr_code": "data:image/svg+xml;base64," + base64.b64encode(qr_code.getvalue()).decode(),
        "key": base64.b32encode(device.bin_key).decode(),
    }
    return TemplateResponse(request, "two_factor/enrol.html", context)


urlpatterns = [
    path("two-factor/", verify, name="two_factor_verify"),
    path("two-factor/enrol/", enrol, name="two_factor_enrol"),
]
