"""Acceptance (验收): the four signed stages, failed items, rework and the next round.

DESIGN.md, "Acceptance": on-site lead → team supervisor → office supervisor →
customer, each a signed stage, in this order. A failed stage records the
failed items and the staff responsible; the order goes to rework; when the
items are redone, acceptance runs again as a new round. Every round is kept.

When the customer's stage passes the order becomes accepted. That status
change is an `OrderEvent` row (from inspection to accepted): billing and
feedback pick it up from there, nothing else is triggered from here.

Every service locks the order first, so two supervisors signing the same stage
at the same moment queue: the second finds it signed and is refused.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.permissions import Area, require
from orders import announcements
from orders.lifecycle import order_lock, order_transition
from orders.models import (
    AcceptanceRound,
    Assignment,
    AssignmentRole,
    CustomerSignature,
    EntryKind,
    FailedItem,
    Order,
    OrderStatus,
    RoundOutcome,
    SignaturePurpose,
    SignedVia,
    Signoff,
    Stage,
)
from orders.service import selectors
from orders.service.services.service_log import acceptance_round_start, own_assignment, write_entry
from orders.signatures import record_signature, signature_errors
from orders.staffing import selectors as staffing_selectors
from orders.timeline import by_message, link_sent, note
from staff.models import StaffMember


class AcceptanceConflict(StateConflict):
    """Signed already, not yet this stage's turn, or no round open (the API answers 409)."""


@dataclass(frozen=True)
class Failure:
    """One failed item: what, and who redoes it (the on-site lead when nobody is named)."""

    description: str
    responsible: StaffMember | None = None


@dataclass(frozen=True)
class CustomerVerdict:
    """The customer's stage: their name as signed, and what only they may give."""

    signed_name: str
    via: str
    score: int | None = None
    comment: str = ""
    verification_reason: str = ""
    user_agent: str = ""

    @classmethod
    def signed(cls, data: Mapping[str, Any], *, via: str, user_agent: str) -> "CustomerVerdict":
        """The verdict as the customer's pages and the API name it: `signed_name`, `score`,
        `comment`, and the office's `verification_reason` where it signs in their place."""
        return cls(
            signed_name=data["signed_name"],
            via=via,
            score=data["score"],
            comment=data["comment"],
            verification_reason=data.get("verification_reason", ""),
            user_agent=user_agent,
        )


@transaction.atomic
def acceptance_sign_lead(
    *,
    assignment: Assignment,
    actor: Actor,
    passed: bool,
    failures: Sequence[Failure] = (),
    comment: str = "",
) -> Signoff:
    """Stage 1, by the on-site lead (现场保洁责任人) from their own job."""
    assignment = own_assignment(assignment, actor=actor)
    if assignment.role != AssignmentRole.LEAD:
        raise PermissionDenied(_("Stage 1 is signed by the on-site lead."))
    order = assignment.order
    if selectors.change_requests_awaiting(order).exists():
        raise AcceptanceConflict(
            _("A change request waits for the customer: have it answered or withdraw it first.")
        )
    return _sign(
        order,
        stage=Stage.LEAD,
        actor=actor,
        passed=passed,
        failures=failures,
        signer_name=assignment.staff.name,
        comment=comment,
    )


@transaction.atomic
def acceptance_sign_supervisor(
    *,
    order: Order,
    stage: int,
    actor: Actor,
    passed: bool,
    failures: Sequence[Failure] = (),
    comment: str = "",
) -> Signoff:
    """Stage 2 (team supervisor) or 3 (office supervisor): two different people."""
    if stage not in (Stage.TEAM_SUPERVISOR, Stage.OFFICE_SUPERVISOR):
        raise ValidationError({"stage": _("Supervisors sign stage 2 or 3.")})
    order = order_lock(order)
    require(
        actor,
        Area.SIGN_OFFS,
        agency_id=order.agency_id,
        message=_("A supervisor or manager signs this stage."),
    )
    round_ = _waiting_round(order, stage)
    if stage == Stage.OFFICE_SUPERVISOR:
        team = round_.signoffs.filter(stage=Stage.TEAM_SUPERVISOR).first()
        if team is not None and team.signer_id == actor.user.pk:  # type: ignore[union-attr]
            raise PermissionDenied(
                _("The office supervisor must be someone else than the team supervisor.")
            )
    return _sign(
        order,
        stage=stage,
        actor=actor,
        passed=passed,
        failures=failures,
        signer_name=_display_name(actor),
        comment=comment,
    )


@transaction.atomic
def acceptance_sign_customer(
    *,
    order: Order,
    actor: Actor,
    verdict: CustomerVerdict,
    passed: bool,
    failures: Sequence[Failure] = (),
    round_number: int | None = None,
) -> Signoff:
    """Stage 4, the customer (业主): by signed link, on the staff member's device, or
    verified by the office on their behalf (then without a score or comment, which
    only the customer gives).

    A link names its round: once that round is signed or closed the link is spent.
    """
    order = order_lock(order)
    _check_customer_signer(order, actor=actor, via=verdict.via)
    if round_number is not None:
        current = selectors.open_round(order)
        if current is None or current.number != round_number:
            raise AcceptanceConflict(_("This link has been used already."))
    errors = signature_errors(
        signed_name=verdict.signed_name,
        via=verdict.via,
        verification_reason=verdict.verification_reason,
    )
    if verdict.via == SignedVia.OFFICE:
        if verdict.score is not None:
            errors["score"] = _("Only the customer gives a score and a comment.")
        if verdict.comment.strip():
            errors["comment"] = _("Only the customer gives a score and a comment.")
    elif verdict.score is None:
        errors["score"] = _("Choose a satisfaction score from 1 to 5.")
    elif not 1 <= verdict.score <= 5:
        errors["score"] = _("The satisfaction score is from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    _waiting_round(order, Stage.CUSTOMER)
    signature = record_signature(
        order,
        purpose=SignaturePurpose.ACCEPT_SERVICE,
        via=verdict.via,
        signed_name=verdict.signed_name,
        actor=actor,
        user_agent=verdict.user_agent,
        verification_reason=verdict.verification_reason,
    )
    return _sign(
        order,
        stage=Stage.CUSTOMER,
        actor=actor,
        passed=passed,
        failures=failures,
        signer_name=signature.signed_name,
        comment=verdict.comment,
        signature=signature,
        score=verdict.score,
    )


@transaction.atomic
def acceptance_send_link(*, order: Order, actor: Actor, url: str) -> None:
    """Text the customer the link to accept the service (or say what failed)."""
    order = order_lock(order)
    round_ = _waiting_round(order, Stage.CUSTOMER)
    announced = announcements.acceptance_to_sign(order, round_=round_, url=url)
    channel = by_message(order, announced.messages)
    link_sent(
        order,
        actor=actor,
        text=_("Acceptance link sent (%(channel)s).") % {"channel": channel},
        action="acceptance.link_sent",
        channel=channel,
    )


# --- rework (返工) ---------------------------------------------------------------


@transaction.atomic
def rework_done(*, item: FailedItem, actor: Actor, text: str = "") -> FailedItem:
    """A failed item redone, by the staff member responsible or the on-site lead."""
    item, order = _rework_item(item)
    mine = staffing_selectors.team(order).filter(staff__user=actor.user).first()
    if mine is None or (mine.staff_id != item.responsible_id and mine.role != AssignmentRole.LEAD):
        raise PermissionDenied(_("The person responsible, or the on-site lead, redoes an item."))
    if item.reworked_at is not None:
        raise AcceptanceConflict(_("This item is redone already."))
    assignment = own_assignment(mine, actor=actor)
    write_entry(
        assignment,
        actor=actor,
        kind=EntryKind.REWORK,
        item=item.description,
        text=text.strip(),
        failed_item=item,
    )
    item.reworked_at = timezone.now()
    item.reworked_by = actor.user
    item.save(update_fields=["reworked_at", "reworked_by"])
    return item


@transaction.atomic
def rework_reassign(*, item: FailedItem, staff: StaffMember, actor: Actor) -> FailedItem:
    """The office hands a failed item to another member of the team."""
    item, order = _rework_item(item)
    require(actor, Area.ORDERS, agency_id=order.agency_id, message=_("The office assigns rework."))
    if not staffing_selectors.team(order).filter(staff=staff).exists():
        raise ValidationError({"responsible": _("Choose a member of this order's team.")})
    if item.reworked_at is not None:
        raise AcceptanceConflict(_("This item is redone already."))
    before = item.responsible_id
    item.responsible = staff
    item.save(update_fields=["responsible"])
    audit_record(
        agency=order.agency,
        actor=actor,
        action="acceptance.rework_reassign",
        target=order,
        changes={"item": item.description, "responsible": [before, staff.pk]},
    )
    return item


@transaction.atomic
def rework_submit(*, order: Order, actor: Actor) -> AcceptanceRound:
    """Every failed item redone: acceptance runs again as a new round, from stage 1."""
    order = order_lock(order)
    # Without a user, `staff__user=None` would match a lead who has no login.
    lead = (
        actor.user is not None
        and staffing_selectors.team(order)
        .filter(role=AssignmentRole.LEAD, staff__user=actor.user)
        .exists()
    )
    if not lead:
        require(
            actor,
            Area.ORDERS,
            agency_id=order.agency_id,
            message=_("The on-site lead or the office asks for the new round."),
        )
    if order.status != OrderStatus.REWORK:
        raise AcceptanceConflict(_("This order is not in rework."))
    undone = FailedItem.objects.filter(
        agency_id=order.agency_id, order=order, reworked_at__isnull=True
    )
    if undone.exists():
        raise ValidationError(
            {
                "items": _("Still to redo: %(items)s.")
                % {"items": "、".join(item.description for item in undone)}
            }
        )
    round_ = acceptance_round_start(order)
    order_transition(
        order=order,
        to=OrderStatus.INSPECTION,
        actor=actor,
        reason=_("Rework done; acceptance round %(number)s.") % {"number": round_.number},
    )
    return round_


# --- the shared core ---------------------------------------------------------------


def _sign(
    order: Order,
    *,
    stage: int,
    actor: Actor,
    passed: bool,
    failures: Sequence[Failure],
    signer_name: str,
    comment: str = "",
    signature: CustomerSignature | None = None,
    score: int | None = None,
) -> Signoff:
    """Record one stage of the open round on a locked order, then close or advance the round."""
    round_ = _waiting_round(order, stage)
    failures = [f for f in failures if f.description.strip()]
    if passed and failures:
        raise ValidationError({"failed_items": _("A passed stage has no failed items.")})
    if not passed and not failures:
        raise ValidationError({"failed_items": _("Name at least one item that failed.")})
    team = {a.staff_id: a for a in staffing_selectors.team(order).select_related("staff")}
    lead = next((a.staff for a in team.values() if a.role == AssignmentRole.LEAD), None)
    for failure in failures:
        if failure.responsible is not None and failure.responsible.pk not in team:
            raise ValidationError({"responsible": _("Choose a member of this order's team.")})
    if not passed and lead is None and any(f.responsible is None for f in failures):
        raise ValidationError({"responsible": _("Say who is responsible for each item.")})
    signoff = Signoff.objects.create(
        agency_id=order.agency_id,
        round=round_,
        stage=stage,
        passed=passed,
        signer=None if stage == Stage.CUSTOMER else actor.user,
        signer_name=signer_name[:150],
        signature=signature,
        score=score,
        comment=comment.strip(),
    )
    checklist = set(order.needs_form.checklist)
    FailedItem.objects.bulk_create(
        FailedItem(
            agency_id=order.agency_id,
            signoff=signoff,
            order=order,
            description=failure.description.strip()[:200],
            from_checklist=failure.description.strip() in checklist,
            responsible=failure.responsible or lead,
        )
        for failure in failures
    )
    stage_label = Stage(stage).label
    if not passed:
        _close(round_, RoundOutcome.FAILED)
        items = "、".join(f.description.strip() for f in failures)
        order_transition(
            order=order,
            to=OrderStatus.REWORK,
            actor=actor,
            reason=_("Round %(number)s failed at %(stage)s: %(items)s.")
            % {"number": round_.number, "stage": stage_label, "items": items},
        )
    elif stage == Stage.CUSTOMER:
        _close(round_, RoundOutcome.PASSED)
        order_transition(
            order=order,
            to=OrderStatus.ACCEPTED,
            actor=actor,
            reason=_("Accepted in round %(number)s (satisfaction %(score)s).")
            % {"number": round_.number, "score": score if score is not None else "—"},
        )
    else:
        round_.next_stage = stage + 1
        round_.save(update_fields=["next_stage"])
        if round_.next_stage in (Stage.TEAM_SUPERVISOR, Stage.OFFICE_SUPERVISOR):
            # The office stage is someone else's than the team supervisor who just signed.
            signer = actor.user.pk if stage == Stage.TEAM_SUPERVISOR and actor.user else None
            announcements.acceptance_stage_waits(
                order, round_=round_, stage=round_.next_stage, not_to=[signer] if signer else []
            )
        note(
            order,
            actor=actor,
            text=_("Round %(number)s: %(stage)s passed.")
            % {"number": round_.number, "stage": stage_label},
        )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="acceptance.sign",
        target=order,
        changes={
            "round": round_.number,
            "stage": stage,
            "passed": passed,
            "failed_items": [f.description.strip() for f in failures],
        },
    )
    return signoff


def _waiting_round(order: Order, stage: int) -> AcceptanceRound:
    """The open round, if it is this stage's turn; otherwise say why not."""
    round_ = selectors.open_round(order)
    if round_ is None or order.status != OrderStatus.INSPECTION:
        raise AcceptanceConflict(_("No acceptance is under way on this order."))
    if round_.next_stage is not None and stage < round_.next_stage:
        raise AcceptanceConflict(
            _("%(stage)s has signed this round already.") % {"stage": Stage(stage).label}
        )
    if round_.next_stage is not None and stage > round_.next_stage:
        raise AcceptanceConflict(
            _("%(previous)s signs before %(stage)s.")
            % {"previous": Stage(round_.next_stage).label, "stage": Stage(stage).label}
        )
    return round_


def _close(round_: AcceptanceRound, outcome: str) -> None:
    round_.outcome = outcome
    round_.next_stage = None
    round_.closed_at = timezone.now()
    round_.save(update_fields=["outcome", "next_stage", "closed_at"])


def _check_customer_signer(order: Order, *, actor: Actor, via: str) -> None:
    if via == SignedVia.LINK:
        if actor.user is not None:
            raise PermissionDenied(_("The link is for the customer."))
    elif via == SignedVia.DEVICE:
        if (
            actor.user is None
            or not staffing_selectors.team(order).filter(staff__user=actor.user).exists()
        ):
            raise PermissionDenied(_("The customer signs on the device of staff on this job."))
    elif via == SignedVia.OFFICE:
        require(
            actor,
            Area.ORDERS,
            agency_id=order.agency_id,
            message=_("Only the office verifies on the customer's behalf."),
        )
    else:
        raise ValidationError({"via": _("Unknown way of signing.")})


def _rework_item(item: FailedItem) -> tuple[FailedItem, Order]:
    """The item read again under its order's lock, and the locked order in rework."""
    order = Order.objects.select_for_update().get(pk=item.order_id, agency_id=item.agency_id)
    if order.status != OrderStatus.REWORK:
        raise AcceptanceConflict(_("This order is not in rework."))
    return FailedItem.objects.get(pk=item.pk, agency_id=item.agency_id), order


def _display_name(actor: Actor) -> str:
    user = actor.user
    if user is None:  # the role checks refuse anonymous signers before this
        raise PermissionDenied
    return user.get_full_name() or user.get_username()
