from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site")

    def ready(self):
        # Imported here: they import models, which are not ready when this module is.
        from . import checks
        from .signal_handlers import register_signal_handlers

        checks.register()
        register_signal_handlers(self)
