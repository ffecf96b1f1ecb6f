from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        # Imported once the models are loaded, as Django asks of signal handlers that use them.
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
