"""Placement contracts (issue 20): the manager's templates, the variables a contract is
filled with, preparing the original for signature (rendered to PDF); amendments and
renewals are `placements.amendments`.

A template's body is plain text with `{{ variable }}` placeholders, never a Django
template: a manager's text cannot reach anything but the variables listed here.
"""

import hashlib
import re
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.pdf import render_pdf
from agency.permissions import Area, require
from orders.models import ServiceType
from placements.lifecycle import placement_lock, placement_transition
from placements.models import (
    ContractKind,
    ContractStatus,
    ContractTemplate,
    ContractVersion,
    Placement,
    PlacementStatus,
    PricePeriod,
    WagePayer,
)
from placements.selectors import confirmed_staff
from placements.signing_links import signing_links_send
from placements.terms import TERM_FIELDS, missing_terms
from staff.models import StaffMember

PLACEHOLDER = re.compile(r"{{\s*([A-Za-z0-9_]*)\s*}}")
DEFAULTS = Path(settings.BASE_DIR) / "templates" / "placements" / "contract"

#: Every variable a template may use, in the order the template page lists them.
VARIABLES = (
    "agency_name",
    "agency_address",
    "agency_phone",
    "customer_name",
    "customer_phone",
    "customer_address",
    "staff_name",
    "staff_phone",
    "staff_id_number",
    "service",
    "order_number",
    "starts_on",
    "ends_on",
    "days",
    "trial_days",
    "price",
    "price_period",
    "wage",
    "wage_paid_by",
    "service_fee",
    "deposit",
    "days_off_per_month",
    "free_replacements",
    "renewal_terms",
    "today",
)


def default_body(language: str) -> str:
    """The default 三方合同 of the language, for an agency without its own."""
    name = "default_zh.txt" if language == "zh-hans" else "default_en.txt"
    return (DEFAULTS / name).read_text(encoding="utf-8")


def fill(body: str, variables: dict[str, str]) -> str:
    """The body with its placeholders replaced; unknown names refused, each named."""
    unknown = sorted({name for name in PLACEHOLDER.findall(body) if name not in variables})
    if unknown:
        raise ValidationError(
            {"body": _("Unknown variables: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    return PLACEHOLDER.sub(lambda match: variables[match.group(1)], body)


def mask_id_number(number: str) -> str:
    """1101********1234: the first four and the last four digits only."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


@transaction.atomic
def contract_template_save(
    *, agency_id: int, service_type: ServiceType, language: str, body: str, actor: Actor
) -> ContractTemplate:
    """A new version of the agency's template for the service and language (the latest
    is current; contracts keep the version they were prepared on)."""
    user = require(
        actor, Area.CONTRACTS, agency_id=agency_id, message=_("A manager words the contracts.")
    )
    if service_type.agency_id != agency_id or not service_type.is_placement:
        raise ValidationError({"service_type": _("Choose a placement service of the agency.")})
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the contract's text.")})
    fill(body, dict.fromkeys(VARIABLES, ""))
    latest = (
        ContractTemplate.objects.select_for_update()
        .filter(agency_id=agency_id, service_type=service_type, language=language)
        .aggregate(latest=Max("version"))["latest"]
    )
    template = ContractTemplate(
        agency_id=agency_id,
        service_type=service_type,
        language=language,
        version=(latest or 0) + 1,
        body=body,
        created_by=user,
    )
    template.full_clean()
    template.save()
    audit_record(
        agency=service_type.agency,
        actor=actor,
        action="contract.template",
        target=template,
        changes={"version": [None, template.version]},
    )
    return template


def current_template(placement: Placement, language: str) -> ContractTemplate | None:
    return (
        ContractTemplate.objects.filter(
            agency_id=placement.agency_id,
            service_type_id=placement.order.service_type_id,
            language=language,
        )
        .order_by("-version")
        .first()
    )


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"¥{amount:,.2f}"


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def contract_variables(
    placement: Placement, *, language: str = "zh-hans", staff: StaffMember | None = None
) -> dict[str, str]:
    """What a contract is filled with, as text in the contract's language: the parties
    (the staff member's ID number in full: a copy masks it) and every term. `staff`: the
    staff member party to it (by default the one confirmed)."""
    order = placement.order
    staff = staff or party_staff(placement)
    address = order.needs_form.address
    with translation.override(language):
        return {
            "agency_name": placement.agency.name,
            "agency_address": order.branch.address,
            "agency_phone": order.branch.phone,
            "customer_name": order.customer.name,
            "customer_phone": order.customer.phone,
            "customer_address": f"{address.district} {address.detail}",
            "staff_name": staff.name if staff else "",
            "staff_phone": staff.phone if staff else "",
            "staff_id_number": staff.id_number if staff else "",
            "service": order.service_type.name,
            "order_number": order.number,
            "starts_on": _day(placement.starts_on),
            "ends_on": _day(placement.ends_on),
            "days": str((placement.ends_on - placement.starts_on).days + 1),
            "trial_days": str(placement.trial_days or 0),
            "price": _money(placement.price),
            "price_period": str(PricePeriod(placement.price_period).label),
            "wage": _money(placement.wage),
            "wage_paid_by": str(WagePayer(placement.wage_paid_by).label),
            "service_fee": _money(placement.service_fee),
            "deposit": _money(placement.deposit),
            "days_off_per_month": str(placement.days_off_per_month or 0),
            "free_replacements": str(placement.free_replacements or 0),
            "renewal_terms": placement.renewal_terms or "—",
            "today": _day(timezone.localdate(timezone=placement.agency.zone)),
        }


def party_staff(placement: Placement) -> StaffMember | None:
    """The staff member confirmed on the placement's order: party to its contract."""
    assignment = confirmed_staff(placement)
    return assignment.staff if assignment else None


def snapshot(placement: Placement, language: str, staff: StaffMember | None) -> dict[str, object]:
    """What a version keeps: its terms, and its variables as the contract shows them."""
    terms = {name: str(getattr(placement, name)) for name in TERM_FIELDS}
    variables = contract_variables(placement, language=language, staff=staff)
    return {"terms": terms, "variables": variables}


def _page_counter() -> str:
    """CSS `content` for the footer: "第 N 页 / 共 M 页" in the active language."""
    pattern = _("Page {page} of {pages}")
    parts = re.split(r"(\{page\}|\{pages\})", pattern)
    css = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    return " ".join(css.get(part) or '"' + part.replace('"', "") + '"' for part in parts if part)


def render_contract_pdf(
    version: ContractVersion,
    *,
    agency_copy: bool,
    template: str = "placements/contract/pdf.html",
    extra: dict[str, object] | None = None,
) -> bytes:
    """The version's PDF from its snapshot: the agency's copy shows the staff member's
    ID number in full, every other copy masked. `template` and `extra`: a document that
    extends the contract's (the signed contract with its signature page)."""
    variables = dict(version.terms["variables"])
    if not agency_copy:
        variables["staff_id_number"] = mask_id_number(variables["staff_id_number"])
    body = version.template.body if version.template else default_body(version.language)
    with translation.override(version.language):
        page_counter = _page_counter()
    return render_pdf(
        template,
        {
            "agency": version.placement.agency,
            "version": version,
            "v": variables,
            "text": fill(body, variables),
            "page_counter": page_counter,
            **(extra or {}),
        },
        language=version.language,
    )


def contract_send(version: ContractVersion) -> None:
    """Render the version, keep its hash, and send its signers their links (on commit)."""
    content = render_contract_pdf(version, agency_copy=False)
    version.document.save("contract.pdf", ContentFile(content), save=False)
    version.document_sha256 = hashlib.sha256(content).hexdigest()
    version.status = ContractStatus.OUT_FOR_SIGNATURE
    version.sent_at = timezone.now()
    version.save()
    transaction.on_commit(partial(signing_links_send, version.pk))


def require_office(actor: Actor, agency_id: int) -> None:
    require(actor, Area.PLACEMENTS, agency_id=agency_id, message=_("The office sends contracts."))


def refuse_incomplete(placement: Placement) -> None:
    missing = missing_terms(placement)
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def contract_prepare(
    *, placement: Placement, actor: Actor, language: str = "zh-hans"
) -> ContractVersion:
    """The original contract rendered and out for signature; the placement moves from
    draft to signing. Incomplete terms are refused, each missing one named."""
    require_office(actor, placement.agency_id)
    placement = placement_lock(placement)
    refuse_incomplete(placement)
    placement_transition(placement, PlacementStatus.SIGNING, allowed_from=[PlacementStatus.DRAFT])
    staff = party_staff(placement)
    version = ContractVersion(
        agency_id=placement.agency_id,
        placement=placement,
        number=1,
        kind=ContractKind.ORIGINAL,
        template=current_template(placement, language),
        language=language,
        staff=staff,
        terms=snapshot(placement, language, staff),
        created_by=actor.user,
    )
    contract_send(version)
    audit_record(
        agency=placement.agency,
        actor=actor,
        action="contract.prepare",
        target=placement,
        changes={"contract": [None, version.number]},
    )
    return version
