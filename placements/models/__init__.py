"""The placements app's tables, one module per part of the placement."""

from placements.models.billing import (
    ChargeKind,
    ChargeState,
    PlacementCharge,
    Settlement,
    SettlementKind,
)
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
    "ChargeKind",
    "ChargeState",
    "ContractKind",
    "ContractLanguage",
    "ContractStatus",
    "ContractTemplate",
    "ContractVersion",
    "Placement",
    "PlacementCharge",
    "PlacementStatus",
    "PricePeriod",
    "Settlement",
    "SettlementKind",
    "WagePayer",
]
