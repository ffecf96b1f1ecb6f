"""Links to pages by their type, for templates of the ground floor that must not import the apps built on it."""

from django import template
from django.apps import apps
from django.utils.translation import get_language

from home.serving.canonical import own_host
from home.serving.shell import cached

register = template.Library()


@register.simple_tag(takes_context=True)
def page_of_type_url(context, model_label):
    """The URL of the live page of type `model_label` ("app.Model") in the current language, or "".

    Kept with the site shell (see `home.serving.shell`) until the next change to pages. (Live pages only; a page of
    such a type is never private.)
    """
    request = context.get("request")
    host = request.get_host() if request is not None else ""

    def find():
        page = apps.get_model(model_label).objects.live().filter(locale__language_code=get_language()).order_by("path")
        page = page.first()
        return page.get_url(request) if page else ""

    # Kept only for the host as the site spells it (see home.serving.shell.shell).
    keep = request is None or own_host(request)
    return cached(request, f"type:{model_label}:{get_language()}:{host}", find, keep=keep)
