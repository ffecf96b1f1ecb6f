"""What the newsletter does on other apps' signals, connected from NewsletterConfig.ready()."""

from anymail.signals import tracking
from wagtail.signals import page_published

from actions.models import ActionPage
from home.seeding.loader import seed_loading

from .alerts.news import news_on_publish
from .delivery.following import start_alerts
from .services import record_tracking_event


def on_tracking_event(sender, event, esp_name, **kwargs):
    """Bounces and complaints reported by the mail provider flow back into subscriber state."""
    record_tracking_event(event)


def on_action_published(sender, instance, revision, **kwargs):
    """A new progress update on a published action goes to its followers in the page's language (from the admin and
    the clock's scheduled publishing alike; the seed's pages tell nobody)."""
    if seed_loading.get():
        return
    start_alerts(instance, news_on_publish(instance, revision))


def register_signal_handlers():
    tracking.connect(on_tracking_event, dispatch_uid="newsletter.on_tracking_event")
    page_published.connect(on_action_published, sender=ActionPage, dispatch_uid="newsletter.on_action_published")
