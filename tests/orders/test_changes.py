"""Change requests (变更) through their services: priced from the list, answered by the customer.

DESIGN.md, "Service": content and fees never change without the customer's
prior agreement, recorded as a change the customer approved.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.backends.postgresql.psycopg_any import DateRange

from agency.audit import Actor
from agency.models import Role
from orders.models import (
    ChangeStatus,
    CustomerSignature,
    Order,
    OrderEvent,
    Price,
    PricingUnit,
    SignaturePurpose,
    SignedVia,
    Stage,
)
from orders.service.services.acceptance import (
    AcceptanceConflict,
    Failure,
    acceptance_sign_lead,
    acceptance_sign_supervisor,
)
from orders.service.services.changes import (
    ChangeConflict,
    change_request_approve,
    change_request_create,
    change_request_decline,
    change_request_withdraw,
)
from tests.factories import (
    MembershipFactory,
    PriceFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
)
from tests.orders.service_steps import CUSTOMER, nothing_written, serve, supervisors


def ask(job, **overrides):
    """The lead asks for one more hour of cleaning (the balcony)."""
    values = {"description": "加做阳台 1 小时", "quantity": Decimal("1")}
    return change_request_create(order=job.order, actor=job.lead_actor, **{**values, **overrides})


def test_a_change_is_priced_from_the_list_of_the_orders_day(team_job, cleaning):
    job = team_job
    # The job moves three days out; the price of cleaning goes up that very day.
    starts = job.order.starts_at + timedelta(days=3)
    Order.objects.filter(pk=job.order.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    job.reload()
    day = job.order.agency.local_date(starts)
    Price.objects.filter(service_type=cleaning).update(
        valid_during=DateRange(date(2020, 1, 1), day, "[)")
    )
    PriceFactory(
        agency=cleaning.agency,
        service_type=cleaning,
        unit_price=Decimal("33.33"),
        valid_during=DateRange(day, None, "[)"),
    )

    change = ask(job, description="  加做阳台  ", quantity=Decimal("1.5"))

    assert (change.unit_price, change.quantity, change.unit, change.currency) == (
        Decimal("33.33"),
        Decimal("1.5"),
        PricingUnit.HOUR,
        "CNY",
    )
    assert change.amount == Decimal("50.00")  # 49.995, rounded half up to the cent
    assert (change.description, change.status, change.requested_by, change.signature) == (
        "加做阳台",
        ChangeStatus.AWAITING_CUSTOMER,
        job.lead_actor.user,
        None,
    )
    assert OrderEvent.objects.filter(order=job.order, reason__contains="加做阳台").count() == 1


def test_a_change_may_be_priced_as_another_service_of_the_agency(world, team_job, dispatcher):
    job = team_job
    windows = ServiceTypeFactory(
        agency=world.a.agency, code="windows", pricing_unit=PricingUnit.SQUARE_METRE
    )
    PriceFactory(agency=world.a.agency, service_type=windows, unit_price=Decimal("8.00"))
    less = change_request_create(
        order=job.order,
        actor=dispatcher,
        description="少擦 2.5 平方米玻璃",
        quantity=Decimal("-2.50"),
        service_type=windows,
    )
    assert (less.service_type, less.unit, less.amount, less.requested_by) == (
        windows,
        PricingUnit.SQUARE_METRE,
        Decimal("-20.00"),
        dispatcher.user,
    )


def test_a_change_is_refused_outside_the_agencys_price_list(world, team_job, dispatcher):
    job = team_job
    foreign = ServiceTypeFactory(agency=world.b.agency, code="cleaning")
    PriceFactory(agency=world.b.agency, service_type=foreign, unit_price=Decimal("1.00"))
    unpriced = ServiceTypeFactory(agency=world.a.agency, code="unpriced")
    for service_type in (foreign, unpriced):
        with nothing_written(), pytest.raises(ValidationError):
            ask(job, service_type=service_type)
    with nothing_written(), pytest.raises(ValidationError):
        ask(job, description="  ")
    # The fee is the list price times the quantity as stored: no fractions of a cent unit.
    with nothing_written(), pytest.raises(ValidationError) as refused:
        ask(job, quantity=Decimal("1.255"))
    assert "quantity" in refused.value.message_dict
    with nothing_written(), pytest.raises(ValidationError):
        ask(job, quantity=Decimal("1000000"))


def test_only_the_team_or_the_office_asks_for_a_change(world, team_job):
    job = team_job
    not_on_the_job = StaffMemberFactory(
        agency=world.a.agency,
        user=MembershipFactory(agency=world.a.agency, role=Role.STAFF).user,
    )
    outsiders = [
        Actor(user=not_on_the_job.user),
        Actor(user=world.a.user(Role.FINANCE)),
        Actor(user=world.b.user(Role.DISPATCHER)),
        CUSTOMER,
    ]
    for actor in outsiders:
        with nothing_written(), pytest.raises(PermissionDenied):
            change_request_create(
                order=job.order, actor=actor, description="加做阳台", quantity=Decimal("1")
            )


# --- the customer's answer ------------------------------------------------------------------


def test_the_customer_approves_on_the_device_of_staff_on_the_job(team_job):
    job = team_job
    change = ask(job)
    approved = change_request_approve(
        change=change, actor=job.member_actor, via=SignedVia.DEVICE, signed_name=" 王芳 "
    )
    assert (approved.status, approved.decided_at is not None) == (ChangeStatus.APPROVED, True)
    signature = approved.signature
    assert (
        signature.purpose,
        signature.via,
        signature.signed_name,
        signature.collected_by,
        signature.verified_by,
        signature.ip_address,
    ) == (
        SignaturePurpose.APPROVE_CHANGE,
        SignedVia.DEVICE,
        "王芳",
        job.member_actor.user,
        None,
        "192.0.2.21",
    )

    # Answered once: approving again or declining now is refused.
    with nothing_written(), pytest.raises(ChangeConflict):
        change_request_approve(
            change=change, actor=CUSTOMER, via=SignedVia.LINK, signed_name="王芳"
        )
    with nothing_written(), pytest.raises(ChangeConflict):
        change_request_decline(change=change, actor=CUSTOMER, via=SignedVia.LINK)
    with nothing_written(), pytest.raises(ChangeConflict):
        change_request_withdraw(change=change, actor=job.lead_actor, reason="算了")


def test_the_customer_approves_by_link(team_job):
    job = team_job
    change = ask(job)
    approved = change_request_approve(
        change=change, actor=CUSTOMER, via=SignedVia.LINK, signed_name="王芳", user_agent="Phone"
    )
    signature = approved.signature
    assert (signature.via, signature.collected_by, signature.verified_by) == (
        SignedVia.LINK,
        None,
        None,
    )
    assert (signature.ip_address, signature.user_agent) == ("198.51.100.7", "Phone")


def test_nobody_but_the_customer_answers_a_change(world, team_job, dispatcher, manager):
    job = team_job
    change = ask(job)
    stranger_staff = Actor(user=world.b.user(Role.STAFF))
    not_the_customer = [
        (dispatcher, SignedVia.OFFICE),
        (manager, SignedVia.OFFICE),
        (dispatcher, SignedVia.LINK),  # a logged-in user is not the customer's link
        (job.lead_actor, SignedVia.LINK),
        (dispatcher, SignedVia.DEVICE),  # the office is not on the job
        (stranger_staff, SignedVia.DEVICE),
        (CUSTOMER, SignedVia.DEVICE),
        (job.lead_actor, SignedVia.OFFICE),
    ]
    for actor, via in not_the_customer:
        with nothing_written(), pytest.raises(PermissionDenied):
            change_request_approve(change=change, actor=actor, via=via, signed_name="王芳")
        with nothing_written(), pytest.raises(PermissionDenied):
            change_request_decline(change=change, actor=actor, via=via)
    with nothing_written(), pytest.raises(ValidationError):
        change_request_approve(change=change, actor=CUSTOMER, via=SignedVia.LINK, signed_name=" ")


def test_declining_needs_no_signature(team_job):
    job = team_job
    change = ask(job)
    declined = change_request_decline(
        change=change, actor=CUSTOMER, via=SignedVia.LINK, reason=" 太贵了 "
    )
    assert (declined.status, declined.signature, declined.decision_note) == (
        ChangeStatus.DECLINED,
        None,
        "太贵了",
    )
    assert not CustomerSignature.objects.filter(order=job.order).exists()
    with nothing_written(), pytest.raises(ChangeConflict):
        change_request_approve(
            change=change, actor=CUSTOMER, via=SignedVia.LINK, signed_name="王芳"
        )


def test_withdrawing_a_change_needs_a_reason(world, team_job):
    job = team_job
    change = ask(job)
    for actor in (CUSTOMER, Actor(user=world.b.user(Role.MANAGER))):
        with nothing_written(), pytest.raises(PermissionDenied):
            change_request_withdraw(change=change, actor=actor, reason="不需要了")
    with nothing_written(), pytest.raises(ValidationError):
        change_request_withdraw(change=change, actor=job.lead_actor, reason="  ")

    withdrawn = change_request_withdraw(change=change, actor=job.member_actor, reason="客户改主意")
    assert (withdrawn.status, withdrawn.decision_note, withdrawn.signature) == (
        ChangeStatus.WITHDRAWN,
        "客户改主意",
        None,
    )
    with nothing_written(), pytest.raises(ChangeConflict):
        change_request_approve(
            change=change, actor=CUSTOMER, via=SignedVia.LINK, signed_name="王芳"
        )


# --- changes and acceptance ------------------------------------------------------------------


def test_the_lead_cannot_sign_stage_one_while_a_change_awaits_the_customer(team_job):
    job = team_job
    serve(job)
    change = ask(job)  # asked at inspection, before anyone signed
    with nothing_written(), pytest.raises(AcceptanceConflict):
        acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    change_request_approve(change=change, actor=CUSTOMER, via=SignedVia.LINK, signed_name="王芳")
    signed = acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    assert signed.stage == Stage.LEAD


def test_no_new_change_once_stage_one_is_signed(world, team_job, dispatcher):
    job = team_job
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    with nothing_written(), pytest.raises(ChangeConflict):
        ask(job)
    with nothing_written(), pytest.raises(ChangeConflict):
        change_request_create(
            order=job.order, actor=dispatcher, description="加做阳台", quantity=Decimal("1")
        )
    # Not in rework either, nor in the round after it.
    team, _office = supervisors(world)
    acceptance_sign_supervisor(
        order=job.order,
        stage=Stage.TEAM_SUPERVISOR,
        actor=team,
        passed=False,
        failures=[Failure("卫生间")],
    )
    with nothing_written(), pytest.raises(ChangeConflict):
        ask(job)
