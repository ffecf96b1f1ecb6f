from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.visitors.forms import HoneypotForm, email_field


class SubscribeForm(HoneypotForm):
    email = email_field()
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to agree, or we cannot send you the newsletter.")},
    )
