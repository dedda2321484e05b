"""Attendance (issue 17): lateness at check-in, early leaving at check-out, a check-in
away from the job's district, and the no-show sweep that tells the dispatchers at once.

Time is moved with time_machine (never slept); the job of `team_job` starts 30 minutes
after the pinned now, so check-in is open.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agency.models import AuditLog, Notification, Role
from orders.intake.models import District
from orders.models import Assignment, AssignmentStatus, OrderEvent, Punctuality
from orders.service.services.service_log import (
    Position,
    log_check_in,
    log_check_out,
    log_correction,
)
from orders.staffing.attendance import distance_km, no_show_due, no_show_tell_due
from orders.staffing.services import (
    VIA_PHONE,
    assignment_confirm,
    assignment_propose,
    assignment_release,
)
from orders.tasks import sweep_no_shows
from tests.factories import AssignmentFactory, OrderFactory, StaffMemberFactory
from tests.orders.test_matching import confirm, make_staff, require_skill_and_certificate
from tests.orders.test_service_log import prepare

#: Near the centre of 朝阳区, and in 海淀区 (about 14 km west of it).
CHAOYANG = Position(latitude=Decimal("39.921900"), longitude=Decimal("116.443600"))
HAIDIAN = Position(latitude=Decimal("39.959900"), longitude=Decimal("116.298300"))


def told(world, rule: str, agency: str = "a") -> list[Notification]:
    """The in-app notices of `rule` ("job.late:office") to the agency's dispatcher."""
    dispatcher = getattr(world, agency).user(Role.DISPATCHER)
    return list(Notification.objects.filter(key__contains=rule, user=dispatcher))


def reload(assignment: Assignment) -> Assignment:
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def awaited(team_job):
    """The team job with both people awaited, as confirmation leaves them."""
    due = no_show_due(team_job.order)
    Assignment.objects.filter(order=team_job.order).update(no_show_due_at=due)
    prepare(team_job)
    return team_job


# --- lateness and early leaving ------------------------------------------------------------


def test_a_check_in_within_the_grace_is_on_time_and_tells_nobody(awaited, world):
    job = awaited
    with time_machine.travel(job.order.starts_at + timedelta(minutes=10), tick=False):
        log_check_in(assignment=job.lead, actor=job.lead_actor)
    lead = reload(job.lead)
    assert (lead.punctuality, lead.late_minutes, lead.no_show_due_at) == (
        Punctuality.ON_TIME,
        10,
        None,
    )
    assert lead.arrived_at == job.order.starts_at + timedelta(minutes=10)
    assert not told(world, "job.late:office")


def test_a_check_in_after_the_grace_is_late_and_tells_the_dispatcher_once(awaited, world):
    job = awaited
    with time_machine.travel(job.order.starts_at + timedelta(minutes=11, seconds=5), tick=False):
        log_check_in(assignment=job.lead, actor=job.lead_actor)
    lead = reload(job.lead)
    assert (lead.punctuality, lead.late_minutes) == (Punctuality.LATE, 11)
    [notice] = told(world, "job.late:office")
    assert "张阿姨" in notice.body and "11" in notice.body
    assert not told(world, "job.late:office", agency="b")
    assert AuditLog.objects.filter(action="assignment.arrived").count() == 1


def test_the_agency_sets_the_grace(awaited):
    job = awaited
    job.order.agency.late_grace_minutes = 0
    job.order.agency.save(update_fields=["late_grace_minutes"])
    with time_machine.travel(job.order.starts_at + timedelta(minutes=1), tick=False):
        log_check_in(assignment=job.lead, actor=job.lead_actor)
    assert reload(job.lead).punctuality == Punctuality.LATE


def test_leaving_before_the_end_less_the_grace_is_early(awaited):
    job = awaited
    ends = job.order.ends_at
    with time_machine.travel(job.order.starts_at, tick=False):
        log_check_in(assignment=job.lead, actor=job.lead_actor)
        log_check_in(assignment=job.member, actor=job.member_actor)
    with time_machine.travel(ends - timedelta(minutes=45), tick=False):
        log_check_out(assignment=job.member, actor=job.member_actor)
    with time_machine.travel(ends - timedelta(minutes=5), tick=False):
        log_check_out(assignment=job.lead, actor=job.lead_actor)
    member, lead = reload(job.member), reload(job.lead)
    assert (member.left_at, member.left_early_minutes) == (ends - timedelta(minutes=45), 45)
    assert (lead.left_at, lead.left_early_minutes) == (ends - timedelta(minutes=5), 0)


# --- the district --------------------------------------------------------------------------


def test_distance_is_the_great_circle():
    assert (
        13
        < distance_km(CHAOYANG.latitude, CHAOYANG.longitude, HAIDIAN.latitude, HAIDIAN.longitude)
        < 14
    )


def test_a_check_in_away_from_the_jobs_district_is_marked_never_refused(awaited, world):
    job = awaited
    District.objects.create(
        agency=world.a.agency, name="朝阳区", latitude="39.921900", longitude="116.443600"
    )
    # Another agency's centre of the same name is not this agency's.
    District.objects.create(
        agency=world.b.agency, name="朝阳区", latitude="39.959900", longitude="116.298300"
    )
    with time_machine.travel(job.order.starts_at, tick=False):
        log_check_in(assignment=job.lead, actor=job.lead_actor, position=CHAOYANG)
        log_check_in(assignment=job.member, actor=job.member_actor, position=HAIDIAN)
    assert reload(job.lead).arrived_off_district is False
    assert reload(job.member).arrived_off_district is True


def test_without_a_centre_or_a_position_nobody_can_say(awaited):
    job = awaited
    with time_machine.travel(job.order.starts_at, tick=False):
        log_check_in(assignment=job.lead, actor=job.lead_actor, position=HAIDIAN)
        log_check_in(assignment=job.member, actor=job.member_actor)
    assert reload(job.lead).arrived_off_district is None
    assert reload(job.member).arrived_off_district is None


# --- no-shows ------------------------------------------------------------------------------


@pytest.fixture
def confirmed(book, cleaning, dispatcher):
    """A person confirmed through the services on an order three days ahead, 09:00."""
    require_skill_and_certificate(cleaning)
    order = confirm(book(), dispatcher)
    [job] = assignment_propose(
        order=order, staff_list=[make_staff(order, name="迟")], actor=dispatcher
    )
    assignment_confirm(order=order, via=VIA_PHONE, actor=dispatcher, signed_name="王芳")
    return reload(job)


def test_confirming_a_person_sets_when_they_become_a_no_show(confirmed):
    order = confirmed.order
    assert confirmed.no_show_due_at == order.starts_at + timedelta(minutes=30)


def test_a_no_show_is_marked_and_told_at_once_and_only_once(confirmed, world):
    due = confirmed.no_show_due_at
    with time_machine.travel(due - timedelta(seconds=1), tick=False):
        assert no_show_tell_due() == 0
    assert not told(world, "job.no_show:office")

    with time_machine.travel(due, tick=False):
        assert sweep_no_shows() == 1
        assert no_show_tell_due() == 0
    with time_machine.travel(due + timedelta(hours=2), tick=False):
        assert no_show_tell_due() == 0
    [notice] = told(world, "job.no_show:office")
    assert "迟" in notice.body and "30" in notice.body
    assert not told(world, "job.no_show:office", agency="b")
    job = reload(confirmed)
    assert (job.punctuality, job.no_show_due_at) == (Punctuality.NO_SHOW, None)
    assert OrderEvent.objects.filter(order=job.order, reason__contains="no-show").count() == 1
    assert AuditLog.objects.filter(action="assignment.no_show").count() == 1


def test_a_released_person_is_never_a_no_show(confirmed, dispatcher, world):
    assignment_release(order=confirmed.order, assignment=confirmed, reason="生病", actor=dispatcher)
    assert reload(confirmed).no_show_due_at is None
    with time_machine.travel(confirmed.order.starts_at + timedelta(hours=1), tick=False):
        assert no_show_tell_due() == 0
    assert not told(world, "job.no_show:office")
    assert reload(confirmed).status == AssignmentStatus.RELEASED


def test_a_check_in_before_the_no_show_time_stops_the_notice(awaited, world):
    job = awaited
    with time_machine.travel(job.order.starts_at + timedelta(minutes=29), tick=False):
        log_check_in(assignment=job.lead, actor=job.lead_actor)
    with time_machine.travel(job.order.starts_at + timedelta(minutes=31), tick=False):
        # The member has not come: only they are a no-show.
        assert no_show_tell_due() == 1
    assert reload(job.lead).punctuality == Punctuality.LATE
    assert reload(job.member).punctuality == Punctuality.NO_SHOW
    [notice] = told(world, "job.no_show:office")
    assert "李阿姨" in notice.body


def test_a_check_in_after_the_notice_turns_the_record_late(awaited, world):
    job = awaited
    with time_machine.travel(job.order.starts_at + timedelta(minutes=30), tick=False):
        assert no_show_tell_due() == 2
    with time_machine.travel(job.order.starts_at + timedelta(minutes=42), tick=False):
        log_check_in(assignment=job.lead, actor=job.lead_actor)
    lead = reload(job.lead)
    assert (lead.punctuality, lead.late_minutes) == (Punctuality.LATE, 42)
    # The notice was true when sent: it stays, and the late arrival is told too.
    assert len(told(world, "job.no_show:office")) == 2
    assert len(told(world, "job.late:office")) == 1
    assert OrderEvent.objects.filter(order=job.order, reason__contains="no-show").count() == 2


def test_another_agencys_awaited_job_is_left_alone(confirmed, world):
    other = AssignmentFactory(
        agency=world.b.agency,
        order=OrderFactory(agency=world.b.agency, branch=world.b.branch),
        staff=StaffMemberFactory(agency=world.b.agency),
        status=AssignmentStatus.CONFIRMED,
    )
    later = confirmed.no_show_due_at + timedelta(days=1)
    Assignment.objects.filter(pk=other.pk).update(no_show_due_at=later)
    with time_machine.travel(confirmed.no_show_due_at, tick=False):
        assert no_show_tell_due() == 1
    other.refresh_from_db()
    assert (other.no_show_due_at, other.punctuality) == (later, "")


def test_a_sweep_with_nothing_due_runs_the_same_statements_whatever_is_waiting(confirmed):
    def statements() -> int:
        with CaptureQueriesContext(connection) as ran:
            assert no_show_tell_due() == 0
        return len(ran)

    few = statements()
    for _n in range(5):
        extra = AssignmentFactory(
            agency=confirmed.agency,
            order=confirmed.order,
            staff=StaffMemberFactory(agency=confirmed.agency),
            status=AssignmentStatus.CONFIRMED,
        )
        Assignment.objects.filter(pk=extra.pk).update(no_show_due_at=confirmed.no_show_due_at)
    assert statements() == few


# --- the manager's district centres and the settings ---------------------------------------


def test_a_manager_lists_adds_and_edits_district_centres(world, client_for):
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.post(
        reverse("district_create"),
        {"name": "海淀区", "latitude": "39.959900", "longitude": "116.298300", "radius_km": "6"},
    )
    assert response.status_code == 302
    district = District.objects.get(agency=world.a.agency)
    assert (district.name, district.radius_km) == ("海淀区", Decimal("6.0"))
    assert AuditLog.objects.filter(action="district.create").exists()

    again = manager.post(
        reverse("district_create"),
        {"name": "海淀区", "latitude": "39.9", "longitude": "116.3", "radius_km": "5"},
    )
    assert again.status_code == 200 and again.context["form"].errors
    far = manager.post(
        reverse("district_edit", args=[district.pk]),
        {"name": "海淀区", "latitude": "95", "longitude": "116.3", "radius_km": "5"},
    )
    assert "latitude" in far.context["form"].errors
    manager.post(
        reverse("district_edit", args=[district.pk]),
        {"name": "海淀区", "latitude": "39.959900", "longitude": "116.298300", "radius_km": "8"},
    )
    district.refresh_from_db()
    assert district.radius_km == Decimal("8.0")
    page = manager.get(reverse("district_list"))
    assert "海淀区" in page.content.decode()
    assert reverse("district_list") in manager.get(reverse("agency_settings")).content.decode()


def test_district_centres_are_the_managers_of_their_own_agency(world, client_for):
    theirs = District.objects.create(
        agency=world.b.agency, name="浦东新区", latitude="31.22", longitude="121.54"
    )
    manager = client_for(world.a.user(Role.MANAGER))
    assert manager.get(reverse("district_edit", args=[theirs.pk])).status_code == 404
    assert "浦东新区" not in manager.get(reverse("district_list")).content.decode()
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    assert dispatcher.get(reverse("district_list")).status_code == 403


def test_the_attendance_settings_are_on_the_settings_page(world, client_for):
    manager = client_for(world.a.user(Role.MANAGER))
    fields = manager.get(reverse("agency_settings")).context["form"].fields
    for name in ("late_grace_minutes", "no_show_after_minutes", "travel_gap_minutes"):
        assert name in fields and fields[name].help_text
    response = manager.patch(
        reverse("api_agency_settings"),
        {"late_grace_minutes": 5, "no_show_after_minutes": 45, "travel_gap_minutes": 30},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["no_show_after_minutes"] == 45
    refused = manager.patch(
        reverse("api_agency_settings"),
        {"no_show_after_minutes": 1},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "no_show_after_minutes" in refused.json()


def test_a_check_in_is_corrected_never_withdrawn_so_the_arrival_stands(awaited):
    job = awaited
    with time_machine.travel(job.order.starts_at + timedelta(minutes=20), tick=False):
        entry = log_check_in(assignment=job.lead, actor=job.lead_actor)
        with pytest.raises(ValidationError):
            log_correction(entry=entry, actor=job.lead_actor, withdraw=True)
    lead = reload(job.lead)
    assert (lead.punctuality, lead.late_minutes) == (Punctuality.LATE, 20)


def test_the_order_page_shows_lateness_and_a_check_in_elsewhere(awaited, world, client_for):
    job = awaited
    District.objects.create(
        agency=world.a.agency, name="朝阳区", latitude="39.921900", longitude="116.443600"
    )
    with time_machine.travel(job.order.starts_at + timedelta(minutes=25), tick=False):
        log_check_in(assignment=job.lead, actor=job.lead_actor, position=HAIDIAN)
    office = client_for(world.a.user(Role.DISPATCHER))
    with translation.override("zh-hans"):
        html = office.get(reverse("order_detail", args=[job.order.pk])).content.decode()
    assert "异地到岗" in html and "迟到 25 分钟" in html
    [lead] = [
        a
        for a in office.get(reverse("order-detail", args=[job.order.pk])).json()["assignments"]
        if a["id"] == job.lead.pk
    ]
    assert (lead["punctuality"], lead["late_minutes"], lead["arrived_off_district"]) == (
        "late",
        25,
        True,
    )
