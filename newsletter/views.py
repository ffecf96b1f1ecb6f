"""HTTP for the newsletter's form, its confirmation link and one-click unsubscribe (the preference page behind the
other personal links is preference_views.py). None of these views uses a session or a CSRF cookie, so every
answer to an anonymous visitor stays cookie-free and cacheable: the double opt-in and the signed personal links are the
protection instead (a forged subscribe request can at most send one confirmation mail, which changes nothing).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from home.visitors.rate_limits import rate_limited, too_many_requests

from . import links, services
from .forms import SubscribeForm
from .models import NewsletterIndexPage


def newsletter_page():
    page = NewsletterIndexPage.objects.live().public().filter(locale__language_code=get_language()).first()
    if page is None:
        raise Http404
    return page


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request):
    page = newsletter_page()
    if request.method == "GET":  # the form's address, followed as a link, leads to the form
        return redirect(page.url)
    form = SubscribeForm(request.POST)
    if form.is_bot():
        return TemplateResponse(request, "newsletter/subscribe_done.html")
    if too_many_requests(request, "newsletter.subscribe"):
        return rate_limited(request)
    if not form.is_valid():
        # The newsletter page again, with the messages next to the fields and what was typed kept.
        return page.index_route(request, subscribe_form=form)
    services.subscribe(form.cleaned_data["email"], form.cleaned_data["language"])
    return TemplateResponse(request, "newsletter/subscribe_done.html")


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners follow links); only the POST confirms."""
    subscriber, problem = services.subscriber_for_confirmation(token)
    context = {"problem": problem, "token": token}
    if request.method == "POST":
        if problem == links.LinkProblem.EXPIRED and request.POST.get("action") == "resend":
            services.resend_confirmation(subscriber)
            return TemplateResponse(request, "newsletter/subscribe_done.html")
        if problem is None:
            context["confirmed"] = services.confirm(subscriber)
            context["unsubscribe_url"] = links.preferences_url(subscriber)
    status = 400 if problem == links.LinkProblem.INVALID else 200
    return TemplateResponse(request, "newsletter/confirm.html", context, status=status)


@never_cache
@csrf_exempt
@require_POST
def one_click_unsubscribe(request, token):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click (urlencoded or multipart); no login, no token."""
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponse("Expected List-Unsubscribe=One-Click.\n", status=400, content_type="text/plain")
    subscriber = services.subscriber_for_unsubscribe(token)
    if subscriber is not None:  # an erased subscriber is already off the list
        services.unsubscribe(subscriber)
    return HttpResponse("Unsubscribed.\n", content_type="text/plain; charset=utf-8")
