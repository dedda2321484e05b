"""Reads of contracts for the active agency: the template page and the contract panel."""

from django.db.models import QuerySet

from agency.models import Agency
from orders.models import ServiceType
from placements.models import ContractTemplate, ContractVersion, Placement


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
    return ContractVersion.objects.filter(agency=agency, placement=placement).order_by("number")
