"""Reads of the orders app; each takes the agency explicitly."""

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet

from agency.models import Agency, User
from orders.models import (
    HOLDING,
    Assignment,
    Callback,
    Cancellation,
    CancellationStatus,
    Customer,
    Order,
    OrderEvent,
    Price,
    ServiceType,
)
from orders.models.customers import normalise_phone

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
