"""Rewards, penalties, deductions and corrections on a staff member's pay (issue 21).

- A supervisor (or a manager) proposes a reward, a penalty or a deduction with its reason;
  finance proposes a correction of a paid statement ("a paid statement never changes, a
  correction is a line in the next period"). The amount is given positive (a correction:
  signed) and signed here by its kind.
- Hearth proposes by itself from what happened (`adjustments_propose_due`, hourly): a
  penalty recorded on the staff record (an upheld complaint), a five-star feedback, a late
  check-in, a no-show; each once (the row's unique `source`), at the amounts of the
  agency's pay policy.
- A manager approves or rejects each; the next statement computed takes an approved one
  and settles it when that statement is approved (`payroll.compute`,
  `payroll.statements.statement_approve`).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.bounds import TEXT_MAX_LENGTH
from agency.errors import StateConflict
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency
from agency.permissions import Area, require
from feedback.models import FeedbackResponse
from orders.models import Assignment, AssignmentStatus
from orders.staffing.models import Punctuality
from payroll.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentStatus,
    PayAdjustment,
    PayPolicy,
    PayStatement,
    StatementStatus,
)
from payroll.rates import cents
from staff.models import Penalty, StaffMember

#: The most one adjustment may add or take away (a slip of the keyboard is refused).
MAX_AMOUNT = Decimal(100000)
#: How far back the hourly sweep looks for what happened: two pay periods. Older events
#: were proposed by earlier runs (or came before payroll began).
HORIZON = timedelta(days=62)
#: Rows written per insert by the sweep.
BATCH = 500
DECISION_NOTE_MAX_LENGTH = 300

#: The reasons each kind may give (a correction's reason is always "correction").
REASONS: dict[str, frozenset[str]] = {
    AdjustmentKind.REWARD: frozenset(
        {
            AdjustmentReason.FIVE_STAR,
            AdjustmentReason.PRAISE,
            AdjustmentReason.REFERRAL,
            AdjustmentReason.OTHER,
        }
    ),
    AdjustmentKind.PENALTY: frozenset(
        {
            AdjustmentReason.COMPLAINT,
            AdjustmentReason.LATENESS,
            AdjustmentReason.NO_SHOW,
            AdjustmentReason.UNDER_COLLECTED,
            AdjustmentReason.OTHER,
        }
    ),
    AdjustmentKind.DEDUCTION: frozenset({AdjustmentReason.UNDER_COLLECTED, AdjustmentReason.OTHER}),
    AdjustmentKind.CORRECTION: frozenset({AdjustmentReason.CORRECTION}),
}
#: A reward adds; a penalty and a deduction take away; a correction is signed as given.
SIGNS = {
    AdjustmentKind.REWARD: 1,
    AdjustmentKind.PENALTY: -1,
    AdjustmentKind.DEDUCTION: -1,
    AdjustmentKind.CORRECTION: 1,
}


def _repeated(earlier: PayAdjustment) -> str:
    return _("This was proposed already: %(staff)s, %(amount)s.") % {
        "staff": earlier.staff.name,
        "amount": earlier.amount,
    }


def _signed_amount(kind: str, amount: object) -> Decimal:
    try:
        value = cents(Decimal(str(amount)))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter an amount.")}) from None
    if kind == AdjustmentKind.CORRECTION:
        if value == 0:
            raise ValidationError({"amount": _("A correction adds or takes away an amount.")})
    elif value <= 0:
        raise ValidationError(
            {"amount": _("Enter the amount as a positive number; its kind says the sign.")}
        )
    if abs(value) > MAX_AMOUNT:
        raise ValidationError(
            {"amount": _("At most %(max)s for one adjustment.") % {"max": MAX_AMOUNT}}
        )
    return value * SIGNS[AdjustmentKind(kind)]


def _checked_correction(
    *, agency: Agency, staff: StaffMember, corrects: PayStatement | None
) -> PayStatement:
    if corrects is None:
        raise ValidationError({"corrects": _("Name the paid statement this corrects.")})
    statement = PayStatement.objects.filter(pk=corrects.pk, agency=agency).first()
    if statement is None or statement.staff_id != staff.pk:
        raise ValidationError(
            {"corrects": _("A correction corrects a statement of the same staff member.")}
        )
    if statement.status != StatementStatus.PAID:
        raise ValidationError(
            {
                "corrects": _(
                    "Only a paid statement is corrected; change this one by computing "
                    "its period again."
                )
            }
        )
    return statement


@transaction.atomic
def adjustment_propose(
    *,
    agency: Agency,
    actor: Actor,
    staff: StaffMember,
    kind: str,
    reason: str,
    amount: Decimal,
    note: str,
    submission_key: UUID | None = None,
    source: str = "",
    link: str = "",
    corrects: PayStatement | None = None,
) -> PayAdjustment:
    """Propose a reward, a penalty or a deduction (a supervisor or a manager), or the
    correction of a paid statement (finance), for a manager to approve (issue 21: "each
    proposed by a supervisor with a reason and approved by a manager"; "a paid statement
    never changes, a correction is a line in the next period").

    The amount is given positive (a correction's signed) and stored signed by the kind.
    A `source` proposed before answers the row it made; a repeated submission key raises
    `RepeatedSubmission`.
    """
    if kind not in AdjustmentKind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    if kind == AdjustmentKind.CORRECTION:
        user = require(actor, Area.PAYROLL, agency_id=agency.pk, message=_("Finance corrects pay."))
        reason = AdjustmentReason.CORRECTION
    else:
        user = require(
            actor,
            Area.PAY_ADJUSTMENTS,
            agency_id=agency.pk,
            message=_("A supervisor or a manager proposes rewards and penalties."),
        )
        corrects = None
    if staff.agency_id != agency.pk:
        raise ValidationError({"staff": _("Choose a staff member of the agency.")})
    if reason not in REASONS[AdjustmentKind(kind)]:
        raise ValidationError({"reason": _("This reason does not go with this kind.")})
    signed = _signed_amount(kind, amount)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why.")})
    if len(note) > TEXT_MAX_LENGTH:
        raise ValidationError({"note": _("At most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}})
    if kind == AdjustmentKind.CORRECTION:
        corrects = _checked_correction(agency=agency, staff=staff, corrects=corrects)
    source, link = source.strip()[:100], link.strip()[:300]
    if source:
        earlier = PayAdjustment.objects.filter(agency=agency, source=source).first()
        if earlier is not None:
            return earlier
    agency_rows = PayAdjustment.objects.filter(agency=agency).select_related("staff")
    refuse_repeat(agency_rows, submission_key, _repeated)
    adjustment = PayAdjustment(
        agency=agency,
        staff=staff,
        kind=kind,
        reason=reason,
        amount=signed,
        note=note,
        source=source,
        link=link,
        corrects=corrects,
        proposed_by=user,
        submission_key=submission_key,
    )
    save_once(adjustment, agency_rows, _repeated)
    audit_record(
        agency=agency,
        actor=actor,
        action="payroll.adjustment.propose",
        target=adjustment,
        changes={"staff": staff.pk, "kind": kind, "reason": reason, "amount": str(signed)},
    )
    return adjustment


def _decide(
    adjustment: PayAdjustment, actor: Actor, status: AdjustmentStatus, note: str
) -> PayAdjustment:
    user = require(
        actor,
        Area.PAY_DECISIONS,
        agency_id=adjustment.agency_id,
        message=_("A manager approves or rejects rewards and penalties."),
    )
    note = (note or "").strip()
    if len(note) > DECISION_NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("At most %(max)s characters.") % {"max": DECISION_NOTE_MAX_LENGTH}}
        )
    # Claimed with a conditional update: of two decisions at once, one wins.
    claimed = PayAdjustment.objects.filter(
        pk=adjustment.pk, status=AdjustmentStatus.PROPOSED
    ).update(status=status, decided_by=user, decided_at=timezone.now(), decision_note=note)
    adjustment.refresh_from_db()
    if not claimed:
        raise StateConflict(
            _("This was %(status)s already.")
            % {"status": AdjustmentStatus(adjustment.status).label.lower()}
        )
    audit_record(
        agency=adjustment.agency,
        actor=actor,
        action=f"payroll.adjustment.{status}",
        target=adjustment,
        changes={"status": [AdjustmentStatus.PROPOSED, status], "note": note},
    )
    return adjustment


@transaction.atomic
def adjustment_approve(*, adjustment: PayAdjustment, actor: Actor, note: str = "") -> PayAdjustment:
    """A manager approves a proposed adjustment: the next statement computed takes it."""
    return _decide(adjustment, actor, AdjustmentStatus.APPROVED, note)


@transaction.atomic
def adjustment_reject(*, adjustment: PayAdjustment, actor: Actor, note: str) -> PayAdjustment:
    """A manager rejects a proposed adjustment, saying why (the proposer reads it)."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why it is rejected.")})
    return _decide(adjustment, actor, AdjustmentStatus.REJECTED, note)


# --- Hearth's own proposals ---------------------------------------------------------------


@dataclass(frozen=True)
class _Policies:
    """The agencies whose pay policy proposes each kind of event, read once per run."""

    by_agency: dict[int, PayPolicy]

    def agencies(self, field: str) -> list[int]:
        return [pk for pk, policy in self.by_agency.items() if getattr(policy, field) > 0]


def _source_exists(prefix: str, pk_field: str = "pk") -> Exists:
    return Exists(
        PayAdjustment.objects.filter(
            agency_id=OuterRef("agency_id"),
            source=Concat(Value(prefix), Cast(OuterRef(pk_field), CharField())),
        )
    )


def _from_penalties(since: datetime) -> Iterator[PayAdjustment]:
    """Penalties on the staff record (complaints upheld) not proposed yet."""
    penalties = (
        Penalty.objects.filter(recorded_at__gte=since, amount__gt=0)
        .exclude(_source_exists("penalty:"))
        .order_by("pk")
    )
    for penalty in penalties:
        yield PayAdjustment(
            agency_id=penalty.agency_id,
            staff_id=penalty.staff_id,
            kind=AdjustmentKind.PENALTY,
            reason=AdjustmentReason.COMPLAINT,
            amount=-min(cents(penalty.amount), MAX_AMOUNT),
            note=penalty.reason or str(AdjustmentReason.COMPLAINT.label),
            source=f"penalty:{penalty.pk}",
            link=penalty.link,
        )


def _from_five_stars(since: datetime, policies: _Policies) -> Iterator[PayAdjustment]:
    """Each confirmed staff member of an order whose customer gave five stars overall."""
    agencies = policies.agencies("five_star_reward")
    if not agencies:
        return
    five_stars = FeedbackResponse.objects.filter(
        agency_id__in=agencies, overall=5, submitted_at__gte=since
    )
    response = five_stars.filter(request__order_id=OuterRef("order_id")).values("pk")[:1]
    # One source per response and staff member: an order served by two earns two rewards.
    served = (
        Assignment.objects.filter(
            agency_id__in=agencies,
            status=AssignmentStatus.CONFIRMED,
            order_id__in=five_stars.values("request__order_id"),
        )
        .annotate(response_id=response)
        .exclude(
            Exists(
                PayAdjustment.objects.filter(
                    agency_id=OuterRef("agency_id"),
                    source=Concat(
                        Value("feedback:"),
                        Cast(OuterRef("response_id"), CharField()),
                        Value(":"),
                        Cast(OuterRef("staff_id"), CharField()),
                    ),
                )
            )
        )
        .values("agency_id", "staff_id", "order_id", "order__number", "response_id")
        .order_by("pk")
    )
    for row in served:
        policy = policies.by_agency[row["agency_id"]]
        with translation.override(policy.agency.default_language):
            note = _("Five-star feedback on order %(number)s") % {"number": row["order__number"]}
        yield PayAdjustment(
            agency_id=row["agency_id"],
            staff_id=row["staff_id"],
            kind=AdjustmentKind.REWARD,
            reason=AdjustmentReason.FIVE_STAR,
            amount=policy.five_star_reward,
            note=note,
            source=f"feedback:{row['response_id']}:{row['staff_id']}",
            link=reverse("order_detail", args=[row["order_id"]]),
        )


def _from_attendance(since: datetime, policies: _Policies) -> Iterator[PayAdjustment]:
    """Late check-ins and no-shows of jobs that started since `since`."""
    late_agencies = policies.agencies("late_penalty")
    no_show_agencies = policies.agencies("no_show_penalty")
    if not late_agencies and not no_show_agencies:
        return
    jobs = (
        Assignment.objects.filter(
            agency_id__in=set(late_agencies) | set(no_show_agencies),
            period__startswith__gte=since,
        )
        .filter(
            Q(~_source_exists("late:"), punctuality=Punctuality.LATE, agency_id__in=late_agencies)
            | Q(
                ~_source_exists("noshow:"),
                punctuality=Punctuality.NO_SHOW,
                agency_id__in=no_show_agencies,
            )
        )
        .values("pk", "agency_id", "staff_id", "order_id", "order__number", "punctuality")
        .order_by("pk")
    )
    for job in jobs:
        policy = policies.by_agency[job["agency_id"]]
        late = job["punctuality"] == Punctuality.LATE
        with translation.override(policy.agency.default_language):
            if late:
                note = _("Late for order %(number)s") % {"number": job["order__number"]}
            else:
                note = _("No-show for order %(number)s") % {"number": job["order__number"]}
        yield PayAdjustment(
            agency_id=job["agency_id"],
            staff_id=job["staff_id"],
            kind=AdjustmentKind.PENALTY,
            reason=AdjustmentReason.LATENESS if late else AdjustmentReason.NO_SHOW,
            amount=-(policy.late_penalty if late else policy.no_show_penalty),
            note=note,
            source=f"{'late' if late else 'noshow'}:{job['pk']}",
            link=reverse("order_detail", args=[job["order_id"]]),
        )


def _insert(rows: Iterable[PayAdjustment]) -> int:
    """Insert in batches; a row another run inserted meanwhile is skipped (its source)."""
    made = 0
    batch: list[PayAdjustment] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            made += _insert_batch(batch)
            batch = []
    return made + (_insert_batch(batch) if batch else 0)


def _insert_batch(batch: list[PayAdjustment]) -> int:
    PayAdjustment.objects.bulk_create(batch, ignore_conflicts=True)
    return len(batch)


def adjustments_propose_due(*, now: datetime | None = None) -> int:
    """Hearth's proposals (proposed by no one, "proposed by Hearth"), each once, for a
    manager to approve: penalties on the staff record (complaints upheld), five-star
    feedback, late check-ins and no-shows, at the amounts of each agency's pay policy
    (issue 21). Reads only what happened since `HORIZON` and what is not proposed yet
    (anti-joins on the unique source), a fixed number of queries per batch. How many
    were proposed."""
    now = now or timezone.now()
    since = now - HORIZON
    policies = _Policies(
        {
            policy.agency_id: policy
            for policy in PayPolicy.objects.filter(
                Q(five_star_reward__gt=0) | Q(late_penalty__gt=0) | Q(no_show_penalty__gt=0)
            ).select_related("agency")
        }
    )
    return (
        _insert(_from_penalties(since))
        + _insert(_from_five_stars(since, policies))
        + _insert(_from_attendance(since, policies))
    )
