"""HTTP for the preference page behind every mail's personal link, a follow's stop link and its RFC 8058 one-click.

No session: the signed link names the subscriber, and form_keys stands in for the CSRF token (no cookie)."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from home.visitors.rate_limits import rate_limited, too_many_posts

from . import following, form_keys, links, preferences, services
from .follow_forms import PreferencesForm
from .models import Follow

ONE_CLICK = "One-Click"


def refused(request):
    return TemplateResponse(request, "newsletter/form_expired.html", status=403)


def preference_form(subscriber, follows, data=None):
    confirmed = [found for found in follows if found.state == Follow.State.CONFIRMED]
    initial = {"newsletter": subscriber.state in preferences.ON_THE_LIST, "language": subscriber.language}
    return PreferencesForm(data, initial=initial, follows=confirmed)


@never_cache
@csrf_exempt  # form_keys instead: no cookie
@require_http_methods(["GET", "POST"])
def preferences_page(request, token):
    """GET shows the page; POST saves the form, leaves everything or erases (the button's `action`)."""
    subscriber = services.subscriber_for_unsubscribe(token)
    if subscriber is None:
        return TemplateResponse(request, "newsletter/preferences.html", {"subscriber": None}, status=400)
    follows = following.followed(subscriber)
    form = preference_form(subscriber, follows)
    changed = []
    if request.method == "POST":
        if not form_keys.is_own_post(request, token):
            return refused(request)
        if too_many_posts(request, "newsletter.preferences"):
            return rate_limited(request)
        action = request.POST.get("action")
        if action == "erase":
            services.erase(subscriber)
            return TemplateResponse(request, "newsletter/preferences.html", {"erased": True})
        if action == "leave":
            preferences.leave_everything(subscriber)
            changed = ["left"]
        else:
            form = preference_form(subscriber, follows, request.POST)
            if form.is_valid():
                data = form.cleaned_data
                changed = preferences.save_preferences(
                    subscriber, data["newsletter"], data["language"], form.frequencies()
                ) or ["nothing"]
        if changed:  # the page shows what is so now
            subscriber.refresh_from_db()
            follows = following.followed(subscriber)
            form = preference_form(subscriber, follows)
    for found in follows:
        found.stop_url = links.stop_follow_url(subscriber, found.action)
    context = {
        "subscriber": subscriber,
        "form": form,
        "follows": follows,
        "changed": changed,
        "form_key": form_keys.form_key(token),
    }
    return TemplateResponse(request, "newsletter/preferences.html", context)


@never_cache
@csrf_exempt  # form_keys instead: no cookie
@require_http_methods(["GET", "POST"])
def stop_follow(request, token):
    """A follow's own stop link: GET asks (mail scanners follow links), POST stops that follow only."""
    found = following.follow_for_stop(token)
    if found is None:
        return TemplateResponse(request, "newsletter/stop_follow.html", {"found": None}, status=400)
    context = {"found": found, "action": found.action.localized, "form_key": form_keys.form_key(token)}
    if request.method == "POST":
        if not form_keys.is_own_post(request, token):
            return refused(request)
        if too_many_posts(request, "newsletter.preferences"):
            return rate_limited(request)
        following.stop_follow(found)
        context["stopped"] = True
    context["preferences_url"] = links.preferences_url(found.subscriber)
    return TemplateResponse(request, "newsletter/stop_follow.html", context)


@never_cache
@csrf_exempt
@require_POST
def one_click_stop_follow(request, token):
    """RFC 8058 in an alert: List-Unsubscribe=One-Click stops following that action, and nothing else."""
    if request.POST.get("List-Unsubscribe") != ONE_CLICK:
        return HttpResponse("Expected List-Unsubscribe=One-Click.\n", status=400, content_type="text/plain")
    found = following.follow_for_stop(token)
    if found is not None:  # an erased subscriber follows nothing
        following.stop_follow(found)
    return HttpResponse("Stopped.\n", content_type="text/plain; charset=utf-8")


@never_cache
@csrf_exempt
@require_POST
def one_click_stop_digest(request, token):
    """RFC 8058 in a weekly digest: List-Unsubscribe=One-Click stops the digest (every weekly follow); the newsletter
    and the follows told as they happen stay. The link is the preference page's, which may change all of it."""
    if request.POST.get("List-Unsubscribe") != ONE_CLICK:
        return HttpResponse("Expected List-Unsubscribe=One-Click.\n", status=400, content_type="text/plain")
    subscriber = services.subscriber_for_unsubscribe(token)
    if subscriber is not None:  # an erased subscriber follows nothing
        following.stop_follows(subscriber.follows.filter(frequency=Follow.Frequency.WEEKLY))
    return HttpResponse("Stopped.\n", content_type="text/plain; charset=utf-8")
