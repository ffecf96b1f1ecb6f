"""What the preference page changes: the newsletter on or off, the language, how often for each action followed;
leaving everything. (Erasing is services.erase.) Each returns what changed, for the page to say so."""

from django.db import transaction

from . import services
from .following import STOPS_EVERYTHING, stop_follows
from .models import Follow, Subscriber

ON_THE_LIST = (Subscriber.State.PENDING, Subscriber.State.CONFIRMED)


def save_preferences(subscriber, newsletter, language, frequencies):
    """Applies the preference form. Turning the newsletter on asks for its confirmation by mail (services.subscribe),
    as the form on the newsletter page does: a personal link can be forwarded, a consent cannot."""
    changed = []
    with transaction.atomic():
        if language != subscriber.language:
            Subscriber.objects.filter(pk=subscriber.pk).update(language=language)
            subscriber.language = language
            changed.append("language")
        moved = [following for following, frequency in frequencies.items() if frequency != following.frequency]
        for following in moved:
            Follow.objects.filter(pk=following.pk).update(frequency=frequencies[following])
        if moved:
            changed.append("frequency")
        if newsletter and subscriber.state not in ON_THE_LIST + STOPS_EVERYTHING:
            services.subscribe(subscriber.email, language)
            changed.append("newsletter_requested")
        elif not newsletter and services.unsubscribe(subscriber):
            changed.append("newsletter_off")
    return changed


def leave_everything(subscriber):
    """No more mail of any kind: off the newsletter, every follow stopped."""
    with transaction.atomic():
        services.unsubscribe(subscriber)
        stop_follows(subscriber.follows.all())
