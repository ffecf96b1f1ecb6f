"""`{% shared_fragment "name" value ... %}...{% endshared_fragment %}`: a part of a page that is the same for every
visitor, rendered once and kept with the site shell (home.serving.shell) until the next change to any page.

Django's `{% cache %}` keeps a fragment for a fixed time; this one follows the page cache's generation, which
everything that changes what pages show renews. The key holds the name, the values given, the language and the
host (links may be absolute per host); it is kept only for the site's own host, as the shell is, and never in an
editor's preview, which shows a draft.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from home.serving.canonical import own_host
from home.serving.shell import cached

register = template.Library()


@register.tag
def shared_fragment(parser, token):
    name, *values = token.split_contents()[1:]
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    values = [parser.compile_filter(value) for value in values]
    return SharedFragmentNode(parser.compile_filter(name), values, nodelist)


class SharedFragmentNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        values = ":".join(str(value.resolve(context)) for value in self.values)
        key = (
            f"fragment:{self.name.resolve(context)}:{values}:{get_language()}:{request.scheme}://{request.get_host()}"
        )
        html = cached(request, key, lambda: str(self.nodelist.render(context)), keep=own_host(request))
        return mark_safe(html)  # noqa: S308 - what the template rendered, escaped as it rendered it
