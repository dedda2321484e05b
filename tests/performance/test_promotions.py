"""Promotions: proposed once when the criteria are met, decided once by a manager."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agency.errors import StateConflict
from agency.models import AuditLog
from performance.levels import level_save, staff_first_level
from performance.models import PromotionStatus
from performance.promotions import (
    promotion_approve,
    promotion_propose,
    promotion_reject,
    promotions_propose,
)
from performance.tasks import promotions_propose as promotions_task
from tests.factories import ComplaintFactory, StaffMemberFactory


def test_criteria_met_proposes_once(world, ready, ladder):
    first = promotions_propose(agency=world.a.agency)
    again = promotions_task()

    assert [(p.staff, p.from_level, p.to_level) for p in first] == [(ready, ladder[0], ladder[1])]
    assert first[0].proposed_by is None
    assert first[0].figures["trainings"] == 1
    assert again == 0


def test_an_upheld_complaint_keeps_the_proposal_back(world, ready):
    ComplaintFactory(agency=world.a.agency, staff=ready, upheld=True)

    assert promotions_propose(agency=world.a.agency) == []


def test_the_top_level_has_nothing_to_propose(world, ladder):
    StaffMemberFactory(agency=world.a.agency, level=ladder[1])

    assert promotions_propose(agency=world.a.agency) == []


def test_approval_changes_the_level_and_is_audited(world, ready, ladder, manager_actor):
    (promotion,) = promotions_propose(agency=world.a.agency)

    promotion_approve(promotion=promotion, actor=manager_actor)

    ready.refresh_from_db()
    promotion.refresh_from_db()
    assert ready.level == ladder[1]
    assert promotion.status == PromotionStatus.APPROVED
    assert promotion.decided_by == manager_actor.user
    entry = AuditLog.objects.get(action="staff.level", object_id=str(ready.pk))
    assert entry.changes["level"] == ["初级", "中级"]


def test_approving_twice_is_refused(world, ready, manager_actor):
    (promotion,) = promotions_propose(agency=world.a.agency)
    promotion_approve(promotion=promotion, actor=manager_actor)

    with pytest.raises(StateConflict):
        promotion_approve(promotion=promotion, actor=manager_actor)
    with pytest.raises(StateConflict):
        promotion_reject(promotion=promotion, actor=manager_actor, note="晚了")


def test_a_supervisor_proposes_but_does_not_decide(world, ready, ladder, supervisor_actor):
    promotion = promotion_propose(staff=ready, actor=supervisor_actor, note="表现稳定")

    assert promotion.to_level == ladder[1]
    assert promotion.proposed_by == supervisor_actor.user
    with pytest.raises(StateConflict):
        promotion_propose(staff=ready, actor=supervisor_actor)
    with pytest.raises(PermissionDenied):
        promotion_approve(promotion=promotion, actor=supervisor_actor)


def test_rejecting_needs_a_note_and_leaves_the_level(world, ready, ladder, manager_actor):
    (promotion,) = promotions_propose(agency=world.a.agency)

    with pytest.raises(ValidationError):
        promotion_reject(promotion=promotion, actor=manager_actor, note=" ")
    promotion_reject(promotion=promotion, actor=manager_actor, note="再观察三个月")

    ready.refresh_from_db()
    assert ready.level == ladder[0]
    # Decided: the next sweep may propose again.
    assert len(promotions_propose(agency=world.a.agency)) == 1


def test_ranks_are_unique_with_a_clear_error(world, ladder, manager_actor):
    with pytest.raises(ValidationError) as error:
        level_save(agency=world.a.agency, actor=manager_actor, name="高级", rank=2)

    assert error.value.message_dict["rank"] == [
        "Rank 2 is 中级's already: each level has its own rank."
    ]


def test_a_first_level_only_when_none(world, ladder, manager_actor):
    member = StaffMemberFactory(agency=world.a.agency)

    staff_first_level(staff=member, actor=manager_actor, level=ladder[1])
    with pytest.raises(ValidationError):
        staff_first_level(staff=member, actor=manager_actor, level=ladder[0])

    member.refresh_from_db()
    assert member.level == ladder[1]
