from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: the handlers' modules use the models, which are not loaded before `ready()`.
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
