"""The levels (初级, 中级, 高级, 金牌) and their criteria, the induction rule, a first level.

The manager's (Area.PAY_DECISIONS, issue 21): a level's criteria decide when the daily
sweep proposes a promotion to it (`performance.promotions`); its matching bonus adds to
the matching score; a retired level (`is_active` off) is never proposed again, but whoever
holds it keeps it. A staff member's level changes only by a decided promotion, or once,
for someone who has none, by the manager directly.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency
from agency.permissions import Area, require
from staff.models import Level, StaffMember, StaffPolicy
from staff.services.levels import staff_level_set

LEVEL_FIELDS = (
    "name",
    "rank",
    "min_rating",
    "min_jobs",
    "min_months",
    "min_trainings",
    "max_upheld_complaints",
    "matching_bonus",
    "is_active",
)


def levels_for(*, agency: Agency) -> QuerySet[Level]:
    """The agency's levels, lowest rank first (retired ones too)."""
    return Level.objects.filter(agency=agency).order_by("rank", "pk")


def policy_for(agency: Agency) -> StaffPolicy:
    """The agency's staff policy; an unsaved, empty one (no rule) if never set."""
    return StaffPolicy.objects.filter(agency=agency).first() or StaffPolicy(agency=agency)


def _decider(actor: Actor, agency: Agency) -> None:
    require(
        actor,
        Area.PAY_DECISIONS,
        agency_id=agency.pk,
        message=_("Only a manager sets the levels and their criteria."),
    )


@transaction.atomic
def level_save(*, agency: Agency, actor: Actor, level: Level | None = None, **fields: Any) -> Level:
    """Add a level (`level` None) or change one: its name, rank, criteria, bonus, in use.

    Ranks and names are unique within the agency; the error names the level that holds
    the rank or name already.
    """
    _decider(actor, agency)
    unknown = set(fields) - set(LEVEL_FIELDS)
    if unknown:
        raise TypeError(f"level_save cannot change {sorted(unknown)}")
    if level is None:
        current = Level(agency=agency)
        before: dict[str, Any] = {}
    else:
        current = Level.objects.select_for_update().get(pk=level.pk, agency=agency)
        before = snapshot(current, LEVEL_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    errors = _level_errors(current)
    if errors:
        raise ValidationError(errors)
    current.full_clean()
    changes = changes_between(before, snapshot(current, LEVEL_FIELDS))
    if level is None or changes:
        current.save()
        audit_record(
            agency=agency,
            actor=actor,
            action="level.create" if level is None else "level.update",
            target=current,
            changes=changes,
        )
    return current


def _level_errors(level: Level) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    others = Level.objects.filter(agency_id=level.agency_id).exclude(pk=level.pk)
    if not level.name:
        errors["name"] = [_("Give the level a name.")]
    elif holder := others.filter(name=level.name).first():
        errors["name"] = [_("There is a level named %(name)s already.") % {"name": holder.name}]
    if level.rank is not None and (holder := others.filter(rank=level.rank).first()):
        errors["rank"] = [
            _("Rank %(rank)s is %(name)s's already: each level has its own rank.")
            % {"rank": level.rank, "name": holder.name}
        ]
    return errors


@transaction.atomic
def induction_course_save(*, agency: Agency, actor: Actor, course: str) -> StaffPolicy:
    """Name the course every staff member must have done (a training of that course)
    before matching proposes them for a job; empty ends the rule (issue 21)."""
    _decider(actor, agency)
    policy, _created = StaffPolicy.objects.select_for_update().get_or_create(agency=agency)
    course = course.strip()
    if policy.induction_course != course:
        before = policy.induction_course
        policy.induction_course = course
        policy.full_clean()
        policy.save(update_fields=["induction_course"])
        audit_record(
            agency=agency,
            actor=actor,
            action="staff_policy.induction",
            target=policy,
            changes={"induction_course": [before, course]},
        )
    return policy


@transaction.atomic
def staff_first_level(*, staff: StaffMember, actor: Actor, level: Level) -> StaffMember:
    """Give a staff member without a level their first one (the manager's choice, e.g. on
    taking on an experienced person); after that, a level changes only by promotion."""
    _decider(actor, staff.agency)
    if level.agency_id != staff.agency_id or not level.is_active:
        raise ValidationError({"level": [_("Choose a level of this agency that is in use.")]})
    current = StaffMember.objects.select_for_update().get(pk=staff.pk, agency=staff.agency)
    if current.level_id is not None:
        raise ValidationError(
            {"level": [_("This person has a level already; it changes only by a promotion.")]}
        )
    return staff_level_set(staff=current, level=level, actor=actor, reason="first level")
