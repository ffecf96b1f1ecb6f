"""Links to pages by their type, for templates of the ground floor that must not import the apps built on it."""

from django import template
from django.apps import apps
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def page_of_type_url(context, model_label):
    """The URL of the live page of type `model_label` ("app.Model") in the current language, or "".

    One query per type and request: the footer and the page itself share the answer. (Live pages only; checking
    view restrictions too would cost a second query on every page for a page that is never private.)
    """
    request = context.get("request")
    found = getattr(request, "_page_of_type_urls", {}) if request is not None else {}
    key = (model_label, get_language())
    if key not in found:
        model = apps.get_model(model_label)
        page = model.objects.live().filter(locale__language_code=get_language()).order_by("path").first()
        found[key] = page.get_url(request) if page else ""
        if request is not None:
            request._page_of_type_urls = found
    return found[key]
