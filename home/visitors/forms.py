"""What every public form that takes an e-mail address shares (the newsletter's and the join form): the honeypot
against simple bots, and the address field that keeps one spelling per mailbox (home.visitors.addresses)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import addresses


class HoneypotForm(forms.Form):
    """A field people never see (hidden by CSS and from screen readers) and simple bots fill in."""

    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def is_bot(self):
        return bool(self.data.get("website"))


class AddressField(forms.EmailField):
    """An e-mail address in the one spelling we store and count (addresses.normalise), or a clear refusal."""

    def clean(self, value):
        return addresses.normalise(super().clean(value))


def email_field():
    return AddressField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
    )
