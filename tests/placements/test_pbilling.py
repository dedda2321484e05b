"""Placement billing (issue 20): the schedule of charges, the sweep that invoices them
once, the deposit at signing, and the settlement when a placement ends or is terminated."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agency.audit import Actor
from agency.errors import StateConflict
from agency.models import Role
from orders.billing.services import payment_record
from orders.models import InvoiceKind, InvoiceStatus, RefundStatus
from placements.billing import (
    placement_bill_deposit,
    placement_charges_bill_due,
    placement_end,
    placement_schedule,
    placement_terminate,
)
from placements.lifecycle import placement_lock, placement_transition
from placements.models import ChargeState, PlacementCharge, PlacementStatus
from tests.factories import PlacementFactory
from tests.placements.conftest import member

pytestmark = pytest.mark.django_db

ZONE_NOON = "2026-12-15 12:00 +08:00"


def running(placement, status=PlacementStatus.SIGNED):
    """The placement signed (and started, for ACTIVE), as the contract slice will do it."""
    placement = placement_lock(placement)
    placement_transition(placement, PlacementStatus.SIGNED, allowed_from=[placement.status])
    if status == PlacementStatus.ACTIVE:
        placement_transition(placement, PlacementStatus.ACTIVE, allowed_from=["signed"])
    return placement


def schedule(placement):
    return [(c.kind, c.period_start, c.period_end, c.amount) for c in placement_schedule(placement)]


def test_a_term_price_is_one_charge_at_the_start_with_deposit_fee_and_monthly_wage(placement):
    # 26 days from 15 December: the wage is a part month, 26 of the 31 days to 14 January.
    assert schedule(placement) == [
        ("deposit", date(2026, 12, 15), date(2027, 1, 9), Decimal("2000.00")),
        ("fee", date(2026, 12, 15), date(2027, 1, 9), Decimal("2800.00")),
        ("service", date(2026, 12, 15), date(2027, 1, 9), Decimal("16800.00")),
        ("wage", date(2026, 12, 15), date(2027, 1, 9), Decimal("10064.52")),
    ]


def test_a_monthly_price_is_one_charge_a_month_the_last_part_month_pro_rata(world):
    placement = PlacementFactory(
        agency=world.a.agency,
        price_period="month",
        price=Decimal("9000"),
        wage_paid_by="customer",
        service_fee=None,
        deposit=Decimal("0"),
    )
    placement.ends_on = date(2027, 2, 24)  # two whole months and 10 of February's 28 days
    assert schedule(placement) == [
        ("service", date(2026, 12, 15), date(2027, 1, 14), Decimal("9000")),
        ("service", date(2027, 1, 15), date(2027, 2, 14), Decimal("9000")),
        ("service", date(2027, 2, 15), date(2027, 2, 24), Decimal("3214.29")),
    ]


def test_the_wage_is_collected_only_when_the_agency_pays_it(world):
    placement = PlacementFactory(agency=world.a.agency, wage_paid_by="customer")
    assert "wage" not in {kind for kind, *_ in schedule(placement)}


def test_the_sweep_bills_what_is_due_once_even_run_twice(placement):
    running(placement)
    assert placement_charges_bill_due() == 1  # before the first day only the deposit
    deposit = PlacementCharge.objects.get(placement=placement, kind="deposit")
    assert deposit.state == ChargeState.INVOICED
    assert deposit.invoice.status == InvoiceStatus.ISSUED and deposit.invoice.number
    assert deposit.invoice.total >= Decimal("2000")
    with time_machine.travel(ZONE_NOON, tick=False):
        assert placement_charges_bill_due() == 1  # fee, service and wage on one invoice
        assert placement_charges_bill_due() == 0
    charges = PlacementCharge.objects.filter(placement=placement)
    assert {c.state for c in charges} == {ChargeState.INVOICED}
    invoices = {c.invoice_id for c in charges}
    assert len(invoices) == 2
    first_day = charges.exclude(kind="deposit").first().invoice
    assert first_day.lines.count() == 3
    assert first_day.subtotal == Decimal("2800.00") + Decimal("16800.00") + Decimal("10064.52")


def test_a_draft_placement_is_not_billed(placement):
    assert placement_charges_bill_due() == 0
    assert placement_bill_deposit(placement) is None
    assert not PlacementCharge.objects.filter(placement=placement).exists()


def test_the_deposit_is_billed_at_signing_once(placement):
    running(placement)
    invoice = placement_bill_deposit(placement)
    assert invoice is not None and invoice.lines.get().amount == Decimal("2000.00")
    assert placement_bill_deposit(placement) is None
    assert placement_charges_bill_due() == 0


def billed_and_paid(world, placement):
    """Signed, started, billed on the first day; the deposit paid by the customer."""
    running(placement, PlacementStatus.ACTIVE)
    with time_machine.travel(ZONE_NOON, tick=False):
        placement_charges_bill_due()
    deposit = PlacementCharge.objects.get(placement=placement, kind="deposit").invoice
    payment_record(
        invoice=deposit,
        actor=member(world, Role.FINANCE),
        amount=deposit.total,
        method="bank_transfer",
    )
    return deposit


def test_termination_credits_unserved_days_and_proposes_the_deposit_less_deductions(
    world, placement
):
    deposit = billed_and_paid(world, placement)
    with time_machine.travel("2026-12-25 12:00 +08:00", tick=False):
        settlement = placement_terminate(
            placement=placement,
            actor=member(world, Role.MANAGER),
            reason="The family moves abroad.",
            last_day=date(2026, 12, 24),
            deductions=Decimal("300.00"),
            deduction_reason="Broken steriliser",
        )
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.TERMINATED
    assert placement.ended_on == date(2026, 12, 24)
    assert settlement.days_served == 10
    # 16 of the 26 days not served, of the service and the wage (tax as invoiced).
    month = PlacementCharge.objects.get(placement=placement, kind="service").invoice
    rate = month.tax_rate_percent
    net = Decimal("16800.00") * 16 / 26 + Decimal("10064.52") * 16 / 26
    expected = (net * (100 + rate) / 100).quantize(Decimal("0.01"))
    assert settlement.credited == expected
    note = month.credit_notes.get()
    assert note.kind == InvoiceKind.CREDIT_NOTE and note.total == -expected
    assert settlement.deposit == Decimal("2000.00")
    assert settlement.deposit_returned == Decimal("1700.00")
    refund = settlement.refund
    assert refund.invoice == deposit and refund.amount == Decimal("1700.00")
    assert refund.status == RefundStatus.REQUESTED
    placement.order.refresh_from_db()
    assert placement.order.ends_at.astimezone(world.a.agency.zone).date() == date(2026, 12, 24)


def test_termination_of_a_monthly_placement_bills_served_days_and_cancels_the_rest(world):
    placement = PlacementFactory(
        agency=world.a.agency,
        price_period="month",
        price=Decimal("9000"),
        wage_paid_by="customer",
        deposit=None,
        service_fee=None,
    )
    placement.ends_on = date(2027, 3, 14)
    placement.save()
    running(placement, PlacementStatus.ACTIVE)
    with time_machine.travel(ZONE_NOON, tick=False):
        placement_charges_bill_due()
    with time_machine.travel("2027-01-20 12:00 +08:00", tick=False):
        settlement = placement_terminate(
            placement=placement,
            actor=member(world, Role.MANAGER),
            reason="Not suited",
            last_day=date(2027, 1, 19),
            deductions=Decimal(0),
        )
    charges = PlacementCharge.objects.filter(placement=placement).order_by("period_start")
    states = [(c.period_start, c.state, c.amount) for c in charges]
    assert states == [
        (date(2026, 12, 15), "invoiced", Decimal("9000.00")),
        (date(2027, 1, 15), "invoiced", Decimal("1451.61")),  # 5 of 31 days served
        (date(2027, 2, 15), "cancelled", Decimal("9000.00")),
    ]
    assert settlement.cancelled_charges == 1
    assert settlement.credited == 0 and settlement.refund is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deductions": Decimal("-1")}, "deductions"),
        ({"deductions": Decimal("2000.01")}, "deductions"),
        ({"deductions": Decimal("10"), "deduction_reason": ""}, "deduction_reason"),
        ({"last_day": date(2027, 1, 10)}, "last_day"),
        ({"last_day": date(2026, 12, 14)}, "last_day"),
        ({"reason": " "}, "reason"),
    ],
)
def test_bad_settlement_input_is_named(world, placement, change, field):
    running(placement, PlacementStatus.ACTIVE)
    data = {
        "reason": "Moving",
        "last_day": date(2026, 12, 20),
        "deductions": Decimal(0),
        "deduction_reason": "",
    } | change
    with pytest.raises(ValidationError) as raised:
        placement_terminate(placement=placement, actor=member(world, Role.MANAGER), **data)
    assert field in raised.value.message_dict
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ACTIVE


def test_a_draft_or_ended_placement_is_not_terminated(world, placement):
    data = {"reason": "Moving", "last_day": date(2026, 12, 20), "deductions": Decimal(0)}
    with pytest.raises(StateConflict):
        placement_terminate(placement=placement, actor=member(world, Role.MANAGER), **data)


def test_only_a_manager_terminates(world, placement):
    running(placement, PlacementStatus.ACTIVE)
    data = {"reason": "Moving", "last_day": date(2026, 12, 20), "deductions": Decimal(0)}
    for role in (Role.DISPATCHER, Role.FINANCE, Role.STAFF):
        with pytest.raises(PermissionDenied):
            placement_terminate(placement=placement, actor=member(world, role), **data)
    with pytest.raises(PermissionDenied):
        placement_terminate(placement=placement, actor=Actor.system(), **data)


def test_the_normal_end_comes_on_the_last_day_and_proposes_the_whole_deposit(world, placement):
    deposit = billed_and_paid(world, placement)
    with pytest.raises(ValidationError, match="terminate it"):
        placement_end(placement=placement, actor=member(world, Role.MANAGER))
    with time_machine.travel("2027-01-09 21:00 +08:00", tick=False):
        settlement = placement_end(placement=placement, actor=member(world, Role.MANAGER))
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED
    assert placement.ended_on == date(2027, 1, 9)
    assert settlement.days_served == 26 and settlement.credited == 0
    assert settlement.refund.invoice == deposit
    assert settlement.refund.amount == Decimal("2000.00")


TERMINATE = {
    "reason": "The family moves abroad.",
    "last_day": "2026-12-24",
    "deductions": "300.00",
    "deduction_reason": "Broken steriliser",
}


def test_api_terminates_with_the_settlement_and_lists_the_charges(world, placement, client_for):
    billed_and_paid(world, placement)
    url = f"/api/placements/{placement.pk}/"
    with time_machine.travel("2026-12-25 12:00 +08:00", tick=False):
        client = client_for(world.a.user(Role.MANAGER))  # signed in on the day
        done = client.post(url + "terminate/", TERMINATE, content_type="application/json")
        again = client.post(url + "terminate/", TERMINATE, content_type="application/json")
        charges = client.get(url + "charges/").json()
    assert done.status_code == 201, done.content
    assert done.json()["deposit_returned"] == "1700.00"
    assert done.json()["refund_status"] == "requested"
    assert done.json()["days_served"] == 10
    assert again.status_code == 409
    assert {c["kind"] for c in charges} == {"deposit", "fee", "service", "wage"}
    assert all(c["invoice_number"] for c in charges)


def test_api_names_bad_input_and_refuses_roles_and_other_agencies(world, placement, client_for):
    running(placement, PlacementStatus.ACTIVE)
    url = f"/api/placements/{placement.pk}/terminate/"
    manager = client_for(world.a.user(Role.MANAGER))
    bad = manager.post(
        url, {**TERMINATE, "deductions": "-5", "last_day": "2027-02-01"}, "application/json"
    )
    assert bad.status_code == 400
    assert {"deductions", "last_day"} <= set(bad.json())
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    assert dispatcher.post(url, TERMINATE, "application/json").status_code == 403
    assert dispatcher.get(f"/api/placements/{placement.pk}/charges/").status_code == 200
    other = client_for(world.b.user(Role.MANAGER))
    assert other.post(url, TERMINATE, "application/json").status_code == 404
    assert other.get(f"/api/placements/{placement.pk}/charges/").status_code == 404


def test_api_refuses_terminating_a_draft(world, placement, client_for):
    manager = client_for(world.a.user(Role.MANAGER))
    url = f"/api/placements/{placement.pk}/terminate/"
    assert manager.post(url, TERMINATE, "application/json").status_code == 409


def in_english(user):
    """The member reads the pages in English (the agency's default is Chinese)."""
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def test_the_page_shows_the_schedule_and_terminates_from_its_form(world, placement, client_for):
    billed_and_paid(world, placement)
    page_url = reverse("placement_detail", args=[placement.pk])
    dispatcher = client_for(in_english(world.a.user(Role.DISPATCHER)))
    page = dispatcher.get(page_url).text
    assert "placement-charges" in page and "Terminate early" not in page
    terminate_url = reverse("placement_terminate", args=[placement.pk])
    assert dispatcher.post(terminate_url, TERMINATE).status_code == 403
    manager = client_for(in_english(world.a.user(Role.MANAGER)))
    assert "Terminate early" in manager.get(page_url).text
    bad = manager.post(terminate_url, {**TERMINATE, "deductions": "5000"})
    assert bad.status_code == 400
    assert "At most the deposit" in bad.text
    with time_machine.travel("2026-12-25 12:00 +08:00", tick=False):
        manager = client_for(world.a.user(Role.MANAGER))  # signed in on the day
        done = manager.post(terminate_url, TERMINATE)
        page = manager.get(page_url).text
    assert done.status_code == 302 and done.url == page_url
    assert "Settlement" in page and "1700.00" in page
    other = client_for(world.b.user(Role.MANAGER))
    assert other.post(terminate_url, TERMINATE).status_code == 404
