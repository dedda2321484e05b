"""The complaint services driven through each tier's deadlines with time_machine.

The agency works in Asia/Shanghai with the default policy: office hours
Monday to Friday 08:30–17:30 for both tiers. 2026-11-18 is a Wednesday.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agency.audit import Actor
from agency.models import AuditLog, Notification, OutboundMessage, Role
from complaints import policy as sla
from complaints.lifecycle import ComplaintConflict
from complaints.models import (
    Complaint,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    Escalation,
    EscalationLevel,
    EventKind,
    Severity,
    Status,
    Tier,
)
from complaints.services.deadlines import complaint_pause, complaint_resume
from complaints.services.escalation import escalate_due
from complaints.services.handling import (
    complaint_close,
    complaint_follow_up,
    complaint_note,
    complaint_reopen,
    complaint_resolve,
    complaint_respond,
    complaint_second_response,
    complaint_verify,
)
from complaints.services.intake import complaint_take
from feedback.models import Revisit, RevisitKind, RevisitStatus
from orders.models import DoNotSend
from staff.models import Penalty
from tests.factories import (
    CustomerFactory,
    HolidayFactory,
    OrderFactory,
    StaffMemberFactory,
)


def office_mail():
    """The office's escalation emails; the customer's own complaint messages (rules of
    messaging, e.g. "complaint received") are not what these tests count."""
    return OutboundMessage.objects.filter(rule="")


SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


WEDNESDAY_10 = shanghai(18, 10)
FRIDAY_17 = shanghai(20, 17)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def running(complaint: Complaint) -> dict[str, Deadline]:
    """The complaint's deadlines still running, by kind."""
    return {
        d.kind: d
        for d in Deadline.objects.filter(complaint=complaint, cancelled_at__isnull=True)
        if d.met_at is None
    }


def deadline(complaint: Complaint, kind: str) -> Deadline:
    """The complaint's latest deadline of this kind that was not cancelled."""
    return Deadline.objects.filter(
        complaint=complaint, kind=kind, cancelled_at__isnull=True
    ).latest("created_at", "id")


@pytest.fixture
def take(world, office, intake):
    """`take(moment, **intake)`: agency A's dispatcher records a complaint at that moment."""

    def _take(moment: datetime, actor: Actor | None = None, **overrides) -> Complaint:
        with at(moment):
            return complaint_take(
                agency=world.a.agency, actor=actor or office, intake=intake(**overrides)
            )

    return _take


@pytest.fixture
def policy(world):
    return sla.policy_for(world.a.agency)


@pytest.fixture
def staff(world):
    return StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch)


# --- each tier's deadlines -------------------------------------------------------------


def test_soft_complaint_is_answered_in_15_minutes_and_verified_in_30(take, office):
    complaint = take(WEDNESDAY_10, category="attitude")
    assert complaint.tier == Tier.SOFT
    deadlines = running(complaint)
    assert set(deadlines) == {DeadlineKind.FIRST_RESPONSE, DeadlineKind.VERIFICATION}
    assert deadlines[DeadlineKind.FIRST_RESPONSE].due_at == shanghai(18, 10, 15)
    assert deadlines[DeadlineKind.VERIFICATION].due_at == shanghai(18, 10, 30)
    assert all(d.office_hours for d in deadlines.values())
    assert all(d.next_escalation_at == d.due_at for d in deadlines.values())

    with at(shanghai(18, 10, 10)):
        complaint_respond(complaint=complaint, actor=office, text="已致电道歉")
    with at(shanghai(18, 10, 25)):
        complaint_verify(complaint=complaint, actor=office, text="已核实：服务人员语气生硬")
    first = deadline(complaint, DeadlineKind.FIRST_RESPONSE)
    verification = deadline(complaint, DeadlineKind.VERIFICATION)
    assert (first.met_at, first.breached_at, first.next_escalation_at) == (
        shanghai(18, 10, 10),
        None,
        None,
    )
    assert (verification.met_at, verification.breached_at) == (shanghai(18, 10, 25), None)
    assert running(complaint) == {}

    with at(shanghai(18, 11)):
        resolved = complaint_resolve(complaint=complaint, actor=office, text="客户接受道歉")
    assert resolved.status == Status.RESOLVED
    # The follow-up deadline is the hard tier's rule; a soft complaint may be followed up freely.
    assert running(complaint) == {}


def test_hard_complaint_runs_first_second_resolution_and_follow_up(take, office):
    complaint = take(WEDNESDAY_10)
    assert complaint.tier == Tier.HARD
    deadlines = running(complaint)
    assert set(deadlines) == {DeadlineKind.FIRST_RESPONSE, DeadlineKind.SECOND_RESPONSE}
    assert deadlines[DeadlineKind.FIRST_RESPONSE].due_at == shanghai(18, 11)
    assert deadlines[DeadlineKind.SECOND_RESPONSE].due_at == shanghai(18, 13)

    with at(shanghai(18, 10, 40)):
        complaint_respond(complaint=complaint, actor=office, text="已致电，下午上门查看")
    with at(shanghai(18, 12, 30)):
        complaint_second_response(
            complaint=complaint, actor=office, text="赔偿花瓶", resolve_by=shanghai(19, 18)
        )
    resolution = running(complaint)[DeadlineKind.RESOLUTION]
    assert (resolution.due_at, resolution.office_hours) == (shanghai(19, 18), False)
    assert resolution.next_escalation_at == shanghai(19, 18)
    assert deadline(complaint, DeadlineKind.SECOND_RESPONSE).met_at == shanghai(18, 12, 30)
    text = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.SECOND_RESPONSE).text
    assert text == "赔偿花瓶\nTo be resolved by 2026-11-19 18:00."

    with at(shanghai(19, 17)):
        complaint_resolve(complaint=complaint, actor=office, text="已赔偿")
    resolution.refresh_from_db()
    assert (resolution.met_at, resolution.breached_at) == (shanghai(19, 17), None)
    # The follow-up is one record, the revisit call; no deadline of its own.
    assert running(complaint) == {}
    follow_up = Revisit.objects.get(kind=RevisitKind.COMPLAINT_FOLLOW_UP)
    assert (follow_up.due_at, follow_up.next_action_at) == (shanghai(20, 17), shanghai(20, 17))

    with at(shanghai(20, 10)):
        followed = complaint_follow_up(complaint=complaint, actor=office, satisfaction=4)
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.done_at, follow_up.satisfaction) == (
        RevisitStatus.DONE,
        shanghai(20, 10),
        4,
    )
    assert (followed.status, followed.satisfaction) == (Status.FOLLOWED_UP, 4)
    assert running(complaint) == {}
    assert list(
        ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True)
    ) == [
        EventKind.TAKEN,
        EventKind.RESPONSE,
        EventKind.SECOND_RESPONSE,
        EventKind.RESOLUTION,
        EventKind.FOLLOW_UP,
    ]


def test_a_new_second_response_replaces_the_resolution_time(take, office):
    complaint = take(WEDNESDAY_10)
    with at(shanghai(18, 10, 30)):
        complaint_respond(complaint=complaint, actor=office, text="收到")
        complaint_second_response(
            complaint=complaint, actor=office, text="明天处理", resolve_by=shanghai(19, 12)
        )
    with at(shanghai(19, 9)):
        complaint_second_response(
            complaint=complaint, actor=office, text="改到后天", resolve_by=shanghai(20, 12)
        )
    resolutions = Deadline.objects.filter(complaint=complaint, kind=DeadlineKind.RESOLUTION)
    assert [(d.due_at, d.cancelled_at is None) for d in resolutions] == [
        (shanghai(19, 12), False),
        (shanghai(20, 12), True),
    ]


def test_office_hours_move_a_friday_evening_deadline_to_monday(take):
    complaint = take(FRIDAY_17)
    deadlines = running(complaint)
    assert deadlines[DeadlineKind.FIRST_RESPONSE].due_at == shanghai(23, 9)
    assert deadlines[DeadlineKind.SECOND_RESPONSE].due_at == shanghai(23, 11)


def test_around_the_clock_a_friday_evening_deadline_falls_that_evening(take, policy):
    policy.hard_office_hours = False
    policy.save()
    complaint = take(FRIDAY_17)
    deadlines = running(complaint)
    assert deadlines[DeadlineKind.FIRST_RESPONSE].due_at == shanghai(20, 18)
    assert deadlines[DeadlineKind.SECOND_RESPONSE].due_at == shanghai(20, 20)
    assert not any(d.office_hours for d in deadlines.values())


def test_a_holiday_monday_moves_the_deadline_to_tuesday(world, take):
    HolidayFactory(agency=world.a.agency, day=shanghai(23, 0).date(), name="调休")
    complaint = take(FRIDAY_17)
    assert running(complaint)[DeadlineKind.FIRST_RESPONSE].due_at == shanghai(24, 9)


def test_deadlines_count_from_when_the_customer_complained(take):
    complaint = take(shanghai(18, 11), received_at=shanghai(18, 9))
    assert running(complaint)[DeadlineKind.FIRST_RESPONSE].due_at == shanghai(18, 10)


# --- pauses ------------------------------------------------------------------------------


def test_a_pause_moves_the_open_deadlines_by_the_paused_office_time(take, office):
    complaint = take(shanghai(18, 16))  # first response 17:00, second Thursday 10:00
    with at(shanghai(18, 16, 30)):
        complaint_pause(complaint=complaint, actor=office, reason="等客户发照片")
    paused = running(complaint)
    assert paused[DeadlineKind.FIRST_RESPONSE].left_when_paused == timedelta(minutes=30)
    assert paused[DeadlineKind.SECOND_RESPONSE].left_when_paused == timedelta(hours=2, minutes=30)
    assert all(d.next_escalation_at is None for d in paused.values())

    with at(shanghai(18, 17, 5)):
        assert escalate_due() == 0  # past the old due time, but the clock stands still

    # Paused for an hour of Wednesday's office time and half an hour of Thursday's.
    with at(shanghai(19, 9)):
        complaint_resume(complaint=complaint, actor=office)
    resumed = running(complaint)
    assert resumed[DeadlineKind.FIRST_RESPONSE].due_at == shanghai(19, 9, 30)
    assert resumed[DeadlineKind.SECOND_RESPONSE].due_at == shanghai(19, 11, 30)
    assert all(d.next_escalation_at == d.due_at for d in resumed.values())
    assert all(d.left_when_paused is None for d in resumed.values())
    complaint.refresh_from_db()
    assert (complaint.paused_at, complaint.pause_reason) == (None, "")
    assert ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.RESUMED).text == (
        "Paused for 16 h 30 min."
    )

    with at(shanghai(19, 9, 29)):
        assert escalate_due() == 0
    with at(shanghai(19, 9, 31)):
        assert escalate_due() == 1


def test_a_breached_deadline_stays_breached_through_a_pause(take, office):
    complaint = take(WEDNESDAY_10)
    with at(shanghai(18, 11, 30)):
        complaint_pause(complaint=complaint, actor=office, reason="客户出差")
    first = deadline(complaint, DeadlineKind.FIRST_RESPONSE)
    assert first.left_when_paused == timedelta(0)
    with at(shanghai(18, 15)):
        complaint_resume(complaint=complaint, actor=office)
    first.refresh_from_db()
    assert (first.due_at, first.next_escalation_at) == (shanghai(18, 11), shanghai(18, 11))
    assert deadline(complaint, DeadlineKind.SECOND_RESPONSE).due_at == shanghai(18, 16, 30)


def test_a_response_during_a_pause_is_not_late(take, office):
    complaint = take(WEDNESDAY_10)
    with at(shanghai(18, 10, 50)):
        complaint_pause(complaint=complaint, actor=office, reason="等客户回电")
    with at(shanghai(18, 14)):  # after the first response's old due time, but paused
        complaint_respond(complaint=complaint, actor=office, text="客户回电，已答复")
    first = deadline(complaint, DeadlineKind.FIRST_RESPONSE)
    assert (first.met_at, first.breached_at) == (shanghai(18, 14), None)


def test_a_deadline_set_during_a_pause_runs_once_the_clock_resumes(take, office):
    complaint = take(WEDNESDAY_10)
    with at(shanghai(18, 10, 30)):
        complaint_respond(complaint=complaint, actor=office, text="收到")
    with at(shanghai(18, 11)):
        complaint_pause(complaint=complaint, actor=office, reason="等客户确认赔偿方式")
    with at(shanghai(18, 12)):
        complaint_second_response(
            complaint=complaint, actor=office, text="明早处理", resolve_by=shanghai(18, 18)
        )
    resolution = running(complaint)[DeadlineKind.RESOLUTION]
    assert (resolution.next_escalation_at, resolution.left_when_paused) == (
        None,
        timedelta(hours=6),
    )
    with at(shanghai(18, 14)):
        complaint_resume(complaint=complaint, actor=office)
    resolution.refresh_from_db()
    assert (resolution.due_at, resolution.next_escalation_at) == (
        shanghai(18, 20),
        shanghai(18, 20),
    )
    with at(shanghai(18, 20, 1)):
        assert escalate_due() == 1


def test_pause_and_resume_refuse_what_does_not_apply(take, office):
    complaint = take(WEDNESDAY_10)
    with pytest.raises(ComplaintConflict):
        complaint_resume(complaint=complaint, actor=office)
    with pytest.raises(ValidationError):
        complaint_pause(complaint=complaint, actor=office, reason="  ")
    complaint_pause(complaint=complaint, actor=office, reason="等客户")
    with pytest.raises(ComplaintConflict):
        complaint_pause(complaint=complaint, actor=office, reason="再等")
    assert ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.PAUSED).count() == 1


# --- late, major, flags, penalties ------------------------------------------------------


def test_a_late_response_records_the_breach_at_the_due_time(take, office):
    complaint = take(WEDNESDAY_10)
    with at(shanghai(18, 11, 20)):
        complaint_respond(complaint=complaint, actor=office, text="抱歉回复晚了")
    first = deadline(complaint, DeadlineKind.FIRST_RESPONSE)
    assert (first.met_at, first.breached_at) == (shanghai(18, 11, 20), shanghai(18, 11))
    assert first.next_escalation_at is None


def test_a_major_complaint_notifies_the_managers_at_once_and_once(world, take, office):
    manager = world.a.user(Role.MANAGER)
    manager.preferred_language = "en"
    manager.save()
    complaint = take(WEDNESDAY_10, severity=Severity.MAJOR)
    major = Escalation.objects.get(complaint=complaint)
    assert (major.level, major.deadline) == (EscalationLevel.MAJOR, None)
    notice = Notification.objects.get()
    assert (notice.user, notice.key) == (manager, f"complaint-escalation-{major.pk}")
    assert notice.title == f"Major complaint {complaint.number}"
    assert notice.link == reverse("complaint_detail", kwargs={"pk": complaint.pk})
    email = office_mail().get()
    assert (email.recipient, email.subject) == (manager.email, notice.title)
    assert notice.link in email.body

    # Nothing later reports it again: answering, the sweep, reopening.
    with at(shanghai(18, 10, 30)):
        complaint_respond(complaint=complaint, actor=office, text="经理已知悉")
        assert escalate_due() == 0
    with at(shanghai(18, 12)):
        complaint_close(
            complaint=complaint,
            actor=office,
            text="和解",
            root_cause="other",
            root_cause_note="客户撤回",
        )
        complaint_reopen(complaint=complaint, actor=office, text="客户不满意")
    assert Escalation.objects.filter(level=EscalationLevel.MAJOR).count() == 1
    assert Notification.objects.count() == 1


def test_a_normal_complaint_notifies_nobody_when_taken(take):
    take(WEDNESDAY_10)
    assert Escalation.objects.count() == Notification.objects.count() == 0


def test_taking_a_complaint_flags_the_customer_with_a_link_to_it(take, customer):
    complaint = take(WEDNESDAY_10)
    customer.refresh_from_db()
    assert customer.special_attention
    assert customer.special_attention_reason == f"Complaint {complaint.number}"
    assert customer.special_attention_link == reverse(
        "complaint_detail", kwargs={"pk": complaint.pk}
    )


def _resolve_hard(complaint, office, **kwargs):
    with at(shanghai(18, 10, 30)):
        complaint_respond(complaint=complaint, actor=office, text="收到")
        complaint_second_response(
            complaint=complaint, actor=office, text="明天赔偿", resolve_by=shanghai(19, 12)
        )
    with at(shanghai(19, 11)):
        return complaint_resolve(complaint=complaint, actor=office, text="已赔偿", **kwargs)


def test_an_upheld_complaint_records_the_policy_penalty_once(take, office, policy, staff):
    policy.penalty_per_upheld_complaint = Decimal("50.00")
    policy.save()
    complaint = take(WEDNESDAY_10, staff=staff)
    _resolve_hard(complaint, office, upheld=True)
    penalty = Penalty.objects.get()
    assert (penalty.staff, penalty.amount, penalty.source) == (
        staff,
        Decimal("50.00"),
        f"complaint-{complaint.pk}",
    )
    assert penalty.link == reverse("complaint_detail", kwargs={"pk": complaint.pk})

    # Reopened and upheld again: still one penalty for this complaint.
    with at(shanghai(19, 12)):
        complaint_reopen(complaint=complaint, actor=office, text="客户不满意")
        complaint_respond(complaint=complaint, actor=office, text="再次上门")
        complaint_second_response(
            complaint=complaint, actor=office, text="今晚处理", resolve_by=shanghai(19, 20)
        )
        complaint_resolve(complaint=complaint, actor=office, text="已处理", upheld=True)
    assert Penalty.objects.count() == 1


def test_no_penalty_without_a_policy_amount_or_when_not_upheld(take, office, policy, staff):
    _resolve_hard(take(WEDNESDAY_10, staff=staff), office, upheld=True)
    policy.penalty_per_upheld_complaint = Decimal("50.00")
    policy.save()
    _resolve_hard(take(WEDNESDAY_10, staff=staff), office, upheld=False)
    assert Penalty.objects.count() == 0


def test_upheld_needs_a_staff_member_concerned(take, office):
    complaint = take(WEDNESDAY_10)
    with pytest.raises(ValidationError) as raised:
        _resolve_hard(complaint, office, upheld=True)
    assert "upheld" in raised.value.message_dict
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDING


def test_do_not_send_keeps_the_staff_member_away_from_the_customer(take, office, staff, customer):
    complaint = take(WEDNESDAY_10, staff=staff)
    _resolve_hard(complaint, office, upheld=True, do_not_send=True)
    entry = DoNotSend.objects.get()
    assert (entry.customer, entry.staff, entry.reason) == (
        customer,
        staff,
        f"Complaint {complaint.number}",
    )


# --- reopen and close -----------------------------------------------------------------


def test_reopening_starts_new_deadlines_from_now(take, office):
    complaint = take(WEDNESDAY_10)
    _resolve_hard(complaint, office)
    with at(shanghai(20, 9)):
        reopened = complaint_reopen(complaint=complaint, actor=office, text="花瓶赔偿不够")
    assert reopened.status == Status.REOPENED
    # The follow-up of the first resolution is no longer owed.
    follow_up = Revisit.objects.get(kind=RevisitKind.COMPLAINT_FOLLOW_UP)
    assert (follow_up.status, follow_up.next_action_at) == (RevisitStatus.DROPPED, None)
    deadlines = running(complaint)
    assert set(deadlines) == {DeadlineKind.FIRST_RESPONSE, DeadlineKind.SECOND_RESPONSE}
    assert deadlines[DeadlineKind.FIRST_RESPONSE].due_at == shanghai(20, 10)
    assert deadlines[DeadlineKind.SECOND_RESPONSE].due_at == shanghai(20, 12)
    # first, second, resolution of the first round; first and second of the new one.
    assert Deadline.objects.filter(complaint=complaint).count() == 5

    with at(shanghai(20, 9, 30)):
        complaint_respond(complaint=complaint, actor=office, text="重新处理")
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RESPONDING


def test_closing_cancels_the_running_deadlines(take, office):
    complaint = take(WEDNESDAY_10)
    with at(shanghai(18, 10, 5)):
        closed = complaint_close(
            complaint=complaint,
            actor=office,
            text="客户撤回投诉",
            root_cause="other",
            root_cause_note="客户撤回",
        )
    assert (closed.status, closed.closed_at) == (Status.CLOSED, shanghai(18, 10, 5))
    assert running(complaint) == {}
    assert not Deadline.objects.filter(next_escalation_at__isnull=False).exists()
    with pytest.raises(ComplaintConflict):
        complaint_respond(complaint=complaint, actor=office, text="还有事")


# --- the order of things -------------------------------------------------------------------


def test_steps_out_of_order_are_refused(take, office):
    hard = take(WEDNESDAY_10)
    soft = take(WEDNESDAY_10, category="attitude")
    with pytest.raises(ComplaintConflict):
        complaint_second_response(
            complaint=hard, actor=office, text="太早", resolve_by=shanghai(19, 12)
        )
    with pytest.raises(ComplaintConflict):
        complaint_verify(complaint=hard, actor=office, text="硬投诉不核实")
    with pytest.raises(ComplaintConflict):
        complaint_follow_up(complaint=hard, actor=office, satisfaction=5)
    with pytest.raises(ComplaintConflict):
        complaint_resolve(complaint=hard, actor=office, text="还没回复")
    with at(shanghai(18, 10, 5)):
        complaint_respond(complaint=hard, actor=office, text="收到")
        complaint_respond(complaint=soft, actor=office, text="收到")
    with pytest.raises(ComplaintConflict):
        complaint_resolve(complaint=hard, actor=office, text="没有第二次回复")
    with pytest.raises(ComplaintConflict):
        complaint_resolve(complaint=soft, actor=office, text="还没核实")
    with pytest.raises(ComplaintConflict):
        complaint_second_response(
            complaint=soft, actor=office, text="软投诉", resolve_by=shanghai(19, 12)
        )


# --- who may, and bad input ------------------------------------------------------------------


def _written() -> tuple[int, ...]:
    return (
        Complaint.objects.count(),
        Deadline.objects.count(),
        ComplaintEvent.objects.count(),
        Escalation.objects.count(),
        Notification.objects.count(),
        AuditLog.objects.count(),
    )


@pytest.mark.parametrize("role", [Role.FINANCE, Role.STAFF])
def test_finance_and_field_staff_cannot_take_or_handle_complaints(world, take, office, role):
    outsider = Actor(user=world.a.user(role))
    with pytest.raises(PermissionDenied):
        take(WEDNESDAY_10, actor=outsider)
    complaint = take(WEDNESDAY_10)
    before = _written()
    for call in (
        lambda: complaint_respond(complaint=complaint, actor=outsider, text="好"),
        lambda: complaint_note(complaint=complaint, actor=outsider, text="好"),
        lambda: complaint_pause(complaint=complaint, actor=outsider, reason="等"),
        lambda: complaint_close(
            complaint=complaint,
            actor=outsider,
            text="关",
            root_cause="other",
            root_cause_note="客户撤回",
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert _written() == before


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.MANAGER])
def test_supervisors_and_managers_handle_complaints(world, take, role):
    actor = Actor(user=world.a.user(role))
    complaint = take(WEDNESDAY_10, actor=actor)
    with at(shanghai(18, 10, 5)):
        complaint_respond(complaint=complaint, actor=actor, text="收到")
    assert deadline(complaint, DeadlineKind.FIRST_RESPONSE).met_at == shanghai(18, 10, 5)


def test_another_agencys_office_cannot_touch_the_complaint(world, take, intake):
    complaint = take(WEDNESDAY_10)
    bravo = Actor(user=world.b.user(Role.MANAGER))
    before = _written()
    with pytest.raises(PermissionDenied):
        complaint_respond(complaint=complaint, actor=bravo, text="不是我们的")
    with pytest.raises(PermissionDenied):
        complaint_take(agency=world.a.agency, actor=bravo, intake=intake())
    assert _written() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "   "}, "description"),
        ({"category": "weather"}, "category"),
        ({"channel": "fax"}, "channel"),
        ({"tier": "medium"}, "tier"),
        ({"severity": "huge"}, "severity"),
        ({"received_at": shanghai(18, 10, 1)}, "received_at"),
    ],
)
def test_bad_intake_is_refused_and_nothing_is_written(take, customer, overrides, field):
    before = _written()
    with pytest.raises(ValidationError) as raised:
        take(WEDNESDAY_10, **overrides)
    assert field in raised.value.message_dict
    assert _written() == before
    customer.refresh_from_db()
    assert not customer.special_attention
    # The number refused is given to the next complaint: no gap in the log.
    assert take(WEDNESDAY_10).number == "2026-C0001"


def test_another_agencys_branch_customer_order_and_staff_are_refused(world, take):
    bravo = world.b.agency
    before = _written()
    with pytest.raises(ValidationError) as raised:
        take(
            WEDNESDAY_10,
            branch=world.b.branch,
            customer=CustomerFactory(agency=bravo),
            staff=StaffMemberFactory(agency=bravo),
        )
    assert set(raised.value.message_dict) >= {"branch", "customer", "staff"}
    with pytest.raises(ValidationError) as raised:
        take(WEDNESDAY_10, order=OrderFactory(agency=bravo))
    assert "order" in raised.value.message_dict
    assert _written() == before


def test_an_order_of_another_customer_is_refused(world, take):
    with pytest.raises(ValidationError) as raised:
        take(WEDNESDAY_10, order=OrderFactory(agency=world.a.agency))
    assert raised.value.message_dict["order"] == ["This order is not the customer's."]


def test_empty_texts_and_bad_scores_are_refused_without_writing(take, office):
    complaint = take(WEDNESDAY_10)
    before = _written()
    with pytest.raises(ValidationError):
        complaint_respond(complaint=complaint, actor=office, text=" ")
    with pytest.raises(ValidationError):
        complaint_note(complaint=complaint, actor=office, text="")
    assert _written() == before
    assert deadline(complaint, DeadlineKind.FIRST_RESPONSE).met_at is None

    with at(shanghai(18, 10, 5)):
        complaint_respond(complaint=complaint, actor=office, text="收到")
        before = _written()
        with pytest.raises(ValidationError) as raised:
            complaint_second_response(
                complaint=complaint, actor=office, text="已过时", resolve_by=shanghai(18, 10)
            )
    assert "resolve_by" in raised.value.message_dict
    assert _written() == before
    assert deadline(complaint, DeadlineKind.SECOND_RESPONSE).met_at is None

    _resolve_hard(complaint, office)
    with pytest.raises(ValidationError):
        complaint_follow_up(complaint=complaint, actor=office, satisfaction=6)
    assert Complaint.objects.get(pk=complaint.pk).satisfaction is None


def test_closing_a_paused_complaint_ends_the_pause_so_a_reopen_runs(take, office):
    complaint = take(WEDNESDAY_10)
    with at(shanghai(18, 10, 5)):
        complaint_pause(complaint=complaint, actor=office, reason="等客户发照片")
    with at(shanghai(18, 11)):
        closed = complaint_close(
            complaint=complaint,
            actor=office,
            text="客户撤回",
            root_cause="other",
            root_cause_note="客户撤回",
        )
    assert (closed.paused_at, closed.pause_reason) == (None, "")
    with at(shanghai(19, 9)):
        complaint_reopen(complaint=complaint, actor=office, text="客户又来电")
    fresh = running(complaint)
    assert fresh[DeadlineKind.FIRST_RESPONSE].due_at == shanghai(19, 10)
    assert all(d.next_escalation_at == d.due_at for d in fresh.values())
