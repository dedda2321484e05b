"""Amendments and renewals of a signed placement contract (issue 20), through the
services: each version signed by all three parties, then applied to the placement, its
order, its staff and its charges; what is refused, and the renewal reminder's new day."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from agency.errors import StateConflict
from agency.models import AuditLog, OutboundMessage, Role
from orders.billing.models import Invoice
from orders.models import Assignment, AssignmentStatus, InvoiceKind, OrderStatus
from placements.amendments import contract_amend
from placements.billing import placement_charges_bill_due, placement_schedule_rebuild
from placements.contracts import contract_prepare
from placements.during import briefing_items, briefing_record, placement_start
from placements.during_renewal import renewal_reminders_send
from placements.models import (
    ContractKind,
    ContractStatus,
    ContractVersion,
    Placement,
    PlacementCharge,
    PlacementStatus,
    RenewalReminder,
    SigningParty,
)
from placements.terms import TERM_FIELDS, Terms, placement_terms_save, service_window
from tests.factories import (
    AssignmentFactory,
    OrderFactory,
    PlacementFactory,
    StaffMemberFactory,
)
from tests.placements.conftest import member
from tests.placements.test_signing import by_link, by_manager

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = datetime(2026, 12, 15, 9, tzinfo=SHANGHAI)


def at(day: date, hour: int = 12):
    """The clock stopped at `hour` on `day` in Shanghai."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def terms_of(placement: Placement, **changes: object) -> Terms:
    """The placement's terms, with `changes`."""
    terms = Terms(**{name: getattr(placement, name) for name in TERM_FIELDS})
    return replace(terms, **changes)


def sign_all(world, version: ContractVersion) -> ContractVersion:
    """Every party signs: the two links, then a manager for the agency."""
    by_link(version, SigningParty.CUSTOMER)
    by_link(version, SigningParty.STAFF)
    by_manager(world, version)
    version.refresh_from_db()
    return version


def signed(world, placement: Placement) -> ContractVersion:
    """The original contract out and signed by all three: the placement is signed."""
    version = contract_prepare(placement=placement, actor=member(world, Role.DISPATCHER))
    return sign_all(world, version)


def started(world, placement: Placement) -> Placement:
    """Briefed and started on its first day: the placement is active."""
    items = list(briefing_items(world.a.agency))
    briefing_record(
        placement=placement,
        actor=member(world, Role.SUPERVISOR),
        ticked=items,
        staff_present=True,
    )
    with time_machine.travel(FIRST_DAY, tick=False):
        return placement_start(placement=placement, actor=member(world, Role.SUPERVISOR))


def amend(world, placement: Placement, *, reason: str = "客户要求", **kwargs) -> ContractVersion:
    """`contract_amend` by a dispatcher, on the placement as it is now."""
    return contract_amend(
        placement=Placement.objects.get(pk=placement.pk),
        actor=member(world, Role.DISPATCHER),
        reason=reason,
        **kwargs,
    )


def monthly(world, ends_on: date) -> Placement:
    """A draft placement priced by the month (9000), the wage paid by the customer, running
    from 15 December to `ends_on` (the order's window moved with it)."""
    placement = PlacementFactory(
        agency=world.a.agency,
        price_period="month",
        price=Decimal("9000.00"),
        wage_paid_by="customer",
    )
    return placement_terms_save(
        placement=placement,
        actor=member(world, Role.DISPATCHER),
        terms=terms_of(placement, ends_on=ends_on),
    )


def service_charges(placement: Placement) -> list[tuple[date, date, Decimal, str]]:
    charges = PlacementCharge.objects.filter(placement=placement, kind="service")
    return [
        (c.period_start, c.period_end, c.amount, c.state) for c in charges.order_by("period_start")
    ]


def last_day_of(order) -> date:
    order.refresh_from_db()
    return order.ends_at.astimezone(SHANGHAI).date()


def confirmed(placement: Placement) -> Assignment:
    return Assignment.objects.get(order=placement.order, status=AssignmentStatus.CONFIRMED)


# --- 1. a price amendment ---------------------------------------------------------------


def test_a_price_amendment_reprices_the_months_not_invoiced_and_supersedes_version_1(world):
    placement = monthly(world, ends_on=date(2027, 3, 14))
    original = signed(world, placement)
    started(world, placement)
    with at(date(2026, 12, 15)):
        placement_charges_bill_due()  # the deposit, then the fee and the first month
    with at(date(2026, 12, 20)):
        amendment = amend(world, placement, terms=terms_of(placement, price=Decimal("10000.00")))
        assert service_charges(placement)[1][2] == Decimal("9000.00")  # nothing moves yet
        sign_all(world, amendment)
    assert service_charges(placement) == [
        (date(2026, 12, 15), date(2027, 1, 14), Decimal("9000.00"), "invoiced"),
        (date(2027, 1, 15), date(2027, 2, 14), Decimal("10000.00"), "planned"),
        (date(2027, 2, 15), date(2027, 3, 14), Decimal("10000.00"), "planned"),
    ]
    placement.refresh_from_db()
    original.refresh_from_db()
    assert placement.price == Decimal("10000.00")
    assert placement.status == PlacementStatus.ACTIVE
    assert (original.status, amendment.status) == (ContractStatus.SUPERSEDED, ContractStatus.SIGNED)
    assert (amendment.number, amendment.kind) == (2, ContractKind.AMENDMENT)
    audit = AuditLog.objects.get(action="placement.terms_amended", object_id=str(placement.pk))
    assert audit.changes == {"price": ["9000.00", "10000.00"]}
    # The invoiced month stands: no credit note, no second invoice for it.
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()


# --- 2. a renewal -------------------------------------------------------------------------


def test_a_renewal_moves_the_order_and_staff_and_charges_the_rest_of_a_part_month(world):
    placement = monthly(world, ends_on=date(2027, 1, 24))
    signed(world, placement)
    started(world, placement)
    with at(date(2026, 12, 15)):
        placement_charges_bill_due()
    with at(date(2027, 1, 15)):
        placement_charges_bill_due()  # the last, part month: 10 of 31 days
    assert service_charges(placement)[-1] == (
        date(2027, 1, 15),
        date(2027, 1, 24),
        Decimal("2903.23"),
        "invoiced",
    )
    with at(date(2027, 1, 16)):
        renewal = amend(
            world,
            placement,
            terms=terms_of(placement, ends_on=date(2027, 3, 14)),
            kind=ContractKind.RENEWAL,
            reason="续约两个月",
        )
        sign_all(world, renewal)
    placement.refresh_from_db()
    assert placement.ends_on == date(2027, 3, 14)
    order = placement.order
    order.refresh_from_db()
    new_window = service_window(order, date(2026, 12, 15), date(2027, 3, 14))
    assert (order.starts_at, order.ends_at) == new_window
    assert confirmed(placement).period.upper == new_window[1]
    assert service_charges(placement) == [
        (date(2026, 12, 15), date(2027, 1, 14), Decimal("9000.00"), "invoiced"),
        (date(2027, 1, 15), date(2027, 1, 24), Decimal("2903.23"), "invoiced"),
        # The rest of the month from 15 January: 21 of its 31 days.
        (date(2027, 1, 25), date(2027, 2, 14), Decimal("6096.77"), "planned"),
        (date(2027, 2, 15), date(2027, 3, 14), Decimal("9000.00"), "planned"),
    ]
    assert renewal.kind == ContractKind.RENEWAL and renewal.status == ContractStatus.SIGNED


@pytest.mark.parametrize("ends_on", [date(2027, 1, 9), date(2027, 1, 5)])
def test_a_renewal_that_does_not_run_past_the_last_day_is_refused(world, ends_on):
    placement = PlacementFactory(agency=world.a.agency)
    signed(world, placement)
    with pytest.raises(ValidationError) as refused:
        amend(
            world,
            placement,
            terms=terms_of(placement, ends_on=ends_on),
            kind=ContractKind.RENEWAL,
        )
    assert "2027-01-09" in refused.value.message_dict["ends_on"][0]
    assert ContractVersion.objects.filter(placement=placement).count() == 1


# --- 3. the renewal reminder after a renewal ---------------------------------------------


def test_after_a_renewal_the_reminder_goes_again_before_the_new_last_day_once(world):
    placement = PlacementFactory(agency=world.a.agency)  # last day 9 January
    signed(world, placement)
    with at(date(2026, 12, 10), 9):
        assert renewal_reminders_send() == 1
    with at(date(2026, 12, 11)):
        renewal = amend(
            world,
            placement,
            terms=terms_of(placement, ends_on=date(2027, 2, 8)),
            kind=ContractKind.RENEWAL,
        )
        sign_all(world, renewal)
        assert renewal_reminders_send() == 0  # the new last day is 59 days away
    with at(date(2027, 1, 8), 9):
        assert renewal_reminders_send() == 0  # 31 days before 8 February
    with at(date(2027, 1, 9), 9):
        assert renewal_reminders_send() == 1
        assert renewal_reminders_send() == 0
    with at(date(2027, 1, 20), 9):
        assert renewal_reminders_send() == 0
    reminded = RenewalReminder.objects.filter(placement=placement).order_by("ends_on")
    assert [r.ends_on for r in reminded] == [date(2027, 1, 9), date(2027, 2, 8)]
    assert OutboundMessage.objects.filter(rule="placement.renewal:customer").count() == 2


# --- 4. a staff replacement ---------------------------------------------------------------


def test_a_replacement_amendment_is_signed_by_the_newcomer_who_takes_over(
    world, django_capture_on_commit_callbacks
):
    placement = PlacementFactory(agency=world.a.agency)
    signed(world, placement)
    started(world, placement)
    old = confirmed(placement)
    newcomer = StaffMemberFactory(
        agency=world.a.agency, accepts_live_in=True, home_branch=placement.order.branch
    )
    to_staff = OutboundMessage.objects.filter(rule="placement.contract_to_sign:staff")
    before = set(to_staff.values_list("pk", flat=True))
    with at(date(2026, 12, 20)):
        with django_capture_on_commit_callbacks(execute=True):
            amendment = amend(
                world, placement, terms=terms_of(placement), staff=newcomer, reason="换人"
            )
        sent = to_staff.exclude(pk__in=before).get()
        assert (sent.recipient_name, sent.recipient) == (newcomer.name, newcomer.phone)
        assert f"staff:{newcomer.pk}" in sent.topics
        assert amendment.staff == newcomer and amendment.replaces == old
        assert amendment.terms["variables"]["staff_name"] == newcomer.name
        # The newcomer signs last, by link: the amendment is applied without an office actor.
        by_manager(world, amendment)
        by_link(amendment, SigningParty.CUSTOMER)
        assert confirmed(placement) == old  # nothing changes until all have signed
        by_link(amendment, SigningParty.STAFF)
    amendment.refresh_from_db()
    assert amendment.status == ContractStatus.SIGNED
    old.refresh_from_db()
    new = confirmed(placement)
    assert new.staff == newcomer
    assert (old.status, old.replaced_by) == (AssignmentStatus.RELEASED, new)
    assert old.period.upper == new.period.lower == datetime(2026, 12, 20, 12, tzinfo=SHANGHAI)
    placement.order.refresh_from_db()
    assert placement.order.status == OrderStatus.ASSIGNED


def test_a_replacement_by_the_same_or_an_ineligible_staff_member_is_refused(world):
    placement = PlacementFactory(agency=world.a.agency)
    signed(world, placement)
    current = confirmed(placement).staff
    with pytest.raises(ValidationError) as same:
        amend(world, placement, terms=terms_of(placement), staff=current)
    assert same.value.message_dict["staff"] == ["Choose someone else."]
    homebody = StaffMemberFactory(
        agency=world.a.agency, accepts_live_in=False, home_branch=placement.order.branch
    )
    with pytest.raises(ValidationError) as ineligible:
        amend(world, placement, terms=terms_of(placement), staff=homebody)
    assert ineligible.value.message_dict["staff"][0].startswith(homebody.name)
    outsider = StaffMemberFactory(agency=world.b.agency, accepts_live_in=True)
    with pytest.raises(ValidationError) as other_agency:
        amend(world, placement, terms=terms_of(placement), staff=outsider)
    assert "staff" in other_agency.value.message_dict
    assert ContractVersion.objects.filter(placement=placement).count() == 1


# --- 5. refusals ----------------------------------------------------------------------------


def test_an_amendment_without_a_reason_is_refused(world):
    placement = PlacementFactory(agency=world.a.agency)
    signed(world, placement)
    with pytest.raises(ValidationError) as refused:
        amend(world, placement, terms=terms_of(placement, wage=Decimal("13000")), reason="  ")
    assert set(refused.value.message_dict) == {"reason"}


def test_the_first_day_of_an_active_placement_stays(world):
    placement = PlacementFactory(agency=world.a.agency)
    signed(world, placement)
    started(world, placement)
    with pytest.raises(ValidationError) as refused:
        amend(world, placement, terms=terms_of(placement, starts_on=date(2026, 12, 16)))
    assert "starts_on" in refused.value.message_dict
    assert ContractVersion.objects.filter(placement=placement).count() == 1


def test_a_second_amendment_waits_for_the_first_to_be_signed(world):
    placement = PlacementFactory(agency=world.a.agency)
    signed(world, placement)
    amend(world, placement, terms=terms_of(placement, wage=Decimal("13000")))
    with pytest.raises(StateConflict, match="already out for signature"):
        amend(world, placement, terms=terms_of(placement, wage=Decimal("14000")))
    assert ContractVersion.objects.filter(placement=placement).count() == 2


def test_a_placement_not_signed_is_not_amended(world):
    placement = PlacementFactory(agency=world.a.agency)
    with pytest.raises(StateConflict, match="Only a signed contract"):
        amend(world, placement, terms=terms_of(placement, wage=Decimal("13000")))
    contract_prepare(placement=placement, actor=member(world, Role.DISPATCHER))  # signing
    with pytest.raises(StateConflict, match="Only a signed contract"):
        amend(world, placement, terms=terms_of(placement, wage=Decimal("13000")))
    assert ContractVersion.objects.filter(placement=placement).count() == 1


def test_new_dates_that_clash_with_another_job_are_refused_when_proposed(world):
    placement = PlacementFactory(agency=world.a.agency)
    signed(world, placement)
    assignment = confirmed(placement)
    zone = world.a.agency.zone
    other = OrderFactory(
        agency=world.a.agency,
        status=OrderStatus.ASSIGNED,
        starts_at=datetime(2027, 1, 20, 9, tzinfo=zone),
        ends_at=datetime(2027, 1, 20, 12, tzinfo=zone),
    )
    AssignmentFactory(
        agency=world.a.agency,
        order=other,
        staff=assignment.staff,
        status=AssignmentStatus.CONFIRMED,
    )
    order = placement.order
    window = (order.starts_at, order.ends_at)
    with pytest.raises(ValidationError) as refused:
        amend(
            world,
            placement,
            terms=terms_of(placement, ends_on=date(2027, 1, 25)),
            kind=ContractKind.RENEWAL,
        )
    assert other.number in " ".join(refused.value.message_dict["ends_on"])
    assert ContractVersion.objects.filter(placement=placement).count() == 1
    order.refresh_from_db()
    assignment.refresh_from_db()
    assert (order.starts_at, order.ends_at) == window
    assert assignment.period.upper == window[1]
    assert not AuditLog.objects.filter(action__in=["order.window", "contract.renewal"]).exists()


# --- 6. a shorter term --------------------------------------------------------------------


def test_a_shorter_term_credits_the_invoiced_unserved_days_once_and_cuts_the_charges(world):
    placement = PlacementFactory(agency=world.a.agency)  # 16800 the term, 26 days to 9 Jan
    signed(world, placement)
    started(world, placement)
    with at(date(2026, 12, 15)):
        placement_charges_bill_due()
    month = PlacementCharge.objects.get(placement=placement, kind="service").invoice
    with at(date(2026, 12, 20)):
        amendment = amend(
            world,
            placement,
            terms=terms_of(placement, ends_on=date(2027, 1, 4)),
            reason="客户提前结束",
        )
        sign_all(world, amendment)
    # 5 of the 26 days invoiced are not served any more, of the service and the wage.
    net = Decimal("16800.00") * 5 / 26 + Decimal("10064.52") * 5 / 26
    expected = (net * (100 + month.tax_rate_percent) / 100).quantize(Decimal("0.01"))
    note = month.credit_notes.get()
    assert note.total == -expected
    charges = {
        c.kind: (c.period_end, c.amount, c.state)
        for c in PlacementCharge.objects.filter(placement=placement, kind__in=["service", "wage"])
    }
    assert charges == {
        "service": (date(2027, 1, 4), Decimal("13569.23"), "invoiced"),
        "wage": (date(2027, 1, 4), Decimal("8129.04"), "invoiced"),
    }
    assert last_day_of(placement.order) == date(2027, 1, 4)
    placement.refresh_from_db()
    placement_schedule_rebuild(placement, actor=member(world, Role.MANAGER))
    assert month.credit_notes.count() == 1
    assert PlacementCharge.objects.filter(placement=placement, state="planned").count() == 0


# --- 7. the renewal message in the customer's language ---------------------------------------


def test_the_renewal_reminder_dates_the_new_last_day_in_chinese(world):
    placement = PlacementFactory(agency=world.a.agency)
    customer = placement.order.customer
    customer.preferred_language = "zh-hans"
    customer.save(update_fields=["preferred_language"])
    signed(world, placement)
    renewal = amend(
        world,
        placement,
        terms=terms_of(placement, ends_on=date(2027, 2, 8)),
        kind=ContractKind.RENEWAL,
    )
    sign_all(world, renewal)
    with at(date(2027, 1, 9), 9):
        assert renewal_reminders_send() == 1
    message = OutboundMessage.objects.get(rule="placement.renewal:customer")
    assert "2027年2月8日" in message.body
    assert "2027-02-08" not in message.body and "Feb" not in message.body
    assert message.recipient_name == customer.name


def test_a_renewal_out_for_signature_changes_nothing_yet(world):
    placement = PlacementFactory(agency=world.a.agency)
    signed(world, placement)
    renewal = amend(
        world,
        placement,
        terms=terms_of(placement, ends_on=date(2027, 2, 8)),
        kind=ContractKind.RENEWAL,
    )
    assert renewal.status == ContractStatus.OUT_FOR_SIGNATURE
    assert renewal.terms["terms"]["ends_on"] == "2027-02-08"
    by_link(renewal, SigningParty.CUSTOMER)
    by_manager(world, renewal)
    placement.refresh_from_db()
    assert placement.ends_on == date(2027, 1, 9)  # the staff member has not signed yet
    assert last_day_of(placement.order) == date(2027, 1, 9)
    assert confirmed(placement).period.upper == placement.order.ends_at
