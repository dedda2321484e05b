"""Reads of the shared order: the board's list, search and the order page; each takes the
agency explicitly."""

from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet

from agency.models import Agency
from orders.intake.models import normalise_phone
from orders.models import (
    Cancellation,
    Order,
    OrderEvent,
)

#: A model with a `number` and a `customer` (an order, an invoice).
M = TypeVar("M", bound=Model)

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


def number_or_customer_search(queryset: QuerySet[M], text: str) -> QuerySet[M]:
    """By number, customer name, or (any part of) the customer's phone.

    Orders and invoices are both looked for this way (each has a `number` and a
    `customer`): the dispatcher's search box and finance's work the same way.
    """
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
