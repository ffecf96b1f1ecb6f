"""The personal links each kind of mailing carries, for one recipient: ({name: link} for the placeholders of its
frozen copy (MailingCopy.placeholder), the one-click address of its List-Unsubscribe header)."""

from ..links import personal_links


def edition_links(recipient):
    """An edition: the unsubscribe page in the text, and one-click leaves the newsletter."""
    page, one_click = personal_links(recipient)
    return {"unsubscribe_url": page}, one_click
