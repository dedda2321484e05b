"""Signed single-purpose links for customers, who have no account.

A token names the agency, the order, the purpose and what it is about (`ref`:
the quote to confirm, the change request to approve, the acceptance round to
sign); it cannot be altered, and it expires after the agency's setting. A link
is spent when what it names has been answered: the services refuse it then.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.urls import reverse

from agency.models import Agency
from orders.models import Order

SALT = "hearth.orders.customer-link"


@dataclass(frozen=True)
class LinkClaim:
    agency_id: int
    order_id: int
    purpose: str
    #: The quote, change request or acceptance round number the link is about.
    ref: int | None


class LinkInvalid(Exception):
    """Tampered, unknown or expired."""


def make_token(*, order: Order, purpose: str, ref: int | None = None) -> str:
    payload = {"a": order.agency_id, "o": order.pk, "p": purpose, "q": ref}
    return signing.TimestampSigner(salt=SALT).sign_object(payload, compress=True)


def link_path(*, order: Order, purpose: str, ref: int | None = None) -> str:
    return reverse(
        "customer_link",
        kwargs={"token": make_token(order=order, purpose=purpose, ref=ref)},
    )


def read_token(token: str) -> LinkClaim:
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(token)
        agency = Agency.objects.get(pk=payload["a"])
        # Checked again now that the agency's validity period is known.
        signer.unsign_object(token, max_age=timedelta(days=agency.confirmation_link_days))
    except (signing.BadSignature, Agency.DoesNotExist, KeyError, TypeError) as error:
        raise LinkInvalid from error
    return LinkClaim(
        agency_id=payload["a"], order_id=payload["o"], purpose=payload["p"], ref=payload["q"]
    )
