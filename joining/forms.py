"""The "Join" form on every action page."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from home.visitors.forms import HoneypotForm, email_field

# What a person's name is made of: letters (with their accents), spaces and the few marks names use.
NAME_MARKS = set(" '’‘-.,()")
# A dot straight before two letters is a web address ("example.com"), not an initial ("J.R.R. Tolkien").
WEB_ADDRESS = re.compile(r"\.[^\W\d_]{2}")
NOT_PLAIN_NAME = _("Enter just your name, on one line: letters, spaces, hyphens, apostrophes and full stops.")


def is_plain_name(name):
    """No control, format (bidi, zero-width) or line-break characters, no digits or symbols, no web address."""
    plain = all(char in NAME_MARKS or unicodedata.category(char)[0] in "LM" for char in name)
    return plain and not WEB_ADDRESS.search(name)


class JoinForm(HoneypotForm):
    # The team sees the name in its mail; nobody else does. Short and plain, so the form carries no one's message
    # but the person's own, in the message field, to the team only.
    name = forms.CharField(label=_("Your name"), max_length=100, error_messages={"required": _("Enter your name.")})
    email = email_field()
    message = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tell us briefly how you would like to take part.")},
    )

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not is_plain_name(name):
            raise ValidationError(NOT_PLAIN_NAME, code="not_plain")
        return " ".join(name.split())
