"""The demo is a world a newcomer can walk through: each agency in its own language,
its people named, its staff able to take its jobs, its queues as a tidy office leaves them."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from agency.models import Agency, Role, User
from feedback.models import Revisit, RevisitStatus
from orders.models import Customer, Order, OrderStatus
from orders.schedule.selectors import Filters, Period, board
from orders.staffing.matching import explain_exclusion
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


def test_the_schedule_board_is_busy_this_week(clock):
    for slug in ("anxin", "sunrise"):
        agency = Agency.objects.get(slug=slug)
        week = board(agency, Period.of(agency, agency.today()), Filters())
        blocks = [block for lane in week.lanes for block in lane.blocks]
        assert len(blocks) >= 10
        assert any(block.travel_warning for block in blocks)
        assert len(week.needing) >= 3
