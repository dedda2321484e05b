"""Finance's billing pages, the refund queue and the customer's invoice link."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agency.audit import Actor
from agency.models import Document, Role
from orders import links
from orders.billing.forms import PaymentForm
from orders.billing.services import invoice_issue, payment_record, refund_decide, refund_request
from orders.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    OrderStatus,
    Payment,
    PaymentMethod,
    Refund,
    RefundStatus,
    SignaturePurpose,
)
from tests.factories import (
    BranchFactory,
    CustomerFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    OrderFactory,
)
from tests.orders.test_billing import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_agencies(world):
    """The pages speak the agency's language; these tests read English."""
    for tenant in (world.a, world.b):
        tenant.agency.default_language = "en"
        tenant.agency.save(update_fields=["default_language"])


def draft(tenant, *, amount="150.00", customer=None, branch=None):
    """A draft invoice of one accepted order, as `invoice_order` drafts it."""
    agency = tenant.agency
    customer = customer or CustomerFactory(agency=agency, preferred_language="en")
    invoice = InvoiceFactory(
        agency=agency,
        customer=customer,
        branch=branch or tenant.branch,
        language="en",
        subtotal=Decimal(amount),
        total=Decimal(amount),
    )
    order = OrderFactory(
        agency=agency,
        branch=invoice.branch,
        needs_form__customer=customer,
        status=OrderStatus.ACCEPTED,
    )
    InvoiceLineFactory(
        agency=agency,
        invoice=invoice,
        order=order,
        description="Home cleaning 3 hours",
        quantity=Decimal(1),
        unit_price=Decimal(amount),
        amount=Decimal(amount),
    )
    return invoice


def issued(tenant, **kwargs):
    return invoice_issue(
        invoice=draft(tenant, **kwargs), actor=Actor(user=tenant.user(Role.FINANCE))
    )


def paid(tenant, **kwargs):
    invoice = issued(tenant, **kwargs)
    payment_record(
        invoice=invoice,
        actor=Actor(user=tenant.user(Role.FINANCE)),
        amount=invoice.total,
        method=PaymentMethod.CASH,
    )
    invoice.refresh_from_db()
    return invoice


def page(pk):
    return reverse("invoice_detail", kwargs={"pk": pk})


def action(name, pk):
    return reverse(name, kwargs={"pk": pk})


def keyed(fields):
    """A billing form as the page posts it: with its hidden submission key."""
    return {**fields, "submission_key": str(uuid.uuid4())}


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the list ------------------------------------------------------------------------


def test_finance_starts_on_unpaid_invoices_the_overdue_first(world, client_for):
    current = issued(world.a, amount="100.00")
    late = issued(world.a, amount="40.00")
    Invoice.objects.filter(pk=late.pk).update(due_on=world.a.agency.today() - timedelta(days=3))
    paid(world.a)
    waiting = draft(world.a)
    issued(world.b)  # another agency's: never listed, never counted

    response = client_for(world.a.user(Role.FINANCE)).get(reverse("billing_list"))

    assert response.status_code == 200
    assert [(invoice.pk, overdue) for invoice, overdue in response.context["rows"]] == [
        (late.pk, True),
        (current.pk, False),
    ]
    totals = response.context["totals"]
    assert (totals["open"], totals["unpaid_count"]) == (Decimal("140.00"), 2)
    assert (totals["overdue"], totals["overdue_count"]) == (Decimal("40.00"), 1)
    assert 'class="is-overdue"' in response.content.decode()
    drafts = client_for(world.a.user(Role.FINANCE)).get(reverse("billing_list"), {"tab": "drafts"})
    assert [invoice.pk for invoice, _ in drafts.context["rows"]] == [waiting.pk]
    assert [count for _key, _label, count in drafts.context["tabs"]] == [2, 1, None]


def test_the_list_filters_by_status_overdue_period_customer_and_branch(world, client_for):
    agency = world.a.agency
    other_branch = BranchFactory(agency=agency)
    regular = CustomerFactory(agency=agency, name="Li Lei", phone="13911112222")
    by_branch = issued(world.a, branch=other_branch)
    by_customer = issued(world.a, customer=regular)
    settled = paid(world.a)
    late = issued(world.a)
    Invoice.objects.filter(pk=late.pk).update(due_on=agency.today() - timedelta(days=1))
    last_year = issued(world.a)
    Invoice.objects.filter(pk=last_year.pk).update(issued_at=timezone.now() - timedelta(days=400))
    client = client_for(world.a.user(Role.FINANCE))

    def listed(**params):
        response = client.get(reverse("billing_list"), {"tab": "all", **params})
        assert response.status_code == 200
        return {invoice.pk for invoice, _ in response.context["rows"]}

    assert listed(status="paid") == {settled.pk}
    assert listed(overdue="true") == {late.pk}
    assert listed(branch=other_branch.pk) == {by_branch.pk}
    assert listed(customer=regular.pk) == {by_customer.pk}
    assert listed(q="Li Lei") == {by_customer.pk}
    assert listed(q="1111 2222") == {by_customer.pk}
    assert listed(q=late.number) == {late.pk}
    today = agency.today().isoformat()
    assert last_year.pk not in listed(issued_after=today)
    assert listed(issued_before=(agency.today() - timedelta(days=300)).isoformat()) == {
        last_year.pk
    }
    # Another agency's customer is not a choice: the filter refuses it, nothing leaks.
    foreign = CustomerFactory(agency=world.b.agency)
    assert listed(customer=foreign.pk) == set()


def test_the_list_runs_the_same_queries_for_one_invoice_or_five(world, client_for):
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("billing_list")
    issued(world.a)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, {"tab": "all"}).status_code == 200
    for _ in range(4):
        issued(world.a)
    Invoice.objects.filter(agency=world.a.agency).update(
        due_on=world.a.agency.today() - timedelta(days=1)
    )
    with CaptureQueriesContext(connection) as five:
        response = client.get(url, {"tab": "all"})
    assert len(response.context["rows"]) == 5
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries]


def test_the_list_query_count_is_pinned(world, client_for, django_assert_num_queries):
    for _ in range(5):
        issued(world.a)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("billing_list")
    client.get(url)
    # 1 session, 2 user, 3 memberships (agency and branch joined), 4 the page's count,
    # 5 the tab counts, 6 the page's rows (customer, branch, credited invoice joined),
    # 7 the open totals of the filtered list, 8 the bell's unread count, 9 the branch
    # filter's choices.
    with django_assert_num_queries(9):
        client.get(url)


# --- an invoice and its actions --------------------------------------------------------


def test_finance_issues_a_draft(world, client_for):
    invoice = draft(world.a)
    order = invoice.lines.get().order
    client = client_for(world.a.user(Role.FINANCE))

    response = client.post(action("invoice_issue", invoice.pk))

    assert response.status_code == 302
    assert response["Location"] == page(invoice.pk)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    assert invoice.number.endswith("000001")
    assert invoice.due_on is not None
    order.refresh_from_db()
    assert order.status == OrderStatus.INVOICED
    assert f"Invoice {invoice.number} issued" in messages_of(response)[0]
    again = client.post(action("invoice_issue", invoice.pk), follow=True)
    assert "This invoice is issued already." in again.content.decode()


def test_a_manager_adjusts_a_draft_and_finance_is_refused(world, client_for):
    invoice = draft(world.a)
    adjust = action("invoice_adjust", invoice.pk)
    finance = client_for(world.a.user(Role.FINANCE))
    assert "Adjust the invoice" not in finance.get(page(invoice.pk)).content.decode()

    refused = finance.post(adjust, {"amount": "-20.00", "reason": "老客户优惠"}, follow=True)

    assert refused.status_code == 200
    assert "Only a manager adjusts an invoice." in refused.content.decode()
    assert not InvoiceLine.objects.filter(kind=LineKind.ADJUSTMENT).exists()

    manager_user = world.a.user(Role.MANAGER)
    manager = client_for(manager_user)
    no_reason = manager.post(adjust, {"amount": "-20.00", "reason": ""})
    assert no_reason.status_code == 400
    assert "reason" in no_reason.context["adjust_form"].errors
    response = manager.post(adjust, {"amount": "-20.00", "reason": "老客户优惠"})
    assert response.status_code == 302
    line = InvoiceLine.objects.get(kind=LineKind.ADJUSTMENT)
    assert (line.amount, line.reason, line.approved_by) == (
        Decimal("-20.00"),
        "老客户优惠",
        manager_user,
    )
    invoice.refresh_from_db()
    assert invoice.total == Decimal("130.00")
    shown = manager.get(page(invoice.pk)).content.decode()
    assert "Manual adjustment" in shown
    assert f"老客户优惠 — approved by {manager_user.username}" in shown


def test_an_issued_invoice_is_not_adjusted(world, client_for):
    invoice = issued(world.a)
    response = client_for(world.a.user(Role.MANAGER)).post(
        action("invoice_adjust", invoice.pk), {"amount": "10.00", "reason": "加收"}, follow=True
    )
    assert "An issued invoice is never edited; issue a credit note." in response.content.decode()
    assert not InvoiceLine.objects.filter(kind=LineKind.ADJUSTMENT).exists()


def test_paid_in_two_halves_by_wechat_pay_then_cash_gives_two_receipts(world, client_for):
    invoice = issued(world.a)
    order = invoice.lines.get().order
    client = client_for(world.a.user(Role.FINANCE))
    form = client.get(page(invoice.pk)).context["payment_form"]
    assert form.initial["amount"] == Decimal("150.00")

    first = client.post(
        action("invoice_payment", invoice.pk),
        keyed({"amount": "75.00", "method": PaymentMethod.WECHAT_PAY, "reference": "4200001234"}),
    )
    received = timezone.localtime() - timedelta(hours=1)
    second = client.post(
        action("invoice_payment", invoice.pk),
        keyed(
            {
                "amount": "75.00",
                "method": PaymentMethod.CASH,
                "received_at": received.strftime("%Y-%m-%dT%H:%M"),
            }
        ),
    )

    assert (first.status_code, second.status_code) == (302, 302)
    payments = list(Payment.objects.filter(invoice=invoice).order_by("id"))
    assert [(p.method, p.amount) for p in payments] == [
        (PaymentMethod.WECHAT_PAY, Decimal("75.00")),
        (PaymentMethod.CASH, Decimal("75.00")),
    ]
    assert payments[0].reference == "4200001234"
    assert payments[1].received_at == received.replace(second=0, microsecond=0)
    assert len({p.receipt_number for p in payments}) == 2
    assert f"receipt {payments[1].receipt_number}" in messages_of(second)[-1]
    invoice.refresh_from_db()
    assert (invoice.status, invoice.open_amount) == (InvoiceStatus.PAID, Decimal("0.00"))
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    shown = client.get(page(invoice.pk))
    body = shown.content.decode()
    for payment in payments:
        assert payment.receipt_number in body
        assert reverse("receipt_pdf", kwargs={"pk": payment.pk}) in body
    assert "Record a payment" not in body


def test_a_payment_above_the_open_amount_shows_the_error_and_writes_nothing(world, client_for):
    invoice = issued(world.a)
    client = client_for(world.a.user(Role.FINANCE))

    response = client.post(
        action("invoice_payment", invoice.pk),
        keyed({"amount": "150.01", "method": PaymentMethod.CASH, "reference": "多付"}),
    )

    assert response.status_code == 400
    assert response.context["payment_form"].errors["amount"] == [
        "At most 150.00 CNY is still open."
    ]
    assert 'value="150.01"' in response.content.decode()  # what was typed is kept
    negative = client.post(
        action("invoice_payment", invoice.pk), keyed({"amount": "-5", "method": PaymentMethod.CASH})
    )
    assert negative.status_code == 400
    assert "amount" in negative.context["payment_form"].errors
    assert not Payment.objects.exists()
    invoice.refresh_from_db()
    assert invoice.paid == 0


def test_a_draft_takes_no_payment(world, client_for):
    invoice = draft(world.a)
    response = client_for(world.a.user(Role.FINANCE)).post(
        action("invoice_payment", invoice.pk),
        keyed({"amount": "10.00", "method": PaymentMethod.CASH}),
    )
    assert response.status_code == 302
    assert "Payments are recorded against an issued invoice." in messages_of(response)
    assert not Payment.objects.exists()


def test_a_credit_note_corrects_an_issued_invoice(world, client_for):
    invoice = issued(world.a)
    client = client_for(world.a.user(Role.FINANCE))

    too_much = client.post(
        action("invoice_credit_note", invoice.pk),
        keyed({"reason": "少做一小时", "amount": "200.00"}),
    )
    assert too_much.status_code == 400
    assert "amount" in too_much.context["credit_form"].errors
    response = client.post(
        action("invoice_credit_note", invoice.pk),
        keyed({"reason": "少做一小时", "amount": "50.00"}),
    )

    assert response.status_code == 302
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert (note.credits, note.total, note.note) == (invoice, Decimal("-50.00"), "少做一小时")
    assert f"Credit note {note.number} issued" in messages_of(response)[0]
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("100.00")
    body = client.get(page(invoice.pk)).content.decode()
    assert note.number in body
    note_page = client.get(page(note.pk)).content.decode()
    assert "Corrects" in note_page
    assert invoice.number in note_page


def test_a_refund_is_requested_approved_by_a_manager_and_paid_back_by_finance(world, client_for):
    invoice = paid(world.a)
    finance = client_for(world.a.user(Role.FINANCE))

    requested = finance.post(
        action("invoice_refund", invoice.pk), keyed({"amount": "50.00", "reason": "服务时间缩短"})
    )
    assert requested.status_code == 302
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.REQUESTED

    # Finance neither approves nor pays back what no manager approved.
    assert finance.post(action("refund_approve", refund.pk)).status_code == 403
    early = finance.post(action("refund_pay_back", refund.pk), {"method": PaymentMethod.CASH})
    assert "A refund is paid back only once a manager approved it." in messages_of(early)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED

    manager = client_for(world.a.user(Role.MANAGER))
    queue = manager.get(reverse("refund_queue"))
    assert [r.pk for r in queue.context["waiting"]] == [refund.pk]
    approved = manager.post(action("refund_approve", refund.pk), {"next": reverse("refund_queue")})
    assert approved["Location"] == reverse("refund_queue")
    refund.refresh_from_db()
    assert (refund.status, refund.decided_by) == (RefundStatus.APPROVED, world.a.user(Role.MANAGER))

    finance = client_for(world.a.user(Role.FINANCE))
    queue = finance.get(reverse("refund_queue"))
    assert [r.pk for r, _form in queue.context["to_pay_back"]] == [refund.pk]
    assert "A manager decides." not in queue.content.decode()
    done = finance.post(
        action("refund_pay_back", refund.pk),
        {
            "method": PaymentMethod.ALIPAY,
            "reference": "2026112300001",
            "next": "https://evil.test/",
        },
    )
    assert done["Location"] == reverse("refund_queue")  # never off the site
    refund.refresh_from_db()
    assert (refund.status, refund.method, refund.reference) == (
        RefundStatus.PAID_BACK,
        PaymentMethod.ALIPAY,
        "2026112300001",
    )
    invoice.refresh_from_db()
    assert invoice.paid == Decimal("100.00")
    body = finance.get(page(invoice.pk)).content.decode()
    assert "Paid back" in body
    assert "after 50.00 paid back" in body
    # Money paid back is not a new debt: the invoice stays settled, off the unpaid list.
    assert invoice.status == InvoiceStatus.PAID
    assert finance.get(reverse("billing_list")).context["rows"] == []


def test_a_manager_rejects_a_refund_from_the_invoice_page(world, client_for):
    invoice = paid(world.a)
    refund = refund_request(
        invoice=invoice,
        actor=Actor(user=world.a.user(Role.FINANCE)),
        amount=Decimal("20.00"),
        reason="顾客要求",
    )
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.post(action("refund_reject", refund.pk), {"next": page(invoice.pk)})
    assert response["Location"] == page(invoice.pk)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REJECTED
    again = manager.post(action("refund_approve", refund.pk))
    assert "This refund is decided already." in messages_of(again)


def test_a_refund_above_what_was_paid_is_refused(world, client_for):
    invoice = issued(world.a)
    response = client_for(world.a.user(Role.FINANCE)).post(
        action("invoice_refund", invoice.pk), keyed({"amount": "10.00", "reason": "退款"})
    )
    assert response.status_code == 400
    assert "amount" in response.context["refund_form"].errors
    assert not Refund.objects.exists()


def test_invoice_and_receipt_are_built_by_the_reports_worker_then_downloaded(
    world, client_for, documents
):
    invoice = paid(world.a)
    payment = invoice.payments.get()
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("invoice_pdf", kwargs={"pk": invoice.pk})

    # Asked for: a page that says it is being prepared and asks again by itself.
    waiting = documents.ask(client, url)
    assert waiting.status_code == 202
    body = waiting.content.decode()
    assert "being prepared" in body and f'hx-get="{url}"' in body
    documents.run_sent()

    document = client.get(url)
    receipt = documents.fetch(client, reverse("receipt_pdf", kwargs={"pk": payment.pk}))

    assert document["Content-Type"] == "application/pdf"
    text = pdf_text(document.getvalue())
    assert invoice.number in text and "Home cleaning" in text
    assert f"invoice-{invoice.number}.pdf" in document["Content-Disposition"]
    assert receipt["Content-Type"] == "application/pdf"
    assert payment.receipt_number in pdf_text(receipt.getvalue())
    assert f"receipt-{payment.receipt_number}.pdf" in receipt["Content-Disposition"]


def test_a_poll_answers_the_status_then_offers_the_download(world, client_for, documents):
    invoice = paid(world.a)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("invoice_pdf", kwargs={"pk": invoice.pk})
    documents.ask(client, url)

    poll = documents.ask(client, url, HTTP_HX_REQUEST="true")
    assert poll.status_code == 202 and "being prepared" in poll.content.decode()
    assert documents.sent[1:] == []  # asked once, built once: the poll sends nothing
    documents.run_sent()
    ready = client.get(url, HTTP_HX_REQUEST="true")
    assert ready.status_code == 200
    assert "The document is ready." in ready.content.decode()
    assert f'href="{url}"' in ready.content.decode() and "hx-get" not in ready.content.decode()


def test_a_paid_invoice_is_a_new_document_not_the_stale_one(world, client_for, documents):
    invoice = issued(world.a)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("invoice_pdf", kwargs={"pk": invoice.pk})
    before = pdf_text(documents.fetch(client, url).getvalue())

    payment_record(
        invoice=invoice,
        actor=Actor(user=world.a.user(Role.FINANCE)),
        amount=invoice.total,
        method=PaymentMethod.CASH,
    )
    after = pdf_text(documents.fetch(client, url).getvalue())

    assert Document.objects.filter(ref=invoice.pk, kind="invoice").count() == 2
    assert before != after
    assert re.search(r"Open amount\s+0\.00", after)


def test_a_ready_document_is_served_in_a_constant_number_of_queries(
    world, client_for, documents, django_assert_num_queries
):
    invoice = paid(world.a)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("invoice_pdf", kwargs={"pk": invoice.pk})
    documents.fetch(client, url)
    # session, user, membership (the request); the invoice; the document
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_a_services_error_on_a_field_the_form_lacks_shows_above_the_form():
    form = PaymentForm(keyed({"amount": "10.00", "method": PaymentMethod.CASH}))
    assert form.is_valid()
    form.add_error(
        None, ValidationError({"receipt_number": "Taken already.", "amount": "Too much."})
    )
    assert form.non_field_errors() == ["Taken already."]
    assert form.errors["amount"] == ["Too much."]


# --- the customer's link -------------------------------------------------------------


def customer_link(world, client_for, invoice):
    response = client_for(world.a.user(Role.FINANCE)).post(
        action("invoice_customer_link", invoice.pk), follow=True
    )
    url = response.context["customer_link"]
    assert url.startswith("http://testserver/c/")
    return url.removeprefix("http://testserver")


def test_the_customer_link_shows_the_invoice_and_downloads_it_and_its_receipts(
    world, client_for, documents
):
    invoice = issued(world.a)
    finance = Actor(user=world.a.user(Role.FINANCE))
    first = payment_record(
        invoice=invoice, actor=finance, amount=Decimal("100.00"), method=PaymentMethod.WECHAT_PAY
    )
    other = paid(world.a)
    foreign_receipt = other.payments.get()
    path = customer_link(world, client_for, invoice)
    token = path.split("/")[2]
    customer = Client()

    response = customer.get(path)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Your invoice" in body
    assert invoice.number in body
    assert "Home cleaning 3 hours" in body
    assert "100.00" in body and "50.00" in body  # paid, and still to pay
    assert first.receipt_number in body
    pdf_url = reverse("customer_link_invoice_pdf", kwargs={"token": token})
    receipt_url = reverse(
        "customer_link_receipt_pdf", kwargs={"token": token, "payment_id": first.pk}
    )
    assert pdf_url in body and receipt_url in body

    waiting = documents.ask(customer, pdf_url)
    assert waiting.status_code == 202
    assert "being prepared" in waiting.content.decode()
    assert "htmx.min.js" in waiting.content.decode()  # the public page polls too
    documents.run_sent()
    document = customer.get(pdf_url)
    assert document["Content-Type"] == "application/pdf"
    assert invoice.number in pdf_text(document.getvalue())
    receipt = documents.fetch(customer, receipt_url)
    assert receipt["Content-Type"] == "application/pdf"
    assert first.receipt_number in pdf_text(receipt.getvalue())
    # Another invoice's receipt through this link: as if it did not exist.
    stolen = customer.get(
        reverse(
            "customer_link_receipt_pdf", kwargs={"token": token, "payment_id": foreign_receipt.pk}
        )
    )
    assert stolen.status_code == 404


def test_a_tampered_expired_or_other_purpose_link_is_a_404(world, client_for):
    invoice = issued(world.a)
    path = customer_link(world, client_for, invoice)
    token = path.split("/")[2]
    customer = Client()
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert customer.get(f"/c/{tampered}/").status_code == 404
    assert (
        customer.get(reverse("customer_link_invoice_pdf", kwargs={"token": tampered})).status_code
        == 404
    )
    # A link to confirm the order does not open its invoice's documents.
    order = invoice.lines.get().order
    confirm = links.make_token(order=order, purpose=SignaturePurpose.CONFIRM_ORDER, ref=invoice.pk)
    assert (
        customer.get(reverse("customer_link_invoice_pdf", kwargs={"token": confirm})).status_code
        == 404
    )
    days = world.a.agency.confirmation_link_days
    with time_machine.travel(timezone.now() + timedelta(days=days, hours=1)):
        assert customer.get(path).status_code == 404
        assert (
            customer.get(reverse("customer_link_invoice_pdf", kwargs={"token": token})).status_code
            == 404
        )


def test_a_draft_gets_no_customer_link(world, client_for):
    invoice = draft(world.a)
    response = client_for(world.a.user(Role.FINANCE)).post(
        action("invoice_customer_link", invoice.pk), follow=True
    )
    assert response.context["customer_link"] is None
    assert "Issue the invoice before sending it to the customer." in response.content.decode()
    # A link forged for the draft's id shows nothing either.
    forged = links.link_path(
        order=invoice.lines.get().order, purpose=SignaturePurpose.VIEW_INVOICE, ref=invoice.pk
    )
    assert Client().get(forged).status_code == 404


# --- who may open billing ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.STAFF, Role.SUPERVISOR])
def test_only_finance_and_managers_open_billing(world, client_for, role):
    invoice = issued(world.a)
    client = client_for(world.a.user(role))
    assert client.get(reverse("billing_list")).status_code == 403
    assert client.get(page(invoice.pk)).status_code == 403
    assert client.get(reverse("refund_queue")).status_code == 403
    assert client.post(action("invoice_payment", invoice.pk), keyed({})).status_code == 403


def test_another_agencys_invoice_is_a_404(world, client_for):
    theirs = paid(world.b)
    client = client_for(world.a.user(Role.FINANCE))
    assert client.get(page(theirs.pk)).status_code == 404
    assert client.get(reverse("invoice_pdf", kwargs={"pk": theirs.pk})).status_code == 404
    receipt = theirs.payments.get()
    assert client.get(reverse("receipt_pdf", kwargs={"pk": receipt.pk})).status_code == 404
    response = client.post(
        action("invoice_payment", theirs.pk),
        keyed({"amount": "1.00", "method": PaymentMethod.CASH}),
    )
    assert response.status_code == 404
    assert Payment.objects.filter(invoice=theirs).count() == 1


def test_refund_decisions_stay_in_the_agency(world, client_for):
    theirs = paid(world.b)
    refund = refund_request(
        invoice=theirs,
        actor=Actor(user=world.b.user(Role.FINANCE)),
        amount=Decimal("10.00"),
        reason="退款",
    )
    manager = client_for(world.a.user(Role.MANAGER))
    assert manager.post(action("refund_approve", refund.pk)).status_code == 404
    refund_decide(refund=refund, actor=Actor(user=world.b.user(Role.MANAGER)), approve=True)
    assert manager.post(action("refund_pay_back", refund.pk), {"method": "cash"}).status_code == 404
