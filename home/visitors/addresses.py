"""One spelling per mailbox: the form of an e-mail address that the site's forms (the newsletter's, the join form)
store, count and mail to.

Only the domain is normalised (IDNA to ASCII, lower case; `john@exämple.org` is `john@xn--exmple-cua.org`): the
local part belongs to the receiving server (RFC 5321 section 2.4), and addresses are compared without regard to case
anyway. Forms that RFC 5321 allows but no reader's mailbox needs are refused: quoted local parts, IP-literal domains
and domains without a dot. They only serve to write one mailbox many ways or to probe our mail server.
"""

import hashlib
import re

import idna
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# RFC 5322's dot-atom: no quoted strings, no comments, no empty parts.
LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")
# A host name's label once in ASCII: letters, digits and inner hyphens.
LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
UNUSUAL = _("We do not send mail to an address written like this. Enter an address like name@example.org.")


def normalise(address):
    """`address` with its domain in ASCII and lower case; ValidationError for an address we do not take."""
    local, at, domain = address.strip().rpartition("@")
    if not at or len(local) > 64 or not LOCAL_PART.match(local):
        raise ValidationError(UNUSUAL, code="unusual")
    try:
        # UTS 46 maps what people type (capitals, full-width dots) before IDNA 2008 encodes it; "[192.0.2.1]" fails.
        domain = idna.encode(domain.removesuffix("."), uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise ValidationError(UNUSUAL, code="unusual") from error
    labels = domain.split(".")
    # At least one dot, and a top-level domain with a letter (so no bare IP address either).
    if len(labels) < 2 or not all(LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise ValidationError(UNUSUAL, code="unusual")
    normalised = f"{local}@{domain}"
    if len(normalised) > 254:
        raise ValidationError(UNUSUAL, code="unusual")
    return normalised


def counting_key(address):
    """What a per-address limit counts: every spelling of one mailbox alike (even one the form will refuse)."""
    try:
        address = normalise(address)
    except ValidationError:
        address = address.strip()
    return hashlib.sha256(address.lower().encode(errors="replace")).hexdigest()
