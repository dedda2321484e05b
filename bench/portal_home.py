"""The customer portal's home page (issue 18) for a customer with 200 past orders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench uv run python -m bench.portal_home

Creates (once) an agency `bench-portal` with two customers: one with 200 past orders
and one with 20, each with two upcoming orders, a quote to sign and two issued
invoices (one unpaid: a to-do). Then asks for each one's portal home page, signed in
(the portal session), next to the framework floor (bench/measure.py), in turn.
Target: median under 100 ms, and the same number of queries for both customers (the
page shows the latest past orders, never all of them).
"""

from datetime import time, timedelta
from decimal import Decimal

from django.db import transaction
from django.test import Client
from django.utils import timezone
from psycopg.types.range import DateRange

from agency.models import Agency, Branch
from bench.measure import (
    FLOOR_URL,
    Result,
    analyze,
    bench_urls,
    getter,
    interleaved,
    queries_of,
    report,
)
from bench.measure import urlpatterns as bench_patterns
from orders.models import (
    Customer,
    CustomerAddress,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    NeedsForm,
    Order,
    OrderStatus,
    Price,
    PricingUnit,
    Quote,
    ScheduleKind,
    ServiceCategory,
    ServiceType,
)
from portal.session import SESSION_KEY

SLUG = "bench-portal"
RUNS = 200
WARMUP = 20
#: Past orders of the two customers: the page must cost the same for both.
HISTORIES = (200, 20)

urlpatterns = bench_patterns


def results(runs: int = RUNS) -> list[Result]:
    if not Agency.objects.filter(slug=SLUG).exists():
        make_agency()
        analyze()
        print(f"{SLUG}: created")
    agency = Agency.objects.get(slug=SLUG)
    homes = [getter(signed_in(agency, f"1390000{past:04d}"), f"/c/{SLUG}/") for past in HISTORIES]
    with bench_urls(__name__):
        *timings, floor = interleaved(*homes, getter(Client(), FLOOR_URL), runs=runs, warmup=WARMUP)
        queries = [queries_of(home) for home in homes]
    if len(set(queries)) != 1:
        raise SystemExit(f"portal home: queries grow with the history: {queries}")
    return [
        Result(f"portal home, {past} past orders", timing, floor, count, max_ms=100)
        for past, timing, count in zip(HISTORIES, timings, queries, strict=True)
    ]


def signed_in(agency: Agency, phone: str) -> Client:
    """A browser signed in to the agency's portal as the customer (portal.session's entry)."""
    client = Client()
    session = client.session
    customer = Customer.objects.get(agency=agency, phone=phone)
    until = timezone.now() + timedelta(days=agency.portal_session_days)
    session[SESSION_KEY] = {str(agency.pk): {"customer": customer.pk, "until": until.timestamp()}}
    session.save()
    client.cookies["sessionid"] = session.session_key or ""
    return client


@transaction.atomic
def make_agency() -> None:
    agency = Agency.objects.create(slug=SLUG, name="Bench 家政 portal")
    branch = Branch.objects.create(agency=agency, name="朝阳门店", code="cy")
    service = ServiceType.objects.create(
        agency=agency,
        code="cleaning",
        name_zh="家庭保洁",
        name_en="Home cleaning",
        category=ServiceCategory.CLEANING,
        pricing_unit=PricingUnit.HOUR,
    )
    Price.objects.create(
        agency=agency, service_type=service, unit_price=Decimal(50), valid_during=DateRange()
    )
    now = timezone.now()
    for past in HISTORIES:
        customer = Customer.objects.create(agency=agency, name="王芳", phone=f"1390000{past:04d}")
        address = CustomerAddress.objects.create(
            agency=agency, customer=customer, district="朝阳区", detail="建国路 88 号"
        )
        form = NeedsForm.objects.create(
            agency=agency,
            customer=customer,
            service_type=service,
            address=address,
            schedule_kind=ScheduleKind.ONCE,
            start_date=timezone.localdate(),
            time_start=time(9),
            time_end=time(12),
        )
        starts = [now - timedelta(days=n + 1) for n in range(past)]
        starts += [now + timedelta(days=n + 1) for n in range(3)]
        orders = Order.objects.bulk_create(
            Order(
                agency=agency,
                number=f"P{past}-{n:05d}",
                branch=branch,
                customer=customer,
                needs_form=form,
                service_type=service,
                status=OrderStatus.CLOSED if start < now else OrderStatus.ASSIGNED,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
            )
            for n, start in enumerate(starts)
        )
        quoted = orders[-1]
        Order.objects.filter(pk=quoted.pk).update(status=OrderStatus.QUOTED)
        Quote.objects.create(
            agency=agency,
            order=quoted,
            description="家庭保洁 3 小时",
            unit=PricingUnit.HOUR,
            unit_price=Decimal(50),
            quantity=Decimal(3),
            total=Decimal(150),
            currency="CNY",
        )
        for n, status in enumerate((InvoiceStatus.PAID, InvoiceStatus.ISSUED)):
            invoice = Invoice.objects.create(
                agency=agency,
                customer=customer,
                branch=branch,
                currency="CNY",
                tax_rate_percent=Decimal(0),
                total=Decimal(150),
                language="zh-hans",
                number=f"P{past}-INV-{n}",
                status=status,
                issued_at=now,
            )
            InvoiceLine.objects.create(
                agency=agency,
                invoice=invoice,
                kind=LineKind.SERVICE,
                order=orders[n],
                description="家庭保洁 3 小时",
                quantity=Decimal(3),
                unit=PricingUnit.HOUR,
                unit_price=Decimal(50),
                amount=Decimal(150),
            )


def main() -> None:
    for result in results():
        report(result)


if __name__ == "__main__":
    main()
