"""The schedule board (issue 17): its reads (lanes, shading, load, travel warnings, the
jobs needing staff; a fixed number of queries), the move and swap services, and the
page's actions and poll, by role and across agencies."""

import itertools
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.urls import reverse
from django.utils import timezone

from agency.models import AuditLog, OutboundMessage, Role
from orders import live
from orders.models import HOLDING, Assignment, AssignmentStatus, Order, OrderEvent, OrderStatus
from orders.schedule import selectors
from orders.schedule.selectors import Filters, Period
from orders.schedule.services import assignments_swap, order_move
from orders.staffing.services import (
    DoubleBooked,
    assignment_confirm,
    assignment_decline,
    assignment_propose,
    assignment_release,
)
from staff.models import StaffMember, TimeOffStatus, WorkingHours
from tests.concurrency import race
from tests.factories import (
    AssignmentFactory,
    CustomerAddressFactory,
    NeedsFormFactory,
    OrderFactory,
    StaffMemberFactory,
    TimeOffFactory,
)
from tests.orders.test_matching import confirm, make_staff, require_skill_and_certificate


@pytest.fixture
def order(book, cleaning, dispatcher):
    """A confirmed cleaning order needing the cleaning skill, Saturday 12 Dec 09:00–12:00."""
    require_skill_and_certificate(cleaning)
    return confirm(book(), dispatcher)


def week_of(order: Order) -> Period:
    return Period.of(order.agency, order.starts_at.astimezone(order.agency.zone).date())


def lane_of(lanes, member):
    return next(lane for lane in lanes if lane.staff.pk == member.pk)


_numbers = itertools.count(1)


def order_at(order: Order, *, starts_at: datetime, district: str = "朝阳区", **fields) -> Order:
    """Another confirmed order of the agency at `starts_at`, three hours."""
    needs = NeedsFormFactory(
        agency=order.agency,
        service_type=order.service_type,
        address=CustomerAddressFactory(agency=order.agency, district=district),
    )
    needs.customer = needs.address.customer
    needs.save(update_fields=["customer"])
    return OrderFactory(
        agency=order.agency,
        branch=order.branch,
        needs_form=needs,
        customer=needs.customer,
        service_type=order.service_type,
        number=f"S-{next(_numbers)}",
        status=OrderStatus.CONFIRMED,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        **fields,
    )


# --- reads ------------------------------------------------------------------------


def test_a_proposed_job_sits_on_its_lane_by_time_with_the_load_and_check_in(order, dispatcher):
    member = make_staff(order)
    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    period = week_of(order)

    lane = lane_of(selectors.board_lanes(order.agency, period, Filters()), member)

    (block,) = lane.blocks
    assert block.order_id == order.pk
    assert block.tone == "proposed"
    # Saturday 09:00 in a Monday-to-Sunday week: (5 days + 9 h) / 7 days.
    assert block.left == pytest.approx((5 * 24 + 9) / (7 * 24) * 100, abs=0.01)
    assert block.width == pytest.approx(3 / (7 * 24) * 100, abs=0.01)
    assert lane.load_hours == 3.0
    assert block.check_in_opens == order.starts_at - timedelta(minutes=60)


def test_time_off_and_hours_outside_the_pattern_are_shaded(order):
    member = make_staff(order)  # works 08:00–18:00 on the order's weekday only
    start = order.starts_at + timedelta(days=1)
    TimeOffFactory(
        agency=order.agency,
        staff=member,
        status=TimeOffStatus.APPROVED,
        period=DateTimeTZRange(start, start + timedelta(hours=5)),
    )
    lane = lane_of(selectors.board_lanes(order.agency, week_of(order), Filters()), member)
    kinds = [shade.kind for shade in lane.shades]
    assert kinds.count("time-off") == 1
    # From Monday to the working day's 08:00, and from its 18:00 to Sunday's end.
    assert kinds.count("off-hours") == 2


def test_consecutive_jobs_in_other_districts_too_close_are_both_marked(order, dispatcher):
    member = make_staff(order, accepts_live_in=False)
    close = order_at(order, starts_at=order.ends_at + timedelta(minutes=30), district="海淀区")
    far = order_at(order, starts_at=order.ends_at + timedelta(hours=5), district="丰台区")
    for job in (order, close, far):
        AssignmentFactory(agency=order.agency, order=job, staff=member)

    lane = lane_of(selectors.board_lanes(order.agency, week_of(order), Filters()), member)

    warned = {block.order_id: block.travel_warning for block in lane.blocks}
    assert warned[order.pk] == close.number
    assert warned[close.pk] == order.number
    assert warned[far.pk] == ""


def test_lanes_filter_by_branch_skill_level_and_service(order, world):
    skilled = make_staff(order, skill_level=4)
    make_staff(order, skill_level=2)
    unskilled = StaffMemberFactory(agency=order.agency, home_branch=order.branch)
    elsewhere = StaffMemberFactory(agency=order.agency)  # another branch
    StaffMemberFactory(agency=world.b.agency)  # another agency: never

    def names(**filters):
        return {
            lane.staff.pk
            for lane in selectors.board_lanes(order.agency, week_of(order), Filters(**filters))
        }

    assert {skilled.pk, unskilled.pk, elsewhere.pk} <= names()
    assert elsewhere.pk not in names(branch=order.branch)
    assert names(skill="cleaning", level=4) == {skilled.pk}
    assert unskilled.pk not in names(service=order.service_type)


def test_the_side_panel_lists_jobs_needing_staff_soonest_first_with_why(order, dispatcher):
    later = order_at(order, starts_at=order.starts_at + timedelta(days=2))
    member, other = make_staff(order), make_staff(order)
    assert [(j.order, j.why) for j in selectors.jobs_needing_staff(order.agency)] == [
        (order, "unstaffed"),
        (later, "unstaffed"),
    ]

    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    assert [j.order for j in selectors.jobs_needing_staff(order.agency)] == [later]

    assignment_decline(order=order, actor=dispatcher, reason="想换人")
    assert selectors.jobs_needing_staff(order.agency)[0].why == "declined"

    (proposed,) = assignment_propose(order=order, staff_list=[other], actor=dispatcher)
    assignment_confirm(order=order, via="phone", actor=dispatcher)
    assignment_release(order=order, assignment=proposed, reason="生病", actor=dispatcher)
    assert selectors.jobs_needing_staff(order.agency)[0].why == "replacement"


@pytest.mark.parametrize("staff_count", [20, 200])
def test_the_board_reads_a_fixed_number_of_queries(order, staff_count, django_assert_num_queries):
    members = StaffMember.objects.bulk_create(
        StaffMemberFactory.build(agency=order.agency, home_branch=order.branch)
        for _ in range(staff_count)
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(agency=order.agency, staff=m, weekday=5, starts=time(8), ends=time(18))
        for m in members
    )
    Assignment.objects.bulk_create(
        AssignmentFactory.build(
            agency=order.agency,
            order=order_at(order, starts_at=order.starts_at + timedelta(days=n % 3)),
            staff=m,
            status=AssignmentStatus.CONFIRMED,
        )
        for n, m in enumerate(members[:10])
    )
    period = week_of(order)
    # Staff, assignments with their orders, time off, working hours, the side panel.
    with django_assert_num_queries(5):
        board = selectors.board(order.agency, period, Filters(branch=order.branch))
    assert len(board.lanes) == staff_count


# --- services ---------------------------------------------------------------------


def test_a_move_takes_the_people_along_and_tells_staff_and_customer(order, dispatcher):
    member = make_staff(order)
    (assignment,) = assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    assignment_confirm(order=order, via="phone", actor=dispatcher)
    Assignment.objects.filter(pk=assignment.pk).update(no_show_due_at=order.starts_at)
    new_start = order.starts_at + timedelta(hours=2)

    order_move(order=order, starts_at=new_start, actor=dispatcher)

    order.refresh_from_db()
    assignment.refresh_from_db()
    assert (order.starts_at, order.ends_at) == (new_start, new_start + timedelta(hours=3))
    assert assignment.period.lower == new_start
    assert assignment.no_show_due_at == new_start + timedelta(minutes=30)
    assert order.needs_form.time_start == time(11, 0)
    assert OrderEvent.objects.filter(order=order, reason__startswith="Moved from").exists()
    assert AuditLog.objects.filter(action="order.move", object_id=str(order.pk)).exists()
    rules = set(OutboundMessage.objects.values_list("rule", flat=True))
    assert {"job.changed:staff", "order.moved:customer"} <= rules


def test_a_move_onto_another_job_of_its_people_is_refused_by_name(order, dispatcher):
    member = make_staff(order)
    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    other = order_at(order, starts_at=order.starts_at + timedelta(hours=4))
    AssignmentFactory(agency=order.agency, order=other, staff=member)

    with pytest.raises(DoubleBooked, match=f"{member.name} already has a job .*{other.number}"):
        order_move(order=order, starts_at=order.starts_at + timedelta(hours=3), actor=dispatcher)

    order.refresh_from_db()
    assert order.starts_at.astimezone(order.agency.zone).time() == time(9, 0)


def test_a_move_into_approved_time_off_is_refused(order, dispatcher):
    member = make_staff(order)
    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    away = order.starts_at + timedelta(days=1)
    TimeOffFactory(
        agency=order.agency,
        staff=member,
        status=TimeOffStatus.APPROVED,
        period=DateTimeTZRange(away, away + timedelta(days=1)),
    )
    with pytest.raises(ValidationError, match="time off"):
        order_move(order=order, starts_at=away, actor=dispatcher)


def test_a_swap_exchanges_two_jobs_people_in_one_go(order, dispatcher):
    one, two = make_staff(order), make_staff(order)
    other = order_at(order, starts_at=order.starts_at + timedelta(hours=4))
    (first,) = assignment_propose(order=order, staff_list=[one], actor=dispatcher)
    (second,) = assignment_propose(order=other, staff_list=[two], actor=dispatcher)

    took_first, took_second = assignments_swap(first=first, second=second, actor=dispatcher)

    assert (took_first.order, took_first.staff) == (order, two)
    assert (took_second.order, took_second.staff) == (other, one)
    first.refresh_from_db()
    assert first.status == AssignmentStatus.RELEASED
    assert first.replaced_by == took_first
    assert AuditLog.objects.filter(action="assignment.swap").count() == 2
    assert OrderEvent.objects.filter(order=other, reason__contains="swapped").exists()


def test_a_swapped_in_person_waits_for_the_customers_agreement(order, dispatcher):
    one, two = make_staff(order), make_staff(order)
    other = order_at(order, starts_at=order.starts_at + timedelta(hours=4))
    for job, member in ((order, one), (other, two)):
        assignment_propose(order=job, staff_list=[member], actor=dispatcher)
        assignment_confirm(order=job, via="phone", actor=dispatcher)
    first, second = (job.assignments.get() for job in (order, other))

    took_first, _ = assignments_swap(first=first, second=second, actor=dispatcher)

    assert took_first.status == AssignmentStatus.PROPOSED
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def test_a_swap_to_someone_without_the_skill_changes_nothing(order, dispatcher):
    one = make_staff(order)
    unskilled = StaffMemberFactory(agency=order.agency, home_branch=order.branch)
    other = order_at(order, starts_at=order.starts_at + timedelta(hours=4))
    (first,) = assignment_propose(order=order, staff_list=[one], actor=dispatcher)
    second = AssignmentFactory(agency=order.agency, order=other, staff=unskilled)

    with pytest.raises(ValidationError, match="Lacks the required skill"):
        assignments_swap(first=first, second=second, actor=dispatcher)

    first.refresh_from_db()
    assert first.status == AssignmentStatus.PROPOSED


# --- pages ------------------------------------------------------------------------


def board_url(order: Order, **params) -> str:
    day = order.starts_at.astimezone(order.agency.zone).date().isoformat()
    query = "&".join(f"{k}={v}" for k, v in {"day": day, **params}.items())
    return f"{reverse('schedule_board')}?{query}"


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.DISPATCHER, 200), (Role.SUPERVISOR, 200), (Role.MANAGER, 200), (Role.FINANCE, 403)],
)
def test_the_board_is_for_the_office(order, world, client_for, role, status):
    make_staff(order, name="赵阿姨")
    response = client_for(world.a.user(role)).get(board_url(order))
    assert response.status_code == status
    if status == 200:
        assert "赵阿姨" in response.content.decode()
        assert order.number in response.content.decode()  # in the side panel


def test_a_drop_on_a_lane_proposes_and_redraws_that_lane(order, world, client_for):
    member = make_staff(order)
    client = client_for(world.a.user(Role.DISPATCHER))
    response = client.post(
        reverse("schedule_propose", args=[order.pk]),
        {"staff": member.pk, "day": order.starts_at.date().isoformat()},
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#schedule-notice"
    body = response.content.decode()
    assert f'id="lane-{member.pk}"' in body
    assert 'hx-swap-oob="true"' in body
    assert Assignment.objects.filter(order=order, staff=member).exists()


def test_a_drop_on_someone_without_the_skill_answers_why_and_changes_nothing(
    order, world, client_for
):
    unskilled = StaffMemberFactory(agency=order.agency, home_branch=order.branch, name="钱阿姨")
    client = client_for(world.a.user(Role.DISPATCHER))
    response = client.post(reverse("schedule_propose", args=[order.pk]), {"staff": unskilled.pk})
    assert response.status_code == 400
    assert "钱阿姨" in response.content.decode()
    assert "cleaning" in response.content.decode() or "技能" in response.content.decode()
    assert not Assignment.objects.filter(order=order).exists()


def test_another_agencys_job_is_a_404_on_every_action(order, world, client_for):
    theirs = OrderFactory(agency=world.b.agency, status=OrderStatus.CONFIRMED)
    client = client_for(world.a.user(Role.DISPATCHER))
    for name in ("schedule_propose", "schedule_move"):
        assert client.post(reverse(name, args=[theirs.pk]), {}).status_code == 404
    assert client.get(reverse("schedule_job", args=[theirs.pk])).status_code == 404


def test_the_job_panel_offers_ranked_candidates_for_the_keyboard(order, world, client_for):
    make_staff(order, name="孙阿姨")
    client = client_for(world.a.user(Role.DISPATCHER))
    response = client.get(reverse("schedule_job", args=[order.pk]))
    assert response.status_code == 200
    assert "孙阿姨" in response.content.decode()


def test_a_poll_without_changes_is_an_empty_204_and_a_change_redraws_its_lanes(
    order, world, client_for, dispatcher, django_capture_on_commit_callbacks
):
    member = make_staff(order)
    client = client_for(world.a.user(Role.DISPATCHER))
    client.get(reverse("schedule_board"))  # the session is warm, as on a polling page
    stamp = live.stamp(order.agency_id)
    url = reverse("schedule_changes")

    assert client.get(f"{url}?since={stamp}").status_code == 204

    with django_capture_on_commit_callbacks(execute=True):
        assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    response = client.get(f"{url}?since={stamp}&day={order.starts_at.date().isoformat()}")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="lane-{member.pk}"' in body
    assert f"since={stamp + 1}" in body


def test_a_poll_without_changes_reads_only_the_session_and_the_membership(
    order, world, client_for, django_assert_max_num_queries
):
    client = client_for(world.a.user(Role.DISPATCHER))
    stamp = live.stamp(order.agency_id)
    with django_assert_max_num_queries(3):
        response = client.get(f"{reverse('schedule_changes')}?since={stamp}")
    assert response.status_code == 204


def test_a_release_from_the_board_frees_the_person(order, world, client_for, dispatcher):
    member = make_staff(order)
    (assignment,) = assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    client = client_for(world.a.user(Role.DISPATCHER))
    response = client.post(reverse("schedule_release", args=[assignment.pk]), {"reason": "生病"})
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RELEASED


def test_a_move_from_the_board_refuses_the_past(order, world, client_for):
    client = client_for(world.a.user(Role.DISPATCHER))
    past = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        reverse("schedule_move", args=[order.pk]), {"starts_at": past.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


# --- API --------------------------------------------------------------------------


def test_the_api_lists_lanes_and_jobs_of_a_range(order, world, client_for, dispatcher):
    member = make_staff(order, name="吴阿姨")
    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    day = order.starts_at.astimezone(order.agency.zone).date()
    response = client_for(world.a.user(Role.DISPATCHER)).get(
        reverse("api_schedule"), {"start": day.isoformat(), "days": 1, "staff": [member.pk]}
    )
    assert response.status_code == 200
    (lane,) = response.json()["lanes"]
    assert lane["staff"]["name"] == "吴阿姨"
    (job,) = lane["jobs"]
    assert (job["number"], job["tone"], job["district"]) == (order.number, "proposed", "朝阳区")
    assert lane["load_hours"] == 3.0


def test_the_api_proposes_once_per_idempotency_key(order, world, client_for):
    member = make_staff(order)
    client = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("schedulejob-propose", args=[order.pk])
    key = "0b0a1f2c-52f5-4a44-9d57-1e0c1d5f2a11"
    first = client.post(
        url, {"staff": member.pk}, content_type="application/json", headers={"Idempotency-Key": key}
    )
    again = client.post(
        url, {"staff": member.pk}, content_type="application/json", headers={"Idempotency-Key": key}
    )
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Assignment.objects.filter(order=order).count() == 1


def test_the_api_answers_field_errors_and_the_services_refusals(order, world, client_for):
    unskilled = StaffMemberFactory(agency=order.agency, home_branch=order.branch)
    client = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("schedulejob-propose", args=[order.pk])
    assert "staff" in client.post(url, {}, content_type="application/json").json()
    refused = client.post(url, {"staff": unskilled.pk}, content_type="application/json")
    assert refused.status_code == 400
    assert "缺少所需技能" in str(refused.json()["staff"])  # the agency speaks Chinese
    theirs = StaffMemberFactory(agency=world.b.agency)
    foreign = client.post(url, {"staff": theirs.pk}, content_type="application/json")
    assert foreign.status_code == 400


def test_the_api_moves_a_job(order, world, client_for, dispatcher):
    member = make_staff(order)
    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    new_start = order.starts_at + timedelta(hours=1)
    response = client_for(world.a.user(Role.DISPATCHER)).post(
        reverse("schedulejob-move", args=[order.pk]),
        {"starts_at": new_start.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()[0]["starts_at"].startswith(
        new_start.astimezone(order.agency.zone).isoformat()[:16]
    )


def test_a_move_and_a_swap_from_the_board_redraw_the_lanes(order, world, client_for, dispatcher):
    one, two = make_staff(order), make_staff(order)
    other = order_at(order, starts_at=order.starts_at + timedelta(hours=4))
    (first,) = assignment_propose(order=order, staff_list=[one], actor=dispatcher)
    (second,) = assignment_propose(order=other, staff_list=[two], actor=dispatcher)
    client = client_for(world.a.user(Role.DISPATCHER))
    day = {"day": order.starts_at.date().isoformat()}

    swapped = client.post(reverse("schedule_swap", args=[first.pk]), {"second": second.pk, **day})
    assert swapped.status_code == 200
    assert f'id="lane-{one.pk}"' in swapped.text
    assert f'id="lane-{two.pk}"' in swapped.text
    assert Assignment.objects.get(order=order, status=AssignmentStatus.PROPOSED).staff == two

    new_start = timezone.localtime(order.starts_at + timedelta(hours=1))
    moved = client.post(
        reverse("schedule_move", args=[order.pk]),
        {"starts_at": new_start.strftime("%Y-%m-%dT%H:%M"), **day},
    )
    assert moved.status_code == 200
    order.refresh_from_db()
    assert order.starts_at == new_start


def test_a_no_show_is_red_whatever_the_status(order, dispatcher):
    member = make_staff(order)
    (assignment,) = assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    Assignment.objects.filter(pk=assignment.pk).update(punctuality="no_show")
    lane = lane_of(selectors.board_lanes(order.agency, week_of(order), Filters()), member)
    assert lane.blocks[0].tone == "no-show"


def test_a_board_whose_changes_are_forgotten_redraws_whole(order, world, client_for):
    client = client_for(world.a.user(Role.DISPATCHER))
    response = client.get(reverse("schedule_changes"), {"since": "-1"})  # not a stamp
    assert response.status_code == 200
    assert 'id="schedule-lanes" hx-swap-oob="true"' in response.text


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_move_and_a_proposal_racing_for_one_person_leave_exactly_one(order, dispatcher, manager):
    member = make_staff(order, name="抢手")
    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    afternoon = order.starts_at + timedelta(hours=5)
    rival = order_at(order, starts_at=afternoon)

    outcomes = race(
        lambda: order_move(order=order, starts_at=afternoon, actor=dispatcher),
        lambda: assignment_propose(order=rival, staff_list=[member], actor=manager),
    )

    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], DoubleBooked | ValidationError)
    assert "抢手" in str(refused[0])
    holding = Assignment.objects.filter(staff=member, status__in=HOLDING)
    assert holding.count() == 1
