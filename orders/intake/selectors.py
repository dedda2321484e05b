"""Intake's reads: customers, the catalogue and current prices, callbacks and cancellations;
each takes the agency explicitly."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from agency.models import Agency
from agency.phones import normalise_phone
from orders.models import (
    BookingRequest,
    BookingRequestStatus,
    Callback,
    Cancellation,
    CancellationStatus,
    Customer,
    District,
    Price,
    ServiceType,
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


def districts_for(*, agency: Agency) -> QuerySet[District]:
    """The agency's district centres, by name."""
    return District.objects.filter(agency=agency).order_by("name")


def booking_requests_for(*, agency: Agency) -> QuerySet[BookingRequest]:
    """The customers' booking requests, oldest first (the order they were asked in)."""
    return (
        BookingRequest.objects.filter(agency=agency)
        .select_related("customer", "service_type", "address", "order")
        .order_by("created_at", "id")
    )


def booking_requests_waiting(*, agency: Agency) -> QuerySet[BookingRequest]:
    """The requests no dispatcher has quoted or declined yet (served by a partial index)."""
    return booking_requests_for(agency=agency).filter(status=BookingRequestStatus.WAITING)


@dataclass(frozen=True)
class WaitingRequests:
    """The intake's and the board's banner: how many wait, and the oldest few."""

    count: int
    oldest: list[BookingRequest]


def booking_requests_banner(*, agency: Agency, shown: int = 5) -> WaitingRequests:
    waiting = booking_requests_waiting(agency=agency)
    oldest = list(waiting[:shown])
    count = len(oldest) if len(oldest) < shown else waiting.count()
    return WaitingRequests(count=count, oldest=oldest)
