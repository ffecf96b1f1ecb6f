"""HTTP for "Follow this action" and its confirmation link. Like the newsletter's form (views.py) they set no cookie
and use no CSRF token, so an action page stays cookie-free and cacheable: the double opt-in protects a follow."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from actions.models import ActionPage
from home.visitors.rate_limits import rate_limited, too_many_requests

from . import following, links
from .follow_forms import FollowForm


@never_cache
@csrf_exempt
@require_POST
def follow(request, page_id):
    action = get_object_or_404(ActionPage.objects.live().public(), pk=page_id)
    source = following.source_action(action)
    if source is None:
        raise Http404
    form = FollowForm(request.POST)
    done = TemplateResponse(request, "newsletter/follow_done.html", {"action": action})
    if form.is_bot():
        return done
    if too_many_requests(request, "newsletter.follow"):
        return rate_limited(request)
    if not form.is_valid():
        return action.serve(request, follow_form=form)
    data = form.cleaned_data
    following.follow(data["email"], source, data["frequency"], get_language())
    return done


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm_follow(request, token):
    """GET shows a button (mail scanners follow links); only the POST confirms."""
    found, problem = following.follow_for_confirmation(token)
    problem = problem if found else links.LinkProblem.INVALID
    context = {"problem": problem, "action": found.action.localized if found else None}
    if request.method == "POST":
        if problem == links.LinkProblem.EXPIRED and request.POST.get("action") == "resend":
            following.send_follow_confirmation.enqueue(found.pk, get_language())
            return TemplateResponse(request, "newsletter/follow_done.html", context)
        if problem is None:
            context["confirmed"] = following.confirm_follow(found)
            context["preferences_url"] = links.preferences_url(found.subscriber)
    status = 400 if problem == links.LinkProblem.INVALID else 200
    return TemplateResponse(request, "newsletter/follow_confirm.html", context, status=status)
