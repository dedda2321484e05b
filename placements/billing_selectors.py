"""Reads of a placement's billing for its page and the API: the schedule, the settlement."""

from django.db.models import QuerySet

from placements.models import Placement, PlacementCharge, Settlement


def charges_of(placement: Placement) -> QuerySet[PlacementCharge]:
    """The placement's schedule as saved, with each invoice's number (one query)."""
    return PlacementCharge.objects.filter(
        agency_id=placement.agency_id, placement=placement
    ).select_related("invoice")


def settlement_of(placement: Placement) -> Settlement | None:
    return (
        Settlement.objects.filter(agency_id=placement.agency_id, placement=placement)
        .select_related("refund")
        .first()
    )
