"""The history's customers and orders: needs forms, confirmed quotes, the orders' status
changes, team leads and acceptance rounds, and the customers' cancellations."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import OuterRef, Subquery

from orders.models import (
    AcceptanceRound,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Cancellation,
    CancellationStatus,
    Customer,
    CustomerAddress,
    CustomerSignature,
    NeedsForm,
    Order,
    OrderEvent,
    OrderStatus,
    PricingUnit,
    Quote,
    RoundOutcome,
    ScheduleKind,
    SignaturePurpose,
    SignedVia,
)
from orders.pricing import money
from reports.demo import attendance
from reports.demo.cast import Cast
from reports.demo.planning import Job
from reports.demo.rows import bulk, seeded

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_NAMES = ("芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛")
STREETS = ("建国路", "光华路", "学院路", "中关村大街", "世纪大道", "衡山路", "南京西路", "金融街")
#: The English agency's customers: pinyin surnames and English given names, Shanghai streets.
SURNAMES_EN = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
    "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo",
)  # fmt: skip
GIVEN_NAMES_EN = (
    "Amy", "Ben", "Chloe", "Daniel", "Emma", "Frank", "Grace", "Henry", "Iris", "Jack",
    "Kate", "Leo", "Mia", "Nina",
)  # fmt: skip
STREETS_EN = (
    "Century Avenue", "Hengshan Road", "Nanjing West Road", "Huaihai Middle Road",
    "Zhangyang Road", "Tianyaoqiao Road", "Yan'an West Road", "Dongfang Road",
)  # fmt: skip


def _customer_name(cast: Cast, rng: random.Random) -> str:
    if cast.english:
        return f"{rng.choice(GIVEN_NAMES_EN)} {rng.choice(SURNAMES_EN)}"
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES) + rng.choice(("", *GIVEN_NAMES))


def _street_address(cast: Cast, rng: random.Random) -> str:
    if cast.english:
        return f"Flat {rng.randint(101, 2804)}, {rng.randint(1, 200)} {rng.choice(STREETS_EN)}"
    return f"{rng.choice(STREETS)} {rng.randint(1, 200)} 号 {rng.randint(101, 2804)}"


def write_orders(cast: Cast, jobs: list[Job], keys: range) -> None:
    """Customers, their addresses, a needs form, the order and its confirmed quote."""
    agency, rng = cast.agency, seeded(f"{cast.agency.slug}-customers")
    first_seen: dict[int, datetime] = {}
    for job in jobs:
        first_seen.setdefault(job.customer_key, job.created)
    customers = bulk(
        Customer,
        [
            Customer(
                agency=agency,
                name=_customer_name(cast, rng),
                phone=f"137{key:08d}",
                created_at=first_seen[key],
            )
            for key in keys
        ],
    )
    addresses = bulk(
        CustomerAddress,
        [
            CustomerAddress(
                agency=agency,
                customer=customer,
                district=rng.choice(cast.districts),
                detail=_street_address(cast, rng),
                created_at=customer.created_at,
            )
            for customer in customers
        ],
    )
    forms = bulk(
        NeedsForm,
        [
            NeedsForm(
                agency=agency,
                customer=customers[job.customer_key - keys.start],
                service_type=job.service.service_type,
                address=addresses[job.customer_key - keys.start],
                schedule_kind=ScheduleKind.ONCE,
                start_date=job.starts.date(),
                time_start=job.starts.time(),
                time_end=job.ends.time(),
                quantity=job.quantity
                if job.service.service_type.pricing_unit == PricingUnit.SQUARE_METRE
                else None,
                created_by=cast.office,
                created_at=job.created,
            )
            for job in jobs
        ],
    )
    orders = bulk(
        Order,
        [
            Order(
                agency=agency,
                number=job.number,
                branch=job.branch,
                customer=form.customer,
                needs_form=form,
                service_type=job.service.service_type,
                status=_final_status(job),
                starts_at=job.starts,
                ends_at=job.ends,
                created_by=cast.office,
                created_at=job.created,
            )
            for job, form in zip(jobs, forms, strict=True)
        ],
    )
    for job, order in zip(jobs, orders, strict=True):
        job.order = order
    quotes = bulk(
        Quote,
        [
            Quote(
                agency=agency,
                order=job.order,
                description=(
                    f"{cast.name_of(job.service.service_type)} · {job.starts.date().isoformat()}"
                ),
                unit=job.service.service_type.pricing_unit,
                unit_price=job.service.unit_price,
                quantity=job.quantity,
                total=job.total,
                currency=agency.currency,
                created_by=cast.office,
                created_at=job.created,
            )
            for job in jobs
        ],
    )
    for job, quote in zip(jobs, quotes, strict=True):
        job.order.confirmed_quote = quote
    # One statement, not a bulk_update of every order: each order has one quote.
    Order.objects.filter(agency=agency, pk__in=[job.order.pk for job in jobs]).update(
        confirmed_quote=Subquery(Quote.objects.filter(order=OuterRef("pk")).values("pk")[:1])
    )


def _final_status(job: Job) -> str:
    if job.cancelled is not None:
        return OrderStatus.CANCELLED
    if job.paid is not None:
        return OrderStatus.PAID
    if job.invoiced is not None:
        return OrderStatus.INVOICED
    return OrderStatus.ACCEPTED if job.accepted is not None else OrderStatus.INSPECTION


def write_timelines(cast: Cast, jobs: list[Job]) -> None:
    """Each order's status changes, its team lead and its acceptance rounds."""
    events: list[OrderEvent] = []
    rounds: list[AcceptanceRound] = []
    assignments: list[Assignment] = []
    served: list[tuple[Job, Assignment]] = []
    for job in jobs:
        before: str = OrderStatus.INTAKE
        for after, at in _moves(job):
            events.append(
                OrderEvent(
                    agency=cast.agency,
                    order=job.order,
                    from_status=before,
                    to_status=after,
                    actor=cast.office,
                    created_at=at,
                )
            )
            before = after
        rounds += _rounds(cast, job)
        if job.staff is not None:
            lead = Assignment(
                agency=cast.agency,
                order=job.order,
                staff=job.staff,
                role=AssignmentRole.LEAD,
                status=AssignmentStatus.CONFIRMED,
                period=DateTimeTZRange(job.starts, job.ends),
                proposed_by=cast.office,
                proposed_at=job.confirmed,
                confirmed_at=job.confirmed + timedelta(minutes=30),
                confirmed_via="phone",
            )
            assignments.append(lead)
            if job.cancelled is None:
                served.append((job, lead))
    attendance.arrive(cast, served)
    bulk(OrderEvent, [*events, *attendance.no_show(cast, served)])
    bulk(AcceptanceRound, rounds)
    bulk(Assignment, assignments)
    bulk(Assignment, attendance.no_show_assignments(cast, served))


def _moves(job: Job) -> list[tuple[str, datetime]]:
    """The statuses the order went through, with when, in order."""
    moves: list[tuple[str, datetime]] = [
        (OrderStatus.QUOTED, job.created),
        (OrderStatus.CONFIRMED, job.confirmed),
    ]
    if job.cancelled is not None:
        return [*moves, (OrderStatus.CANCELLED, job.cancelled)]
    moves.append((OrderStatus.ASSIGNED, job.confirmed + timedelta(minutes=30)))
    moves += [(OrderStatus.IN_SERVICE, job.starts), (OrderStatus.INSPECTION, job.ends)]
    if job.reworked:
        moves += [
            (OrderStatus.REWORK, job.ends + timedelta(minutes=40)),
            (OrderStatus.INSPECTION, job.ends + timedelta(hours=2)),
        ]
    for status, at in (
        (OrderStatus.ACCEPTED, job.accepted),
        (OrderStatus.INVOICED, job.invoiced),
        (OrderStatus.PAID, job.paid),
    ):
        if at is not None:
            moves.append((status, at))
    return moves


def _rounds(cast: Cast, job: Job) -> list[AcceptanceRound]:
    if job.cancelled is not None:
        return []
    rounds = []
    if job.reworked:
        rounds.append(
            AcceptanceRound(
                agency=cast.agency,
                order=job.order,
                number=1,
                outcome=RoundOutcome.FAILED,
                next_stage=None,
                opened_at=job.ends,
                closed_at=job.ends + timedelta(minutes=40),
            )
        )
    opened = job.ends + timedelta(hours=2) if job.reworked else job.ends
    rounds.append(
        AcceptanceRound(
            agency=cast.agency,
            order=job.order,
            number=len(rounds) + 1,
            outcome=RoundOutcome.OPEN if job.accepted is None else RoundOutcome.PASSED,
            next_stage=4 if job.accepted is None else None,
            opened_at=opened,
            closed_at=job.accepted,
        )
    )
    return rounds


def write_cancellations(cast: Cast, jobs: list[Job]) -> None:
    """The customers' cancellations, verified by the office, approved by the manager;
    a late one carries the agency's fee."""
    agency = cast.agency
    cancelled = [(job, at) for job in jobs if (at := job.cancelled) is not None]
    signatures = bulk(
        CustomerSignature,
        [
            CustomerSignature(
                agency=agency,
                order=job.order,
                purpose=SignaturePurpose.CANCEL_ORDER,
                via=SignedVia.OFFICE,
                signed_name=job.order.customer.name,
                signed_at=at,
                verified_by=cast.office,
                verification_reason=cast.say("客户来电取消，已电话核实身份"),
            )
            for job, at in cancelled
        ],
    )
    rows = []
    for (job, at), signature in zip(cancelled, signatures, strict=True):
        late = job.starts - at < timedelta(hours=agency.free_cancellation_hours)
        percent = agency.late_cancellation_fee_percent if late else Decimal(0)
        rows.append(
            Cancellation(
                agency=agency,
                order=job.order,
                reason=cast.say("家里临时有事，不需要了"),
                signature=signature,
                price=job.total,
                fee_percent=percent,
                fee=money(job.total * percent / 100),
                refund_due=Decimal(0),
                status=CancellationStatus.APPROVED,
                requested_by=cast.office,
                requested_at=at,
                decided_by=cast.manager,
                decided_at=at + timedelta(minutes=30),
            )
        )
    bulk(Cancellation, rows)
