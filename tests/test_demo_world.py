"""The demo is a world a newcomer can walk through: each agency in its own language,
its people named, its staff able to take its jobs, its queues as a tidy office leaves them."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from agency.audit import Actor
from agency.models import Agency, Membership, OutboundMessage, Role, User
from complaints.models import (
    Compensation,
    CompensationStatus,
    Complaint,
    DeadlineKind,
    Incident,
    IncidentKind,
    ValuablesCheck,
    ValuablesConfirmedVia,
)
from complaints.services.remedies import compensation_decide, remedy_policy_for
from feedback.models import Revisit, RevisitStatus
from home.waiting import waiting_for
from orders.models import (
    Assignment,
    BookingRequest,
    BookingRequestStatus,
    Customer,
    District,
    Order,
    OrderStatus,
    Punctuality,
)
from orders.schedule.selectors import Filters, Period, board
from orders.staffing.matching import explain_exclusion
from placements.models import ContractStatus, Placement, PlacementStatus
from placements.terms import missing_terms
from staff.models import StaffMember

CHINESE = re.compile(r"[\u4e00-\u9fff]")


#: A Wednesday morning in Beijing and Shanghai: the demo is seeded then.
SEEDED_AT = datetime(2026, 12, 2, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seeded once for the module (it takes a while), rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(SEEDED_AT, tick=False):
            call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def clock(demo, db):
    with time_machine.travel(SEEDED_AT, tick=False):
        yield


def test_the_demo_people_have_names_in_their_agencys_language(clock):
    for username in ("anxin.manager", "anxin.finance", "anxin.supervisor"):
        assert CHINESE.search(User.objects.get(username=username).get_full_name())
    for username in ("sunrise.manager", "sunrise.finance", "sunrise.supervisor"):
        name = User.objects.get(username=username).get_full_name()
        assert name and not CHINESE.search(name)
    role_names = {str(label) for label in Role.labels} | {r.value.title() for r in Role}
    assert not set(User.objects.values_list("first_name", flat=True)) & role_names


def test_the_english_agency_reads_in_english(clock):
    sunrise = Agency.objects.get(slug="sunrise")
    texts = [
        *Customer.objects.filter(agency=sunrise).values_list("name", flat=True),
        *StaffMember.objects.filter(agency=sunrise).values_list("name", flat=True),
        *Revisit.objects.filter(agency=sunrise).values_list("notes", flat=True),
        *Order.objects.filter(agency=sunrise).values_list(
            "needs_form__address__district", flat=True
        ),
    ]
    assert texts and [t for t in texts if CHINESE.search(t or "")] == []
    # Its staff work where its customers live, in Shanghai.
    staff_districts = {
        d
        for ds in StaffMember.objects.filter(agency=sunrise).values_list("districts", flat=True)
        for d in ds
    }
    customer_districts = set(
        Order.objects.filter(agency=sunrise).values_list("needs_form__address__district", flat=True)
    )
    assert customer_districts <= staff_districts


def test_the_staff_login_can_be_given_a_new_cleaning(clock):
    for slug in ("anxin", "sunrise"):
        staff = StaffMember.objects.get(user__username=f"{slug}.staff")
        assert staff.skills.filter(code="cleaning").exists()
        jobs = Order.objects.filter(assignments__staff=staff).exclude(number__startswith="H")
        assert jobs.filter(service_type__code="cleaning").exists()
        waiting = Order.objects.filter(
            agency__slug=slug, status=OrderStatus.CONFIRMED, service_type__code="cleaning"
        )
        for order in waiting:
            reasons = " ".join(str(r) for r in explain_exclusion(order=order, staff=staff))
            assert "skill" not in reasons.lower()


def test_the_revisit_queue_opens_on_a_tidy_office(clock):
    now = timezone.now()
    for slug in ("anxin", "sunrise"):
        open_ = Revisit.objects.filter(agency__slug=slug, status=RevisitStatus.OPEN)
        assert 1 <= open_.filter(due_at__lt=now).count() <= 2
        assert Revisit.objects.filter(agency__slug=slug, status=RevisitStatus.DONE).count() > 100


def test_staff_ratings_follow_the_feedback_of_their_jobs(clock):
    for slug in ("anxin", "sunrise"):
        rated = StaffMember.objects.filter(agency__slug=slug, rating__isnull=False)
        assert rated.count() >= 6
        assert all(1 <= member.rating <= 5 and member.rating_count for member in rated)


def test_every_office_login_opens_on_work_waiting_for_it(clock):
    """The home page of each demo role lists something to do on the demo's today."""
    members = Membership.objects.filter(
        agency__slug__in=("anxin", "sunrise"), user__username__contains="."
    ).exclude(role=Role.STAFF)
    assert members.count() == 10
    for member in members.select_related("agency", "branch", "user"):
        waiting = waiting_for(member, now=timezone.now())
        assert waiting, member.user.username
    managers = members.filter(role=Role.MANAGER)
    assert all(
        "refunds_to_approve" in {i.key for i in waiting_for(m, now=timezone.now())}
        for m in managers
    )


def test_the_history_records_attendance(clock):
    """Some past jobs late, one no-show replaced, one check-in elsewhere (issue 17); each
    agency has the centres of its customers' districts."""
    for slug in ("anxin", "sunrise"):
        recorded = Assignment.objects.filter(agency__slug=slug, order__number__startswith="H")
        assert recorded.filter(punctuality=Punctuality.LATE).count() >= 5
        assert recorded.filter(punctuality=Punctuality.ON_TIME).count() > 50
        [no_show] = recorded.filter(punctuality=Punctuality.NO_SHOW)
        assert no_show.replaced_by is not None and no_show.replaced_by.arrived_at is not None
        assert recorded.filter(arrived_off_district=True).count() == 1
        districts = set(District.objects.filter(agency__slug=slug).values_list("name", flat=True))
        served_in = set(
            Order.objects.filter(agency__slug=slug).values_list(
                "needs_form__address__district", flat=True
            )
        )
        assert served_in <= districts


def test_the_schedule_board_is_busy_this_week(clock):
    for slug in ("anxin", "sunrise"):
        agency = Agency.objects.get(slug=slug)
        week = board(agency, Period.of(agency, agency.today()), Filters())
        blocks = [block for lane in week.lanes for block in lane.blocks]
        assert len(blocks) >= 10
        assert any(block.travel_warning for block in blocks)
        assert len(week.needing) >= 3


def test_booking_requests_wait_on_each_agencys_intake(clock):
    for slug in ("anxin", "sunrise"):
        agency = Agency.objects.get(slug=slug)
        waiting = BookingRequest.objects.filter(agency=agency, status=BookingRequestStatus.WAITING)
        assert waiting.count() == 3
        assert waiting.filter(rebooked_from__isnull=False).count() == 1
        said = " ".join(waiting.values_list("pets", flat=True))
        assert bool(CHINESE.search(said)) == (slug == "anxin")


def test_a_repair_complaint_shows_the_warranty_deadlines(clock):
    for slug in ("anxin", "sunrise"):
        complaint = Complaint.objects.get(agency__slug=slug, order__service_type__is_repair=True)
        assert complaint.order.service_type.code == "appliance-repair"
        open_kinds = set(
            complaint.deadlines.filter(met_at__isnull=True).values_list("kind", flat=True)
        )
        assert {DeadlineKind.REPAIR_CONTACT, DeadlineKind.WARRANTY_ANSWER} <= open_kinds


def test_the_valuables_check_is_done_on_one_job_and_waits_for_the_link_on_another(clock):
    for slug in ("anxin", "sunrise"):
        checks = ValuablesCheck.objects.filter(agency__slug=slug).select_related("order")
        assert {check.order.service_type.valuables_check for check in checks} == {True}
        assert sorted(check.confirmed_via for check in checks) == ["", ValuablesConfirmedVia.DEVICE]
        assert OutboundMessage.objects.filter(
            agency__slug=slug, rule="valuables.to_confirm:customer"
        ).exists()


def test_a_damage_incident_waits_on_the_managers_approval_of_its_compensation(clock):
    for slug in ("anxin", "sunrise"):
        agency = Agency.objects.get(slug=slug)
        waiting = Compensation.objects.get(agency=agency, status=CompensationStatus.PROPOSED)
        incident = Incident.objects.get(complaint=waiting.complaint)
        assert incident.kind == IncidentKind.DAMAGE and incident.order is not None
        assert waiting.amount > remedy_policy_for(agency).approval_limit
        supervisor = Actor(user=User.objects.get(username=f"{slug}.supervisor"))
        with pytest.raises(PermissionDenied), transaction.atomic():
            compensation_decide(compensation=waiting, actor=supervisor, approve=True)


def test_the_yuesao_booking_is_a_placement_with_its_terms_agreed(clock):
    for slug in ("anxin", "sunrise"):
        placement = Placement.objects.get(agency__slug=slug, status=PlacementStatus.DRAFT)
        assert placement.order.service_type.code == "yuesao"
        assert placement.wage and placement.deposit and placement.trial_days == 3
        assert set(missing_terms(placement)) <= {"staff"}


def test_each_agency_has_a_yuesao_in_placement_on_a_contract_signed_by_all_three(clock):
    for slug in ("anxin", "sunrise"):
        placement = Placement.objects.get(agency__slug=slug, status=PlacementStatus.ACTIVE)
        assert placement.order.service_type.code == "yuesao"
        contract, renewal = placement.contracts.order_by("number")
        assert contract.status == ContractStatus.SIGNED and contract.final_sha256
        assert (renewal.kind, renewal.status) == ("renewal", ContractStatus.OUT_FOR_SIGNATURE)
        assert contract.signatures.count() == 3
        assert placement.briefing.done_at is not None
