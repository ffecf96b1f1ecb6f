"""The site's own system checks, registered from `HomeConfig.ready()`."""

from datetime import timedelta

from django.conf import settings
from django.core import checks
from django.core.checks import Error, Warning
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def security_txt_is_current(app_configs, **kwargs):
    """security.txt's Expires is a promise to review it; say so before it lapses, not after."""
    expires = parse_datetime(settings.SECURITY_TXT_EXPIRES)
    if expires is None or expires.tzinfo is None:
        return [Error("SECURITY_TXT_EXPIRES must be a date and time with its offset.", id="home.E001")]
    if expires - timezone.now() < timedelta(days=30):
        return [
            Warning(
                "security.txt expires within a month.",
                hint="Review the contact details and set SECURITY_TXT_EXPIRES to a date within the next year.",
                id="home.W001",
            )
        ]
    return []


def register():
    checks.register(security_txt_is_current, deploy=True)
