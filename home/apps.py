from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def follow_public_address(**kwargs):
    from .models import point_default_site_at_public_address

    point_default_site_at_public_address()


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks

        # Every deployment migrates, so a changed SITE_URL reaches the Wagtail Site without a manual step.
        post_migrate.connect(follow_public_address, sender=self)
