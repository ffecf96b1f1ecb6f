"""Drafting an edition from the actions' progress updates, from the newsletter index page in the admin."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsletter import drafting
from newsletter.models import NewsletterIndexPage

from .confirm import ConfirmPageActionView


class DraftEditionView(ConfirmPageActionView):
    model = NewsletterIndexPage
    page_title = gettext_lazy("Draft an edition from the actions")
    explanation = gettext_lazy(
        "This creates a draft edition, in Dutch and (where the actions are translated) in English, with "
        "every action's progress updates that no sent edition has told yet. Nothing is published or sent."
    )
    submit_label = gettext_lazy("Draft the edition")

    def may_act(self, permissions):
        return permissions.can_add_subpage()

    def get_cancel_url(self):
        return reverse("wagtailadmin_explore", args=[self.object.pk])

    def post(self, request, *args, **kwargs):
        drafted = drafting.draft_edition(user=request.user)
        if drafted.actions:
            messages.success(request, _("Drafted “%(title)s”.") % {"title": drafted.edition.title})
        else:
            messages.warning(
                request,
                _("Drafted “%(title)s”, but no action has new progress updates yet.")
                % {"title": drafted.edition.title},
            )
        return redirect("wagtailadmin_pages:edit", drafted.edition.pk)
