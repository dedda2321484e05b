"""Billing: gapless numbers, refusals that write nothing, the money flows, the PDFs.

DESIGN.md, "Billing": the invoice is the confirmed quote plus the changes the
customer approved; numbers are sequential per agency without gaps; receipts on
payment; a late cancellation's fee is invoiced; refunds are approved by a
manager and recorded by finance.
"""

import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from agency.audit import Actor
from agency.models import AuditLog, DocumentCounter, Role
from orders.billing.documents import invoice_pdf, receipt_pdf, rmb_in_capitals
from orders.billing.invoicing import (
    invoice_accepted_orders,
    invoice_cancellation_fees,
    invoice_order,
)
from orders.billing.services import (
    BillingConflict,
    credit_note_issue,
    invoice_adjust,
    invoice_issue,
    payment_accept,
    payment_record,
    refund_decide,
    refund_pay_back,
    refund_request,
)
from orders.intake.services.cancellation import cancellation_approve, order_request_cancellation
from orders.models import (
    CancellationStatus,
    ChangeStatus,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentMethod,
    PricingUnit,
    Quote,
    RecurringPlan,
    Refund,
    RefundStatus,
    ScheduleKind,
    ServiceType,
    SignaturePurpose,
    SignedVia,
)
from tests.concurrency import race
from tests.conftest import Tenant
from tests.factories import (
    CancellationFactory,
    ChangeRequestFactory,
    CustomerFactory,
    CustomerSignatureFactory,
    InvoiceFactory,
    NeedsFormFactory,
    OrderFactory,
)
from tests.uploads import png_bytes

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A Tuesday morning in Beijing: numbers read 2026-…, the invoice is due a week later.
MARCH_10 = datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def in_march():
    with time_machine.travel(MARCH_10):
        yield


@pytest.fixture
def finance(world) -> Actor:
    return Actor(user=world.a.user(Role.FINANCE), ip_address="192.0.2.40")


def accepted_order(
    tenant: Tenant,
    *,
    customer=None,
    description: str = "家庭保洁",
    unit_price: str = "50.00",
    quantity: str = "3.00",
    changes: tuple[tuple[str, str], ...] = (),
    plan: RecurringPlan | None = None,
    starts_at: datetime | None = None,
) -> Order:
    """An order that passed acceptance (its "accepted" event written), with a confirmed quote
    and the changes the customer approved."""
    agency = tenant.agency
    if plan is not None:
        needs = plan.needs_form
    else:
        customer = customer or CustomerFactory(agency=agency, preferred_language="zh-hans")
        needs = NeedsFormFactory(agency=agency, customer=customer)
    starts = starts_at or timezone.now() - timedelta(hours=5)
    order = OrderFactory(
        agency=agency,
        branch=tenant.branch,
        needs_form=needs,
        plan=plan,
        occurrence_date=starts.date() if plan else None,
        status=OrderStatus.ACCEPTED,
        starts_at=starts,
    )
    price, count = Decimal(unit_price), Decimal(quantity)
    order.confirmed_quote = Quote.objects.create(
        agency=agency,
        order=order,
        description=description,
        unit=PricingUnit.HOUR,
        unit_price=price,
        quantity=count,
        total=price * count,
        currency=agency.currency,
    )
    order.save(update_fields=["confirmed_quote"])
    for text, amount in changes:
        ChangeRequestFactory(
            agency=agency,
            order=order,
            description=text,
            quantity=Decimal(1),
            unit_price=Decimal(amount),
            amount=Decimal(amount),
            status=ChangeStatus.APPROVED,
            signature=CustomerSignatureFactory(
                agency=agency, order=order, purpose=SignaturePurpose.APPROVE_CHANGE
            ),
            requested_by=tenant.user(Role.STAFF),
        )
    OrderEvent.objects.create(
        agency=agency,
        order=order,
        from_status=OrderStatus.INSPECTION,
        to_status=OrderStatus.ACCEPTED,
    )
    return order


def issued_invoice(tenant: Tenant, **order_options) -> Invoice:
    invoice = invoice_order(order=accepted_order(tenant, **order_options))
    return invoice_issue(invoice=invoice, actor=Actor(user=tenant.user(Role.FINANCE)))


def reload(invoice: Invoice) -> Invoice:
    invoice.refresh_from_db()
    return invoice


# --- numbering --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_twenty_invoices_issued_at_once_get_twenty_consecutive_numbers(world, in_march):
    drafts = [invoice_order(order=accepted_order(world.a)) for _ in range(20)]
    finance = Actor(user=world.a.user(Role.FINANCE))
    outcomes = race(
        *[lambda draft=draft: invoice_issue(invoice=draft, actor=finance) for draft in drafts]
    )
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"2026-{n:06d}" for n in range(1, 21)]
    assert DocumentCounter.objects.get(agency=world.a.agency, kind="invoice").last_value == 20


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_agencies_issuing_at_once_each_count_from_one(world, in_march):
    drafts = [invoice_order(order=accepted_order(tenant)) for tenant in (world.a, world.b) * 5]
    actors = {
        tenant.agency.pk: Actor(user=tenant.user(Role.FINANCE)) for tenant in (world.a, world.b)
    }
    outcomes = race(
        *[
            lambda draft=draft: invoice_issue(invoice=draft, actor=actors[draft.agency_id])
            for draft in drafts
        ]
    )
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    for tenant in (world.a, world.b):
        numbers = Invoice.objects.filter(agency=tenant.agency).values_list("number", flat=True)
        assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, 6)]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_payments_of_the_open_amount_at_once_record_one(world, in_march):
    invoice = issued_invoice(world.a)
    cashiers = [Actor(user=world.a.user(role)) for role in (Role.FINANCE, Role.MANAGER)]
    outcomes = race(
        *[
            lambda actor=actor: payment_record(
                invoice=invoice, actor=actor, amount=Decimal("150.00"), method="cash"
            )
            for actor in cashiers
        ]
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["BillingConflict", "Payment"]
    assert (reload(invoice).paid, Payment.objects.count()) == (Decimal("150.00"), 1)
    assert DocumentCounter.objects.get(kind="receipt").last_value == 1


def test_a_customer_payment_settles_the_invoice_with_a_receipt_as_the_customer(world, in_march):
    invoice = issued_invoice(world.a)
    customer = Actor.customer(invoice.customer_id)
    payment = payment_accept(
        invoice=invoice, actor=customer, amount=invoice.total, method="wechat_pay", reference="42"
    )
    assert (payment.taken_by, payment.receipt_number) == (None, "2026-R000001")
    assert reload(invoice).status == InvoiceStatus.PAID
    entry = AuditLog.objects.get(action="payment.record")
    assert (entry.actor, entry.customer_id) == (None, invoice.customer_id)
    assert OrderEvent.objects.filter(to_status=OrderStatus.PAID, by_customer=True).exists()


def test_office_methods_stay_out_of_customer_payments(world, finance, in_march):
    invoice = issued_invoice(world.a)
    with nothing_written(), pytest.raises(ValidationError):
        payment_accept(
            invoice=invoice, actor=Actor.system(), amount=Decimal(1), method="cash", reference=""
        )
    with nothing_written(), pytest.raises(ValidationError):
        payment_record(invoice=invoice, actor=finance, amount=Decimal(1), method="prepaid")


def test_a_rolled_back_issue_does_not_use_up_a_number(world, finance, in_march):
    first = invoice_order(order=accepted_order(world.a))
    second = invoice_order(order=accepted_order(world.a))
    with pytest.raises(RuntimeError), transaction.atomic():
        invoice_issue(invoice=first, actor=finance)
        raise RuntimeError("the request failed after issuing")
    assert reload(first).status == InvoiceStatus.DRAFT
    assert invoice_issue(invoice=second, actor=finance).number == "2026-000001"
    assert invoice_issue(invoice=first, actor=finance).number == "2026-000002"


def test_receipts_and_credit_notes_have_their_own_sequences(world, finance, in_march):
    invoice = issued_invoice(world.a)
    other = issued_invoice(world.a)
    first = payment_record(invoice=invoice, actor=finance, amount=Decimal(50), method="cash")
    second = payment_record(invoice=other, actor=finance, amount=Decimal(50), method="cash")
    note = credit_note_issue(invoice=invoice, actor=finance, reason="少做", amount=Decimal(50))
    assert (invoice.number, other.number) == ("2026-000001", "2026-000002")
    assert (first.receipt_number, second.receipt_number) == ("2026-R000001", "2026-R000002")
    assert note.number == "2026-C000001"
    assert issued_invoice(world.a).number == "2026-000003"


def test_numbers_follow_the_agencys_year_and_start_again_in_a_new_one(world, finance):
    # 23:30 on New Year's Eve in UTC is already 2027 in Beijing.
    with time_machine.travel(datetime(2026, 12, 31, 15, 0, tzinfo=ZoneInfo("UTC"))):
        assert issued_invoice(world.a).number == "2026-000001"
    with time_machine.travel(datetime(2026, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC"))):
        assert issued_invoice(world.a).number == "2027-000001"


# --- refusals write nothing ----------------------------------------------------------------


def _billing_state() -> dict[str, object]:
    """Every row a billing service could add, and every field it could change."""
    return {
        "invoices": list(
            Invoice.objects.order_by("pk").values_list(
                "pk", "status", "number", "subtotal", "tax", "total", "paid", "credited"
            )
        ),
        "lines": list(InvoiceLine.objects.order_by("pk").values_list("pk", "amount")),
        "payments": Payment.objects.count(),
        "refunds": list(
            Refund.objects.order_by("pk").values_list("pk", "status", "decided_by", "paid_back_at")
        ),
        "counters": list(DocumentCounter.objects.order_by("pk").values_list("kind", "last_value")),
        "orders": list(Order.objects.order_by("pk").values_list("pk", "status")),
        "events": OrderEvent.objects.count(),
        "audit": AuditLog.objects.count(),
    }


@contextmanager
def nothing_written() -> Iterator[None]:
    """A refusal writes nothing; use it outside `pytest.raises`."""
    before = _billing_state()
    yield
    assert _billing_state() == before


@dataclass
class Books:
    """Agency A's books: an issued invoice of 150.00 with 100.00 paid and a refund of 20.00
    awaiting a manager; a draft; actors of both agencies."""

    invoice: Invoice
    draft: Invoice
    refund: Refund
    finance: Actor
    manager: Actor
    dispatcher: Actor
    outsider_finance: Actor
    outsider_manager: Actor
    outsiders_cancellation: object


@pytest.fixture
def books(world, in_march) -> Books:
    finance = Actor(user=world.a.user(Role.FINANCE))
    invoice = issued_invoice(world.a)
    payment_record(invoice=invoice, actor=finance, amount=Decimal(100), method="wechat_pay")
    refund = refund_request(invoice=invoice, actor=finance, amount=Decimal(20), reason="少做半小时")
    return Books(
        invoice=reload(invoice),
        draft=invoice_order(order=accepted_order(world.a)),
        refund=refund,
        finance=finance,
        manager=Actor(user=world.a.user(Role.MANAGER)),
        dispatcher=Actor(user=world.a.user(Role.DISPATCHER)),
        outsider_finance=Actor(user=world.b.user(Role.FINANCE)),
        outsider_manager=Actor(user=world.b.user(Role.MANAGER)),
        outsiders_cancellation=CancellationFactory(agency=world.b.agency),
    )


def _pay(b: Books, amount: str = "10.00", **options) -> object:
    values = {"invoice": b.invoice, "actor": b.finance, "method": PaymentMethod.CASH}
    return payment_record(**{**values, **options, "amount": Decimal(amount)})


REFUSALS: dict[str, tuple[Callable[[Books], object], type[Exception], str]] = {
    "a payment above the open amount": (
        lambda b: _pay(b, "50.01"),
        ValidationError,
        "amount",
    ),
    "a negative payment": (lambda b: _pay(b, "-5.00"), ValidationError, "amount"),
    "a payment of zero": (lambda b: _pay(b, "0"), ValidationError, "amount"),
    "a fraction of a cent": (lambda b: _pay(b, "10.005"), ValidationError, "amount"),
    "a payment in the future": (
        lambda b: _pay(b, received_at=timezone.now() + timedelta(hours=1)),
        ValidationError,
        "received_at",
    ),
    "an unknown payment method": (lambda b: _pay(b, method="bitcoin"), ValidationError, "method"),
    "a payment on a draft": (lambda b: _pay(b, invoice=b.draft), BillingConflict, ""),
    "a refund paid back before a manager approved it": (
        lambda b: refund_pay_back(refund=b.refund, actor=b.finance, method="cash"),
        BillingConflict,
        "",
    ),
    "a refund above what was paid and not refunded": (
        # 100.00 paid, 20.00 already asked for: 80.00 is left.
        lambda b: refund_request(
            invoice=b.invoice, actor=b.finance, amount=Decimal("80.01"), reason="退款"
        ),
        ValidationError,
        "amount",
    ),
    "a refund without a reason": (
        lambda b: refund_request(invoice=b.invoice, actor=b.finance, amount=Decimal(5), reason=""),
        ValidationError,
        "reason",
    ),
    "adjusting an issued invoice": (
        lambda b: invoice_adjust(
            invoice=b.invoice, actor=b.manager, amount=Decimal(-10), reason="优惠"
        ),
        BillingConflict,
        "",
    ),
    "an adjustment without a reason": (
        lambda b: invoice_adjust(invoice=b.draft, actor=b.manager, amount=Decimal(-10), reason=""),
        ValidationError,
        "reason",
    ),
    "issuing twice": (
        lambda b: invoice_issue(invoice=b.invoice, actor=b.finance),
        BillingConflict,
        "",
    ),
    "a credit note above the invoice": (
        lambda b: credit_note_issue(
            invoice=b.invoice, actor=b.finance, reason="错开", amount=Decimal("150.01")
        ),
        ValidationError,
        "amount",
    ),
    "a credit note on a draft": (
        lambda b: credit_note_issue(invoice=b.draft, actor=b.finance, reason="错开"),
        BillingConflict,
        "",
    ),
    "finance adjusting (a manager's decision)": (
        lambda b: invoice_adjust(
            invoice=b.draft, actor=b.finance, amount=Decimal(-10), reason="优惠"
        ),
        PermissionDenied,
        "",
    ),
    "finance approving a refund": (
        lambda b: refund_decide(refund=b.refund, actor=b.finance, approve=True),
        PermissionDenied,
        "",
    ),
    "a dispatcher issuing": (
        lambda b: invoice_issue(invoice=b.draft, actor=b.dispatcher),
        PermissionDenied,
        "",
    ),
    "a dispatcher recording a payment": (
        lambda b: _pay(b, actor=b.dispatcher),
        PermissionDenied,
        "",
    ),
    "a dispatcher issuing a credit note": (
        lambda b: credit_note_issue(invoice=b.invoice, actor=b.dispatcher, reason="错开"),
        PermissionDenied,
        "",
    ),
    "a dispatcher asking for a refund": (
        lambda b: refund_request(
            invoice=b.invoice, actor=b.dispatcher, amount=Decimal(5), reason="退款"
        ),
        PermissionDenied,
        "",
    ),
    "another agency's finance issuing": (
        lambda b: invoice_issue(invoice=b.draft, actor=b.outsider_finance),
        PermissionDenied,
        "",
    ),
    "another agency's finance recording a payment": (
        lambda b: _pay(b, actor=b.outsider_finance),
        PermissionDenied,
        "",
    ),
    "another agency's manager approving a refund": (
        lambda b: refund_decide(refund=b.refund, actor=b.outsider_manager, approve=True),
        PermissionDenied,
        "",
    ),
    "a refund naming another agency's cancellation": (
        lambda b: refund_request(
            invoice=b.invoice,
            actor=b.finance,
            amount=Decimal(5),
            reason="退款",
            cancellation=b.outsiders_cancellation,
        ),
        ValidationError,
        "cancellation",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refusal_is_clear_and_writes_nothing(books, case):
    call, error, field = REFUSALS[case]
    with nothing_written(), pytest.raises(error) as refused:
        call(books)
    if field:
        assert field in refused.value.message_dict  # type: ignore[attr-defined]
    assert str(refused.value)


# --- the money flows -----------------------------------------------------------------------


def test_the_invoice_is_the_confirmed_quote_plus_the_approved_changes(world, finance):
    order = accepted_order(world.a, changes=(("加做阳台 1 小时", "50.00"),))
    # Proposed but not approved by the customer: never on the invoice.
    ChangeRequestFactory(agency=world.a.agency, order=order, amount=Decimal("80.00"))
    invoice = invoice_order(order=order)
    assert [(line.kind, line.amount) for line in invoice.lines.all()] == [
        (LineKind.SERVICE, Decimal("150.00")),
        (LineKind.CHANGE, Decimal("50.00")),
    ]
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("200.00"),
        Decimal("0.00"),
        Decimal("200.00"),
    )
    invoice_issue(invoice=invoice, actor=finance)
    order.refresh_from_db()
    assert order.status == OrderStatus.INVOICED


def test_tax_is_rounded_half_up_once_on_the_subtotal(world):
    world.a.agency.tax_rate_percent = Decimal("5.00")
    world.a.agency.save()
    # 10.25 + 10.25 at 5%: 1.025 rounds half up to 1.03 once; per line it would be 0.51 + 0.51.
    order = accepted_order(world.a, unit_price="10.25", quantity="1", changes=(("加时", "10.25"),))
    invoice = invoice_order(order=order)
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("20.50"),
        Decimal("1.03"),
        Decimal("21.53"),
    )
    assert invoice.tax_rate_percent == Decimal("5.00")


def test_half_by_wechat_pay_and_half_in_cash_gives_two_receipts_and_pays_the_order(
    world, finance, in_march
):
    invoice = issued_invoice(world.a, changes=(("加做阳台 1 小时", "50.00"),))
    order = invoice.lines.get(kind=LineKind.SERVICE).order
    wechat = payment_record(
        invoice=invoice,
        actor=finance,
        amount=Decimal("100.00"),
        method=PaymentMethod.WECHAT_PAY,
        reference="4200001234202603100001",
    )
    order.refresh_from_db()
    assert (reload(invoice).status, invoice.open_amount, order.status) == (
        InvoiceStatus.ISSUED,
        Decimal("100.00"),
        OrderStatus.INVOICED,
    )
    cash = payment_record(
        invoice=invoice, actor=finance, amount=Decimal("100.00"), method=PaymentMethod.CASH
    )
    order.refresh_from_db()
    assert (reload(invoice).status, invoice.paid, invoice.open_amount, order.status) == (
        InvoiceStatus.PAID,
        Decimal("200.00"),
        Decimal("0.00"),
        OrderStatus.PAID,
    )
    assert [wechat.receipt_number, cash.receipt_number] == ["2026-R000001", "2026-R000002"]
    assert wechat.taken_by == finance.user
    with pytest.raises(BillingConflict):
        payment_record(invoice=invoice, actor=finance, amount=Decimal(1), method="cash")


def test_a_partial_credit_note_reduces_what_is_open(world, finance, in_march):
    invoice = issued_invoice(world.a, changes=(("加做阳台 1 小时", "50.00"),))
    note = credit_note_issue(
        invoice=invoice, actor=finance, reason="阳台只做了半小时", amount=Decimal("25.00")
    )
    assert (note.kind, note.number, note.total, note.credits) == (
        InvoiceKind.CREDIT_NOTE,
        "2026-C000001",
        Decimal("-25.00"),
        invoice,
    )
    assert (reload(invoice).credited, invoice.open_amount) == (Decimal("25.00"), Decimal("175.00"))
    payment_record(invoice=invoice, actor=finance, amount=Decimal("175.00"), method="cash")
    assert reload(invoice).status == InvoiceStatus.PAID


def test_a_credit_note_that_settles_the_rest_pays_the_order(world, finance, in_march):
    invoice = issued_invoice(world.a)
    order = invoice.lines.get().order
    payment_record(invoice=invoice, actor=finance, amount=Decimal("100.00"), method="cash")
    credit_note_issue(invoice=invoice, actor=finance, reason="服务时间缩短", amount=Decimal(50))
    order.refresh_from_db()
    assert (reload(invoice).status, invoice.open_amount, order.status) == (
        InvoiceStatus.PAID,
        Decimal("0.00"),
        OrderStatus.PAID,
    )


def test_an_invoice_adjusted_to_nothing_is_settled_when_issued(world, finance, manager):
    order = accepted_order(world.a)
    invoice = invoice_order(order=order)
    invoice_adjust(invoice=invoice, actor=manager, amount=Decimal("-150.00"), reason="投诉补偿")
    # Nothing could ever be paid or credited on it: it must not stay open for ever.
    invoice = invoice_issue(invoice=invoice, actor=finance)
    order.refresh_from_db()
    assert (invoice.total, reload(invoice).status, order.status) == (
        Decimal("0.00"),
        InvoiceStatus.PAID,
        OrderStatus.PAID,
    )


def test_a_full_credit_note_leaves_nothing_open(world, finance, in_march):
    invoice = issued_invoice(world.a)
    note = credit_note_issue(invoice=invoice, actor=finance, reason="重复开票")
    assert note.total == Decimal("-150.00")
    assert (reload(invoice).credited, invoice.open_amount) == (Decimal("150.00"), Decimal("0"))
    with pytest.raises(ValidationError):
        credit_note_issue(invoice=invoice, actor=finance, reason="再冲一次")


def test_a_refund_is_approved_by_a_manager_then_paid_back_by_finance(world, finance, in_march):
    manager = Actor(user=world.a.user(Role.MANAGER))
    invoice = issued_invoice(world.a)
    payment_record(invoice=invoice, actor=finance, amount=Decimal("150.00"), method="wechat_pay")
    credit_note_issue(invoice=invoice, actor=finance, reason="少做一小时", amount=Decimal(50))
    refund = refund_request(invoice=invoice, actor=finance, amount=Decimal(50), reason="少做一小时")
    assert reload(invoice).paid == Decimal("150.00")  # nothing leaves before it is paid back

    refund = refund_decide(refund=refund, actor=manager, approve=True)
    assert (refund.status, refund.decided_by) == (RefundStatus.APPROVED, manager.user)
    refund = refund_pay_back(
        refund=refund, actor=finance, method=PaymentMethod.WECHAT_PAY, reference="退款单 88"
    )
    assert (refund.status, refund.paid_back_by) == (RefundStatus.PAID_BACK, finance.user)
    assert (reload(invoice).paid, invoice.open_amount) == (Decimal("100.00"), Decimal("0.00"))
    with pytest.raises(BillingConflict):
        refund_pay_back(refund=refund, actor=finance, method="cash")


def test_a_rejected_refund_is_never_paid_back(world, finance, in_march):
    invoice = issued_invoice(world.a)
    payment_record(invoice=invoice, actor=finance, amount=Decimal("150.00"), method="cash")
    refund = refund_request(invoice=invoice, actor=finance, amount=Decimal(10), reason="退款")
    refund_decide(refund=refund, actor=Actor(user=world.a.user(Role.MANAGER)), approve=False)
    with pytest.raises(BillingConflict):
        refund_pay_back(refund=refund, actor=finance, method="cash")
    assert reload(invoice).paid == Decimal("150.00")
    # The rejected one no longer holds money back from another request.
    refund_request(invoice=invoice, actor=finance, amount=Decimal("150.00"), reason="全额退款")


def test_a_late_cancellations_fee_becomes_a_draft_invoice_once(book, dispatcher, manager, finance):
    order = book(start_date=timezone.localdate() + timedelta(days=10))
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        cancellation = order_request_cancellation(
            order=order,
            actor=dispatcher,
            reason="行程有变",
            signed_name="王芳",
            via=SignedVia.OFFICE,
            verification_reason="电话中确认",
        )
        assert invoice_cancellation_fees() == 0  # waits for the manager
        cancellation_approve(cancellation=cancellation, actor=manager)
    assert invoice_cancellation_fees() == 1
    assert invoice_cancellation_fees() == 0
    invoice = Invoice.objects.get()
    line = invoice.lines.get()
    assert (invoice.status, invoice.customer, invoice.total) == (
        InvoiceStatus.DRAFT,
        order.customer,
        Decimal("15.00"),
    )
    assert (line.kind, line.cancellation, line.amount) == (
        LineKind.CANCELLATION_FEE,
        cancellation,
        Decimal("15.00"),
    )
    invoice_issue(invoice=invoice, actor=finance)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_a_free_cancellation_is_not_invoiced(world):
    CancellationFactory(
        agency=world.a.agency,
        fee=Decimal("0.00"),
        fee_percent=Decimal("0.00"),
        status=CancellationStatus.APPROVED,
    )
    assert invoice_cancellation_fees() == 0


@pytest.fixture
def weekly_plan(world) -> RecurringPlan:
    world.a.agency.monthly_invoicing = True
    world.a.agency.save()
    customer = CustomerFactory(agency=world.a.agency, name="王芳", preferred_language="zh-hans")
    needs = NeedsFormFactory(
        agency=world.a.agency, customer=customer, schedule_kind=ScheduleKind.RECURRING
    )
    return RecurringPlan.objects.create(
        agency=world.a.agency, needs_form=needs, branch=world.a.branch
    )


def visit(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=SHANGHAI)


def test_monthly_invoicing_collects_a_plans_visits_into_one_draft(
    world, weekly_plan, finance, in_march
):
    first = accepted_order(world.a, plan=weekly_plan, starts_at=visit(3))
    second = accepted_order(world.a, plan=weekly_plan, starts_at=visit(9))
    february = accepted_order(world.a, plan=weekly_plan, starts_at=visit(24, month=2))
    assert invoice_accepted_orders() == 3
    march = Invoice.objects.get(period_month=visit(1).date())
    assert sorted(march.lines.values_list("order", flat=True)) == [first.pk, second.pk]
    assert march.total == Decimal("300.00")
    assert Invoice.objects.get(period_month=visit(1, month=2).date()).lines.get().order == february

    invoice_issue(invoice=march, actor=finance)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (OrderStatus.INVOICED, OrderStatus.INVOICED)


def test_a_visit_accepted_after_its_months_invoice_went_out_is_invoiced_on_its_own(
    world, weekly_plan, finance, in_march
):
    accepted_order(world.a, plan=weekly_plan, starts_at=visit(3))
    invoice_accepted_orders()
    invoice_issue(invoice=Invoice.objects.get(), actor=finance)
    late = accepted_order(world.a, plan=weekly_plan, starts_at=visit(9))
    later = accepted_order(world.a)  # another customer's: the sweep does not stop before it
    assert invoice_accepted_orders() == 2
    own = InvoiceLine.objects.get(order=late, kind=LineKind.SERVICE).invoice
    assert (own.status, own.period_month) == (InvoiceStatus.DRAFT, None)
    assert InvoiceLine.objects.filter(order=later).exists()


def test_each_visit_is_invoiced_on_its_own_without_monthly_invoicing(world, weekly_plan):
    world.a.agency.monthly_invoicing = False
    world.a.agency.save()
    accepted_order(world.a, plan=weekly_plan, starts_at=visit(3))
    accepted_order(world.a, plan=weekly_plan, starts_at=visit(9))
    assert invoice_accepted_orders() == 2
    assert Invoice.objects.count() == 2


def test_the_sweep_twice_drafts_one_invoice(world):
    accepted_order(world.a, changes=(("加做阳台 1 小时", "50.00"),))
    assert invoice_accepted_orders() == 1
    assert invoice_accepted_orders() == 0
    assert Invoice.objects.get().total == Decimal("200.00")


# --- documents -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),
        ("10.07", "壹拾元零柒分"),
        ("101", "壹佰零壹元整"),
        ("110", "壹佰壹拾元整"),
        ("150.00", "壹佰伍拾元整"),
        ("1005.50", "壹仟零伍元伍角整"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("10000", "壹万元整"),
        ("10010", "壹万零壹拾元整"),
        ("100010.30", "壹拾万零壹拾元叁角整"),
        ("1001000", "壹佰万壹仟元整"),
        ("105000000", "壹亿零伍佰万元整"),
        ("100000001", "壹亿零壹元整"),
        ("120000000.07", "壹亿贰仟万元零柒分"),
        ("-3", "负叁元整"),
    ],
)
def test_amounts_in_chinese_capitals(amount, words):
    assert rmb_in_capitals(Decimal(amount)) == words


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def pdf_report(command: list[str], content: bytes, tmp_path) -> list[str]:
    """What a poppler tool (pdfimages -list, pdffonts) says about the document, minus its header."""
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    report = subprocess.run([*command, str(path)], capture_output=True, check=True)
    return report.stdout.decode().splitlines()[2:]


@pytest.fixture
def letterhead(world):
    """Agency A as it prints: its legal name, details, logo and a tax rate of 6%."""
    agency = world.a.agency
    agency.legal_name = "北京阿尔法家政服务有限公司"
    agency.address = "北京市朝阳区建国路 88 号"
    agency.phone = "010-8888 6666"
    agency.tax_number = "91110105MA01ABCD2X"
    agency.bank_account = "招商银行北京分行 1109 0000 8888"
    agency.tax_rate_percent = Decimal("6.00")
    agency.logo.save("alpha.png", ContentFile(png_bytes((120, 40))), save=False)
    agency.save()
    manager = world.a.user(Role.MANAGER)
    manager.first_name = "李经理"
    manager.save()
    finance = world.a.user(Role.FINANCE)
    finance.first_name = "赵会计"
    finance.save()
    return agency


def chinese_invoice(world) -> Invoice:
    """Quote 150 + change 50 - a manager's 20 off = 180.00, tax 6% 10.80, total 190.80."""
    customer = CustomerFactory(agency=world.a.agency, name="王芳", preferred_language="zh-hans")
    order = accepted_order(world.a, customer=customer, changes=(("加做阳台 1 小时", "50.00"),))
    invoice = invoice_order(order=order)
    invoice_adjust(
        invoice=invoice,
        actor=Actor(user=world.a.user(Role.MANAGER)),
        amount=Decimal("-20.00"),
        reason="老客户优惠",
    )
    return invoice_issue(invoice=invoice, actor=Actor(user=world.a.user(Role.FINANCE)))


@pytest.mark.slow
def test_the_invoice_pdf_reads_in_chinese_with_its_lines_and_totals(
    world, letterhead, in_march, tmp_path
):
    invoice = chinese_invoice(world)
    payment_record(
        invoice=invoice,
        actor=Actor(user=world.a.user(Role.FINANCE)),
        amount=Decimal("100.00"),
        method=PaymentMethod.WECHAT_PAY,
    )
    content = invoice_pdf(invoice)
    text = pdf_text(content)
    for expected in [
        "发票",
        "北京阿尔法家政服务有限公司",
        "北京市朝阳区建国路 88 号",
        "010-8888 6666",
        "91110105MA01ABCD2X",
        "招商银行北京分行 1109 0000 8888",
        "王芳",
        "2026-000001",
        "2026年3月10日",  # issued
        "2026年3月17日",  # due after the agency's 7 days
        "家庭保洁",
        "加做阳台 1 小时",
        "客户已同意的变更",
        "人工调整",
        "老客户优惠",
        "李经理",
        "180.00 CNY",
        "税额（6%）",
        "10.80 CNY",
        "190.80 CNY",
        "100.00 CNY",
        "90.80 CNY",
        "页码 1 / 1",
    ]:
        assert expected in text, expected
    assert "Invoice" not in text and "Manual adjustment" not in text
    # The logo is embedded, and every glyph, the footer's too, is the Chinese Noto font.
    assert len(pdf_report(["pdfimages", "-list"], content, tmp_path)) == 1
    fonts = pdf_report(["pdffonts"], content, tmp_path)
    assert fonts and all("Noto-Sans-CJK-SC" in font for font in fonts), fonts


@pytest.mark.slow
def test_the_receipt_pdf_reads_in_chinese_with_the_amount_in_capitals(world, letterhead, in_march):
    invoice = chinese_invoice(world)
    payment = payment_record(
        invoice=invoice,
        actor=Actor(user=world.a.user(Role.FINANCE)),
        amount=Decimal("100.00"),
        method=PaymentMethod.WECHAT_PAY,
        reference="4200001234202603100001",
    )
    text = pdf_text(receipt_pdf(payment))
    for expected in [
        "收据",
        "北京阿尔法家政服务有限公司",
        "王芳",
        "2026-R000001",
        "2026年3月10日",
        "100.00 CNY",
        "人民币 壹佰元整",
        "微信支付",
        "4200001234202603100001",
        "2026-000001",
        "190.80 CNY",
        "赵会计",
    ]:
        assert expected in text, expected


@pytest.mark.slow
def test_a_credit_note_pdf_names_the_invoice_it_corrects(world, letterhead, in_march):
    invoice = chinese_invoice(world)
    note = credit_note_issue(
        invoice=invoice,
        actor=Actor(user=world.a.user(Role.FINANCE)),
        reason="阳台未完成",
        amount=Decimal("53.00"),
    )
    text = pdf_text(invoice_pdf(note))
    expected = ["红字发票", "2026-C000001", "冲销发票 2026-000001", "阳台未完成", "-53.00 CNY"]
    assert [part for part in expected if part not in text] == []


@pytest.mark.slow
def test_an_english_customer_gets_english_documents(world, in_march):
    agency = world.a.agency
    agency.legal_name = 'Alpha & Sons "Home Care"'
    agency.save()
    customer = CustomerFactory(agency=agency, name="Jane Doe", preferred_language="en")
    order = accepted_order(world.a, customer=customer, description="Home cleaning")
    invoice = invoice_issue(
        invoice=invoice_order(order=order), actor=Actor(user=world.a.user(Role.FINANCE))
    )
    payment = payment_record(
        invoice=invoice,
        actor=Actor(user=world.a.user(Role.FINANCE)),
        amount=Decimal("150.00"),
        method=PaymentMethod.CASH,
    )
    text = pdf_text(invoice_pdf(invoice))
    for expected in ["Invoice", "Jane Doe", "Home cleaning", "150.00 CNY", "Open amount"]:
        assert expected in text, expected
    # The name as typed in the footer: quotes and & escaped for CSS, not for HTML.
    assert 'Alpha & Sons "Home Care" · Invoice 2026-000001' in text
    receipt = pdf_text(receipt_pdf(payment))
    for expected in ["Receipt", "2026-R000001", "Cash", "150.00 CNY", "March 10, 2026"]:
        assert expected in receipt, expected
    assert not any(word in text + receipt for word in ["发票", "收据", "元整"])


@pytest.mark.slow
def test_a_document_reads_the_invoice_in_two_queries(world, in_march, django_assert_num_queries):
    invoice = chinese_invoice(world)
    with django_assert_num_queries(2):  # the invoice with agency, customer, credits; its lines
        invoice_pdf(invoice)
    payment = payment_record(
        invoice=invoice,
        actor=Actor(user=world.a.user(Role.FINANCE)),
        amount=Decimal("10.00"),
        method=PaymentMethod.CASH,
    )
    with django_assert_num_queries(1):  # the payment with its invoice, agency, customer, taker
        receipt_pdf(payment)


def test_a_refund_on_a_settled_invoice_is_credited_so_nothing_is_owed_again(world):
    invoice = InvoiceFactory(
        agency=world.a.agency,
        status=InvoiceStatus.PAID,
        number="2026-000099",
        issued_at=timezone.now(),
        total=Decimal("150.00"),
        subtotal=Decimal("150.00"),
        paid=Decimal("150.00"),
    )
    finance = Actor(user=world.a.user(Role.FINANCE))
    refund = refund_request(
        invoice=invoice, actor=finance, amount=Decimal("100.00"), reason="少做一小时"
    )
    refund_decide(refund=refund, actor=Actor(user=world.a.user(Role.MANAGER)), approve=True)
    refund_pay_back(refund=refund, actor=finance, method=PaymentMethod.WECHAT_PAY)
    invoice.refresh_from_db()
    assert (invoice.paid, invoice.credited, invoice.open_amount) == (
        Decimal("50.00"),
        Decimal("100.00"),
        Decimal("0.00"),
    )
    assert invoice.status == InvoiceStatus.PAID
    note = invoice.credit_notes.get()
    assert (note.kind, note.total) == (InvoiceKind.CREDIT_NOTE, Decimal("-100.00"))


def test_an_accepted_order_of_a_placement_service_is_billed_by_its_placement_not_here(world):
    order = accepted_order(world.a)
    ServiceType.objects.filter(pk=order.service_type_id).update(is_placement=True)
    assert invoice_accepted_orders() == 0
    assert not InvoiceLine.objects.filter(order=order).exists()
