"""Permission policies shared by the admin's lists of what visitors send in (subscribers, join requests)."""

from wagtail.permission_policies import ModelPermissionPolicy


class ArriveThroughTheSitePolicy(ModelPermissionPolicy):
    """The rows come only through the site's forms (a subscriber through the double opt-in, a join request through
    its form): no one, not even a superuser, adds them by hand. Viewing, changing and deleting follow the model's own
    permissions."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)
