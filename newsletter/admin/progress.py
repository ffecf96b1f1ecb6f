"""A mailing's progress screen, and the part of it that the page fetches again until the sending is done.

The page refreshes that part itself (newsletter/static/newsletter/admin/mailing-progress.js) and says each
change of state in a live region.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic.base import ContextMixin, TemplateResponseMixin

from newsletter.delivery import api, status
from newsletter.delivery.figures import LABELS, figures
from newsletter.models import Delivery, Mailing

from .screens import MailingMixin, MailingScreenMixin

State = Delivery.State


class ProgressFiguresMixin(MailingMixin, ContextMixin):
    """The figures of one mailing's sending, as the progress screen and its refreshed part show them."""

    def get_context_data(self, **kwargs):
        # The mailing was read before its deliveries are counted: its state may lag behind the figures, never run
        # ahead, so the screen stops refreshing ("done") only with the final figures.
        mailing = self.object
        found = status.progress(mailing)
        waiting_for = []
        if found.waiting and not mailing.dutch_for_english:
            names = dict(settings.LANGUAGES)
            waiting_for = [names[code] for code in status.audience(mailing.edition).untranslated]
        return super().get_context_data(
            mailing=mailing,
            progress=found,
            states=[{"state": state, "label": label, "count": found.counts[state]} for state, label in State.choices],
            failed=found.counts[State.FAILED],
            unknown=found.counts[State.UNKNOWN],
            waiting_for=", ".join(waiting_for),
            zone=timezone.get_current_timezone_name(),
            copies=mailing.copies.order_by("language"),
            figures=figures([mailing.pk])[mailing.pk],
            figure_labels=LABELS,
            can_send=api.can_send(self.request.user),
            # The page fetches this part again while the sending is not done.
            refresh_url=reverse("newsletter_mailings:progress_region", args=[mailing.pk])
            if found.state != Mailing.State.DONE
            else "",
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())


class ProgressView(ProgressFiguresMixin, MailingScreenMixin, View):
    template_name = "newsletter/admin/mailing_progress.html"

    def get_page_title(self):
        return _("Sending “%(title)s”") % {"title": self.object.edition.title}

    def get_context_data(self, **kwargs):
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.object.edition_id])
        return super().get_context_data(edit_url=edit_url, **kwargs)


class ProgressRegionView(ProgressFiguresMixin, TemplateResponseMixin, View):
    """Only the figures, for the page to refresh itself."""

    template_name = "newsletter/admin/includes/mailing_progress_region.html"
