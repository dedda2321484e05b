"""The placement page's signatures panel (issue 20): who signed each contract version
when, the manager's signature for the agency, the signed and the agency's copies."""

from typing import Any

from django import template

from agency.audit import Actor
from agency.permissions import Area, can
from placements.models import ContractSignature, ContractStatus, ContractVersion, Placement
from placements.signing import PARTIES
from placements.signing_forms import ContractSignForm

register = template.Library()


@register.inclusion_tag("placements/signing/panel.html", takes_context=True)
def signing_panel(context: template.Context) -> dict[str, Any]:
    placement: Placement = context["placement"]
    request = context.get("request")
    versions = list(
        ContractVersion.objects.filter(agency_id=placement.agency_id, placement=placement)
        .exclude(status=ContractStatus.DRAFT)
        .order_by("-number")
    )
    signed: dict[int, dict[str, ContractSignature]] = {}
    for signature in ContractSignature.objects.filter(version__in=versions).select_related(
        "signed_by"
    ):
        signed.setdefault(signature.version_id, {})[signature.party] = signature
    rows = [
        {
            "version": version,
            "parties": [(party, signed.get(version.pk, {}).get(party)) for party in PARTIES],
            "agency_signed": "agency" in signed.get(version.pk, {}),
            # A refused signature shows its errors (one version is out at a time).
            "form": context.get("agency_sign_form")
            or ContractSignForm(initial={"document_sha256": version.document_sha256}),
        }
        for version in versions
    ]
    user = getattr(request, "user", None)
    manager = bool(user) and can(Actor(user=user), Area.CONTRACTS, agency_id=placement.agency_id)
    return {
        "csrf_token": context.get("csrf_token"),
        "placement": placement,
        "rows": rows,
        "manager": manager,
    }
