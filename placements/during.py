"""During the placement (issue 20): the briefing (上户交底) before the first day, the
start, and the check-in calls it schedules on the revisit queue."""

from collections.abc import Collection
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import Agency
from agency.permissions import Area, require
from feedback.models import Revisit, RevisitKind
from feedback.policy import policy_for as feedback_policy_for
from feedback.revisits import first_action
from placements.lifecycle import placement_lock, placement_transition
from placements.models import (
    Briefing,
    BriefingItem,
    Placement,
    PlacementPolicy,
    PlacementStatus,
)
from placements.models.briefing import DEFAULT_BRIEFING_ITEMS

#: The check-in calls are placed at this hour of their day, in the agency's zone.
CHECK_IN_HOUR = time(10, 0)


def policy_for(agency: Agency) -> PlacementPolicy:
    """The agency's placement policy; its defaults (unsaved) when it has set none."""
    return PlacementPolicy.objects.filter(agency=agency).first() or PlacementPolicy(agency=agency)


def briefing_items(agency: Agency) -> dict[str, str]:
    """The checklist, {key: wording}: the agency's own items, else the default list."""
    own = BriefingItem.objects.filter(agency=agency, is_active=True)
    items = {f"item-{item.pk}": item.label for item in own}
    return items or {key: str(label) for key, label in DEFAULT_BRIEFING_ITEMS}


def briefing_done(placement: Placement) -> bool:
    briefing = Briefing.objects.filter(placement=placement).first()
    return briefing is not None and briefing.done_at is not None


def _require_supervisor(actor: Actor, agency_id: int) -> None:
    require(
        actor,
        Area.STAFF_DECISIONS,
        agency_id=agency_id,
        message=_("A supervisor or the manager briefs the staff member."),
    )


@transaction.atomic
def briefing_record(
    *, placement: Placement, actor: Actor, ticked: Collection[str], staff_present: bool
) -> Briefing:
    """Tick the briefing's items with the staff member; done when every item is ticked
    with the staff member present (kept as it was then: a later change of the agency's
    checklist does not undo it)."""
    _require_supervisor(actor, placement.agency_id)
    placement = placement_lock(placement)
    if placement.status not in (
        PlacementStatus.DRAFT,
        PlacementStatus.SIGNING,
        PlacementStatus.SIGNED,
    ):
        raise StateConflict(_("The placement has started: its briefing is kept as it was."))
    briefing = Briefing.objects.filter(placement=placement).first()
    items = briefing.items if briefing and briefing.done_at else briefing_items(placement.agency)
    unknown = set(ticked) - set(items)
    if unknown:
        raise ValidationError({"ticked": _("Tick only the items of the checklist.")})
    if briefing is None:
        briefing = Briefing(agency_id=placement.agency_id, placement=placement)
    briefing.items = items
    briefing.ticked = [key for key in items if key in ticked]
    briefing.ticked_by = actor.user  # type: ignore[assignment]
    briefing.staff_present = staff_present
    complete = staff_present and len(briefing.ticked) == len(items)
    briefing.done_at = (briefing.done_at or timezone.now()) if complete else None
    briefing.save()
    audit_record(
        agency=placement.agency,
        actor=actor,
        action="placement.briefing",
        target=placement,
        changes={"ticked": len(briefing.ticked), "of": len(items), "staff": staff_present},
    )
    return briefing


@transaction.atomic
def placement_start(*, placement: Placement, actor: Actor) -> Placement:
    """The staff member is in the customer's home: the signed placement becomes active,
    once briefed, from its first day; its check-in calls are put on the revisit queue."""
    _require_supervisor(actor, placement.agency_id)
    placement = placement_lock(placement)
    if placement.status == PlacementStatus.ACTIVE:
        return placement  # started already (two clicks)
    if not briefing_done(placement):
        raise StateConflict(_("A placement cannot start before its briefing is done."))
    today = timezone.localdate(timezone=placement.agency.zone)
    if today < placement.starts_on:
        raise StateConflict(_("The placement starts on its first day."))
    placement_transition(placement, PlacementStatus.ACTIVE, allowed_from=[PlacementStatus.SIGNED])
    placement.started_at = timezone.now()
    placement.save(update_fields=["started_at", "updated_at"])
    check_ins_schedule(placement)
    audit_record(
        agency=placement.agency, actor=actor, action="placement.start", target=placement, changes={}
    )
    return placement


def check_in_days(placement: Placement, policy: PlacementPolicy) -> list[int]:
    """The days after the start of each check-in call: the first week, then every
    interval, while the placement runs."""
    length = (placement.ends_on - placement.starts_on).days
    day = policy.first_check_in_days
    days = []
    while day <= length:
        days.append(day)
        day += policy.check_in_every_days
    return days


def check_ins_schedule(placement: Placement) -> None:
    """The check-in calls (回访) on the existing revisit queue, once each (by `source`)."""
    agency = placement.agency
    order = placement.order
    rules = feedback_policy_for(agency)
    revisits = []
    for number, day in enumerate(check_in_days(placement, policy_for(agency)), start=1):
        due_at = datetime.combine(
            placement.starts_on + timedelta(days=day), CHECK_IN_HOUR, tzinfo=agency.zone
        )
        revisit = Revisit(
            agency_id=agency.pk,
            customer_id=order.customer_id,
            order=order,
            kind=RevisitKind.PERIODIC,
            source=f"placement-{placement.pk}-check-in-{number}",
            due_at=due_at,
            notes=_("Placement check-in call: ask how it goes and for a rating."),
        )
        revisit.next_action_at = first_action(revisit, rules)
        revisits.append(revisit)
    Revisit.objects.bulk_create(revisits, ignore_conflicts=True)
