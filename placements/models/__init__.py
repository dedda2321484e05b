"""The placements app's tables, one module per part of the placement."""

from placements.models.placements import (
    Placement,
    PlacementStatus,
    PricePeriod,
    WagePayer,
)

__all__ = ["Placement", "PlacementStatus", "PricePeriod", "WagePayer"]
