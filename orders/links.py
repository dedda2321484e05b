"""Signed single-purpose links for customers, who have no account.

A token names the agency, the order, the purpose and what it is about (`ref`:
the quote to confirm, the change request to approve, the acceptance round to
sign); it cannot be altered, and it expires after the agency's setting. A link
is spent when what it names has been answered: the services refuse it then.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse

from agency import signed_links
from agency.models import Agency
from orders.models import Order


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
    return signed_links.sign(signed_links.CUSTOMER_LINK, payload)


def link_path(*, order: Order, purpose: str, ref: int | None = None) -> str:
    return reverse(
        "customer_link",
        kwargs={"token": make_token(order=order, purpose=purpose, ref=ref)},
    )


def read_token(token: str) -> LinkClaim:
    purpose = signed_links.CUSTOMER_LINK
    try:
        payload = signed_links.unsign(purpose, token)
        agency = Agency.objects.get(pk=payload["a"])
        # Checked again now that the agency's validity period is known.
        signed_links.unsign(purpose, token, max_age=timedelta(days=agency.confirmation_link_days))
    except (signed_links.SignatureInvalid, Agency.DoesNotExist, KeyError, TypeError) as error:
        raise LinkInvalid from error
    return LinkClaim(
        agency_id=payload["a"], order_id=payload["o"], purpose=payload["p"], ref=payload["q"]
    )
