from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class HoneypotForm(forms.Form):
    """A field people never see (hidden by CSS and from screen readers) and simple bots fill in."""

    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def is_bot(self):
        return bool(self.data.get("website"))


def email_field():
    return forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
    )


class SubscribeForm(HoneypotForm):
    email = email_field()
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to agree, or we cannot send you the newsletter.")},
    )


class JoinForm(HoneypotForm):
    name = forms.CharField(label=_("Your name"), max_length=200, error_messages={"required": _("Enter your name.")})
    email = email_field()
    message = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tell us briefly how you would like to take part.")},
    )
