"""Reads of contracts for the active agency: the template page and the contract panel."""

from django.db.models import Prefetch, QuerySet

from agency.models import Agency
from orders.models import ServiceType
from placements.models import (
    ContractSignature,
    ContractTemplate,
    ContractVersion,
    Placement,
)


def contract_templates_for(*, agency: Agency) -> QuerySet[ContractTemplate]:
    """Every version of the agency's templates, the newest first, in one query."""
    return (
        ContractTemplate.objects.filter(agency=agency)
        .select_related("service_type", "created_by")
        .order_by("service_type__id", "language", "-version")
    )


def placement_services(*, agency: Agency) -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(agency=agency, is_placement=True).order_by("id")


def contract_versions(*, agency: Agency, placement: Placement) -> QuerySet[ContractVersion]:
    """A placement's versions, the first first, each with its signatures (two queries)."""
    return (
        ContractVersion.objects.filter(agency=agency, placement=placement)
        .select_related("staff")
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=ContractSignature.objects.select_related("signed_by").order_by(
                    "signed_at"
                ),
            )
        )
        .order_by("number")
    )
