"""The placements app's tables, one module per part of the placement."""

from placements.models.briefing import Briefing, BriefingItem
from placements.models.during import PlacementPolicy, RenewalReminder, TrialChoice, TrialDecision
from placements.models.placements import (
    Placement,
    PlacementStatus,
    PricePeriod,
    WagePayer,
)

__all__ = ["Placement", "PlacementStatus", "PricePeriod", "WagePayer"]
__all__ += ["Briefing", "BriefingItem", "PlacementPolicy", "RenewalReminder"]
__all__ += ["TrialChoice", "TrialDecision"]
