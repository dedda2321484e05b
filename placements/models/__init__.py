"""The placements app's tables, one module per part of the placement."""

from placements.models.contracts import (
    ContractKind,
    ContractLanguage,
    ContractStatus,
    ContractTemplate,
    ContractVersion,
)
from placements.models.placements import (
    Placement,
    PlacementStatus,
    PricePeriod,
    WagePayer,
)

__all__ = [
    "ContractKind",
    "ContractLanguage",
    "ContractStatus",
    "ContractTemplate",
    "ContractVersion",
    "Placement",
    "PlacementStatus",
    "PricePeriod",
    "WagePayer",
]
