"""The escalation sweep: the ladder, each step once, and what survives crashes and races.

A hard complaint taken at 10:00 on Wednesday 2026-11-18 (Asia/Shanghai, office
hours) has its first response due at 11:00 and its second at 13:00; the
policy escalates to the managers an hour after a breach.
"""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from agency.audit import Actor
from agency.models import MessageStatus, Notification, OutboundMessage, Role
from agency.notifications import DELIVER_DUE_TASK, deliver_due
from complaints import policy as sla
from complaints.models import (
    Category,
    ComplaintChannel,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    Escalation,
    EscalationLevel,
    EventKind,
)
from complaints.services.deadlines import complaint_pause
from complaints.services.escalation import escalate_due
from complaints.services.handling import complaint_respond
from complaints.services.intake import Intake, complaint_take
from tests.concurrency import race
from tests.factories import (
    BranchFactory,
    CustomerFactory,
    EscalationFactory,
    MembershipFactory,
)


def office_mail():
    """The office's escalation emails; the customer's own complaint messages (rules of
    messaging, e.g. "complaint received") are not what these tests count."""
    return OutboundMessage.objects.filter(rule="")


SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


TAKEN = shanghai(18, 10)
FIRST_DUE = shanghai(18, 11)
SECOND_DUE = shanghai(18, 13)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def kicks():
    """The after-commit kick of the email outbox (a Celery message), caught here."""
    with mock.patch("agency.queueing.current_app") as app:
        yield app.send_task


@pytest.fixture
def take(world, office, intake):
    def _take(**overrides):
        with at(TAKEN):
            return complaint_take(agency=world.a.agency, actor=office, intake=intake(**overrides))

    return _take


def sweep(moment: datetime) -> int:
    with at(moment):
        return escalate_due()


def first_response(complaint) -> Deadline:
    return Deadline.objects.get(complaint=complaint, kind=DeadlineKind.FIRST_RESPONSE)


def told(level: int) -> list[str]:
    """Usernames of everyone notified (in-app) of an escalation at this level."""
    keys = [
        f"complaint-escalation-{pk}"
        for pk in Escalation.objects.filter(level=level).values_list("pk", flat=True)
    ]
    return sorted(n.user.username for n in Notification.objects.filter(key__in=keys))


# --- the ladder ---------------------------------------------------------------------------


def test_at_the_breach_the_branch_supervisor_is_told_in_app_and_by_email(world, take):
    branch_supervisor = MembershipFactory(
        agency=world.a.agency, role=Role.SUPERVISOR, branch=world.a.branch
    ).user
    complaint = take()
    assert sweep(FIRST_DUE - timedelta(seconds=1)) == 0
    assert sweep(FIRST_DUE + timedelta(seconds=20)) == 1

    escalation = Escalation.objects.get()
    deadline = first_response(complaint)
    assert (escalation.level, escalation.deadline, escalation.complaint) == (
        EscalationLevel.SUPERVISOR,
        deadline,
        complaint,
    )
    assert (deadline.level, deadline.breached_at, deadline.next_escalation_at) == (
        EscalationLevel.SUPERVISOR,
        FIRST_DUE,
        FIRST_DUE + timedelta(hours=1),
    )
    notice = Notification.objects.get()
    link = reverse("complaint_detail", kwargs={"pk": complaint.pk})
    assert (notice.user, notice.key, notice.link) == (
        branch_supervisor,
        f"complaint-escalation-{escalation.pk}",
        link,
    )
    email = office_mail().get()
    assert (email.recipient, email.subject, email.status) == (
        branch_supervisor.email,
        notice.title,
        MessageStatus.PENDING,
    )
    assert email.body.endswith(link)
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.ESCALATED)
    assert branch_supervisor.username in event.text


def test_without_branch_supervisors_the_agency_wide_ones_are_told(world, take):
    other_branch = BranchFactory(agency=world.a.agency)
    MembershipFactory(agency=world.a.agency, role=Role.SUPERVISOR, branch=other_branch)
    take()
    sweep(FIRST_DUE)
    assert [n.user for n in Notification.objects.all()] == [world.a.user(Role.SUPERVISOR)]


def test_without_supervisors_the_managers_are_told_at_the_breach(world, take):
    world.a.members[Role.SUPERVISOR].is_active = False
    world.a.members[Role.SUPERVISOR].save()
    take()
    assert sweep(FIRST_DUE) == 1
    assert [n.user for n in Notification.objects.all()] == [world.a.user(Role.MANAGER)]
    assert Escalation.objects.get().level == EscalationLevel.SUPERVISOR


def test_the_managers_are_told_when_the_policy_says_and_the_ladder_ends(world, take):
    complaint = take()
    assert sweep(FIRST_DUE) == 1
    assert sweep(FIRST_DUE + timedelta(minutes=59)) == 0
    assert sweep(FIRST_DUE + timedelta(hours=1)) == 1

    deadline = first_response(complaint)
    assert (deadline.level, deadline.next_escalation_at) == (EscalationLevel.MANAGER, None)
    manager = world.a.user(Role.MANAGER)
    supervisor = world.a.user(Role.SUPERVISOR)
    assert [(e.deadline, e.level) for e in Escalation.objects.order_by("level")] == [
        (deadline, EscalationLevel.SUPERVISOR),
        (deadline, EscalationLevel.MANAGER),
    ]
    assert told(EscalationLevel.SUPERVISOR) == [supervisor.username]
    assert told(EscalationLevel.MANAGER) == [manager.username]
    assert sorted(office_mail().values_list("recipient", flat=True)) == sorted(
        [supervisor.email, manager.email]
    )
    # Nothing more for this deadline, however long it stays unanswered.
    assert sweep(FIRST_DUE + timedelta(days=30)) == 1  # the second response's first step
    assert Escalation.objects.filter(deadline=deadline).count() == 2


def test_the_manager_step_follows_the_policys_delay(world, take):
    policy = sla.policy_for(world.a.agency)
    policy.manager_after_breach = timedelta(minutes=20)
    policy.save()
    complaint = take()
    sweep(FIRST_DUE)
    assert first_response(complaint).next_escalation_at == FIRST_DUE + timedelta(minutes=20)
    assert sweep(FIRST_DUE + timedelta(minutes=20)) == 1


def test_each_step_happens_once_however_often_the_sweep_runs(take):
    take()
    moments = [FIRST_DUE + timedelta(seconds=30 * n) for n in range(0, 2 * 60 * 2 + 1)]
    escalated = [sweep(moment) for moment in moments]  # every 30 s for two hours
    # The first response's two steps, and the second response's first (13:00).
    assert sum(escalated) == 3
    assert Escalation.objects.count() == Notification.objects.count() == 3
    assert office_mail().count() == 3


def test_each_breached_deadline_escalates_on_its_own(take):
    complaint = take()
    assert sweep(SECOND_DUE) == 2
    levels = dict(Deadline.objects.filter(complaint=complaint).values_list("kind", "level"))
    # One sweep takes one step per deadline; the manager step waits for the next sweep.
    assert levels == {
        DeadlineKind.FIRST_RESPONSE: EscalationLevel.SUPERVISOR,
        DeadlineKind.SECOND_RESPONSE: EscalationLevel.SUPERVISOR,
    }
    assert sweep(SECOND_DUE) == 1
    assert first_response(complaint).level == EscalationLevel.MANAGER


def test_a_deadline_met_before_the_sweep_runs_is_not_escalated(take, office):
    complaint = take()
    with at(FIRST_DUE + timedelta(seconds=10)):
        complaint_respond(complaint=complaint, actor=office, text="刚好回复")
    assert sweep(FIRST_DUE + timedelta(seconds=30)) == 0
    assert sweep(FIRST_DUE + timedelta(hours=1, minutes=30)) == 0  # nor the manager step
    assert Escalation.objects.count() == Notification.objects.count() == 0
    # The breach is still on the record: it was met ten seconds late.
    assert first_response(complaint).breached_at == FIRST_DUE


def test_a_deadline_met_after_the_supervisor_step_never_reaches_the_manager(take, office):
    complaint = take()
    sweep(FIRST_DUE)
    with at(FIRST_DUE + timedelta(minutes=30)):
        complaint_respond(complaint=complaint, actor=office, text="已回复")
    assert sweep(FIRST_DUE + timedelta(hours=1)) == 0
    assert first_response(complaint).level == EscalationLevel.SUPERVISOR


def test_a_paused_complaint_is_not_escalated(take, office):
    complaint = take()
    with at(FIRST_DUE - timedelta(minutes=5)):
        complaint_pause(complaint=complaint, actor=office, reason="等客户")
    assert sweep(FIRST_DUE + timedelta(days=3)) == 0


def test_the_sweep_serves_every_agency_with_its_own_people(world, take):
    take()
    with at(TAKEN):
        complaint_take(
            agency=world.b.agency,
            actor=Actor(user=world.b.user(Role.DISPATCHER)),
            intake=Intake(
                branch=world.b.branch,
                customer=CustomerFactory(agency=world.b.agency),
                channel=ComplaintChannel.PHONE,
                category=Category.DAMAGE,
                description="地板划伤",
            ),
        )
    assert sweep(FIRST_DUE) == 2
    for tenant in (world.a, world.b):
        notice = Notification.objects.get(agency=tenant.agency)
        assert notice.user == tenant.user(Role.SUPERVISOR)


def test_the_sweep_takes_at_most_its_limit_and_the_rest_next_time(take):
    for _ in range(3):
        take()
    with at(FIRST_DUE):
        assert escalate_due(limit=2) == 2
        assert escalate_due(limit=2) == 1
        assert escalate_due(limit=2) == 0


def test_notifications_speak_each_recipients_language(world, take, monkeypatch):
    # Tag every message the service writes with the language active when it was written.
    monkeypatch.setattr(
        "complaints.services.escalation._", lambda text: f"[{translation.get_language()}] {text}"
    )
    supervisor = world.a.user(Role.SUPERVISOR)
    supervisor.preferred_language = "en"
    supervisor.save()
    manager = world.a.user(Role.MANAGER)  # no preference: the agency's zh-hans
    complaint = take()
    sweep(FIRST_DUE)
    sweep(FIRST_DUE + timedelta(hours=1))
    by_user = {n.user: n for n in Notification.objects.all()}
    assert by_user[supervisor].title == (
        f"[en] Complaint {complaint.number}: First response overdue"
    )
    assert by_user[supervisor].body.startswith("[en] ")
    assert by_user[manager].title.startswith("[zh-hans] ")
    assert "2026-11-18 11:00" in by_user[manager].body  # the due time in Shanghai time
    assert {m.subject for m in office_mail()} == {
        by_user[supervisor].title,
        by_user[manager].title,
    }


def test_the_database_refuses_a_second_escalation_of_a_step(world):
    first = EscalationFactory(agency=world.a.agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationFactory(agency=world.a.agency, deadline=first.deadline, level=first.level)


# --- reliability: real transactions -----------------------------------------------------------


def _recorded() -> dict[str, int]:
    return {
        "escalations": Escalation.objects.count(),
        "events": ComplaintEvent.objects.filter(kind=EventKind.ESCALATED).count(),
        "notifications": Notification.objects.count(),
        "emails": office_mail().count(),
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_record_each_escalation_and_email_once(take, kicks):
    complaints = [take() for _ in range(15)]
    # At 13:30 both deadlines of each are breached, and the first responses are due
    # for their manager step as soon as their supervisor step is done.
    now = shanghai(18, 13, 30)

    def drain() -> int:
        done = 0
        while escalated := escalate_due(now=now, limit=4):
            done += escalated
        return done

    outcomes = race(drain, drain, drain, drain)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == 45  # type: ignore[arg-type]
    assert _recorded() == {"escalations": 45, "events": 45, "notifications": 45, "emails": 45}
    steps = set(Escalation.objects.values_list("deadline_id", "level"))
    assert len(steps) == 45
    assert set(Deadline.objects.filter(complaint__in=complaints).values_list("kind", "level")) == {
        (DeadlineKind.FIRST_RESPONSE, EscalationLevel.MANAGER),
        (DeadlineKind.SECOND_RESPONSE, EscalationLevel.SUPERVISOR),
    }
    assert len(set(office_mail().values_list("subject", "recipient"))) == 45
    assert escalate_due(now=now) == 0


def _crash_in_notify():
    return mock.patch(
        "complaints.services.escalation.notify", side_effect=RuntimeError("worker killed")
    )


def _crash_in_timeline():
    return mock.patch.object(
        ComplaintEvent.objects, "bulk_create", side_effect=RuntimeError("worker killed")
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("crash", [_crash_in_notify, _crash_in_timeline])
def test_a_crash_between_claim_and_notification_leaves_nothing_and_the_next_sweep_does_it_once(
    take, kicks, crash
):
    complaint = take()
    kicks.reset_mock()  # the customer's "complaint received" text, at intake: not the sweep's
    with crash(), pytest.raises(RuntimeError, match="worker killed"):
        escalate_due(now=FIRST_DUE)
    assert _recorded() == {"escalations": 0, "events": 0, "notifications": 0, "emails": 0}
    deadline = first_response(complaint)
    assert (deadline.level, deadline.breached_at, deadline.next_escalation_at) == (
        0,
        None,
        FIRST_DUE,
    )
    kicks.assert_not_called()

    assert escalate_due(now=FIRST_DUE + timedelta(seconds=30)) == 1
    assert escalate_due(now=FIRST_DUE + timedelta(seconds=60)) == 0
    assert _recorded() == {"escalations": 1, "events": 1, "notifications": 1, "emails": 1}
    kicks.assert_called_once_with(DELIVER_DUE_TASK, args=[])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_sweep_run_again_after_success_does_nothing(take, kicks):
    take()
    kicks.reset_mock()  # the customer's "complaint received" text, at intake: not the sweep's
    assert escalate_due(now=FIRST_DUE) == 1
    after = _recorded()
    for _ in range(3):
        assert escalate_due(now=FIRST_DUE) == 0
    assert _recorded() == after
    assert kicks.call_count == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_lost_celery_messages_lose_nothing_the_outbox_and_next_sweep_read_the_database(take, kicks):
    # Redis flushed: the outbox kick after the sweep's commit, and any queued sweep,
    # are gone. The beat's next sweep and the delivery sweep read only the database.
    take()
    assert escalate_due(now=FIRST_DUE) == 1
    kicks.reset_mock()  # the message that asked for delivery is lost
    # The delivery beat finds the email row anyway (and the customer's "complaint received").
    assert deliver_due() == 2
    assert len(mail.outbox) == 1
    assert escalate_due(now=FIRST_DUE + timedelta(hours=1)) == 1  # the manager, on time
    assert escalate_due(now=FIRST_DUE + timedelta(hours=1)) == 0
    assert _recorded() == {"escalations": 2, "events": 2, "notifications": 2, "emails": 2}
