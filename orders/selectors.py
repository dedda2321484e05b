"""Reads of the orders app; each takes the agency explicitly."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from agency.models import Agency, User
from orders.models import (
    HOLDING,
    AcceptanceRound,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Callback,
    Cancellation,
    CancellationStatus,
    ChangeRequest,
    ChangeStatus,
    Customer,
    FailedItem,
    Order,
    OrderEvent,
    OrderStatus,
    Price,
    RoundOutcome,
    ServiceLogEntry,
    ServiceType,
    Signoff,
    Stage,
)
from orders.models.customers import normalise_phone
from staff.models import StaffMember

#: The columns a list row shows (board, API list); the rest stays in the database.
LIST_COLUMNS = (
    "number", "status", "is_urgent", "starts_at", "ends_at", "created_at", "agency_id",
    "branch__code", "branch__name",
    "customer__name", "customer__phone", "customer__special_attention",
    "customer__special_attention_reason",
    "service_type__code", "service_type__name_zh", "service_type__name_en",
    "service_type__is_special",
    "needs_form__address__district",
)  # fmt: skip


def orders_for(*, agency: Agency) -> QuerySet[Order]:
    """Orders with what a list row shows, in one query of only the columns it needs."""
    return (
        Order.objects.filter(agency=agency)
        .select_related("customer", "service_type", "branch", "needs_form__address")
        .only(*LIST_COLUMNS)
    )


def orders_on_day(queryset: QuerySet[Order], *, agency: Agency, day: date) -> QuerySet[Order]:
    """Orders whose service window touches `day` in the agency's time zone (live-in spans days)."""
    start = datetime.combine(day, time.min, tzinfo=agency.zone)
    return queryset.filter(starts_at__lt=start + timedelta(days=1), ends_at__gt=start)


def order_search(queryset: QuerySet[Order], text: str) -> QuerySet[Order]:
    """By order number, customer name, or (any part of) the customer's phone."""
    text = text.strip()
    if not text:
        return queryset
    match = Q(number__icontains=text) | Q(customer__name__icontains=text)
    digits = normalise_phone(text)
    if len(digits) >= 4:
        match |= Q(customer__phone__contains=digits)
    return queryset.filter(match)


def order_detail(*, agency: Agency) -> QuerySet[Order]:
    return (
        Order.objects.filter(agency=agency)
        .select_related(
            "customer",
            "service_type",
            "branch",
            "needs_form__address",
            "confirmed_quote",
            "plan",
            "created_by",
        )
        .prefetch_related(
            Prefetch(
                "events",
                queryset=OrderEvent.objects.select_related("actor").order_by("created_at", "id"),
            ),
            "quotes",
            "signatures__verified_by",
            Prefetch(
                "cancellations",
                queryset=Cancellation.objects.select_related("requested_by", "decided_by"),
            ),
            "callbacks",
        )
    )


def customers_for(*, agency: Agency) -> QuerySet[Customer]:
    return Customer.objects.filter(agency=agency).order_by("name", "id")


def customer_search(queryset: QuerySet[Customer], text: str) -> QuerySet[Customer]:
    text = text.strip()
    if not text:
        return queryset
    match = Q(name__icontains=text)
    digits = normalise_phone(text)
    if len(digits) >= 4:
        match |= Q(phone__contains=digits) | Q(phone_alt__contains=digits)
    return queryset.filter(match)


def customer_by_phone(*, agency: Agency, phone: str) -> Customer | None:
    return Customer.objects.filter(agency=agency, phone=normalise_phone(phone)).first()


def service_types_for(*, agency: Agency) -> QuerySet[ServiceType]:
    """Service types with their prices (newest first), for the catalogue and the intake form."""
    return (
        ServiceType.objects.filter(agency=agency)
        .select_related("agency")
        .prefetch_related(Prefetch("prices", queryset=Price.objects.order_by("-valid_during")))
    )


def current_price(service_type: ServiceType, *, on: date) -> Price | None:
    """From the prefetched prices: the one valid on `on` (the agency's today, usually)."""
    return next((p for p in service_type.prices.all() if on in p.valid_during), None)


def callbacks_for(*, agency: Agency) -> QuerySet[Callback]:
    return (
        Callback.objects.filter(agency=agency)
        .select_related("customer", "order", "done_by")
        .order_by("due_at", "id")
    )


def callbacks_open(*, agency: Agency) -> QuerySet[Callback]:
    return callbacks_for(agency=agency).filter(done_at__isnull=True)


def cancellations_for(*, agency: Agency) -> QuerySet[Cancellation]:
    return Cancellation.objects.filter(agency=agency).select_related(
        "order__customer", "order__service_type", "requested_by", "decided_by", "signature"
    )


def cancellations_awaiting(*, agency: Agency) -> QuerySet[Cancellation]:
    return cancellations_for(agency=agency).filter(status=CancellationStatus.AWAITING_APPROVAL)


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


# --- the service log and acceptance ---------------------------------------------


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


def team(order: Order) -> QuerySet[Assignment]:
    """The order's confirmed staff, the lead first: who may be responsible for a failed item."""
    return (
        Assignment.objects.filter(
            agency_id=order.agency_id, order=order, status=AssignmentStatus.CONFIRMED
        )
        .select_related("staff")
        .order_by("role", "id")
    )


def team_members(order: Order) -> QuerySet[StaffMember]:
    """The same team as staff records (for choices)."""
    return StaffMember.objects.filter(
        agency_id=order.agency_id,
        assignments__order=order,
        assignments__status=AssignmentStatus.CONFIRMED,
    ).order_by("name")


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
