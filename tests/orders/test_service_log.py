"""The service log (服务记录) through its services: who writes what, when, and only once.

DESIGN.md, "Service": preparation, check-in, tasks, notes, on-site inspection
and check-out are written in the service log, which is append-only.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from agency.audit import Actor
from agency.errors import StateConflict
from agency.models import Role
from orders.models import (
    AcceptanceRound,
    AssignmentStatus,
    EntryKind,
    OrderEvent,
    OrderStatus,
    RoundOutcome,
    ServiceLogEntry,
    Stage,
)
from orders.service import selectors
from orders.service.services.acceptance import acceptance_sign_lead
from orders.service.services.service_log import (
    Position,
    log_check_in,
    log_check_out,
    log_correction,
    log_inspection,
    log_note,
    log_preparation,
    log_task,
)
from tests.orders.service_steps import nothing_written, serve
from tests.uploads import photo, text_as

TIANANMEN = Position(latitude=Decimal("39.908720"), longitude=Decimal("116.397480"), accuracy_m=12)


def prepare(job):
    """The lead ticks the whole preparation checklist: the job may begin."""
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)


def serve_rest(job):
    """The rest of the job after the lead's check-in: the member's part, then both leave."""
    log_check_in(assignment=job.member, actor=job.member_actor)
    for task in job.order.needs_form.checklist:
        log_task(assignment=job.member, actor=job.member_actor, item=task)
    log_check_out(assignment=job.member, actor=job.member_actor)
    log_check_out(assignment=job.lead, actor=job.lead_actor)


def status_events(order):
    return list(
        OrderEvent.objects.filter(order=order)
        .exclude(to_status="")
        .values_list("from_status", "to_status")
    )


# --- preparation ----------------------------------------------------------------------


def test_preparation_is_ticked_from_the_checklist_once_until_withdrawn(team_job):
    job = team_job
    ticked = log_preparation(assignment=job.lead, actor=job.lead_actor, item="吸尘器")
    assert (ticked.kind, ticked.item, ticked.author) == (
        EntryKind.PREPARATION,
        "吸尘器",
        job.lead_actor.user,
    )

    with nothing_written(), pytest.raises(ValidationError) as refused:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item="电钻")
    assert "item" in refused.value.message_dict
    # Once for the order, whoever of the team ticks it.
    for assignment, actor in ((job.lead, job.lead_actor), (job.member, job.member_actor)):
        with nothing_written(), pytest.raises(ValidationError):
            log_preparation(assignment=assignment, actor=actor, item="吸尘器")

    log_correction(entry=ticked, actor=job.lead_actor, withdraw=True, text="拿错了型号")
    assert selectors.ticked_items(job.order, EntryKind.PREPARATION) == set()
    again = log_preparation(assignment=job.member, actor=job.member_actor, item="吸尘器")
    assert list(selectors.effective_log(job.order)) == [again]
    with nothing_written(), pytest.raises(ValidationError):
        log_preparation(assignment=job.lead, actor=job.lead_actor, item="吸尘器")


def test_preparation_is_over_once_the_team_checked_out(team_job):
    job = team_job
    serve(job)
    line = job.order.service_type.preparation_checklist[0]
    with nothing_written(), pytest.raises(StateConflict):
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)


# --- check-in ---------------------------------------------------------------------------


def test_check_in_opens_the_agencys_set_minutes_before_the_start(team_job):
    job = team_job
    agency = job.order.agency
    # The address window (24 h) is open long before: it does not open check-in.
    agency.check_in_opens_minutes = 20
    agency.save(update_fields=["check_in_opens_minutes"])
    prepare(job)
    # A whole second: time_machine's clock is a float, exact only to about a microsecond.
    job.order.starts_at = job.order.starts_at.replace(microsecond=0)
    job.order.save(update_fields=["starts_at"])
    opens = job.order.starts_at - timedelta(minutes=20)

    with (
        time_machine.travel(opens - timedelta(seconds=1), tick=False),
        nothing_written(),
        pytest.raises(StateConflict, match="Check-in opens at"),
    ):
        log_check_in(assignment=job.lead, actor=job.lead_actor, position=TIANANMEN)
    assert job.reload().status == OrderStatus.ASSIGNED

    with time_machine.travel(opens, tick=False):
        entry = log_check_in(assignment=job.lead, actor=job.lead_actor, position=TIANANMEN)
    entry.refresh_from_db()
    assert (entry.kind, entry.latitude, entry.longitude, entry.accuracy_m) == (
        EntryKind.CHECK_IN,
        Decimal("39.908720"),
        Decimal("116.397480"),
        12,
    )
    assert entry.recorded_at == opens
    assert job.reload().status == OrderStatus.IN_SERVICE
    event = OrderEvent.objects.get(order=job.order, to_status=OrderStatus.IN_SERVICE)
    assert (event.from_status, event.actor) == (OrderStatus.ASSIGNED, job.lead_actor.user)

    with nothing_written(), pytest.raises(StateConflict):
        log_check_in(assignment=job.lead, actor=job.lead_actor)

    # The window closes when the job ends: nobody checks in afterwards.
    with (
        time_machine.travel(job.order.ends_at + timedelta(seconds=1), tick=False),
        nothing_written(),
        pytest.raises(StateConflict, match="ended"),
    ):
        log_check_in(assignment=job.member, actor=job.member_actor)

    # The member's check-in finds the order in service: no second status change.
    with time_machine.travel(job.order.starts_at, tick=False):
        member = log_check_in(assignment=job.member, actor=job.member_actor)
    assert (member.latitude, member.longitude, member.accuracy_m) == (None, None, None)
    assert status_events(job.order) == [(OrderStatus.ASSIGNED, OrderStatus.IN_SERVICE)]


def test_check_in_refuses_a_position_off_the_earth(team_job):
    job = team_job
    prepare(job)
    with nothing_written(), pytest.raises(ValidationError):
        log_check_in(
            assignment=job.lead,
            actor=job.lead_actor,
            position=Position(latitude=Decimal("91"), longitude=Decimal("116.4")),
        )
    assert job.reload().status == OrderStatus.ASSIGNED


# --- tasks, notes, photos ---------------------------------------------------------------


def test_tasks_come_from_the_needs_form_after_check_in_once_each(team_job):
    job = team_job
    needs = job.order.needs_form
    needs.checklist = ["厨房", "卫生间"]  # the service type also lists 客厅
    needs.save(update_fields=["checklist"])
    prepare(job)
    log_check_in(assignment=job.lead, actor=job.lead_actor)

    with nothing_written(), pytest.raises(StateConflict):
        log_task(assignment=job.member, actor=job.member_actor, item="厨房")
    log_check_in(assignment=job.member, actor=job.member_actor)

    with nothing_written(), pytest.raises(ValidationError):
        log_task(assignment=job.member, actor=job.member_actor, item="客厅")
    done = log_task(assignment=job.member, actor=job.member_actor, item="厨房", text=" 油烟机 ")
    assert (done.kind, done.item, done.text) == (EntryKind.TASK, "厨房", "油烟机")
    with nothing_written(), pytest.raises(ValidationError):
        log_task(assignment=job.lead, actor=job.lead_actor, item="厨房")
    assert selectors.ticked_items(job.order, EntryKind.TASK) == {"厨房"}


def test_a_photo_must_really_be_an_image(team_job, media):
    job = team_job
    prepare(job)
    log_check_in(assignment=job.lead, actor=job.lead_actor)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        log_note(assignment=job.lead, actor=job.lead_actor, photo=text_as("kitchen.png"))
    assert "photo" in refused.value.message_dict
    with nothing_written(), pytest.raises(ValidationError):
        log_note(assignment=job.lead, actor=job.lead_actor, text="  ")

    entry = log_note(
        assignment=job.lead, actor=job.lead_actor, text="厨房前后", photo=photo("kitchen.png")
    )
    assert (entry.kind, entry.text) == (EntryKind.PHOTO, "厨房前后")
    assert (media / entry.photo.name).exists()
    assert log_note(assignment=job.lead, actor=job.lead_actor, text="猫很安静").kind == (
        EntryKind.NOTE
    )


# --- check-out and inspection -------------------------------------------------------------


def test_a_members_check_out_keeps_the_order_the_leads_opens_round_one(team_job):
    job = team_job
    prepare(job)
    with nothing_written(), pytest.raises(StateConflict):
        log_check_out(assignment=job.lead, actor=job.lead_actor)  # not checked in
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    log_check_in(assignment=job.member, actor=job.member_actor)

    log_check_out(assignment=job.member, actor=job.member_actor)
    assert job.reload().status == OrderStatus.IN_SERVICE
    assert not AcceptanceRound.objects.filter(order=job.order).exists()
    with nothing_written(), pytest.raises(StateConflict):
        log_check_out(assignment=job.member, actor=job.member_actor)

    out = log_check_out(assignment=job.lead, actor=job.lead_actor, position=TIANANMEN)
    assert (out.kind, out.latitude) == (EntryKind.CHECK_OUT, Decimal("39.908720"))
    assert job.reload().status == OrderStatus.INSPECTION
    round_ = AcceptanceRound.objects.get(order=job.order)
    assert (round_.number, round_.outcome, round_.next_stage) == (1, RoundOutcome.OPEN, Stage.LEAD)
    assert status_events(job.order) == [
        (OrderStatus.ASSIGNED, OrderStatus.IN_SERVICE),
        (OrderStatus.IN_SERVICE, OrderStatus.INSPECTION),
    ]
    with nothing_written(), pytest.raises(StateConflict):
        log_check_out(assignment=job.lead, actor=job.lead_actor)
    # In inspection, tasks are over.
    with nothing_written(), pytest.raises(StateConflict):
        log_task(assignment=job.member, actor=job.member_actor, item="厨房")


def test_a_member_still_checks_out_after_the_lead_did(team_job):
    job = team_job
    prepare(job)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    log_check_in(assignment=job.member, actor=job.member_actor)
    log_check_out(assignment=job.lead, actor=job.lead_actor)
    late = log_check_out(assignment=job.member, actor=job.member_actor)
    assert late.kind == EntryKind.CHECK_OUT
    assert job.reload().status == OrderStatus.INSPECTION
    assert AcceptanceRound.objects.filter(order=job.order).count() == 1


def test_the_lead_inspects_after_check_out_before_stage_one(team_job):
    job = team_job
    prepare(job)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    with nothing_written(), pytest.raises(StateConflict):
        log_inspection(assignment=job.lead, actor=job.lead_actor, item="厨房", ok=True)
    serve_rest(job)

    with nothing_written(), pytest.raises(PermissionDenied):
        log_inspection(assignment=job.member, actor=job.member_actor, item="厨房", ok=True)
    with nothing_written(), pytest.raises(ValidationError):
        log_inspection(assignment=job.lead, actor=job.lead_actor, item="卫生间", ok=False)
    with nothing_written(), pytest.raises(ValidationError):
        log_inspection(assignment=job.lead, actor=job.lead_actor, item=" ", ok=True)
    seen = log_inspection(
        assignment=job.lead, actor=job.lead_actor, item="卫生间", ok=False, text="镜子有水印"
    )
    assert (seen.kind, seen.item, seen.ok, seen.text) == (
        EntryKind.INSPECTION,
        "卫生间",
        False,
        "镜子有水印",
    )

    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    with nothing_written(), pytest.raises(StateConflict):
        log_inspection(assignment=job.lead, actor=job.lead_actor, item="客厅", ok=True)


# --- corrections and the append-only log -----------------------------------------------------


def test_only_the_author_corrects_an_entry_once_and_a_correction_again(team_job):
    job = team_job
    prepare(job)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    log_check_in(assignment=job.member, actor=job.member_actor)
    written = log_note(assignment=job.lead, actor=job.lead_actor, text="阳台门锁坏了")

    with nothing_written(), pytest.raises(PermissionDenied):
        log_correction(entry=written, actor=job.member_actor, text="阳台门锁正常")
    with nothing_written(), pytest.raises(ValidationError):
        log_correction(entry=written, actor=job.lead_actor, text=" ")

    first = log_correction(entry=written, actor=job.lead_actor, text="阳台门锁有点紧")
    assert (first.kind, first.corrects, first.withdrawn, first.author) == (
        EntryKind.NOTE,
        written,
        False,
        job.lead_actor.user,
    )
    with nothing_written(), pytest.raises(StateConflict):
        log_correction(entry=written, actor=job.lead_actor, text="第三种说法")
    with nothing_written(), pytest.raises(StateConflict):
        log_correction(entry=written, actor=job.lead_actor, withdraw=True)

    second = log_correction(entry=first, actor=job.lead_actor, text="阳台门锁已修好")
    effective = [e for e in selectors.effective_log(job.order) if e.kind == EntryKind.NOTE]
    assert effective == [second]
    # Nothing was lost: the whole log keeps every version.
    notes = selectors.service_log(job.order).filter(kind=EntryKind.NOTE)
    assert [e.text for e in notes] == ["阳台门锁坏了", "阳台门锁有点紧", "阳台门锁已修好"]


def test_a_check_in_is_corrected_never_withdrawn(team_job):
    job = team_job
    prepare(job)
    arrived = log_check_in(assignment=job.lead, actor=job.lead_actor, position=TIANANMEN)

    with nothing_written(), pytest.raises(ValidationError):
        log_correction(entry=arrived, actor=job.lead_actor, withdraw=True)
    assert job.reload().status == OrderStatus.IN_SERVICE

    corrected = log_correction(entry=arrived, actor=job.lead_actor, text="从侧门进入")
    corrected.refresh_from_db()
    # The correction says what should have been written; where the phone was stays true.
    assert (corrected.kind, corrected.text, corrected.latitude, corrected.accuracy_m) == (
        EntryKind.CHECK_IN,
        "从侧门进入",
        Decimal("39.908720"),
        12,
    )
    with nothing_written(), pytest.raises(StateConflict):
        log_check_in(assignment=job.lead, actor=job.lead_actor)


def test_the_database_refuses_to_change_or_delete_the_log(team_job):
    job = team_job
    entry = log_preparation(assignment=job.lead, actor=job.lead_actor, item="吸尘器")
    rows = ServiceLogEntry.objects.filter(pk=entry.pk)

    with transaction.atomic(), pytest.raises(DatabaseError, match="append-only"):
        rows.update(text="改过的")
    with transaction.atomic(), pytest.raises(DatabaseError, match="append-only"):
        rows.delete()

    assert list(rows.values_list("item", "text")) == [("吸尘器", "")]


# --- whose job ------------------------------------------------------------------------------


def test_staff_write_only_in_their_own_assignment(world, team_job):
    job = team_job
    prepare(job)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    written = log_note(assignment=job.lead, actor=job.lead_actor, text="到达")
    strangers = [
        job.member_actor,  # on the team, but this is the lead's assignment
        Actor(user=world.a.user(Role.DISPATCHER)),
        Actor(user=world.b.user(Role.STAFF)),
        Actor(user=world.b.user(Role.MANAGER)),
        Actor(user=None),
    ]
    for actor in strangers:
        attempts = [
            lambda a=actor: log_preparation(assignment=job.lead, actor=a, item="清洁剂"),
            lambda a=actor: log_check_in(assignment=job.lead, actor=a),
            lambda a=actor: log_task(assignment=job.lead, actor=a, item="厨房"),
            lambda a=actor: log_note(assignment=job.lead, actor=a, text="路过"),
            lambda a=actor: log_check_out(assignment=job.lead, actor=a),
            lambda a=actor: log_inspection(assignment=job.lead, actor=a, item="厨房", ok=True),
            lambda a=actor: log_correction(entry=written, actor=a, text="改"),
        ]
        for attempt in attempts:
            with nothing_written(), pytest.raises(PermissionDenied):
                attempt()


def test_a_released_staff_member_writes_no_more(team_job):
    job = team_job
    prepare(job)
    job.member.status = AssignmentStatus.RELEASED
    job.member.save(update_fields=["status"])
    with nothing_written(), pytest.raises(StateConflict):
        log_check_in(assignment=job.member, actor=job.member_actor)
