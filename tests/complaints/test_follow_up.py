"""A hard complaint's satisfaction follow-up is one record, the revisit call:
logged in the revisit queue or recorded on the complaint, it is done once, escalated
once if late, and counted once."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from agency.audit import Actor
from agency.models import Role
from complaints import figures
from complaints.follow_up import follow_ups_from_revisits
from complaints.models import (
    Complaint,
    ComplaintChannel,
    Deadline,
    DeadlineKind,
    EventKind,
    Status,
)
from complaints.services.escalation import escalate_due
from complaints.services.handling import (
    complaint_close,
    complaint_follow_up,
    complaint_resolve,
    complaint_respond,
    complaint_second_response,
)
from complaints.services.intake import Intake, complaint_take
from complaints.tasks import sweep_deadlines
from feedback import figures as feedback_figures
from feedback.models import Revisit, RevisitKind, RevisitOutcome, RevisitStatus
from feedback.revisits import revisit_log, sweep_revisits
from tests.factories import CustomerFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_10 = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
RESOLVED = MONDAY_10 + timedelta(hours=4)
FOLLOW_UP_DUE = RESOLVED + timedelta(hours=24)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def office(world):
    return Actor(user=world.a.user(Role.DISPATCHER))


@pytest.fixture
def resolved(world, office) -> Complaint:
    """A hard complaint resolved on Monday at 14:00: its follow-up is due Tuesday 14:00."""
    return resolve_a_hard_complaint(world, office)


def resolve_a_hard_complaint(world, office) -> Complaint:
    with at(MONDAY_10):
        complaint = complaint_take(
            agency=world.a.agency,
            actor=office,
            intake=Intake(
                branch=world.a.branch,
                customer=CustomerFactory(agency=world.a.agency),
                channel=ComplaintChannel.PHONE,
                category="damage",
                description="打碎了花瓶",
            ),
        )
        complaint_respond(complaint=complaint, actor=office, text="已道歉")
        complaint_second_response(
            complaint=complaint, actor=office, text="今天赔偿", resolve_by=RESOLVED
        )
    with at(RESOLVED):
        return complaint_resolve(complaint=complaint, actor=office, text="已赔偿")


def follow_up_of(complaint: Complaint) -> Revisit:
    return Revisit.objects.get(
        kind=RevisitKind.COMPLAINT_FOLLOW_UP, source=complaint.follow_up_source
    )


def test_a_follow_up_logged_in_the_revisit_queue_follows_the_complaint_up(resolved, office):
    with at(RESOLVED + timedelta(hours=20)):
        revisit_log(
            revisit=follow_up_of(resolved),
            actor=office,
            outcome=RevisitOutcome.REACHED,
            satisfaction=4,
        )
        assert sweep_deadlines() == 0
        assert follow_ups_from_revisits() == 0  # done once
    resolved.refresh_from_db()
    assert (resolved.status, resolved.satisfaction) == (Status.FOLLOWED_UP, 4)
    assert resolved.events.filter(kind=EventKind.FOLLOW_UP).count() == 1
    # Past its due time nothing is open, escalated or counted as a breach.
    with at(FOLLOW_UP_DUE + timedelta(days=3)):
        assert escalate_due() == 0
        assert sweep_revisits()["escalated"] == 0
        assert (
            figures.open_breaches(
                agency=resolved.agency, start=MONDAY_10, end=FOLLOW_UP_DUE + timedelta(days=3)
            )
            == 0
        )


def test_a_follow_up_recorded_on_the_complaint_closes_its_revisit(resolved, office):
    with at(RESOLVED + timedelta(hours=2)):
        complaint_follow_up(complaint=resolved, actor=office, satisfaction=5, text="满意")
    follow_up = follow_up_of(resolved)
    assert (follow_up.status, follow_up.outcome, follow_up.satisfaction) == (
        RevisitStatus.DONE,
        RevisitOutcome.REACHED,
        5,
    )
    with at(FOLLOW_UP_DUE + timedelta(days=3)):
        assert sweep_revisits()["escalated"] == 0
        assert escalate_due() == 0
    assert follow_up_of(resolved).next_action_at is None


def test_a_late_follow_up_is_escalated_once_and_counted_once(resolved):
    # Escalated by the revisit sweep at its due time; the complaint has no second clock.
    with at(FOLLOW_UP_DUE + timedelta(minutes=1)):
        assert sweep_revisits()["escalated"] == 1
        assert escalate_due() == 0
        assert sweep_revisits()["escalated"] == 0
    week = {"agency": resolved.agency, "start": MONDAY_10, "end": MONDAY_10 + timedelta(days=7)}
    with at(FOLLOW_UP_DUE + timedelta(hours=2)):
        assert figures.open_breaches(**week) == 0
        completion = feedback_figures.revisit_completion(**week)
    assert (completion.measured, completion.value) == (1, 0)


def test_closing_a_resolved_complaint_drops_its_follow_up(resolved, office):
    with at(RESOLVED + timedelta(hours=1)):
        complaint_close(
            complaint=resolved,
            actor=office,
            text="客户不需要回访",
            root_cause="other",
            root_cause_note="客户撤回",
        )
    follow_up = follow_up_of(resolved)
    assert (follow_up.status, follow_up.next_action_at) == (RevisitStatus.DROPPED, None)


def test_the_complaint_page_shows_the_follow_up_call_it_waits_for(resolved, world, client_for):
    page = client_for(world.a.user(Role.SUPERVISOR)).get(
        reverse("complaint_detail", kwargs={"pk": resolved.pk})
    )
    follow_up = follow_up_of(resolved)
    assert page.context["follow_up"] == follow_up
    html = page.content.decode()
    assert 'id="complaint-follow-up"' in html
    assert f"#revisit-{follow_up.pk}" in html


def _old_pair(complaint: Complaint) -> Deadline:
    """The complaint as it was before: its revisit named after the complaint only, and a
    follow-up deadline of its own, running."""
    Revisit.objects.filter(source=complaint.follow_up_source).update(
        source=f"complaint-{complaint.pk}"
    )
    return Deadline.objects.create(
        agency=complaint.agency,
        complaint=complaint,
        kind=DeadlineKind.FOLLOW_UP,
        office_hours=False,
        due_at=FOLLOW_UP_DUE,
        next_escalation_at=FOLLOW_UP_DUE,
    )


def test_the_migration_joins_an_open_pair_into_the_revisit(resolved, office):
    migration = importlib.import_module("complaints.migrations.0004_follow_up_is_the_revisit")
    deadline = _old_pair(resolved)
    with at(RESOLVED + timedelta(hours=3)):
        migration.forwards(apps, None)
    deadline.refresh_from_db()
    assert (deadline.cancelled_at, deadline.next_escalation_at) == (
        RESOLVED + timedelta(hours=3),
        None,
    )
    follow_up = follow_up_of(resolved)  # renamed to its resolution
    assert (follow_up.status, follow_up.next_action_at) == (RevisitStatus.OPEN, FOLLOW_UP_DUE)


def test_the_migration_follows_up_a_complaint_whose_call_was_logged(resolved, office):
    migration = importlib.import_module("complaints.migrations.0004_follow_up_is_the_revisit")
    with at(RESOLVED + timedelta(hours=2)):
        revisit_log(
            revisit=follow_up_of(resolved),
            actor=office,
            outcome=RevisitOutcome.REACHED,
            satisfaction=3,
        )
    deadline = _old_pair(resolved)
    migration.forwards(apps, None)
    deadline.refresh_from_db()
    resolved.refresh_from_db()
    assert (deadline.met_at, deadline.breached_at) == (RESOLVED + timedelta(hours=2), None)
    assert (resolved.status, resolved.satisfaction) == (Status.FOLLOWED_UP, 3)


def test_one_run_follows_up_every_done_call_whatever_waits_beside_them(world, resolved, office):
    done = [resolve_a_hard_complaint(world, office) for _ in range(2)]
    with at(RESOLVED + timedelta(hours=20)):
        for complaint in done:
            revisit_log(
                revisit=follow_up_of(complaint),
                actor=office,
                outcome=RevisitOutcome.REACHED,
                satisfaction=5,
            )
        # `resolved` still waits for its call; a batch holds one complaint.
        assert follow_ups_from_revisits(batch=1) == 2
    for complaint in done:
        complaint.refresh_from_db()
    resolved.refresh_from_db()
    assert [c.status for c in [*done, resolved]] == [
        Status.FOLLOWED_UP,
        Status.FOLLOWED_UP,
        Status.RESOLVED,
    ]
