"""The customer's signature on an order, or the office's verification in their place.

DESIGN.md, "Intake and booking": where the customer cannot sign, an office
member verifies and signs on the customer's behalf, and the record says so and who.
"""

from typing import cast

from django.utils.translation import gettext as _

from agency.audit import Actor
from orders.announcements import customer_signed
from orders.models import CustomerSignature, Order, SignedVia

SIGNED_NAME_LENGTH = cast(int, CustomerSignature._meta.get_field("signed_name").max_length)


def signature_errors(*, signed_name: str, via: str, verification_reason: str) -> dict[str, str]:
    """What is missing from a customer's signature (or the office's verification)."""
    errors = {}
    if not signed_name.strip():
        errors["signed_name"] = _("Type the customer's full name to sign.")
    elif len(signed_name.strip()) > SIGNED_NAME_LENGTH:
        errors["signed_name"] = _("A name is at most %(n)s characters.") % {"n": SIGNED_NAME_LENGTH}
    if via == SignedVia.OFFICE and not verification_reason.strip():
        errors["verification_reason"] = _("Say why the office signs for the customer.")
    return errors


def record_signature(
    order: Order,
    *,
    purpose: str,
    via: str,
    signed_name: str,
    actor: Actor,
    user_agent: str = "",
    verification_reason: str = "",
) -> CustomerSignature:
    """The customer's signature, or the office member who verified in their place (DESIGN.md);
    the dispatchers hear of the customer's own."""
    signature = CustomerSignature.objects.create(
        agency_id=order.agency_id,
        order=order,
        purpose=purpose,
        via=via,
        signed_name=signed_name.strip(),
        ip_address=actor.ip_address,
        user_agent=user_agent[:255],
        verified_by=actor.user if via == SignedVia.OFFICE else None,
        verification_reason=verification_reason.strip(),
        collected_by=actor.user if via == SignedVia.DEVICE else None,
    )
    customer_signed(order, signature=signature)
    return signature
