"""Join requests: saving one and mailing it to the team, and erasing those sent from an address."""

import logging

from django.conf import settings

from home.mail import template_mail
from home.models import SiteSettings

from .models import JoinRequest

logger = logging.getLogger(__name__)


def submit_join_request(action, name, email, message, language):
    """Saves the request, then mails the team (Reply-To the person) and acknowledges it to the person.

    Returns the request; its mail_status says whether the team's mail went out.
    """
    request = JoinRequest.objects.create(
        action=action, action_title=action.title, name=name, email=email, message=message, language=language
    )
    # The name on one line: a line break in it must not make a line that looks like one of the mail's own ("E-mail
    # address: ..."). The form refuses such names; this holds for any caller.
    context = {"join_request": request, "name": " ".join(name.split()), "action_url": action.full_url}
    team_address = SiteSettings.load().contact_email
    try:
        template_mail("joining/mail/join_team", context, settings.LANGUAGE_CODE, team_address, reply_to=[email]).send()
    except Exception:
        logger.exception("Could not mail join request %s to the team", request.pk)
        request.mail_status = JoinRequest.MailStatus.FAILED
    else:
        request.mail_status = JoinRequest.MailStatus.SENT
        try:
            template_mail("joining/mail/join_ack", context, language, email, reply_to=[team_address]).send()
        except Exception:
            logger.exception("Could not acknowledge join request %s", request.pk)
    request.save(update_fields=["mail_status"])
    return request


def erase_address(email):
    """Deletes the join requests sent from `email` (when its owner asks the newsletter to erase them)."""
    JoinRequest.objects.filter(email__iexact=email).delete()
