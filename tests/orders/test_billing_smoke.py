"""Billing's story through the services: an accepted order with an approved change is
invoiced at quote plus change, paid half by WeChat Pay and half in cash, two receipts."""

from decimal import Decimal

from agency.audit import Actor
from agency.models import Role
from orders.billing.invoicing import invoice_accepted_orders
from orders.billing.services import invoice_issue, payment_record
from orders.models import Invoice, InvoiceStatus, OrderStatus, PaymentMethod, SignedVia, Stage
from orders.service.services.acceptance import (
    CustomerVerdict,
    acceptance_sign_customer,
    acceptance_sign_lead,
    acceptance_sign_supervisor,
)
from orders.service.services.changes import change_request_approve, change_request_create
from orders.service.services.service_log import log_check_in, log_check_out, log_preparation


def accept_with_a_change(world, job):
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    change = change_request_create(
        order=job.order, actor=job.lead_actor, description="加做阳台 1 小时", quantity=Decimal(1)
    )
    change_request_approve(
        change=change, actor=job.lead_actor, via=SignedVia.DEVICE, signed_name="王芳"
    )
    log_check_out(assignment=job.lead, actor=job.lead_actor)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    acceptance_sign_supervisor(
        order=job.order,
        stage=Stage.TEAM_SUPERVISOR,
        actor=Actor(user=world.a.user(Role.SUPERVISOR)),
        passed=True,
    )
    acceptance_sign_supervisor(
        order=job.order,
        stage=Stage.OFFICE_SUPERVISOR,
        actor=Actor(user=world.a.user(Role.MANAGER)),
        passed=True,
    )
    acceptance_sign_customer(
        order=job.order,
        actor=Actor(user=None),
        verdict=CustomerVerdict(signed_name="王芳", via=SignedVia.LINK, score=5),
        passed=True,
    )


def test_quote_plus_change_paid_in_two_halves(world, team_job):
    job = team_job
    accept_with_a_change(world, job)
    assert invoice_accepted_orders() == 1
    assert invoice_accepted_orders() == 0
    invoice = Invoice.objects.get()
    assert invoice.total == job.order.confirmed_quote.total + Decimal("50.00")
    finance = Actor(user=world.a.user(Role.FINANCE))
    invoice = invoice_issue(invoice=invoice, actor=finance)
    assert invoice.number.endswith("000001")
    assert job.reload().status == OrderStatus.INVOICED
    half = invoice.total / 2
    first = payment_record(
        invoice=invoice, actor=finance, amount=half, method=PaymentMethod.WECHAT_PAY
    )
    second = payment_record(invoice=invoice, actor=finance, amount=half, method=PaymentMethod.CASH)
    assert (first.receipt_number, second.receipt_number) != ("", "")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert job.reload().status == OrderStatus.PAID
