"""The customer's and the staff member's signed links to sign a contract version (issue
20), sent when the version goes out for signature. Apart from `placements.signing` so
that `placements.contracts` can send them without importing what renders the PDFs."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signing import SignatureExpired
from django.urls import reverse
from django.utils.translation import gettext as _

from agency.signed_links import Purpose, SignatureInvalid, sign, unsign
from messaging.rules import Event
from messaging.services import announce
from orders.messages import customer_recipient, site_url
from placements.models import ContractVersion, SigningParty
from staff.messages import staff_recipient

SIGNING_LINK = Purpose(
    "hearth.placements.signing", max_age=timedelta(days=settings.CONTRACT_SIGNING_LINK_DAYS)
)
#: The parties who sign by link; the agency signs on the placement page.
LINK_PARTIES = (SigningParty.CUSTOMER, SigningParty.STAFF)


class LinkExpired(ValidationError):
    """A signing link older than `CONTRACT_SIGNING_LINK_DAYS`."""


def signing_link_path(version: ContractVersion, party: str) -> str:
    token = sign(SIGNING_LINK, {"v": version.pk, "p": party})
    return reverse("contract_sign_link", kwargs={"token": token})


def signing_links(version: ContractVersion) -> dict[str, str]:
    """Each link party's full address to sign `version`."""
    return {party: site_url(signing_link_path(version, party)) for party in LINK_PARTIES}


def signing_link_open(token: str) -> tuple[ContractVersion, str]:
    """The version and the party a link signs for; an expired link refused as such, a
    bad one as not valid."""
    try:
        payload = unsign(SIGNING_LINK, token)
        party = payload["p"]
        version = ContractVersion.objects.select_related(
            "agency", "staff__user", "placement__order__customer", "placement__order__service_type"
        ).get(pk=payload["v"])
    except SignatureInvalid as error:
        if isinstance(error.__cause__, SignatureExpired):
            raise LinkExpired(
                _("This link has expired: please ask the agency for a new one.")
            ) from error
        raise ValidationError(_("This link is not valid any more.")) from error
    except (KeyError, TypeError, ContractVersion.DoesNotExist) as error:
        raise ValidationError(_("This link is not valid any more.")) from error
    if party not in LINK_PARTIES:
        raise ValidationError(_("This link is not valid any more."))
    return version, party


def signing_links_send(version_id: int) -> None:
    """Send the customer and the staff member their links (after the version went out)."""
    version = ContractVersion.objects.select_related(
        "agency", "staff", "placement__order__customer", "placement__order__service_type"
    ).get(pk=version_id)
    order = version.placement.order
    links = signing_links(version)
    context = {
        "agency_name": version.agency.name,
        "order_number": order.number,
        "service_name": order.service_type.name,
    }
    announce(
        agency=version.agency,
        event=Event.CONTRACT_TO_SIGN,
        key=f"contract:{version.pk}:customer",
        context={**context, "link": links[SigningParty.CUSTOMER]},
        customer=customer_recipient(order.customer),
        topics=[f"order:{order.pk}"],
    )
    if version.staff is not None:
        announce(
            agency=version.agency,
            event=Event.CONTRACT_TO_SIGN,
            key=f"contract:{version.pk}:staff",
            context={**context, "link": links[SigningParty.STAFF]},
            staff=[staff_recipient(version.staff)],
            topics=[f"order:{order.pk}"],
        )
