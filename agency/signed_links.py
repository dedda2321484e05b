"""Signed links: one scheme, one purpose each (customer links, feedback, invitations, media).

A link's token is Django's `TimestampSigner` over a small JSON payload (or, for
media, over the file's name), with a salt per purpose so a token made for one
purpose is refused by every other. What a payload names (an order, a feedback
request, an invitation) and whether it is still answerable is the purpose's own
module's business; this only makes and checks the signature and its age.

The salts and encodings are those the links were first made with, so links
already sent keep working.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing


@dataclass(frozen=True)
class Purpose:
    salt: str
    #: How long a token is good for; None when what it names has its own expiry.
    max_age: timedelta | None = None
    #: Compress the payload when that makes the token shorter (Django's `compress`).
    compress: bool = True

    def _signer(self) -> signing.TimestampSigner:
        return signing.TimestampSigner(salt=self.salt)


#: An order's customer: confirm, approve, sign, see the invoice (`orders.links`);
#: valid for the agency's `confirmation_link_days`.
CUSTOMER_LINK = Purpose("hearth.orders.customer-link")
#: The customer's feedback form (`feedback.services`); it expires with its request.
FEEDBACK = Purpose("hearth.feedback.link")
#: Joining an agency (`agency.invitations`); it expires with the invitation.
INVITATION = Purpose("agency.invitation", compress=False)
#: An uploaded file (`agency.media`): long enough for a page left open through a
#: working day; a reload hands out fresh links.
MEDIA = Purpose("hearth.media", max_age=timedelta(hours=12))


class SignatureInvalid(Exception):
    """Tampered, made for another purpose, or expired."""


def sign(purpose: Purpose, payload: dict[str, Any]) -> str:
    return purpose._signer().sign_object(payload, compress=purpose.compress)


def unsign(purpose: Purpose, token: str, *, max_age: timedelta | None = None) -> Any:
    """The payload of `token`; `max_age` when known only from the payload (else the purpose's)."""
    try:
        return purpose._signer().unsign_object(token, max_age=max_age or purpose.max_age)
    except signing.BadSignature as error:  # SignatureExpired is one too
        raise SignatureInvalid from error


def signature(purpose: Purpose, value: str) -> str:
    """The signature of `value` alone, to travel beside it (a file's name in its URL)."""
    return purpose._signer().sign(value)[len(value) + 1 :]


def check_signature(purpose: Purpose, value: str, signature: str) -> None:
    try:
        purpose._signer().unsign(f"{value}:{signature}", max_age=purpose.max_age)
    except signing.BadSignature as error:
        raise SignatureInvalid from error
