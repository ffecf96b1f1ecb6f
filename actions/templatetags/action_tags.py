from django import template
from django.utils.html import format_html_join
from wagtail import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def action_page_sections(context):
    """Sections other apps add to every action page (the join form), through the `action_page_sections` hook.

    Each hook function takes the template context and returns HTML (or an empty string); this app names none
    of them.
    """
    sections = (section(context) for section in hooks.get_hooks("action_page_sections"))
    return format_html_join("", "{}", ((html,) for html in sections if html))
