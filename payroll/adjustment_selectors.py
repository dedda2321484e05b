"""Reads of rewards and penalties for the active agency: a fixed number of queries each."""

from django.db.models import QuerySet

from agency.models import Agency
from payroll.models import PayAdjustment, PayStatement


def adjustments_for(*, agency: Agency) -> QuerySet[PayAdjustment]:
    """The agency's adjustments, the latest proposed first, with whom and what they name."""
    return (
        PayAdjustment.objects.filter(agency=agency)
        .select_related(
            "staff", "proposed_by", "decided_by", "corrects__period", "settled_in__period"
        )
        .order_by("-proposed_at", "-id")
    )


def corrections_of(*, statement: PayStatement) -> QuerySet[PayAdjustment]:
    """The corrections proposed of a paid statement, the latest first."""
    return adjustments_for(agency=statement.agency).filter(corrects=statement)
