"""The billing API: issue, a manager's adjustment, payments with receipts, credit notes,
refunds approved by a manager and paid back by finance, filters, PDFs; who may, and
that bad input writes nothing."""

from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agency.audit import Actor
from agency.documents import MAX_ATTEMPTS
from agency.models import AuditLog, Document, Role
from orders.billing.services import invoice_issue, payment_record, refund_request
from orders.models import (
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    OrderStatus,
    Payment,
    PaymentMethod,
    Refund,
    RefundStatus,
)
from tests.conftest import login
from tests.factories import (
    BranchFactory,
    CancellationFactory,
    CustomerFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    PaymentFactory,
    RefundFactory,
)
from tests.orders.test_billing import pdf_text

JSON = "application/json"
SHANGHAI = ZoneInfo("Asia/Shanghai")
FUTURE = "2999-01-01T10:00:00+08:00"
YEAR_ONE = "0001-01-01T10:00:00+08:00"


def client_as(world, role: Role, tenant: str = "a") -> Client:
    return login(Client(HTTP_ACCEPT_LANGUAGE="en"), getattr(world, tenant).user(role))


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type=JSON)


def url(name: str, obj) -> str:
    return reverse(name, kwargs={"pk": obj.pk})


def draft(world, amount: str = "150.00") -> Invoice:
    """A draft of one accepted order's service line, in agency A's first branch."""
    invoice = InvoiceFactory(
        agency=world.a.agency,
        branch=world.a.branch,
        subtotal=Decimal(amount),
        total=Decimal(amount),
    )
    InvoiceLineFactory(
        agency=world.a.agency,
        invoice=invoice,
        order__branch=world.a.branch,
        unit_price=Decimal(amount),
        quantity=Decimal(1),
        amount=Decimal(amount),
    )
    return invoice


@pytest.fixture
def finance(world) -> Actor:
    return Actor(user=world.a.user(Role.FINANCE))


@pytest.fixture
def issued(world, finance) -> Invoice:
    """An issued invoice of 150.00, nothing paid."""
    return invoice_issue(invoice=draft(world), actor=finance)


@pytest.fixture
def settled(world, issued, finance) -> Invoice:
    payment_record(invoice=issued, actor=finance, amount=Decimal("150.00"), method="cash")
    issued.refresh_from_db()
    return issued


# --- issue and adjust -------------------------------------------------------------


def test_finance_issues_a_draft_with_the_next_number_and_its_order_is_invoiced(world):
    invoice = draft(world)
    order = invoice.lines.get().order
    response = post(client_as(world, Role.FINANCE), url("invoice-issue", invoice))

    assert response.status_code == 200, response.json()
    body = response.json()
    year = world.a.agency.today().year
    assert (body["status"], body["number"]) == ("issued", f"{year}-000001")
    assert body["issued_by"] == "alpha-finance"
    assert (
        body["due_on"]
        == (world.a.agency.today() + timedelta(days=world.a.agency.payment_terms_days)).isoformat()
    )
    assert (body["total"], body["open_amount"], body["overdue"]) == ("150.00", "150.00", False)
    [line] = body["lines"]
    assert (line["kind"], line["order"]["number"]) == ("service", order.number)
    order.refresh_from_db()
    assert order.status == OrderStatus.INVOICED


def test_issuing_twice_is_a_conflict(world, issued):
    response = post(client_as(world, Role.FINANCE), url("invoice-issue", issued))
    assert response.status_code == 409
    assert "issued already" in response.json()["detail"]


def test_a_manager_adjusts_a_draft_and_the_line_says_why_and_who(world):
    invoice = draft(world)
    response = post(
        client_as(world, Role.MANAGER),
        url("invoice-adjust", invoice),
        {"amount": "-20.00", "reason": "老客户优惠"},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["subtotal"], body["total"], body["status"]) == ("130.00", "130.00", "draft")
    adjustment = body["lines"][-1]
    assert adjustment["kind"] == "adjustment"
    assert (adjustment["amount"], adjustment["reason"]) == ("-20.00", "老客户优惠")
    assert adjustment["approved_by"] == "alpha-manager"


@pytest.mark.parametrize("amount", ["999999999.99", "-999999999.99"])
def test_an_adjustment_larger_than_a_line_can_hold_is_a_400_on_the_amount(world, amount):
    invoice = draft(world)
    response = post(
        client_as(world, Role.MANAGER),
        url("invoice-adjust", invoice),
        {"amount": amount, "reason": "手误"},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["amount"]
    assert invoice.lines.count() == 1


def test_finance_may_not_adjust_an_invoice(world):
    invoice = draft(world)
    response = post(
        client_as(world, Role.FINANCE),
        url("invoice-adjust", invoice),
        {"amount": "-20.00", "reason": "老客户优惠"},
    )
    assert response.status_code == 403
    assert not InvoiceLine.objects.filter(kind=LineKind.ADJUSTMENT).exists()


def test_an_issued_invoice_is_never_adjusted(world, issued):
    response = post(
        client_as(world, Role.MANAGER),
        url("invoice-adjust", issued),
        {"amount": "10.00", "reason": "加收"},
    )
    assert response.status_code == 409
    assert "credit note" in response.json()["detail"]
    issued.refresh_from_db()
    assert issued.total == Decimal("150.00")
    assert not InvoiceLine.objects.filter(kind=LineKind.ADJUSTMENT).exists()


def test_an_adjustment_needs_a_reason(world):
    invoice = draft(world)
    response = post(
        client_as(world, Role.MANAGER), url("invoice-adjust", invoice), {"amount": "10.00"}
    )
    assert response.status_code == 400
    assert "reason" in response.json()


# --- payments and receipts --------------------------------------------------------


def test_paid_in_two_halves_by_wechat_pay_and_cash_two_receipts_and_the_order_is_paid(
    world, issued
):
    client = client_as(world, Role.FINANCE)
    order = issued.lines.get().order
    wechat = post(
        client,
        url("invoice-payments", issued),
        {"amount": "75.00", "method": "wechat_pay", "reference": "4200001234"},
    )
    cash = post(client, url("invoice-payments", issued), {"amount": "75.00", "method": "cash"})

    assert (wechat.status_code, cash.status_code) == (201, 201), (wechat.json(), cash.json())
    year = world.a.agency.today().year
    receipts = [wechat.json()["receipt_number"], cash.json()["receipt_number"]]
    assert receipts == [f"{year}-R000001", f"{year}-R000002"]
    assert wechat.json()["method"] == "wechat_pay"
    assert wechat.json()["reference"] == "4200001234"
    assert wechat.json()["taken_by"] == "alpha-finance"
    assert wechat.json()["invoice"] == {"id": issued.pk, "number": issued.number}

    detail = client.get(url("invoice-detail", issued)).json()
    assert (detail["status"], detail["paid"], detail["open_amount"]) == ("paid", "150.00", "0.00")
    assert [p["receipt_number"] for p in detail["payments"]] == receipts
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_payment_dated_earlier_keeps_its_time(world, issued):
    received = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    response = post(
        client_as(world, Role.MANAGER),
        url("invoice-payments", issued),
        {"amount": "10.00", "method": "bank_transfer", "received_at": received.isoformat()},
    )
    assert response.status_code == 201, response.json()
    assert Payment.objects.get().received_at == received


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": "150.01", "method": "cash"}, "amount"),  # above the open amount
        ({"amount": "-10.00", "method": "cash"}, "amount"),
        ({"amount": "0", "method": "cash"}, "amount"),
        ({"amount": "10.005", "method": "cash"}, "amount"),  # a fraction of a cent
        ({"amount": "ten", "method": "cash"}, "amount"),
        ({"amount": "10.00", "method": "paypal"}, "method"),
        ({"amount": "10.00"}, "method"),
        ({"amount": "10.00", "method": "cash", "received_at": FUTURE}, "received_at"),
        ({"amount": "10.00", "method": "cash", "received_at": YEAR_ONE}, "received_at"),
        # Naive, so made aware at +08:00: no UTC time exists for it.
        ({"amount": "10.00", "method": "cash", "received_at": "0001-01-01T00:00"}, "received_at"),
    ],
    ids=[
        "too-much",
        "negative",
        "zero",
        "fraction",
        "not-a-number",
        "paypal",
        "no-method",
        "future",
        "year-one",
        "year-one-naive",
    ],
)
def test_a_bad_payment_is_refused_on_its_field_and_writes_nothing(world, issued, payload, field):
    client = client_as(world, Role.FINANCE)
    response = post(client, url("invoice-payments", issued), payload)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Payment.objects.exists()
    issued.refresh_from_db()
    assert (issued.paid, issued.status) == (Decimal("0.00"), InvoiceStatus.ISSUED)
    assert not AuditLog.objects.filter(action="payment.record").exists()
    # No receipt number was used up: the next payment gets the first one.
    good = post(client, url("invoice-payments", issued), {"amount": "10.00", "method": "cash"})
    assert good.json()["receipt_number"].endswith("R000001")


def test_the_limit_names_the_open_amount(world, issued):
    response = post(
        client_as(world, Role.FINANCE),
        url("invoice-payments", issued),
        {"amount": "200.00", "method": "cash"},
    )
    assert response.json() == {"amount": ["At most 150.00 CNY is still open."]}


def test_a_draft_or_a_paid_invoice_takes_no_payment(world, settled):
    client = client_as(world, Role.FINANCE)
    payment = {"amount": "10.00", "method": "cash"}
    assert post(client, url("invoice-payments", draft(world)), payment).status_code == 409
    assert post(client, url("invoice-payments", settled), payment).status_code == 409
    assert Payment.objects.count() == 1


# --- credit notes -----------------------------------------------------------------


def test_a_credit_note_corrects_part_of_an_issued_invoice(world, issued):
    response = post(
        client_as(world, Role.FINANCE),
        url("invoice-credit-note", issued),
        {"reason": "少做一小时", "amount": "50.00"},
    )

    assert response.status_code == 201, response.json()
    note = response.json()
    year = world.a.agency.today().year
    assert (note["kind"], note["number"], note["status"]) == (
        "credit_note",
        f"{year}-C000001",
        "issued",
    )
    assert note["total"] == "-50.00"
    assert note["credits"] == {"id": issued.pk, "number": issued.number}
    assert note["note"] == "少做一小时"
    detail = client_as(world, Role.FINANCE).get(url("invoice-detail", issued)).json()
    assert (detail["credited"], detail["open_amount"]) == ("50.00", "100.00")
    assert [c["number"] for c in detail["credit_notes"]] == [note["number"]]


def test_a_draft_is_not_credited(world):
    response = post(
        client_as(world, Role.FINANCE), url("invoice-credit-note", draft(world)), {"reason": "x"}
    )
    assert response.status_code == 409
    assert Invoice.objects.count() == 1


# --- refunds ------------------------------------------------------------------------


def test_a_refund_is_requested_approved_by_a_manager_and_paid_back_by_finance(world, settled):
    finance = client_as(world, Role.FINANCE)
    cancellation = CancellationFactory(agency=world.a.agency)
    requested = post(
        finance,
        url("invoice-refunds", settled),
        {"amount": "50.00", "reason": "服务时间缩短", "cancellation": cancellation.pk},
    )
    assert requested.status_code == 201, requested.json()
    assert requested.json()["status"] == "requested"
    assert requested.json()["requested_by"] == "alpha-finance"
    assert requested.json()["cancellation"] == cancellation.pk
    refund = Refund.objects.get()

    refused = post(finance, url("refund-approve", refund))
    assert refused.status_code == 403
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED

    approved = post(client_as(world, Role.MANAGER), url("refund-approve", refund))
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["decided_by"]) == (
        "approved",
        "alpha-manager",
    )

    paid_back = post(
        client_as(world, Role.FINANCE),
        url("refund-pay-back", refund),
        {"method": "wechat_pay", "reference": "退款 123"},
    )
    assert paid_back.status_code == 200, paid_back.json()
    body = paid_back.json()
    assert (body["status"], body["method"], body["paid_back_by"]) == (
        "paid_back",
        "wechat_pay",
        "alpha-finance",
    )
    settled.refresh_from_db()
    assert settled.paid == Decimal("100.00")
    detail = client_as(world, Role.FINANCE).get(url("invoice-detail", settled)).json()
    assert [r["status"] for r in detail["refunds"]] == ["paid_back"]


def test_a_manager_rejects_a_refund_and_it_cannot_be_paid_back(world, settled):
    refund = refund_request(
        invoice=settled,
        actor=Actor(user=world.a.user(Role.FINANCE)),
        amount=Decimal("50.00"),
        reason="客户要求",
    )
    manager = client_as(world, Role.MANAGER)
    rejected = post(manager, url("refund-reject", refund))
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert post(manager, url("refund-approve", refund)).status_code == 409
    assert post(manager, url("refund-pay-back", refund), {"method": "cash"}).status_code == 409


def test_a_refund_is_not_paid_back_without_a_managers_approval(world, settled):
    refund = refund_request(
        invoice=settled,
        actor=Actor(user=world.a.user(Role.FINANCE)),
        amount=Decimal("50.00"),
        reason="客户要求",
    )
    response = post(
        client_as(world, Role.FINANCE), url("refund-pay-back", refund), {"method": "cash"}
    )

    assert response.status_code == 409
    assert "approved" in response.json()["detail"]
    refund.refresh_from_db()
    assert (refund.status, refund.method, refund.paid_back_at) == (
        RefundStatus.REQUESTED,
        "",
        None,
    )
    settled.refresh_from_db()
    assert settled.paid == Decimal("150.00")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": "150.01", "reason": "多退"}, "amount"),  # more than was paid
        ({"amount": "-5.00", "reason": "负数"}, "amount"),
        ({"amount": "0.00", "reason": "零"}, "amount"),
        ({"amount": "5.001", "reason": "分以下"}, "amount"),
        ({"amount": "5.00", "reason": ""}, "reason"),
        ({"amount": "5.00", "reason": "不存在", "cancellation": 999999}, "cancellation"),
    ],
    ids=["too-much", "negative", "zero", "fraction", "no-reason", "missing-cancellation"],
)
def test_a_bad_refund_request_is_refused_and_writes_nothing(world, settled, payload, field):
    response = post(client_as(world, Role.FINANCE), url("invoice-refunds", settled), payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not Refund.objects.exists()


def test_another_agencys_cancellation_is_refused_like_a_missing_one(world, settled):
    theirs = CancellationFactory(agency=world.b.agency)
    response = post(
        client_as(world, Role.FINANCE),
        url("invoice-refunds", settled),
        {"amount": "5.00", "reason": "错单", "cancellation": theirs.pk},
    )
    assert response.status_code == 400
    assert response.json()["cancellation"] == [f'Invalid pk "{theirs.pk}" - object does not exist.']
    assert not Refund.objects.exists()


def test_a_refund_pending_approval_holds_its_amount(world, settled):
    """Two requests cannot together pay back more than was paid."""
    client = client_as(world, Role.FINANCE)
    first = post(client, url("invoice-refunds", settled), {"amount": "100.00", "reason": "a"})
    second = post(client, url("invoice-refunds", settled), {"amount": "100.00", "reason": "b"})
    assert (first.status_code, second.status_code) == (201, 400)
    assert Refund.objects.count() == 1


# --- lists and filters ------------------------------------------------------------


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return sorted(row["number"] or f"draft {row['id']}" for row in response.json()["results"])


def issued_invoice(world, number: str, *, issued_at: datetime, **fields) -> Invoice:
    return InvoiceFactory(
        agency=world.a.agency,
        branch=fields.pop("branch", world.a.branch),
        status=fields.pop("status", InvoiceStatus.ISSUED),
        number=number,
        issued_at=issued_at,
        due_on=fields.pop("due_on", issued_at.date() + timedelta(days=7)),
        **fields,
    )


def test_the_invoice_list_filters_by_status_period_customer_branch_and_overdue(world):
    today = world.a.agency.today()
    march = datetime(2026, 3, 10, 12, tzinfo=SHANGHAI)
    april = datetime(2026, 4, 10, 12, tzinfo=SHANGHAI)
    wang = CustomerFactory(agency=world.a.agency, name="王芳")
    north = BranchFactory(agency=world.a.agency, name="北店")
    issued_invoice(world, "M-LATE", issued_at=march, due_on=today - timedelta(days=1))
    issued_invoice(world, "M-PAID", issued_at=march, status=InvoiceStatus.PAID, paid=150)
    issued_invoice(world, "A-WANG", issued_at=april, customer=wang, due_on=today)
    issued_invoice(world, "A-NORTH", issued_at=april, branch=north, due_on=today)
    unpaid_draft = draft(world)
    InvoiceFactory(
        agency=world.b.agency, status=InvoiceStatus.ISSUED, number="B-1", issued_at=march
    )
    client = client_as(world, Role.FINANCE)
    invoices = reverse("invoice-list")

    assert numbers(client.get(invoices)) == sorted(
        ["M-LATE", "M-PAID", "A-WANG", "A-NORTH", f"draft {unpaid_draft.pk}"]
    )
    assert numbers(client.get(invoices, {"status": "paid"})) == ["M-PAID"]
    assert numbers(client.get(invoices, {"status": "draft"})) == [f"draft {unpaid_draft.pk}"]
    march_only = {"issued_after": "2026-03-01", "issued_before": "2026-03-31"}
    assert numbers(client.get(invoices, march_only)) == ["M-LATE", "M-PAID"]
    assert numbers(client.get(invoices, {"issued_after": "2026-04-10"})) == ["A-NORTH", "A-WANG"]
    assert numbers(client.get(invoices, {"customer": wang.pk})) == ["A-WANG"]
    assert numbers(client.get(invoices, {"branch": north.pk})) == ["A-NORTH"]
    overdue = client.get(invoices, {"overdue": "true"})
    assert numbers(overdue) == ["M-LATE"]
    assert overdue.json()["results"][0]["overdue"] is True
    assert "M-LATE" not in numbers(client.get(invoices, {"overdue": "false"}))
    order = unpaid_draft.lines.get().order
    assert numbers(client.get(invoices, {"order": order.pk})) == [f"draft {unpaid_draft.pk}"]


def test_another_agencys_customer_or_branch_is_not_a_filter_choice(world):
    client = client_as(world, Role.FINANCE)
    theirs = CustomerFactory(agency=world.b.agency)
    response = client.get(reverse("invoice-list"), {"customer": theirs.pk})
    assert response.status_code == 400
    assert "customer" in response.json()
    response = client.get(reverse("invoice-list"), {"branch": world.b.branch.pk})
    assert response.status_code == 400


@pytest.mark.parametrize("count", [1, 5])
def test_the_invoice_list_runs_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries, count
):
    for _ in range(count):
        InvoiceFactory(agency=world.a.agency, branch=world.a.branch)
    client = client_for(world.a.user(Role.FINANCE))
    # session, user, memberships with agency and branch, count,
    # page of rows joined with customer, branch and the invoice a credit note corrects
    with django_assert_num_queries(5):
        response = client.get(reverse("invoice-list"))
    assert len(response.json()["results"]) == count


def test_an_invoice_detail_reads_its_parts_in_a_fixed_number_of_queries(
    world, settled, client_for, django_assert_num_queries
):
    RefundFactory(agency=world.a.agency, invoice=settled)
    client = client_for(world.a.user(Role.FINANCE))
    # session, user, memberships; the invoice with its people; lines, payments,
    # credit notes, refunds
    with django_assert_num_queries(8):
        response = client.get(url("invoice-detail", settled))
    assert response.status_code == 200


def test_payments_filter_by_invoice_method_and_period(world):
    march = datetime(2026, 3, 10, 12, tzinfo=SHANGHAI)
    first = PaymentFactory(agency=world.a.agency, method=PaymentMethod.CASH, received_at=march)
    second = PaymentFactory(
        agency=world.a.agency, received_at=march + timedelta(days=30), receipt_number="R-2"
    )
    PaymentFactory(agency=world.b.agency)
    client = client_as(world, Role.FINANCE)
    payments = reverse("payment-list")

    def ids(**params) -> list[int]:
        response = client.get(payments, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [first.pk, second.pk]
    assert ids(invoice=second.invoice_id) == [second.pk]
    assert ids(method="cash") == [first.pk]
    assert ids(received_after="2026-04-01") == [second.pk]
    assert ids(received_before="2026-03-31") == [first.pk]
    detail = client.get(url("payment-detail", second)).json()
    assert (detail["receipt_number"], detail["method"]) == ("R-2", "wechat_pay")


def test_refunds_filter_by_status(world):
    waiting = RefundFactory(agency=world.a.agency)
    RefundFactory(agency=world.a.agency, status=RefundStatus.REJECTED)
    RefundFactory(agency=world.b.agency)
    response = client_as(world, Role.MANAGER).get(reverse("refund-list"), {"status": "requested"})
    assert [row["id"] for row in response.json()["results"]] == [waiting.pk]


# --- documents ----------------------------------------------------------------------


def test_the_invoice_and_the_receipt_download_as_pdf_once_built(world, issued, finance, documents):
    payment = payment_record(
        invoice=issued, actor=finance, amount=Decimal("75.00"), method="wechat_pay"
    )
    client = client_as(world, Role.FINANCE)

    waiting = documents.ask(client, url("invoice-pdf", issued), HTTP_ACCEPT="application/pdf")
    assert waiting.status_code == 202
    assert waiting["Retry-After"] == "2"
    assert waiting.json()["status"] == "pending"
    documents.run_sent()
    invoice_pdf = client.get(url("invoice-pdf", issued), HTTP_ACCEPT="application/pdf")
    assert invoice_pdf.status_code == 200
    assert invoice_pdf["Content-Type"] == "application/pdf"
    content = invoice_pdf.getvalue()  # streamed from storage: read once
    assert content.startswith(b"%PDF-")
    assert issued.number in pdf_text(content)
    assert f"invoice-{issued.number}.pdf" in invoice_pdf["Content-Disposition"]

    receipt = documents.fetch(client, url("payment-receipt", payment))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert payment.receipt_number in pdf_text(receipt.getvalue())
    assert payment.receipt_number in receipt["Content-Disposition"]


def test_a_document_whose_build_keeps_failing_answers_503(world, issued, documents, monkeypatch):
    client = client_as(world, Role.FINANCE)
    monkeypatch.setattr(
        "orders.billing.documents.render_pdf", mock.Mock(side_effect=OSError("no fonts"))
    )
    for _attempt in range(MAX_ATTEMPTS):
        assert documents.ask(client, url("invoice-pdf", issued)).status_code == 202
        documents.run_sent()
    failed = documents.ask(client, url("invoice-pdf", issued))
    assert failed.status_code == 503 and documents.sent == []
    assert Document.objects.get().last_error == "OSError: no fonts"


# --- who may ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.SUPERVISOR, Role.STAFF])
def test_only_finance_and_managers_work_in_billing(world, role):
    invoice = draft(world)
    refund = RefundFactory(agency=world.a.agency)
    client = client_as(world, role)

    assert client.get(reverse("invoice-list")).status_code == 403
    assert client.get(url("invoice-detail", invoice)).status_code == 403
    assert post(client, url("invoice-issue", invoice)).status_code == 403
    assert client.get(reverse("payment-list")).status_code == 403
    assert post(client, url("refund-approve", refund)).status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT


def test_another_agencys_invoice_answers_404(world):
    theirs = InvoiceFactory(agency=world.b.agency)
    InvoiceLineFactory(agency=world.b.agency, invoice=theirs)
    their_refund = RefundFactory(agency=world.b.agency)
    client = client_as(world, Role.MANAGER)

    assert client.get(url("invoice-detail", theirs)).status_code == 404
    assert post(client, url("invoice-issue", theirs)).status_code == 404
    assert (
        post(client, url("invoice-adjust", theirs), {"amount": "1.00", "reason": "x"}).status_code
        == 404
    )
    assert post(client, url("refund-approve", their_refund)).status_code == 404
    assert client.get(reverse("invoice-list")).json()["results"] == []
    theirs.refresh_from_db()
    their_refund.refresh_from_db()
    assert (theirs.status, their_refund.status) == (InvoiceStatus.DRAFT, RefundStatus.REQUESTED)
