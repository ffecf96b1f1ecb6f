from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JoiningConfig(AppConfig):
    """Joining an action: the form on every action page, the requests it keeps and the mail to the team. Above
    actions/ and home/; it never imports the newsletter, nor the newsletter it."""

    name = "joining"
    verbose_name = _("Join requests")
