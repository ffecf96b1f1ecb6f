"""The forms of following: "Follow this action" on an action page, and the preference page behind every mail."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.visitors.forms import HoneypotForm, email_field

from .models import Follow


class FollowForm(HoneypotForm):
    """ "Follow this action" on every action page; its ids are prefixed, as the join form shares the page."""

    email = email_field()
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Follow.Frequency.choices,
        initial=Follow.Frequency.IMMEDIATELY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you want to hear from us.")},
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to agree, or we cannot tell you about this action.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_follow_%s", **kwargs)


class PreferencesForm(forms.Form):
    """The preference page: the newsletter on or off, the language, and how often for each action followed."""

    newsletter = forms.BooleanField(label=_("Send me the monthly newsletter"), required=False)
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, follows=(), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.follows = list(follows)
        for following in self.follows:
            self.fields[frequency_field(following)] = forms.ChoiceField(
                label=_("How often"), choices=Follow.Frequency.choices, initial=following.frequency
            )

    def frequencies(self):
        """{follow: the frequency chosen} for each follow on the form."""
        return {following: self.cleaned_data[frequency_field(following)] for following in self.follows}

    def frequency_fields(self):
        """(follow, its bound field) for the template."""
        return [(following, self[frequency_field(following)]) for following in self.follows]


def frequency_field(following):
    return f"frequency_{following.pk}"
