from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def on_tracking_event(sender, event, esp_name, **kwargs):
    from . import services

    services.record_tracking_event(event)


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from anymail.signals import tracking

        # Bounces and complaints reported by the mail provider flow back into subscriber state.
        tracking.connect(on_tracking_event, dispatch_uid="newsletter.on_tracking_event")
