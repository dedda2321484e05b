"""Signed single-purpose links for customers, who have no account.

A token names the agency, the order, the purpose and what it is about (`ref`:
the quote to confirm, the change request to approve, the acceptance round to
sign); it cannot be altered, and it expires after the agency's setting. A link
is spent when what it names has been answered: the services refuse it then.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from agency import signed_links
from agency.models import Agency, Channel
from agency.notifications import message_queue
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


def link_url(request: HttpRequest, *, order: Order, purpose: str, ref: int | None = None) -> str:
    """The link in full (the request's scheme and host), as it is texted or copied to WeChat."""
    return request.build_absolute_uri(link_path(order=order, purpose=purpose, ref=ref))


def text_link(*, order: Order, wording: Promise, url: str) -> None:
    """Text the customer a link, worded in their language (the agency's if they have none).

    `wording` is a lazy message with %(agency)s, %(number)s and %(url)s: it is
    translated here, for the customer, not in the language of the office user
    who pressed the button.
    """
    agency = order.agency
    with translation.override(order.customer.preferred_language or agency.default_language):
        text = str(wording) % {"agency": agency.name, "number": order.number, "url": url}
    message_queue(agency=agency, channel=Channel.SMS, recipient=order.customer.phone, body=text)


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
