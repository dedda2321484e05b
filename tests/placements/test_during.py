"""During the placement (issue 20): the briefing before the start, the start, the
check-in calls, the trial's end by the customer's link, and the renewal reminder."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agency.errors import StateConflict
from agency.models import Notification, OutboundMessage, Role
from feedback.models import Revisit
from orders.models import Assignment, AssignmentStatus
from placements.during import briefing_items, briefing_record, placement_start
from placements.during_renewal import renewal_reminders_send
from placements.during_trial import (
    trial_answer_by_link,
    trial_link_path,
    trial_links_send,
    trial_replace,
)
from placements.models import PlacementPolicy, RenewalReminder, TrialDecision
from tests.factories import PlacementFactory, StaffMemberFactory
from tests.placements.conftest import member

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = datetime(2026, 12, 15, 9, tzinfo=SHANGHAI)


@pytest.fixture
def signed(world):
    return PlacementFactory(agency=world.a.agency, status="signed")


def brief(world, placement, *, staff_present=True, all_items=True):
    items = list(briefing_items(world.a.agency))
    return briefing_record(
        placement=placement,
        actor=member(world, Role.SUPERVISOR),
        ticked=items if all_items else items[:-1],
        staff_present=staff_present,
    )


def started(world, placement):
    brief(world, placement)
    with time_machine.travel(FIRST_DAY, tick=False):
        return placement_start(placement=placement, actor=member(world, Role.SUPERVISOR))


def token_of(path):
    return path.rstrip("/").rsplit("/", 1)[1]


def test_a_placement_cannot_start_without_its_briefing(world, signed):
    with time_machine.travel(FIRST_DAY, tick=False), pytest.raises(StateConflict, match="briefing"):
        placement_start(placement=signed, actor=member(world, Role.SUPERVISOR))
    assert not brief(world, signed, all_items=False).done_at
    assert not brief(world, signed, staff_present=False).done_at
    with time_machine.travel(FIRST_DAY, tick=False), pytest.raises(StateConflict):
        placement_start(placement=signed, actor=member(world, Role.SUPERVISOR))


def test_a_placement_starts_only_signed_and_from_its_first_day(world, placement, signed):
    brief(world, placement)  # draft: briefed, but its contract is not signed
    with time_machine.travel(FIRST_DAY, tick=False), pytest.raises(StateConflict):
        placement_start(placement=placement, actor=member(world, Role.SUPERVISOR))
    brief(world, signed)
    with pytest.raises(StateConflict, match="first day"):  # the pinned clock: 9 December
        placement_start(placement=signed, actor=member(world, Role.SUPERVISOR))


def test_the_start_makes_it_active_and_puts_its_check_ins_on_the_revisit_queue(world, signed):
    placement = started(world, signed)
    placement.refresh_from_db()
    assert placement.status == "active"
    assert placement.started_at == FIRST_DAY
    check_ins = list(Revisit.objects.filter(agency=world.a.agency, order=placement.order))
    # 26 days: the first-week call only (the monthly one falls after the last day).
    assert [(r.kind, r.due_at) for r in check_ins] == [
        ("periodic", datetime(2026, 12, 22, 10, tzinfo=SHANGHAI))
    ]


def test_a_long_placement_has_a_check_in_every_month(world):
    placement = PlacementFactory(agency=world.a.agency, status="signed", ends_on=date(2027, 3, 14))
    started(world, placement)
    due = (
        Revisit.objects.filter(order=placement.order)
        .order_by("due_at")
        .values_list("due_at", flat=True)
    )
    assert [d.astimezone(SHANGHAI).date() for d in due] == [
        date(2026, 12, 22),
        date(2027, 1, 21),
        date(2027, 2, 20),
    ]


def test_only_a_supervisor_or_the_manager_briefs_and_starts(world, signed):
    with pytest.raises(PermissionDenied):
        briefing_record(
            placement=signed, actor=member(world, Role.DISPATCHER), ticked=[], staff_present=True
        )
    with pytest.raises(PermissionDenied):
        placement_start(placement=signed, actor=member(world, Role.DISPATCHER))


def test_the_trial_question_is_sent_once_on_the_trials_last_day(world, signed):
    started(world, signed)
    assert trial_links_send(today=date(2026, 12, 16)) == 0
    assert trial_links_send(today=date(2026, 12, 17)) == 1
    trial_links_send(today=date(2026, 12, 17))
    assert OutboundMessage.objects.filter(rule="placement.trial_ends:customer").count() == 1


def test_the_sweep_asks_on_the_agencys_own_day(world, signed):
    started(world, signed)
    # 23:00 on 16 December in Shanghai: not yet the trial's last day (17 December).
    with time_machine.travel(datetime(2026, 12, 16, 15, tzinfo=ZoneInfo("UTC")), tick=False):
        assert trial_links_send() == 0
    # Two hours later it is in Shanghai, while still 16 December in UTC.
    with time_machine.travel(datetime(2026, 12, 16, 17, tzinfo=ZoneInfo("UTC")), tick=False):
        assert trial_links_send() == 1


def test_a_replacement_within_the_free_count_uses_the_replacement_flow(world, signed, client):
    placement = started(world, signed)
    old = Assignment.objects.get(order=placement.order, status=AssignmentStatus.CONFIRMED)
    url = trial_link_path(old)
    assert client.get(url).status_code == 200
    assert client.post(url, {"choice": "replace", "reason": ""}).status_code == 400
    assert client.post(url, {"choice": "replace", "reason": "不会做月子餐"}).status_code == 200
    # Answering twice is a no-op: the first answer stands.
    client.post(url, {"choice": "confirm", "reason": ""})
    decision = TrialDecision.objects.get(placement=placement)
    assert (decision.choice, decision.free, decision.fee) == ("replace", True, None)

    newcomer = StaffMemberFactory(
        agency=world.a.agency, accepts_live_in=True, home_branch=placement.order.branch
    )
    new = trial_replace(decision=decision, actor=member(world, Role.DISPATCHER), staff=newcomer)
    old.refresh_from_db()
    assert old.status == AssignmentStatus.RELEASED
    assert old.replaced_by == new
    assert new.staff == newcomer
    decision.refresh_from_db()
    assert decision.replacement == new


def test_a_replacement_beyond_the_free_count_records_the_agencys_fee(world):
    placement = PlacementFactory(agency=world.a.agency, status="signed", free_replacements=0)
    PlacementPolicy.objects.create(agency=world.a.agency, replacement_fee=Decimal("500.00"))
    started(world, placement)
    assignment = Assignment.objects.get(order=placement.order, status=AssignmentStatus.CONFIRMED)
    decision = trial_answer_by_link(
        token=token_of(trial_link_path(assignment)), choice="replace", reason="太吵"
    )
    assert (decision.free, decision.fee) == (False, Decimal("500.00"))


def test_the_customer_page_is_in_chinese_and_a_bad_link_is_refused(world, signed, client):
    placement = started(world, signed)
    customer = placement.order.customer
    customer.preferred_language = "zh-hans"
    customer.save()
    assignment = Assignment.objects.get(order=placement.order, status=AssignmentStatus.CONFIRMED)
    assert "试用期" in client.get(trial_link_path(assignment)).text
    assert client.get(reverse("placement_trial", args=["forged"])).status_code == 404


def test_the_renewal_reminder_goes_once_on_its_day(world, signed):
    assert renewal_reminders_send() == 0  # 9 December: 31 days before the last day
    with time_machine.travel(datetime(2026, 12, 10, 9, tzinfo=SHANGHAI), tick=False):
        assert renewal_reminders_send() == 1
        assert renewal_reminders_send() == 0
    assert RenewalReminder.objects.filter(placement=signed).count() == 1
    assert OutboundMessage.objects.filter(rule="placement.renewal:customer").count() == 1
    dispatcher = world.a.user(Role.DISPATCHER)
    assert Notification.objects.filter(user=dispatcher).count() == 1


@time_machine.travel(FIRST_DAY, tick=False)
def test_the_page_shows_the_panel_and_its_buttons_answer_roles_and_tenancy(
    world, signed, client_for
):
    page = reverse("placement_detail", args=[signed.pk])
    supervisor = client_for(world.a.user(Role.SUPERVISOR))
    assert "上户交底" in supervisor.get(page).text
    items = list(briefing_items(world.a.agency))
    briefed = supervisor.post(
        reverse("placement_briefing", args=[signed.pk]), {"ticked": items, "staff_present": "on"}
    )
    assert briefed.status_code == 302
    bad = supervisor.post(reverse("placement_briefing", args=[signed.pk]), {"ticked": ["nope"]})
    assert bad.status_code == 400
    assert supervisor.post(reverse("placement_start", args=[signed.pk])).status_code == 302
    signed.refresh_from_db()
    assert signed.status == "active"
    assert (
        client_for(world.a.user(Role.STAFF))
        .post(reverse("placement_start", args=[signed.pk]))
        .status_code
        == 403
    )
    other = client_for(world.b.user(Role.MANAGER))
    assert other.post(reverse("placement_start", args=[signed.pk])).status_code == 404
    assert other.post(reverse("placement_briefing", args=[signed.pk])).status_code == 404
