"""What the newsletter does on other apps' signals, connected from NewsletterConfig.ready()."""

from anymail.signals import tracking

from .services import record_tracking_event


def on_tracking_event(sender, event, esp_name, **kwargs):
    """Bounces and complaints reported by the mail provider flow back into subscriber state."""
    record_tracking_event(event)


def register_signal_handlers():
    tracking.connect(on_tracking_event, dispatch_uid="newsletter.on_tracking_event")
