"""Reads of the shared order: the board's list, search and the order page; each takes the
agency explicitly."""

from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import F, Func, Model, Prefetch, Q, QuerySet

from agency.models import Agency
from agency.phones import normalise_phone
from orders.models import (
    Cancellation,
    Customer,
    Order,
    OrderEvent,
)
from orders.models.orders import ServiceWindow

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


def order_by_number(*, agency: Agency, number: str) -> Order | None:
    """The agency's order of that exact number (as the office reads it off a form), or None:
    another agency's number is not found either."""
    return (
        Order.objects.filter(agency=agency, number=number.strip())
        .select_related("customer", "branch")
        .first()
    )


def orders_on_day(queryset: QuerySet[Order], *, agency: Agency, day: date) -> QuerySet[Order]:
    """Orders whose service window touches `day` in the agency's time zone (live-in spans days)."""
    start = datetime.combine(day, time.min, tzinfo=agency.zone)
    # One overlap test, which the GiST index on the window serves: bounding `starts_at`
    # from above alone walked every earlier order. Sorted by the window's start (the same
    # order as `starts_at`, id) so that the planner reads the day's few rows through that
    # index and sorts them, rather than walk the `starts_at` index from the agency's first
    # order, which a page's LIMIT tempts it to.
    return (
        queryset.alias(window=ServiceWindow())
        .filter(window__overlap=DateTimeTZRange(start, start + timedelta(days=1)))
        .order_by(Func(F("window"), function="LOWER"), "id")
    )


def number_or_customer_search(queryset: QuerySet[M], text: str, *, agency: Agency) -> QuerySet[M]:
    """By number, customer name, or (any part of) the customer's phone.

    Orders and invoices are both looked for this way (each has a `number` and a
    `customer`): the dispatcher's search box and finance's work the same way.
    """
    text = text.strip()
    if not text:
        return queryset
    # The customers first, each side through its own trigram index: an OR across the join
    # would scan every row of the agency.
    # A text without a letter ("49-001", "1234") is a number or a phone: no name holds it,
    # and the name index's posting lists for its trigrams would be read for nothing.
    who = Q(name__icontains=text) if any(ch.isalpha() for ch in text) else Q()
    digits = normalise_phone(text)
    if len(digits) >= 4:
        who |= Q(phone__contains=digits)
    customers = (
        list(Customer.objects.filter(who, agency=agency).values_list("pk", flat=True))
        if who
        else []
    )
    return queryset.filter(_number_match(queryset, text) | Q(customer_id__in=customers))


#: A number search that finds at most this many rows is handed to the page as their ids.
SPARSE_NUMBER_MATCHES = 500


def _number_match(queryset: QuerySet[M], text: str) -> Q:
    """The rows whose number holds `text`: by id when they are few, else by the pattern.

    The planner cannot tell how many numbers a fragment like "49-001" matches (trigrams
    skip the dash): with the page's ORDER BY and LIMIT it walks the agency's rows by
    date and tests each one, every order of the agency for a fragment that matches two.
    Found first through the trigram index, few rows are joined by their ids; many rows
    (a year, "2026") keep the pattern, and that walk stops early because matches are
    dense.
    """
    found = list(
        queryset.filter(number__icontains=text)
        .order_by()
        .values_list("pk", flat=True)[: SPARSE_NUMBER_MATCHES + 1]
    )
    if len(found) > SPARSE_NUMBER_MATCHES:
        return Q(number__icontains=text)
    return Q(pk__in=found)


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
            "booking_request",
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
