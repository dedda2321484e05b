"""The placements app's tables, one module per part of the placement."""

from placements.models.billing import (
    ChargeKind,
    ChargeState,
    PlacementCharge,
    Settlement,
    SettlementKind,
)
from placements.models.briefing import Briefing, BriefingItem
from placements.models.contracts import (
    ContractKind,
    ContractLanguage,
    ContractStatus,
    ContractTemplate,
    ContractVersion,
)
from placements.models.during import PlacementPolicy, RenewalReminder, TrialChoice, TrialDecision
from placements.models.placements import (
    Placement,
    PlacementStatus,
    PricePeriod,
    WagePayer,
)
from placements.models.signatures import ContractSignature, SigningParty

__all__ = [
    "Briefing",
    "BriefingItem",
    "ChargeKind",
    "ChargeState",
    "ContractKind",
    "ContractLanguage",
    "ContractSignature",
    "ContractStatus",
    "ContractTemplate",
    "ContractVersion",
    "Placement",
    "PlacementCharge",
    "PlacementPolicy",
    "PlacementStatus",
    "PricePeriod",
    "RenewalReminder",
    "Settlement",
    "SettlementKind",
    "SigningParty",
    "TrialChoice",
    "TrialDecision",
    "WagePayer",
]
