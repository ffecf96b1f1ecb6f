"""What every admin screen on one mailing shares: who may see it, the mailing read once, the breadcrumbs."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin

from newsletter.models import Mailing

from .permissions import MailingPermissionMixin


class MailingMixin(MailingPermissionMixin, BaseObjectMixin):
    """A view of one mailing (`self.object`), for whoever may view mailings (permissions.MailingPolicy)."""

    model = Mailing

    def get_base_object_queryset(self):
        queryset = super().get_base_object_queryset().filter(kind=Mailing.Kind.EDITION)
        return queryset.select_related("edition", "started_by")


class MailingScreenMixin(MailingMixin, WagtailAdminTemplateMixin):
    """A screen of the admin on one mailing: Home › Newsletter sends › the edition's title (› this screen)."""

    header_icon = "mail"
    index_url_name = None  # set by the viewset (mailings.MailingViewSet)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Newsletter sends")},
            {"url": "", "label": self.object.edition.title},
        ]
