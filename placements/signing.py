"""Signing a placement contract (issue 20): the customer and the staff member by their
signed links (`placements.signing_links`), the agency by a manager. Each signature keeps
the drawn image, the time, the IP address and the SHA-256 of the PDF its signer saw; a
signature on another PDF than the version's is refused. When all three have signed, the
final PDF (the contract and a signature page) is stored once with its hash and never
rewritten; the original contract makes the placement signed and bills its deposit, an
amendment (or a renewal) supersedes the version signed before it and is applied
(`placements.amendments.amendment_apply`)."""

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.permissions import Area, require
from agency.uploads import validate_photo
from placements.amendments import amendment_apply
from placements.billing import placement_bill_deposit
from placements.contracts import render_contract_pdf
from placements.lifecycle import placement_lock, placement_transition
from placements.models import (
    ContractKind,
    ContractSignature,
    ContractStatus,
    ContractVersion,
    Placement,
    PlacementStatus,
    SigningParty,
)
from placements.signing_links import signing_link_open

#: The order of the parties on the signature page and on the placement page.
PARTIES = (SigningParty.CUSTOMER, SigningParty.STAFF, SigningParty.AGENCY)
PNG_DATA_URL = "data:image/png;base64,"


@dataclass(frozen=True)
class SignatureLine:
    """One party's line on the signature page."""

    party: str
    role: str
    name: str
    signed_at: str
    ip_address: str
    document_sha256: str
    image: str  # a data URL: the PDF carries the image itself


def png_from_data_url(data_url: str) -> bytes:
    """The bytes of the canvas's `data:image/png;base64,…`; anything else refused."""
    if not data_url.startswith(PNG_DATA_URL):
        raise ValidationError({"image": _("Draw your signature in the box.")})
    try:
        return base64.b64decode(data_url[len(PNG_DATA_URL) :], validate=True)
    except ValueError as error:
        raise ValidationError({"image": _("Draw your signature in the box.")}) from error


def signatures_of(version: ContractVersion) -> dict[str, ContractSignature]:
    return {
        signature.party: signature
        for signature in ContractSignature.objects.filter(version=version).select_related(
            "signed_by"
        )
    }


def contract_sign_by_link(
    *, token: str, image_bytes: bytes, document_sha256: str, ip: str | None
) -> ContractSignature:
    """The customer's or the staff member's signature by their link: an expired or bad
    link refused with its reason (`signing_link_open`)."""
    version, party = signing_link_open(token)
    return contract_sign(
        version=version,
        party=party,
        image_bytes=image_bytes,
        document_sha256=document_sha256,
        ip=ip,
    )


def contract_sign_for_agency(
    *, placement: Placement, image_bytes: bytes, document_sha256: str, actor: Actor
) -> ContractSignature:
    """A manager signs, for the agency, the version out for signature (one at a time)."""
    version = ContractVersion.objects.filter(
        agency_id=placement.agency_id,
        placement=placement,
        status=ContractStatus.OUT_FOR_SIGNATURE,
    ).first()
    if version is None:
        raise StateConflict(_("This contract is not out for signature."))
    return contract_sign(
        version=version,
        party=SigningParty.AGENCY,
        image_bytes=image_bytes,
        document_sha256=document_sha256,
        ip=actor.ip_address,
        actor=actor,
    )


@transaction.atomic
def contract_sign(
    *,
    version: ContractVersion,
    party: str,
    image_bytes: bytes,
    document_sha256: str,
    ip: str | None,
    actor: Actor | None = None,
) -> ContractSignature:
    """One party's signature on the version; signing again answers the first signature.
    Refused: the agency's by anyone but a manager, a version not out for signature, a
    hash other than the version's document's (the contract changed since it was opened)."""
    if party not in PARTIES:
        raise ValidationError(_("Unknown party."))
    user = None
    if party == SigningParty.AGENCY:
        user = require(
            actor or Actor.system(),
            Area.CONTRACTS,
            agency_id=version.agency_id,
            message=_("A manager signs contracts for the agency."),
        )
    placement = placement_lock(version.placement)
    version = ContractVersion.objects.select_for_update().get(pk=version.pk)
    signed = ContractSignature.objects.filter(version=version, party=party).first()
    if signed is not None:
        return signed
    if version.status != ContractStatus.OUT_FOR_SIGNATURE:
        raise StateConflict(_("This contract is not out for signature."))
    if document_sha256 != version.document_sha256:
        raise ValidationError(
            _("The contract changed since you opened it: please read it again and sign.")
        )
    image = ContentFile(image_bytes, name="signature.png")
    try:
        validate_photo(image)
    except ValidationError as error:
        raise ValidationError({"image": _("Draw your signature in the box.")}) from error
    signature = ContractSignature(
        agency_id=version.agency_id,
        version=version,
        party=party,
        signed_at=timezone.now(),
        ip_address=ip or None,
        document_sha256=document_sha256,
        signed_by=user,
    )
    signature.image.save("signature.png", image, save=False)
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:  # the same party on two phones at once
        return ContractSignature.objects.get(version=version, party=party)
    audit_record(
        agency=placement.agency,
        actor=actor or Actor(user=None, ip_address=ip),
        action="contract.sign",
        target=placement,
        changes={"contract": version.number, "party": party, "sha256": document_sha256},
    )
    if len(signatures_of(version)) == len(PARTIES):
        _complete(version, placement, actor=actor or Actor.system())
    return signature


def _complete(version: ContractVersion, placement: Placement, *, actor: Actor) -> None:
    """All have signed: the final PDF stored once, then what the signed version sets off."""
    if version.final_document:  # stored once: nothing rewrites a signed contract
        return
    content = render_final_pdf(version)
    version.final_document.save("signed-contract.pdf", ContentFile(content), save=False)
    version.final_sha256 = hashlib.sha256(content).hexdigest()
    version.status = ContractStatus.SIGNED
    version.signed_at = timezone.now()
    version.save(update_fields=["final_document", "final_sha256", "status", "signed_at"])
    audit_record(
        agency=placement.agency,
        actor=actor,
        action="contract.signed",
        target=placement,
        changes={"contract": version.number, "sha256": version.final_sha256},
    )
    if version.kind == ContractKind.ORIGINAL:
        placement_transition(
            placement, PlacementStatus.SIGNED, allowed_from=[PlacementStatus.SIGNING]
        )
        placement_bill_deposit(placement)
        return
    ContractVersion.objects.filter(placement=placement, status=ContractStatus.SIGNED).exclude(
        pk=version.pk
    ).update(status=ContractStatus.SUPERSEDED)
    if actor.user is None:
        # The last to sign did so by link: what the amendment sets off in the office (the
        # replacement the customer agreed to) is the manager's who signed for the agency.
        actor = Actor(user=signatures_of(version)[SigningParty.AGENCY].signed_by)
    amendment_apply(placement=placement, version=version, actor=actor)


def _signer_name(version: ContractVersion, signature: ContractSignature) -> str:
    variables = version.terms["variables"]
    if signature.party == SigningParty.CUSTOMER:
        return str(variables["customer_name"])
    if signature.party == SigningParty.STAFF:
        return str(variables["staff_name"])
    user = signature.signed_by
    who = (user.get_full_name() or user.get_username()) if user else ""
    return f"{variables['agency_name']} · {who}" if who else str(variables["agency_name"])


def _local(moment: datetime, version: ContractVersion) -> str:
    local = timezone.localtime(moment, timezone=version.agency.zone)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({version.agency.time_zone})"


def signature_lines(version: ContractVersion) -> list[SignatureLine]:
    signatures = signatures_of(version)
    lines = []
    for party in PARTIES:
        signature = signatures[party]
        with signature.image.open("rb") as image:
            data = base64.b64encode(image.read()).decode()
        lines.append(
            SignatureLine(
                party=party,
                role=str(SigningParty(party).label),
                name=_signer_name(version, signature),
                signed_at=_local(signature.signed_at, version),
                ip_address=signature.ip_address or "—",
                document_sha256=signature.document_sha256,
                image=PNG_DATA_URL + data,
            )
        )
    return lines


def render_final_pdf(version: ContractVersion) -> bytes:
    """The signed contract: the masked copy every party saw, then the signature page."""
    with translation.override(version.language):
        lines = signature_lines(version)
    return render_contract_pdf(
        version,
        agency_copy=False,
        template="placements/signing/final_pdf.html",
        extra={"signatures": lines},
    )
