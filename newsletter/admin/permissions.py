"""Who may do what in the newsletter's admin, as Wagtail permission policies (wagtail_hooks.py registers them)."""

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy

from newsletter.delivery import api
from newsletter.models import Mailing


class MailingPolicy(ModelPermissionPolicy):
    """Mailings are started from their edition ("send"), never added, changed or deleted here. Whoever may send
    also views them; the model's view permission lets others watch without acting."""

    def user_has_permission(self, user, action):
        if action == "send":
            return api.can_send(user)
        return action == "view" and (api.can_send(user) or super().user_has_permission(user, "view"))


mailing_policy = MailingPolicy(Mailing)


class MailingPermissionMixin:
    """For a view on a mailing (or an edition to send): refuses whoever lacks `permission_required` on mailings.

    Checked in setup(), before BaseObjectMixin reads the object there: who may not look does not learn which
    mailings or editions exist (a 404 would tell).
    """

    permission_required = "view"

    def setup(self, request, *args, **kwargs):
        if not mailing_policy.user_has_permission(request.user, self.permission_required):
            raise PermissionDenied
        super().setup(request, *args, **kwargs)
