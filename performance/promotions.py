"""Promotions (晋升): proposed when a staff member meets the next level's criteria, decided
by a manager (issue 21, "Performance and levels").

- The daily sweep (`promotions_propose`) proposes each active staff member who meets
  every criterion of the next active level above theirs and has no open proposal; a
  supervisor may propose someone by hand, on their judgement.
- The manager approves (the level changes, audited) or rejects with a note. A decided
  proposal is never decided again (StateConflict, 409).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import Agency
from agency.permissions import Area, require
from performance.models import Promotion, PromotionStatus
from performance.scorecard import StaffScore, staff_score, staff_scores, window_for
from staff.models import Level, StaffMember
from staff.services.levels import staff_level_set


def promotions_for(*, agency: Agency) -> QuerySet[Promotion]:
    """The agency's promotions, open ones first, newest first."""
    return (
        Promotion.objects.filter(agency=agency)
        .select_related("staff", "staff__home_branch", "from_level", "to_level")
        .select_related("proposed_by", "decided_by")
        .order_by(
            Case(When(status=PromotionStatus.PROPOSED, then=Value(0)), default=Value(1)),
            "-proposed_at",
            "-pk",
        )
    )


def next_level(levels: list[Level], current: Level | None) -> Level | None:
    """The lowest active level above `current` (the lowest of all for someone without one)."""
    rank = current.rank if current is not None else 0
    above = [level for level in levels if level.is_active and level.rank > rank]
    return min(above, key=lambda level: level.rank) if above else None


def unmet_criteria(level: Level, score: StaffScore) -> list[str]:
    """The criteria of `level` the scorecard does not meet, in words; [] when all are met."""
    figures = score.figures
    unmet = []
    if level.min_rating is not None and (
        figures.rating is None or figures.rating < level.min_rating
    ):
        unmet.append(
            _("average rating %(rating)s, below %(wanted)s")
            % {
                "rating": figures.rating if figures.rating is not None else "—",
                "wanted": level.min_rating,
            }
        )
    if score.jobs_total < level.min_jobs:
        unmet.append(
            _("%(jobs)s jobs done, fewer than %(wanted)s")
            % {"jobs": score.jobs_total, "wanted": level.min_jobs}
        )
    if score.months < level.min_months:
        unmet.append(
            _("%(months)s months with the agency, fewer than %(wanted)s")
            % {"months": score.months, "wanted": level.min_months}
        )
    if figures.trainings + figures.assessments < level.min_trainings:
        unmet.append(
            _("%(trainings)s trainings in 12 months, fewer than %(wanted)s")
            % {"trainings": figures.trainings + figures.assessments, "wanted": level.min_trainings}
        )
    if (
        level.max_upheld_complaints is not None
        and figures.upheld_complaints > level.max_upheld_complaints
    ):
        unmet.append(
            _("%(complaints)s complaints upheld, more than %(allowed)s")
            % {"complaints": figures.upheld_complaints, "allowed": level.max_upheld_complaints}
        )
    return unmet


def _figures(score: StaffScore) -> dict[str, Any]:
    return {**score.figures.snapshot(), "jobs_total": score.jobs_total, "months": score.months}


def promotions_propose(*, agency: Agency) -> list[Promotion]:
    """The sweep for one agency: propose everyone who meets the next level's criteria.

    Reads every staff member's scorecard in one query; writes one row per proposal. An
    open proposal is never doubled: the staff with one are left out, and a proposal made
    meanwhile by hand wins (the unique constraint on open proposals).
    """
    levels = list(Level.objects.filter(agency=agency, is_active=True))
    if not levels:
        return []
    open_staff = set(
        Promotion.objects.filter(agency=agency, status=PromotionStatus.PROPOSED).values_list(
            "staff_id", flat=True
        )
    )
    proposed = []
    for score in staff_scores(agency=agency):
        if score.staff.pk in open_staff:
            continue
        target = next_level(levels, score.staff.level)
        if target is None or unmet_criteria(target, score):
            continue
        promotion = _propose(
            agency=agency, score=score, to_level=target, actor=Actor.system(), by=None
        )
        if promotion is not None:
            proposed.append(promotion)
    return proposed


def _propose(
    *, agency: Agency, score: StaffScore, to_level: Level, actor: Actor, by: Any, note: str = ""
) -> Promotion | None:
    staff = score.staff
    try:
        with transaction.atomic():
            promotion = Promotion.objects.create(
                agency=agency,
                staff=staff,
                from_level=staff.level,
                to_level=to_level,
                figures=_figures(score),
                proposed_by=by,
                note=note.strip(),
            )
            audit_record(
                agency=agency,
                actor=actor,
                action="promotion.propose",
                target=promotion,
                changes={"staff": staff.name, "to_level": to_level.name},
            )
    except IntegrityError:
        return None  # proposed meanwhile
    return promotion


@transaction.atomic
def promotion_propose(
    *, staff: StaffMember, actor: Actor, to_level: Level | None = None, note: str = ""
) -> Promotion:
    """A supervisor proposes a staff member for a level above theirs (by default the next)."""
    user = require(
        actor,
        Area.PERFORMANCE,
        agency_id=staff.agency_id,
        message=_("Only a supervisor or a manager proposes a promotion."),
    )
    levels = list(Level.objects.filter(agency_id=staff.agency_id, is_active=True))
    current = staff.level
    if to_level is None:
        to_level = next_level(levels, current)
        if to_level is None:
            raise ValidationError({"to_level": [_("There is no level in use above this one.")]})
    elif (
        to_level.agency_id != staff.agency_id
        or not to_level.is_active
        or (current is not None and to_level.rank <= current.rank)
    ):
        raise ValidationError({"to_level": [_("Choose a level in use above the current one.")]})
    score = staff_score(staff=staff, window=window_for(staff.agency))
    if score is None:
        raise ValidationError({"staff": [_("Only an active staff member is promoted.")]})
    promotion = _propose(
        agency=staff.agency, score=score, to_level=to_level, actor=actor, by=user, note=note
    )
    if promotion is None:
        raise StateConflict(_("This person has a promotion waiting for a decision already."))
    return promotion


def _lock_open(promotion: Promotion) -> Promotion:
    locked = (
        Promotion.objects.select_for_update(of=("self",))
        .select_related("agency", "staff", "to_level", "from_level")
        .get(pk=promotion.pk, agency_id=promotion.agency_id)
    )
    if locked.status != PromotionStatus.PROPOSED:
        raise StateConflict(
            _("This promotion was decided already (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def promotion_approve(*, promotion: Promotion, actor: Actor, note: str = "") -> Promotion:
    """The manager approves: the staff member moves to the level proposed, audited."""
    user = require(
        actor,
        Area.PAY_DECISIONS,
        agency_id=promotion.agency_id,
        message=_("Only a manager decides a promotion."),
    )
    current = _lock_open(promotion)
    staff = StaffMember.objects.select_for_update().get(pk=current.staff_id)
    if staff.level_id != current.from_level_id:
        raise StateConflict(
            _("The person's level changed since the proposal; reject it and propose again.")
        )
    if not current.to_level.is_active:
        raise StateConflict(_("The level proposed is no longer in use."))
    current.status = PromotionStatus.APPROVED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.note = note.strip() or current.note
    current.save(update_fields=["status", "decided_by", "decided_at", "note"])
    staff_level_set(
        staff=staff,
        level=current.to_level,
        actor=actor,
        reason="promotion",
        promotion_id=current.pk,
    )
    audit_record(
        agency=current.agency,
        actor=actor,
        action="promotion.approve",
        target=current,
        changes={"status": [PromotionStatus.PROPOSED, PromotionStatus.APPROVED]},
    )
    return current


@transaction.atomic
def promotion_reject(*, promotion: Promotion, actor: Actor, note: str) -> Promotion:
    """The manager rejects, saying why (the note is kept for the staff member's file)."""
    user = require(
        actor,
        Area.PAY_DECISIONS,
        agency_id=promotion.agency_id,
        message=_("Only a manager decides a promotion."),
    )
    if not note.strip():
        raise ValidationError({"note": [_("Say why the promotion is rejected.")]})
    current = _lock_open(promotion)
    current.status = PromotionStatus.REJECTED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.note = note.strip()
    current.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(
        agency=current.agency,
        actor=actor,
        action="promotion.reject",
        target=current,
        changes={"status": [PromotionStatus.PROPOSED, PromotionStatus.REJECTED], "note": note},
    )
    return current


def promotions_sweep() -> int:
    """Every agency with levels: how many promotions were proposed (the daily beat task)."""
    agencies = Agency.objects.filter(
        Exists(Level.objects.filter(agency=OuterRef("pk"), is_active=True))
    )
    return sum(len(promotions_propose(agency=agency)) for agency in agencies)
