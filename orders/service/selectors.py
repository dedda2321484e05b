"""Service's reads: the field staff's jobs, the service log, acceptance rounds, failed items
and change requests; each takes the agency (or the order) explicitly."""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from agency.models import Agency, User
from orders.models import (
    HOLDING,
    AcceptanceRound,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ChangeRequest,
    ChangeStatus,
    FailedItem,
    Order,
    OrderStatus,
    RoundOutcome,
    ServiceLogEntry,
    Signoff,
    Stage,
)


def jobs_of_staff_user(*, agency: Agency, user: User) -> QuerySet[Assignment]:
    """The jobs (confirmed, or proposed to the customer) of this login's staff member only."""
    return (
        Assignment.objects.filter(agency=agency, staff__user=user, status__in=HOLDING)
        .select_related(
            "staff",
            "order__agency",
            "order__customer",
            "order__service_type",
            "order__needs_form__address",
        )
        .order_by("period")
    )


def jobs_between(
    jobs: QuerySet[Assignment], *, start: datetime, end: datetime
) -> QuerySet[Assignment]:
    return jobs.filter(period__overlap=(start, end))


def service_log(order: Order) -> QuerySet[ServiceLogEntry]:
    """Every entry of the order's log, corrections included, oldest first."""
    return ServiceLogEntry.objects.filter(agency_id=order.agency_id, order=order).select_related(
        "assignment__staff", "author"
    )


def effective_log(order: Order) -> QuerySet[ServiceLogEntry]:
    """The log as it stands: entries not corrected since, and not withdrawn."""
    return service_log(order).filter(correction__isnull=True, withdrawn=False)


def ticked_items(order: Order, kind: str) -> set[str]:
    """The checklist lines ticked (preparation, tasks) in the log as it stands."""
    return set(effective_log(order).filter(kind=kind).values_list("item", flat=True))


def open_round(order: Order) -> AcceptanceRound | None:
    return AcceptanceRound.objects.filter(
        agency_id=order.agency_id, order=order, outcome=RoundOutcome.OPEN
    ).first()


def acceptance_rounds_for(*, agency: Agency) -> QuerySet[AcceptanceRound]:
    """Every round of the agency, with the order a queue row shows."""
    return AcceptanceRound.objects.filter(agency=agency).select_related(
        "order__customer", "order__service_type", "order__branch"
    )


def with_signoffs(rounds: QuerySet[AcceptanceRound]) -> QuerySet[AcceptanceRound]:
    """The rounds' sign-offs and their failed items, in two more queries."""
    return rounds.prefetch_related(
        Prefetch(
            "signoffs",
            queryset=Signoff.objects.select_related(
                "signer", "signature__verified_by"
            ).prefetch_related(
                Prefetch(
                    "failed_items",
                    queryset=FailedItem.objects.select_related("responsible", "reworked_by"),
                )
            ),
        )
    )


def acceptance_history(order: Order) -> QuerySet[AcceptanceRound]:
    """Every round of the order with its sign-offs and failed items: the acceptance record."""
    return with_signoffs(AcceptanceRound.objects.filter(agency_id=order.agency_id, order=order))


def rounds_waiting(*, agency: Agency, stage: int | None = None) -> QuerySet[AcceptanceRound]:
    """Open rounds waiting for a stage (the acceptance queue), the longest waiting first."""
    rounds = acceptance_rounds_for(agency=agency).filter(outcome=RoundOutcome.OPEN)
    if stage is not None:
        rounds = rounds.filter(next_stage=stage)
    return rounds.order_by("opened_at", "id")


def my_acceptance_stage(*, agency: Agency, user: User, stages: Sequence[int]) -> int:
    """The first of a member's `stages` with a round this user may sign now, else the
    first: a supervisor who signed a round's team stage waits for someone else to
    sign its office stage (DESIGN.md, "Acceptance"), so that round is not their work."""
    for stage in stages:
        rounds = rounds_waiting(agency=agency, stage=stage)
        if stage == Stage.OFFICE_SUPERVISOR:
            rounds = rounds.exclude(signoffs__stage=Stage.TEAM_SUPERVISOR, signoffs__signer=user)
        if rounds.exists():
            return stage
    return stages[0]


def failed_items_for(*, agency: Agency) -> QuerySet[FailedItem]:
    """Every failed item of the agency, redone or not, with what a row shows."""
    return FailedItem.objects.filter(agency=agency).select_related(
        "order__customer", "order__service_type", "responsible", "reworked_by", "signoff__round"
    )


def rework_due(*, agency: Agency) -> QuerySet[FailedItem]:
    """Failed items of orders in rework, not yet redone: the rework assignments."""
    return (
        failed_items_for(agency=agency)
        .filter(order__status=OrderStatus.REWORK, reworked_at__isnull=True)
        .order_by("order__starts_at", "id")
    )


def change_requests_for(*, agency: Agency) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(agency=agency).select_related(
        "order", "service_type", "requested_by", "signature"
    )


def change_requests_awaiting(order: Order) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(
        agency_id=order.agency_id, order=order, status=ChangeStatus.AWAITING_CUSTOMER
    )


def jobs_needing_staff(jobs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """My confirmed jobs waiting for me, whatever their date.

    The on-site lead's stage 1 of an open round; a failed item I am responsible
    for and have not redone; and, for the lead, rework that is all redone and
    only waits for "ready for re-inspection".
    """
    stage_one = AcceptanceRound.objects.filter(
        agency_id=OuterRef("agency_id"),
        order=OuterRef("order"),
        outcome=RoundOutcome.OPEN,
        next_stage=Stage.LEAD,
    )
    undone = FailedItem.objects.filter(
        agency_id=OuterRef("agency_id"), order=OuterRef("order"), reworked_at__isnull=True
    )
    lead = Q(role=AssignmentRole.LEAD)
    return jobs.filter(status=AssignmentStatus.CONFIRMED).filter(
        (Q(order__status=OrderStatus.INSPECTION) & lead & Q(Exists(stage_one)))
        | (
            Q(order__status=OrderStatus.REWORK)
            & (
                Q(Exists(undone.filter(responsible=OuterRef("staff"))))
                | (lead & ~Q(Exists(undone)))
            )
        )
    )
