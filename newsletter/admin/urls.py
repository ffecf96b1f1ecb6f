"""The URLs of the screens on a newsletter page (the mailings' own are the viewset's, in mailings.py)."""

from django.urls import path

from .drafting import DraftEditionView
from .followers import FollowersView
from .preflight import PreflightView
from .sending import SendEditionView
from .told_updates import ToldUpdatesView
from .trial_send import SendTestView

urlpatterns = [
    path("newsletter/<int:page_id>/draft/", DraftEditionView.as_view(), name="newsletter_draft_edition"),
    path("newsletter/editions/<int:page_id>/test/", SendTestView.as_view(), name="newsletter_send_test"),
    path("newsletter/editions/<int:page_id>/preflight/", PreflightView.as_view(), name="newsletter_preflight"),
    path("newsletter/editions/<int:page_id>/send/", SendEditionView.as_view(), name="newsletter_send_edition"),
    path("newsletter/actions/<int:page_id>/followers/", FollowersView.as_view(), name="newsletter_followers"),
    path("newsletter/actions/<int:page_id>/told/", ToldUpdatesView.as_view(), name="newsletter_told_updates"),
]
