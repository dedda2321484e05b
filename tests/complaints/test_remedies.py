"""Putting a complaint right: solutions, the money through billing, compensation, the
customer's charge and the inspection visit (issue 19)."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agency.audit import Actor
from agency.idempotency import RepeatedSubmission
from agency.models import AuditLog, OutboundMessage, Role
from complaints.figures import compensation_figures
from complaints.lifecycle import ComplaintConflict
from complaints.models import (
    Charge,
    Compensation,
    CompensationStatus,
    InspectionVisitPhoto,
    Payer,
    SolutionKind,
    SolutionStatus,
    Status,
    Tier,
)
from complaints.remedy_selectors import overdue_inspections
from complaints.services.remedies import (
    charge_customer,
    compensation_decide,
    compensation_pay,
    compensation_propose,
    inspection_record,
    inspection_schedule,
    remedy_policy_update,
    solution_agree,
    solution_offer,
)
from orders.billing.services import refund_decide
from orders.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    OrderStatus,
    RefundStatus,
)
from staff.models import Penalty
from tests.factories import (
    ComplaintFactory,
    InvoiceLineFactory,
    OrderFactory,
    StaffMemberFactory,
)
from tests.uploads import photo, text_as

pytestmark = pytest.mark.django_db


def actor(world, role: Role, tenant: str = "a") -> Actor:
    return Actor(user=getattr(world, tenant).user(role))


@pytest.fixture
def order(world):
    return OrderFactory(agency=world.a.agency, branch=world.a.branch, status=OrderStatus.PAID)


@pytest.fixture
def complaint(world, order):
    return ComplaintFactory(
        agency=world.a.agency,
        branch=world.a.branch,
        customer=order.customer,
        order=order,
        staff=StaffMemberFactory(agency=world.a.agency),
        tier=Tier.HARD,
        category="damage",
        status=Status.RESPONDING,
    )


def invoice_of(order, **invoice):
    values = {
        "status": InvoiceStatus.ISSUED,
        "number": "2026-000101",
        "issued_at": timezone.now(),
        "customer": order.customer,
        **invoice,
    }
    line = InvoiceLineFactory(
        agency=order.agency,
        order=order,
        **{f"invoice__{name}": value for name, value in values.items()},
        invoice__agency=order.agency,
        invoice__branch=order.branch,
    )
    return line.invoice


# --- solutions ------------------------------------------------------------------------


def test_an_agreed_partial_refund_on_a_paid_invoice_waits_for_the_managers_approval(
    world, complaint, order
):
    invoice = invoice_of(order, paid=Decimal("150.00"))
    refund = solution_offer(
        complaint=complaint,
        actor=actor(world, Role.DISPATCHER),
        kind=SolutionKind.PARTIAL_REFUND,
        description="退还部分服务费",
        amount=Decimal("40.00"),
    )
    apology = solution_offer(
        complaint=complaint,
        actor=actor(world, Role.DISPATCHER),
        kind=SolutionKind.APOLOGY,
        description="书面道歉",
    )

    agreed = solution_agree(solution=refund, actor=actor(world, Role.MANAGER))

    assert agreed.status == SolutionStatus.AGREED
    assert agreed.refund.invoice == invoice and agreed.refund.amount == Decimal("40.00")
    assert agreed.refund.status == RefundStatus.REQUESTED
    apology.refresh_from_db()
    assert apology.status == SolutionStatus.SET_ASIDE
    with pytest.raises(PermissionDenied):
        refund_decide(refund=agreed.refund, actor=actor(world, Role.SUPERVISOR), approve=True)
    assert refund_decide(
        refund=agreed.refund, actor=actor(world, Role.MANAGER), approve=True
    ).status == (RefundStatus.APPROVED)
    told = OutboundMessage.objects.get(rule="complaint.solution:customer")
    assert "40.00" in told.body
    assert complaint.events.filter(text__contains="书面道歉").exists()
    assert AuditLog.objects.filter(action="complaint.solution_agree").count() == 1


def test_a_refund_agreed_without_billings_role_writes_nothing(world, complaint, order):
    invoice_of(order, paid=Decimal("150.00"))
    refund = solution_offer(
        complaint=complaint,
        actor=actor(world, Role.DISPATCHER),
        kind=SolutionKind.PARTIAL_REFUND,
        description="退还部分服务费",
        amount=Decimal("40.00"),
    )
    with pytest.raises(PermissionDenied):
        solution_agree(solution=refund, actor=actor(world, Role.SUPERVISOR))
    refund.refresh_from_db()
    assert refund.status == SolutionStatus.OFFERED and refund.refund is None


def test_a_partial_refund_on_an_issued_unpaid_invoice_is_a_credit_note(world, complaint, order):
    invoice = invoice_of(order)
    offered = solution_offer(
        complaint=complaint,
        actor=actor(world, Role.MANAGER),
        kind=SolutionKind.PARTIAL_REFUND,
        description="减免部分费用",
        amount=Decimal("30.00"),
    )
    agreed = solution_agree(solution=offered, actor=actor(world, Role.MANAGER))
    assert agreed.credit_note.kind == InvoiceKind.CREDIT_NOTE
    assert agreed.credit_note.credits == invoice and agreed.credit_note.total == Decimal("-30.00")


def test_one_solution_is_agreed(world, complaint):
    first, second = (
        solution_offer(
            complaint=complaint,
            actor=actor(world, Role.DISPATCHER),
            kind=kind,
            description="方案",
        )
        for kind in (SolutionKind.REDO, SolutionKind.REPLACEMENT)
    )
    solution_agree(solution=first, actor=actor(world, Role.DISPATCHER))
    with pytest.raises(ComplaintConflict):
        solution_agree(solution=second, actor=actor(world, Role.DISPATCHER))


def test_an_agreed_redo_is_booked_as_an_order_of_the_same_needs_on_its_day(world, complaint, order):
    day = timezone.localdate() + timedelta(days=2)
    redo = solution_offer(
        complaint=complaint,
        actor=actor(world, Role.DISPATCHER),
        kind=SolutionKind.REDO,
        description="免费返工",
        redo_on=day,
    )
    agreed = solution_agree(solution=redo, actor=actor(world, Role.DISPATCHER))
    booked = agreed.redo_order
    assert booked is not None and booked.pk != order.pk
    assert booked.needs_form_id == order.needs_form_id and booked.status == OrderStatus.INTAKE
    assert timezone.localtime(booked.starts_at).date() == day
    told = OutboundMessage.objects.get(rule="complaint.solution:customer")
    assert "免费返工" in told.body


def test_a_redo_without_a_day_is_recorded_only(world, complaint):
    redo = solution_offer(
        complaint=complaint,
        actor=actor(world, Role.DISPATCHER),
        kind=SolutionKind.REDO,
        description="免费返工",
    )
    assert solution_agree(solution=redo, actor=actor(world, Role.DISPATCHER)).redo_order is None


@pytest.mark.parametrize(
    ("kind", "amount", "field"),
    [
        (SolutionKind.PARTIAL_REFUND, None, "amount"),
        (SolutionKind.PARTIAL_REFUND, Decimal("0"), "amount"),
        (SolutionKind.COMPENSATION, Decimal("10.005"), "amount"),
        (SolutionKind.APOLOGY, Decimal("10"), "amount"),
        ("cake", None, "kind"),
    ],
)
def test_a_bad_offer_is_refused_by_field(world, complaint, kind, amount, field):
    with pytest.raises(ValidationError) as refused:
        solution_offer(
            complaint=complaint,
            actor=actor(world, Role.DISPATCHER),
            kind=kind,
            description="方案",
            amount=amount,
        )
    assert field in refused.value.message_dict
    assert not complaint.solutions.exists()


def test_an_offer_submitted_twice_is_made_once(world, complaint):
    key = uuid.uuid4()
    offer = {
        "complaint": complaint,
        "actor": actor(world, Role.DISPATCHER),
        "kind": SolutionKind.REDO,
        "description": "免费返工",
        "submission_key": key,
    }
    first = solution_offer(**offer)
    with pytest.raises(RepeatedSubmission) as repeated:
        solution_offer(**offer)
    assert repeated.value.earlier == first
    assert complaint.solutions.count() == 1


# --- compensation ---------------------------------------------------------------------


def propose(world, complaint, amount: str, **options):
    values = {"item": "青花瓷花瓶", "payer": Payer.AGENCY, **options}
    return compensation_propose(
        complaint=complaint, actor=actor(world, Role.DISPATCHER), amount=Decimal(amount), **values
    )


def test_a_compensation_over_the_limit_is_refused_without_a_manager(world, complaint):
    compensation = propose(world, complaint, "800.00")
    with pytest.raises(PermissionDenied, match="500"):
        compensation_decide(
            compensation=compensation, actor=actor(world, Role.SUPERVISOR), approve=True
        )
    compensation.refresh_from_db()
    assert compensation.status == CompensationStatus.PROPOSED
    approved = compensation_decide(
        compensation=compensation, actor=actor(world, Role.MANAGER), approve=True
    )
    assert approved.status == CompensationStatus.APPROVED


def test_a_supervisor_approves_up_to_the_agencys_own_limit(world, complaint):
    remedy_policy_update(
        agency=world.a.agency, actor=actor(world, Role.MANAGER), approval_limit=Decimal("1000")
    )
    compensation = propose(world, complaint, "800.00")
    approved = compensation_decide(
        compensation=compensation, actor=actor(world, Role.SUPERVISOR), approve=True
    )
    assert approved.decided_by == world.a.user(Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        compensation_decide(
            compensation=propose(world, complaint, "10.00"),
            actor=actor(world, Role.DISPATCHER),
            approve=True,
        )


def test_the_staff_share_becomes_a_penalty_once(world, complaint):
    compensation = propose(world, complaint, "200.00", payer=Payer.STAFF)
    assert compensation.staff == complaint.staff
    manager = actor(world, Role.MANAGER)
    approved = compensation_decide(compensation=compensation, actor=manager, approve=True)
    with pytest.raises(ComplaintConflict):
        compensation_decide(compensation=compensation, actor=manager, approve=True)
    penalty = Penalty.objects.get(staff=complaint.staff)
    assert approved.penalty == penalty and penalty.amount == Decimal("200.00")
    assert penalty.source == f"compensation-{compensation.pk}"


def test_a_refusal_needs_its_reason_and_is_never_paid(world, complaint):
    compensation = propose(world, complaint, "100.00")
    manager = actor(world, Role.MANAGER)
    with pytest.raises(ValidationError) as refused:
        compensation_decide(compensation=compensation, actor=manager, approve=False)
    assert "reason" in refused.value.message_dict
    compensation_decide(
        compensation=compensation, actor=manager, approve=False, reason="损坏与服务无关"
    )
    with pytest.raises(ComplaintConflict):
        compensation_pay(compensation=compensation, actor=actor(world, Role.FINANCE), method="cash")


def test_without_approval_a_compensation_is_not_paid_then_finance_pays_it_out(world, complaint):
    compensation = propose(
        world, complaint, "900.00", payer=Payer.INSURER, claim_reference="PICC-2026-118"
    )
    finance = actor(world, Role.FINANCE)
    with pytest.raises(ComplaintConflict, match="approved"):
        compensation_pay(compensation=compensation, actor=finance, method="bank_transfer")
    compensation_decide(compensation=compensation, actor=actor(world, Role.MANAGER), approve=True)
    with pytest.raises(PermissionDenied):
        compensation_pay(
            compensation=compensation, actor=actor(world, Role.DISPATCHER), method="cash"
        )
    paid = compensation_pay(
        compensation=compensation, actor=finance, method="bank_transfer", reference="TX-9"
    )
    assert paid.status == CompensationStatus.PAID and paid.paid_by == finance.user
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()


@pytest.mark.parametrize(
    ("amount", "options", "field"),
    [
        ("0.00", {}, "amount"),
        ("-5.00", {}, "amount"),
        ("12.345", {}, "amount"),
        ("50.00", {"payer": Payer.INSURER}, "claim_reference"),
        ("50.00", {"payer": "neighbour"}, "payer"),
        ("50.00", {"item": " "}, "item"),
    ],
)
def test_a_bad_compensation_is_refused_by_field(world, complaint, amount, options, field):
    with pytest.raises(ValidationError) as refused:
        propose(world, complaint, amount, **options)
    assert field in refused.value.message_dict
    assert not Compensation.objects.exists()


def test_a_compensation_proposed_twice_is_proposed_once(world, complaint):
    key = uuid.uuid4()
    first = propose(world, complaint, "50.00", submission_key=key)
    with pytest.raises(RepeatedSubmission) as repeated:
        propose(world, complaint, "50.00", submission_key=key)
    assert repeated.value.earlier == first


def test_compensation_figures_count_what_was_paid_by_payer(world, complaint):
    manager, finance = actor(world, Role.MANAGER), actor(world, Role.FINANCE)
    for amount, payer in (("100.00", Payer.AGENCY), ("60.00", Payer.AGENCY), ("40.00", "staff")):
        compensation = propose(world, complaint, amount, payer=payer)
        compensation_decide(compensation=compensation, actor=manager, approve=True)
        compensation_pay(compensation=compensation, actor=finance, method="cash")
    propose(world, complaint, "999.00")  # proposed only: not paid
    now = timezone.now()
    figures = compensation_figures(
        agency=world.a.agency, start=now - timedelta(days=1), end=now + timedelta(days=1)
    )
    assert figures.total == Decimal("200.00")
    assert figures.by_payer == {
        Payer.AGENCY: (2, Decimal("160.00")),
        Payer.STAFF: (1, Decimal("40.00")),
    }
    assert compensation_figures(agency=world.b.agency, start=now, end=now).total == 0


# --- the customer's charge --------------------------------------------------------------


def test_the_charge_becomes_a_line_on_the_orders_draft_invoice(world, complaint, order):
    draft = invoice_of(order, status=InvoiceStatus.DRAFT, number="", issued_at=None)
    charge = charge_customer(
        complaint=complaint,
        actor=actor(world, Role.MANAGER),
        amount=Decimal("80.00"),
        reason="客户自行损坏地板",
    )
    assert charge.invoice == draft
    line = InvoiceLine.objects.get(pk=charge.line_id)
    assert line.kind == LineKind.ADJUSTMENT and line.amount == Decimal("80.00")
    assert "客户自行损坏地板" in line.reason
    draft.refresh_from_db()
    assert draft.subtotal == Decimal("230.00")


def test_without_a_draft_the_charge_is_a_new_invoice_for_the_customer(world, complaint, order):
    invoice_of(order, paid=Decimal("150.00"))
    charge = charge_customer(
        complaint=complaint,
        actor=actor(world, Role.MANAGER),
        amount=Decimal("80.00"),
        reason="客户自行损坏地板",
    )
    assert charge.invoice.status == InvoiceStatus.DRAFT
    assert charge.invoice.customer == complaint.customer
    assert charge.invoice.total == Decimal("80.00") + charge.invoice.tax


def test_a_charge_is_a_managers_and_follows_the_investigation(world, complaint):
    with pytest.raises(PermissionDenied):
        charge_customer(
            complaint=complaint,
            actor=actor(world, Role.DISPATCHER),
            amount=Decimal("80.00"),
            reason="客户自行损坏",
        )
    assert not Charge.objects.exists() and not Invoice.objects.exists()
    fresh = ComplaintFactory(agency=world.a.agency, branch=world.a.branch)
    with pytest.raises(ComplaintConflict):
        charge_customer(
            complaint=fresh,
            actor=actor(world, Role.MANAGER),
            amount=Decimal("80.00"),
            reason="客户自行损坏",
        )


# --- the inspection visit ---------------------------------------------------------------


def test_an_inspection_visit_is_scheduled_recorded_with_photos_and_flagged_when_overdue(
    world, complaint
):
    today = timezone.localdate()
    visit = inspection_schedule(
        complaint=complaint,
        actor=actor(world, Role.DISPATCHER),
        scheduled_for=today,
        inspector=world.a.user(Role.SUPERVISOR),
    )
    assert overdue_inspections(agency=world.a.agency, today=today + timedelta(days=1)) == {
        complaint.pk
    }
    assert overdue_inspections(agency=world.a.agency, today=today) == set()
    with pytest.raises(ValidationError) as refused:
        inspection_record(
            visit=visit,
            actor=actor(world, Role.SUPERVISOR),
            findings="地板已修复",
            photos=[text_as("evil.png")],
        )
    assert "photos" in refused.value.message_dict
    inspection_record(
        visit=visit,
        actor=actor(world, Role.SUPERVISOR),
        findings="地板已修复，客户满意",
        photos=[photo("floor.png")],
    )
    visit.refresh_from_db()
    assert visit.recorded_at is not None
    stored = InspectionVisitPhoto.objects.get(visit=visit)
    assert stored.original_name == "floor.png" and "floor" not in stored.file.name
    assert overdue_inspections(agency=world.a.agency, today=today + timedelta(days=1)) == set()


def test_an_inspection_follows_a_hard_complaint_by_an_office_member(world, complaint):
    soft = ComplaintFactory(agency=world.a.agency, branch=world.a.branch, tier=Tier.SOFT)
    today = timezone.localdate()
    with pytest.raises(ComplaintConflict):
        inspection_schedule(
            complaint=soft,
            actor=actor(world, Role.DISPATCHER),
            scheduled_for=today,
            inspector=world.a.user(Role.SUPERVISOR),
        )
    for inspector, day in (
        (world.b.user(Role.SUPERVISOR), today),
        (world.a.user(Role.STAFF), today),
        (world.a.user(Role.SUPERVISOR), today - timedelta(days=1)),
    ):
        with pytest.raises(ValidationError):
            inspection_schedule(
                complaint=complaint,
                actor=actor(world, Role.DISPATCHER),
                scheduled_for=day,
                inspector=inspector,
            )
