"""Demo rewards and penalties (issue 21), through the services, for `payroll.demo`.

In each agency: a five-star feedback's reward and an upheld complaint's penalty, both
approved by the manager (the next statement computed pays and deducts them), and a
referral reward a supervisor proposed that waits for the manager. Seeding again changes
nothing (each has its demo source)."""

from decimal import Decimal

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Membership, Role, User
from payroll.adjustments import adjustment_approve, adjustment_propose
from payroll.models import AdjustmentKind, AdjustmentReason, AdjustmentStatus
from staff.models import StaffMember


def _member(agency: Agency, role: Role) -> User | None:
    membership = (
        Membership.objects.filter(agency=agency, role=role, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def seed_adjustments(agency: Agency) -> None:
    supervisor, manager = _member(agency, Role.SUPERVISOR), _member(agency, Role.MANAGER)
    staff = list(StaffMember.objects.filter(agency=agency).order_by("pk")[:2])
    if supervisor is None or manager is None or not staff:
        return
    proposer, decider = Actor(user=supervisor), Actor(user=manager)
    first, second = staff[0], staff[-1]
    examples = [
        (
            "demo:five_star",
            first,
            AdjustmentKind.REWARD,
            AdjustmentReason.FIVE_STAR,
            Decimal("30"),
            in_language(agency, "顾客五星好评，服务细致", "Five stars from the customer"),
            True,
        ),
        (
            "demo:complaint",
            second,
            AdjustmentKind.PENALTY,
            AdjustmentReason.COMPLAINT,
            Decimal("50"),
            in_language(agency, "投诉成立：擦拭不彻底", "Complaint upheld: cleaning left undone"),
            True,
        ),
        (
            "demo:referral",
            first,
            AdjustmentKind.REWARD,
            AdjustmentReason.REFERRAL,
            Decimal("200"),
            in_language(
                agency, "介绍新员工入职满一个月", "Referred a colleague who stayed a month"
            ),
            False,
        ),
    ]
    for source, member, kind, reason, amount, note, approve in examples:
        adjustment = adjustment_propose(
            agency=agency,
            actor=proposer,
            staff=member,
            kind=kind,
            reason=reason,
            amount=amount,
            note=note,
            source=source,
        )
        if approve and adjustment.status == AdjustmentStatus.PROPOSED:
            adjustment_approve(adjustment=adjustment, actor=decider)
