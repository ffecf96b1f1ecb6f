"""The newsletter's models, one room each: the people, the pages, the sending, and following an action."""

from .following import Follow
from .pages import NewsletterIndexPage, NewsletterPage
from .sending import Delivery, Mailing, MailingCopy, ProviderPace, Told, ToldUpdate
from .subscribers import Subscriber, TrackingEvent

__all__ = [
    "Delivery",
    "Follow",
    "Mailing",
    "MailingCopy",
    "NewsletterIndexPage",
    "NewsletterPage",
    "ProviderPace",
    "Subscriber",
    "Told",
    "ToldUpdate",
    "TrackingEvent",
]
