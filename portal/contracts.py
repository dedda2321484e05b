"""The customer's placement contracts in the portal (issue 20): each placement with the
versions sent to the customer, and the PDF of one version (the signed one once all
have signed, else the one out for signature)."""

from django.db.models import Prefetch, QuerySet
from django.db.models.fields.files import FieldFile

from agency.models import Agency
from orders.models import Customer
from placements.models import ContractStatus, ContractVersion, Placement


def _shown_versions(agency: Agency) -> QuerySet[ContractVersion]:
    """A draft is the office's until it is sent: the customer sees the rest."""
    return ContractVersion.objects.filter(agency=agency).exclude(status=ContractStatus.DRAFT)


def placements_with_contracts(*, agency: Agency, customer: Customer) -> QuerySet[Placement]:
    """The customer's placements, newest first, each with its versions in order."""
    return (
        Placement.objects.filter(agency=agency, order__customer=customer)
        .select_related("order__service_type")
        .prefetch_related(
            Prefetch("contracts", queryset=_shown_versions(agency).order_by("number"))
        )
        .order_by("-starts_on", "-id")
    )


def contract_versions_for(*, agency: Agency, customer: Customer) -> QuerySet[ContractVersion]:
    return (
        _shown_versions(agency)
        .filter(placement__order__customer=customer)
        .select_related("placement__order__service_type")
        .order_by("-placement__starts_on", "placement_id", "number")
    )


def contract_pdf(version: ContractVersion) -> FieldFile | None:
    """What the customer downloads: the final signed PDF, else the one out for signature."""
    return version.final_document or version.document or None
