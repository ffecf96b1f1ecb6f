"""HTTP for the join form. Like the newsletter's forms it uses no session and no CSRF cookie, so an action page
stays cookie-free and cacheable; the honeypot and the rate limits guard it instead."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from actions.models import ActionPage
from home.visitors.rate_limits import rate_limited, too_many_requests

from .forms import JoinForm
from .requests import submit_join_request


@never_cache
@csrf_exempt
@require_POST
def join(request, page_id):
    action = get_object_or_404(ActionPage.objects.live().public(), pk=page_id)
    form = JoinForm(request.POST)
    if form.is_bot():
        return TemplateResponse(request, "joining/join_done.html", {"action": action, "kept": True})
    if too_many_requests(request, "joining.join"):
        return rate_limited(request)
    if not form.is_valid():
        return action.serve(request, join_form=form)
    join_request = submit_join_request(action, language=get_language(), **_join_fields(form))
    sent = join_request.mail_status == join_request.MailStatus.SENT
    return TemplateResponse(request, "joining/join_done.html", {"action": action, "sent": sent})


def _join_fields(form):
    return {name: form.cleaned_data[name] for name in ("name", "email", "message")}
