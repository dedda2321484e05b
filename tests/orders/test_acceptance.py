"""The service log and the four-stage acceptance, through the services.

The story: checked in, logged with photos, inspected, signed by the
lead and the team supervisor, failed by the office supervisor with two items,
reworked, and passed in round two by all four, the customer by link.

DESIGN.md, "Acceptance": on-site lead → team supervisor → office supervisor →
customer, each a signed stage, in this order; a failed stage records its items,
the responsible staff redo them, and the record keeps every round.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from agency.audit import Actor
from agency.errors import StateConflict
from agency.models import Role
from orders.models import (
    AcceptanceRound,
    AssignmentStatus,
    EntryKind,
    FailedItem,
    OrderEvent,
    OrderStatus,
    RoundOutcome,
    SignedVia,
    Signoff,
    Stage,
)
from orders.service import selectors
from orders.service.services.acceptance import (
    AcceptanceConflict,
    CustomerVerdict,
    Failure,
    acceptance_sign_customer,
    acceptance_sign_lead,
    acceptance_sign_supervisor,
    rework_done,
    rework_reassign,
    rework_submit,
)
from orders.service.services.service_log import (
    log_check_in,
    log_correction,
    log_inspection,
    log_preparation,
)
from tests.concurrency import race
from tests.factories import MembershipFactory, StaffMemberFactory
from tests.orders.service_steps import CUSTOMER, nothing_written, serve, supervisors


def test_two_rounds_from_check_in_to_accepted(world, team_job):
    job = team_job
    team, office = supervisors(world)
    serve(job)
    assert job.reload().status == OrderStatus.INSPECTION

    log_inspection(assignment=job.lead, actor=job.lead_actor, item="厨房", ok=True)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    acceptance_sign_supervisor(
        order=job.order, stage=Stage.TEAM_SUPERVISOR, actor=team, passed=True
    )
    acceptance_sign_supervisor(
        order=job.order,
        stage=Stage.OFFICE_SUPERVISOR,
        actor=office,
        passed=False,
        failures=[Failure("卫生间", responsible=job.member.staff), Failure("窗台有灰")],
    )
    assert job.reload().status == OrderStatus.REWORK
    first = AcceptanceRound.objects.get(order=job.order, number=1)
    assert first.outcome == RoundOutcome.FAILED
    items = list(first.signoffs.get(stage=Stage.OFFICE_SUPERVISOR).failed_items.all())
    assert [(i.description, i.from_checklist, i.responsible) for i in items] == [
        ("卫生间", True, job.member.staff),
        ("窗台有灰", False, job.lead.staff),
    ]

    with pytest.raises(ValidationError):
        rework_submit(order=job.order, actor=job.lead_actor)
    rework_done(item=items[0], actor=job.member_actor, text="重新清洁")
    rework_done(item=items[1], actor=job.lead_actor)
    second = rework_submit(order=job.order, actor=job.lead_actor)
    assert second.number == 2
    assert job.reload().status == OrderStatus.INSPECTION

    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    acceptance_sign_supervisor(
        order=job.order, stage=Stage.TEAM_SUPERVISOR, actor=team, passed=True
    )
    acceptance_sign_supervisor(
        order=job.order, stage=Stage.OFFICE_SUPERVISOR, actor=office, passed=True
    )
    customer = Actor(user=None, ip_address="198.51.100.7")
    acceptance_sign_customer(
        order=job.order,
        actor=customer,
        verdict=CustomerVerdict(signed_name="王芳", via=SignedVia.LINK, score=4, comment="满意"),
        passed=True,
        round_number=2,
    )
    order = job.reload()
    assert order.status == OrderStatus.ACCEPTED
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.ACCEPTED).count() == 1
    final = Signoff.objects.get(round__number=2, round__order=order, stage=Stage.CUSTOMER)
    assert (final.score, final.signature.via, final.signer) == (4, SignedVia.LINK, None)
    assert order.log_entries.filter(kind=EntryKind.REWORK).count() == 2

    # The link of round 2 is spent now; so is the one of round 1.
    for number in (1, 2):
        with pytest.raises(AcceptanceConflict):
            acceptance_sign_customer(
                order=job.order,
                actor=customer,
                verdict=CustomerVerdict(signed_name="王芳", via=SignedVia.LINK, score=5),
                passed=True,
                round_number=number,
            )


def test_stages_sign_in_order_by_the_right_people_once(world, team_job):
    job = team_job
    team, office = supervisors(world)
    serve(job)
    dispatcher = Actor(user=world.a.user(Role.DISPATCHER), ip_address="192.0.2.40")
    with pytest.raises(AcceptanceConflict):
        acceptance_sign_supervisor(
            order=job.order, stage=Stage.TEAM_SUPERVISOR, actor=team, passed=True
        )
    with pytest.raises(PermissionDenied):
        acceptance_sign_lead(assignment=job.member, actor=job.member_actor, passed=True)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    with pytest.raises(AcceptanceConflict):
        acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    with pytest.raises(PermissionDenied):
        acceptance_sign_supervisor(
            order=job.order, stage=Stage.TEAM_SUPERVISOR, actor=dispatcher, passed=True
        )
    acceptance_sign_supervisor(
        order=job.order, stage=Stage.TEAM_SUPERVISOR, actor=team, passed=True
    )
    with pytest.raises(PermissionDenied):
        acceptance_sign_supervisor(
            order=job.order, stage=Stage.OFFICE_SUPERVISOR, actor=team, passed=True
        )
    outsider = Actor(user=world.b.user(Role.MANAGER), ip_address="192.0.2.50")
    with pytest.raises(PermissionDenied):
        acceptance_sign_supervisor(
            order=job.order, stage=Stage.OFFICE_SUPERVISOR, actor=outsider, passed=True
        )
    acceptance_sign_supervisor(
        order=job.order, stage=Stage.OFFICE_SUPERVISOR, actor=office, passed=True
    )
    for score in (0, 6, None):
        with pytest.raises(ValidationError):
            acceptance_sign_customer(
                order=job.order,
                actor=job.lead_actor,
                verdict=CustomerVerdict(signed_name="王芳", via=SignedVia.DEVICE, score=score),
                passed=True,
            )
    with pytest.raises(ValidationError):
        acceptance_sign_customer(
            order=job.order,
            actor=dispatcher,
            verdict=CustomerVerdict(
                signed_name="王芳", via=SignedVia.OFFICE, score=5, verification_reason="电话确认"
            ),
            passed=True,
        )
    assert Signoff.objects.filter(round__order=job.order).count() == 3
    acceptance_sign_customer(
        order=job.order,
        actor=dispatcher,
        verdict=CustomerVerdict(
            signed_name="王芳", via=SignedVia.OFFICE, verification_reason="客户在外地，电话确认"
        ),
        passed=True,
    )
    assert job.reload().status == OrderStatus.ACCEPTED


def test_check_in_needs_preparation_and_the_window(world, team_job):
    job = team_job
    with pytest.raises(ValidationError):
        log_check_in(assignment=job.lead, actor=job.lead_actor)
    with pytest.raises(PermissionDenied):
        log_preparation(assignment=job.lead, actor=job.member_actor, item="吸尘器")
    with pytest.raises(ValidationError):
        log_preparation(assignment=job.lead, actor=job.lead_actor, item="电钻")
    assert job.reload().status == OrderStatus.ASSIGNED
    assert not job.order.log_entries.exists()
    assert Decimal(0) == 0


# --- helpers ----------------------------------------------------------------------------


def by_link(score, *, passed=True, failures=(), round_number=1, comment=""):
    """The customer's stage through their link of round `round_number`."""
    return {
        "actor": CUSTOMER,
        "verdict": CustomerVerdict(
            signed_name="王芳", via=SignedVia.LINK, score=score, comment=comment
        ),
        "passed": passed,
        "failures": failures,
        "round_number": round_number,
    }


def to_the_customer(world, job):
    """Stages 1–3 of the open round pass: the customer's turn."""
    team, office = supervisors(world)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    acceptance_sign_supervisor(
        order=job.order, stage=Stage.TEAM_SUPERVISOR, actor=team, passed=True
    )
    acceptance_sign_supervisor(
        order=job.order, stage=Stage.OFFICE_SUPERVISOR, actor=office, passed=True
    )


def team_stage(job, actor, **kwargs):
    return acceptance_sign_supervisor(
        order=job.order, stage=Stage.TEAM_SUPERVISOR, actor=actor, **{"passed": True, **kwargs}
    )


def office_stage(job, actor, **kwargs):
    return acceptance_sign_supervisor(
        order=job.order, stage=Stage.OFFICE_SUPERVISOR, actor=actor, **{"passed": True, **kwargs}
    )


def on_device(job, score=5, **kwargs):
    return acceptance_sign_customer(
        order=job.order,
        actor=job.lead_actor,
        verdict=CustomerVerdict(signed_name="王芳", via=SignedVia.DEVICE, score=score),
        **{"passed": True, **kwargs},
    )


# --- the quality bars: order, signers, once, scores ----------------------------------------


def test_no_stage_signs_before_check_out(world, team_job):
    job = team_job
    team, _office = supervisors(world)
    with nothing_written(), pytest.raises(AcceptanceConflict):
        acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    with nothing_written(), pytest.raises(AcceptanceConflict):
        team_stage(job, team)


def test_stages_sign_only_in_their_turn(world, team_job):
    job = team_job
    team, office = supervisors(world)
    serve(job)
    early = [
        lambda: team_stage(job, team),
        lambda: office_stage(job, office),
        lambda: on_device(job),
        lambda: acceptance_sign_customer(order=job.order, **by_link(5)),
    ]
    for attempt in early:
        with nothing_written(), pytest.raises(AcceptanceConflict):
            attempt()
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    for attempt in early[1:]:
        with nothing_written(), pytest.raises(AcceptanceConflict):
            attempt()
    team_stage(job, team)
    for attempt in early[2:]:
        with nothing_written(), pytest.raises(AcceptanceConflict):
            attempt()
    for stage in (Stage.LEAD, Stage.CUSTOMER, 5):
        with nothing_written(), pytest.raises(ValidationError):
            acceptance_sign_supervisor(order=job.order, stage=stage, actor=office, passed=True)
    assert AcceptanceRound.objects.get(order=job.order).next_stage == Stage.OFFICE_SUPERVISOR


def test_every_stage_signs_once(world, team_job):
    job = team_job
    team, office = supervisors(world)
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    team_stage(job, team)
    office_stage(job, office)
    again = [
        lambda: acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True),
        lambda: team_stage(job, team),
        lambda: team_stage(job, office),
        lambda: office_stage(job, office),
    ]
    for attempt in again:
        with nothing_written(), pytest.raises(AcceptanceConflict):
            attempt()
    on_device(job, score=5)
    for attempt in [*again, lambda: on_device(job), lambda: on_device(job, passed=False)]:
        with nothing_written(), pytest.raises(AcceptanceConflict):
            attempt()
    assert Signoff.objects.filter(round__order=job.order).count() == 4


def test_each_stage_is_signed_by_its_role_in_the_orders_agency(world, team_job):
    job = team_job
    serve(job)
    with nothing_written(), pytest.raises(PermissionDenied):
        acceptance_sign_lead(assignment=job.member, actor=job.member_actor, passed=True)
    with nothing_written(), pytest.raises(PermissionDenied):
        acceptance_sign_lead(assignment=job.lead, actor=job.member_actor, passed=True)
    with nothing_written(), pytest.raises(PermissionDenied):
        acceptance_sign_lead(
            assignment=job.lead, actor=Actor(user=world.b.user(Role.STAFF)), passed=True
        )
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)

    wrong_roles = [
        Actor(user=world.a.user(Role.DISPATCHER)),
        Actor(user=world.a.user(Role.FINANCE)),
        Actor(user=world.a.user(Role.STAFF)),
        Actor(user=world.b.user(Role.SUPERVISOR)),
        Actor(user=world.b.user(Role.MANAGER)),
        Actor(user=None),
    ]
    for actor in wrong_roles:
        with nothing_written(), pytest.raises(PermissionDenied):
            team_stage(job, actor)
    team_stage(job, Actor(user=world.a.user(Role.SUPERVISOR)))
    for actor in wrong_roles:
        with nothing_written(), pytest.raises(PermissionDenied):
            office_stage(job, actor)
    office_stage(job, Actor(user=world.a.user(Role.MANAGER)))

    not_the_customer = [
        (Actor(user=world.a.user(Role.DISPATCHER)), SignedVia.LINK),
        (job.lead_actor, SignedVia.LINK),
        (Actor(user=world.a.user(Role.DISPATCHER)), SignedVia.DEVICE),  # not on the job
        (Actor(user=world.b.user(Role.STAFF)), SignedVia.DEVICE),
        (CUSTOMER, SignedVia.DEVICE),
        (job.lead_actor, SignedVia.OFFICE),
        (Actor(user=world.a.user(Role.FINANCE)), SignedVia.OFFICE),
        (Actor(user=world.b.user(Role.DISPATCHER)), SignedVia.OFFICE),
        (CUSTOMER, SignedVia.OFFICE),
    ]
    for actor, via in not_the_customer:
        score = None if via == SignedVia.OFFICE else 5
        with nothing_written(), pytest.raises(PermissionDenied):
            acceptance_sign_customer(
                order=job.order,
                actor=actor,
                verdict=CustomerVerdict(
                    signed_name="王芳", via=via, score=score, verification_reason="电话确认"
                ),
                passed=True,
            )
    with nothing_written(), pytest.raises(ValidationError):
        acceptance_sign_customer(
            order=job.order,
            actor=CUSTOMER,
            verdict=CustomerVerdict(signed_name="王芳", via="fax", score=5),
            passed=True,
        )


def test_team_and_office_supervisor_are_two_people(world, team_job):
    job = team_job
    manager = Actor(user=world.a.user(Role.MANAGER))
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    team_stage(job, manager)
    for passed, failures in ((True, ()), (False, [Failure("卫生间")])):
        with nothing_written(), pytest.raises(PermissionDenied):
            office_stage(job, manager, passed=passed, failures=failures)
    signed = office_stage(job, Actor(user=world.a.user(Role.SUPERVISOR)))
    assert (signed.signer, signed.signer_name) == (
        world.a.user(Role.SUPERVISOR),
        "alpha-supervisor",
    )


def test_the_customers_score_is_one_to_five(world, team_job):
    job = team_job
    serve(job)
    to_the_customer(world, job)
    for score in (0, 6, -1, None):
        with nothing_written(), pytest.raises(ValidationError) as refused:
            acceptance_sign_customer(order=job.order, **by_link(score))
        assert "score" in refused.value.message_dict
        with nothing_written(), pytest.raises(ValidationError):
            on_device(job, score=score)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        acceptance_sign_customer(
            order=job.order,
            actor=CUSTOMER,
            verdict=CustomerVerdict(signed_name="  ", via=SignedVia.LINK, score=5),
            passed=True,
            round_number=1,
        )
    assert "signed_name" in refused.value.message_dict

    signed = on_device(job, score=1)
    assert (signed.score, signed.signer, signed.signature.via) == (1, None, SignedVia.DEVICE)
    assert signed.signature.collected_by == job.lead_actor.user


def test_the_office_verifies_for_the_customer_without_a_score_and_with_a_reason(world, team_job):
    job = team_job
    dispatcher = Actor(user=world.a.user(Role.DISPATCHER), ip_address="192.0.2.40")
    serve(job)
    to_the_customer(world, job)

    def verify(**verdict):
        return acceptance_sign_customer(
            order=job.order,
            actor=dispatcher,
            verdict=CustomerVerdict(signed_name="王芳", via=SignedVia.OFFICE, **verdict),
            passed=True,
        )

    for verdict, field in (
        ({"score": 5, "verification_reason": "电话确认"}, "score"),
        ({"comment": "很满意", "verification_reason": "电话确认"}, "comment"),
        ({}, "verification_reason"),
        ({"verification_reason": "  "}, "verification_reason"),
    ):
        with nothing_written(), pytest.raises(ValidationError) as refused:
            verify(**verdict)
        assert field in refused.value.message_dict

    signed = verify(verification_reason="客户在外地，电话确认")
    assert (signed.score, signed.comment, signed.signer, signed.signer_name) == (
        None,
        "",
        None,
        "王芳",
    )
    signature = signed.signature
    assert (signature.via, signature.verified_by, signature.verification_reason) == (
        SignedVia.OFFICE,
        dispatcher.user,
        "客户在外地，电话确认",
    )
    assert job.reload().status == OrderStatus.ACCEPTED


# --- failed items ---------------------------------------------------------------------------


def test_a_failure_names_its_items_and_a_pass_has_none(world, team_job):
    job = team_job
    team, _office = supervisors(world)
    serve(job)
    refusals = [
        {"passed": False},
        {"passed": False, "failures": [Failure("  ")]},
        {"passed": True, "failures": [Failure("卫生间")]},
    ]
    for kwargs in refusals:
        with nothing_written(), pytest.raises(ValidationError) as refused:
            acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, **kwargs)
        assert "failed_items" in refused.value.message_dict
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    for kwargs in refusals:
        with nothing_written(), pytest.raises(ValidationError):
            team_stage(job, team, **kwargs)
    assert not FailedItem.objects.exists()


def test_the_responsible_staff_is_on_the_orders_team(world, team_job):
    job = team_job
    team, _office = supervisors(world)
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    released = StaffMemberFactory(agency=world.a.agency, name="王阿姨")
    job.order.assignments.create(
        agency=world.a.agency,
        staff=released,
        status=AssignmentStatus.RELEASED,
        period=job.lead.period,
    )
    strangers = [
        StaffMemberFactory(agency=world.a.agency, name="赵阿姨"),  # not on this order
        released,  # was on it, released before the job
        StaffMemberFactory(agency=world.b.agency, name="外人"),
    ]
    for staff in strangers:
        with nothing_written(), pytest.raises(ValidationError) as refused:
            team_stage(
                job,
                team,
                passed=False,
                failures=[Failure("厨房"), Failure("卫生间", responsible=staff)],
            )
        assert "responsible" in refused.value.message_dict

    failed = team_stage(
        job, team, passed=False, failures=[Failure("卫生间", responsible=job.member.staff)]
    )
    assert [i.responsible for i in failed.failed_items.all()] == [job.member.staff]


# --- a failed round, rework and the second round ----------------------------------------------


def test_the_customer_fails_round_one_by_link_and_passes_round_two(world, team_job):
    job = team_job
    dispatcher = Actor(user=world.a.user(Role.DISPATCHER), ip_address="192.0.2.40")
    serve(job)
    after = job.order.starts_at + timedelta(hours=3)
    with time_machine.travel(after, tick=False) as clock:
        to_the_customer(world, job)
        clock.shift(timedelta(minutes=30))
        failed = acceptance_sign_customer(
            order=job.order,
            **by_link(
                2,
                passed=False,
                failures=[Failure("卫生间"), Failure("阳台玻璃"), Failure("厨房")],
                comment="卫生间还有水渍",
            ),
        )
        first_closed = after + timedelta(minutes=30)
        assert (failed.passed, failed.score, failed.signer, failed.comment) == (
            False,
            2,
            None,
            "卫生间还有水渍",
        )
        assert job.reload().status == OrderStatus.REWORK
        # The customer names no one: the on-site lead answers for every item.
        bathroom, balcony, kitchen = failed.failed_items.order_by("id")
        assert {i.responsible for i in (bathroom, balcony, kitchen)} == {job.lead.staff}
        assert (bathroom.from_checklist, balcony.from_checklist) == (True, False)

        # The link of round 1 is spent: failing again, or passing now, is refused.
        for attempt in (by_link(5), by_link(1, passed=False, failures=[Failure("客厅")])):
            with nothing_written(), pytest.raises(AcceptanceConflict):
                acceptance_sign_customer(order=job.order, **attempt)

        # The office hands two items to the member; staff cannot, nor to someone off the team.
        with nothing_written(), pytest.raises(PermissionDenied):
            rework_reassign(item=bathroom, staff=job.member.staff, actor=job.lead_actor)
        with nothing_written(), pytest.raises(ValidationError):
            rework_reassign(
                item=bathroom, staff=StaffMemberFactory(agency=world.a.agency), actor=dispatcher
            )
        rework_reassign(item=bathroom, staff=job.member.staff, actor=dispatcher)
        rework_reassign(item=kitchen, staff=job.member.staff, actor=dispatcher)

        clock.shift(timedelta(minutes=30))
        # Only the responsible staff, or the on-site lead, redo an item.
        outsider = StaffMemberFactory(
            agency=world.a.agency,
            user=MembershipFactory(agency=world.a.agency, role=Role.STAFF).user,
        )
        for actor in (job.member_actor, dispatcher, Actor(user=outsider.user), CUSTOMER):
            with nothing_written(), pytest.raises(PermissionDenied):
                rework_done(item=balcony, actor=actor)
        rework_done(item=bathroom, actor=job.member_actor, text="重新擦干")
        with nothing_written(), pytest.raises(AcceptanceConflict):
            rework_done(item=bathroom, actor=job.member_actor)
        with nothing_written(), pytest.raises(AcceptanceConflict):
            rework_reassign(item=bathroom, staff=job.lead.staff, actor=dispatcher)
        rework_done(item=kitchen, actor=job.lead_actor)  # the member's, redone by the lead

        with nothing_written(), pytest.raises(ValidationError) as refused:
            rework_submit(order=job.order, actor=job.lead_actor)
        assert "阳台玻璃" in str(refused.value)
        rework_done(item=balcony, actor=job.lead_actor)
        reworked = after + timedelta(hours=1)

        with nothing_written(), pytest.raises(PermissionDenied):
            rework_submit(order=job.order, actor=job.member_actor)
        with nothing_written(), pytest.raises(PermissionDenied):
            rework_submit(order=job.order, actor=Actor(user=world.b.user(Role.MANAGER)))
        clock.shift(timedelta(minutes=10))
        second = rework_submit(order=job.order, actor=job.lead_actor)
        assert (second.number, second.next_stage) == (2, Stage.LEAD)
        with nothing_written(), pytest.raises(AcceptanceConflict):
            rework_submit(order=job.order, actor=dispatcher)

        to_the_customer(world, job)
        # Round 1's link is still spent while round 2 waits for the customer.
        with nothing_written(), pytest.raises(AcceptanceConflict):
            acceptance_sign_customer(order=job.order, **by_link(5, round_number=1))
        clock.shift(timedelta(minutes=20))
        accepted = acceptance_sign_customer(
            order=job.order, **by_link(5, round_number=2, comment="满意")
        )
        second_closed = after + timedelta(hours=1, minutes=30)
        for number in (1, 2):
            with nothing_written(), pytest.raises(AcceptanceConflict):
                acceptance_sign_customer(order=job.order, **by_link(4, round_number=number))

    order = job.reload()
    assert order.status == OrderStatus.ACCEPTED
    assert accepted.score == 5
    rounds = list(selectors.acceptance_history(order))
    assert [(r.number, r.outcome, r.closed_at) for r in rounds] == [
        (1, RoundOutcome.FAILED, first_closed),
        (2, RoundOutcome.PASSED, second_closed),
    ]

    def staff_stages(at):
        return [
            (Stage.LEAD, True, job.lead_actor.user, "张阿姨", None, at),
            (
                Stage.TEAM_SUPERVISOR,
                True,
                world.a.user(Role.SUPERVISOR),
                "alpha-supervisor",
                None,
                at,
            ),
            (Stage.OFFICE_SUPERVISOR, True, world.a.user(Role.MANAGER), "alpha-manager", None, at),
        ]

    assert [
        [
            (s.stage, s.passed, s.signer, s.signer_name, s.score, s.signed_at)
            for s in r.signoffs.all()
        ]
        for r in rounds
    ] == [
        [*staff_stages(after), (Stage.CUSTOMER, False, None, "王芳", 2, first_closed)],
        [
            *staff_stages(after + timedelta(hours=1, minutes=10)),
            (Stage.CUSTOMER, True, None, "王芳", 5, second_closed),
        ],
    ]
    customer_stage = rounds[0].signoffs.all()[3]
    assert [
        (i.description, i.responsible, i.reworked_at, i.reworked_by)
        for i in customer_stage.failed_items.all()
    ] == [
        ("卫生间", job.member.staff, reworked, job.member_actor.user),
        ("阳台玻璃", job.lead.staff, reworked, job.lead_actor.user),
        ("厨房", job.member.staff, reworked, job.lead_actor.user),
    ]
    assert list(order.events.exclude(to_status="").values_list("from_status", "to_status")) == [
        (OrderStatus.ASSIGNED, OrderStatus.IN_SERVICE),
        (OrderStatus.IN_SERVICE, OrderStatus.INSPECTION),
        (OrderStatus.INSPECTION, OrderStatus.REWORK),
        (OrderStatus.REWORK, OrderStatus.INSPECTION),
        (OrderStatus.INSPECTION, OrderStatus.ACCEPTED),
    ]
    assert order.events.filter(to_status=OrderStatus.ACCEPTED).count() == 1
    # The rework is in the log, and the log is closed now.
    rework = list(order.log_entries.filter(kind=EntryKind.REWORK).order_by("id"))
    assert [(e.item, e.failed_item) for e in rework] == [
        ("卫生间", bathroom),
        ("厨房", kitchen),
        ("阳台玻璃", balcony),
    ]
    with nothing_written(), pytest.raises(StateConflict):
        log_correction(entry=rework[0], actor=job.member_actor, text="改")


def test_a_rework_entry_is_corrected_never_withdrawn(world, team_job):
    job = team_job
    team, _office = supervisors(world)
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    failed = team_stage(job, team, passed=False, failures=[Failure("卫生间")])
    item = failed.failed_items.get()
    rework_done(item=item, actor=job.lead_actor)
    entry = job.order.log_entries.get(kind=EntryKind.REWORK)

    with nothing_written(), pytest.raises(ValidationError):
        log_correction(entry=entry, actor=job.lead_actor, withdraw=True)
    corrected = log_correction(entry=entry, actor=job.lead_actor, text="镜子也擦了")
    assert (corrected.kind, corrected.item, corrected.failed_item) == (
        EntryKind.REWORK,
        "卫生间",
        item,
    )
    assert rework_submit(order=job.order, actor=job.lead_actor).number == 2


def test_nobody_without_a_login_asks_for_the_next_round(world, team_job):
    job = team_job
    team, _office = supervisors(world)
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    failed = team_stage(job, team, passed=False, failures=[Failure("卫生间")])
    rework_done(item=failed.failed_items.get(), actor=job.lead_actor)
    # The lead's login is taken away (they left the agency's app); the lead is still on the job.
    lead = job.lead.staff
    lead.user = None
    lead.save(update_fields=["user"])
    with nothing_written(), pytest.raises(PermissionDenied):
        rework_submit(order=job.order, actor=CUSTOMER)
    assert rework_submit(order=job.order, actor=Actor(user=world.a.user(Role.DISPATCHER)))


# --- two supervisors at the same moment ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_signing_the_same_stage_at_once_sign_once(world, team_job):
    job = team_job
    supervisor, manager = supervisors(world)
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)

    outcomes = race(lambda: team_stage(job, supervisor), lambda: team_stage(job, manager))

    signed = [o for o in outcomes if isinstance(o, Signoff)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(signed) == 1
    assert len(refused) == 1
    assert isinstance(refused[0], AcceptanceConflict), refused[0]
    assert Signoff.objects.filter(round__order=job.order, stage=Stage.TEAM_SUPERVISOR).count() == 1
    round_ = AcceptanceRound.objects.get(order=job.order)
    assert round_.next_stage == Stage.OFFICE_SUPERVISOR
