"""Rendering outside a request: mail and background tasks need every link to carry the site's public address."""

from urllib.parse import urljoin

from bs4 import BeautifulSoup
from django.conf import settings

LINK_ATTRIBUTES = {"a": "href", "img": "src", "link": "href", "source": "src"}


def with_absolute_links(html):
    """`html` with every site-relative link (from rich text, {% pageurl %}, {% static %}) made absolute on SITE_URL.

    Blocks render the same for a web page and a mail; only a mail needs the absolute form, so links are completed
    afterwards instead of every template and rich-text handler choosing between two forms.
    """
    soup = BeautifulSoup(html, "html.parser")
    base = settings.SITE_URL + "/"
    for tag, attribute in LINK_ATTRIBUTES.items():
        for element in soup.find_all(tag, attrs={attribute: True}):
            link = element[attribute]
            if link.startswith("/") and not link.startswith("//"):
                element[attribute] = urljoin(base, link)
    return str(soup)
