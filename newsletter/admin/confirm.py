"""The screen before an action on a newsletter page: what will happen and one button. Only the POST acts."""

from django.core.exceptions import PermissionDenied
from django.views import View
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin


class ConfirmPageActionView(BaseObjectMixin, WagtailAdminTemplateMixin, View):
    """Subclasses name the page `model`, who may act (`may_act`), the words, where Cancel leads and `post`."""

    pk_url_kwarg = "page_id"
    template_name = "newsletter/admin/confirm_edition_action.html"
    header_icon = "mail"
    # No breadcrumbs: the title stands in the screen's own header, as it always has on these screens.
    breadcrumbs_items = []
    explanation = ""
    submit_label = ""

    def may_act(self, permissions):
        """Whether the editor whose page `permissions` these are may take the action."""
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.may_act(self.object.permissions_for_user(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_explanation(self):
        return self.explanation

    def get_cancel_url(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            explanation=self.get_explanation(),
            submit_label=self.submit_label,
            cancel_url=self.get_cancel_url(),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())
