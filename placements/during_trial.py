"""The end of a placement's trial (issue 20): on the trial's last day the customer is
sent a signed link to keep the staff member or ask for a replacement, with a reason.
A replacement within the placement's free ones costs nothing; beyond them the agency's
replacement fee is recorded on the answer and charged (the billing sweep invoices it). The office
then puts the newcomer in with the existing replacement flow (history kept)."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DateField, ExpressionWrapper, F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.bounds import TEXT_MAX_LENGTH
from agency.errors import StateConflict
from agency.models import Agency
from agency.permissions import Area, require
from agency.signed_links import Purpose, SignatureInvalid, sign, unsign
from messaging.rules import Event
from messaging.services import announce
from orders.messages import customer_recipient, site_url
from orders.models import Assignment, AssignmentStatus
from orders.staffing.services import assignment_replace
from placements.billing import replacement_fee_charge_add
from placements.during import policy_for
from placements.lifecycle import placement_lock
from placements.models import Placement, PlacementStatus, TrialChoice, TrialDecision
from placements.selectors import confirmed_staff
from staff.models import StaffMember

#: The customer's link: long enough to answer a few days after the trial ended.
TRIAL_LINK = Purpose("hearth.placements.trial", max_age=timedelta(days=14))


def trial_link_path(assignment: Assignment) -> str:
    token = sign(TRIAL_LINK, {"a": assignment.pk})
    return reverse("placement_trial", kwargs={"token": token})


def trial_assignment_by_token(token: str) -> Assignment:
    """The staff member (assignment) a link asks about; a bad or old link is refused."""
    try:
        payload = unsign(TRIAL_LINK, token)
        return Assignment.objects.select_related(
            "staff", "order__customer", "order__agency", "order__placement"
        ).get(pk=payload["a"])
    except (SignatureInvalid, KeyError, TypeError, Assignment.DoesNotExist) as error:
        raise ValidationError(_("This link is not valid any more.")) from error


def trial_ending(days: list[date]) -> QuerySet[Placement]:
    """Every agency's active placements whose trial's last day is one of `days`."""
    return (
        Placement.objects.filter(status=PlacementStatus.ACTIVE, trial_days__isnull=False)
        .select_related("agency", "order__customer")
        .annotate(
            trial_ends_on=ExpressionWrapper(
                F("starts_on") + F("trial_days") - 1, output_field=DateField()
            )
        )
        .filter(trial_ends_on__in=days)
    )


def trial_links_send(*, today: date | None = None) -> int:
    """Ask the customer of each active placement whose trial ends today (each staff
    member once: the message's key). Without `today`, each agency's own today (the
    sweep runs hourly, so each agency is asked soon after its own midnight)."""
    sent = 0
    days = [today] if today else [timezone.localdate() + timedelta(days=d) for d in (-1, 0, 1)]
    for placement in trial_ending(days):
        if today is None and placement.trial_ends_on != placement.agency.today():  # type: ignore[attr-defined]
            continue
        assignment = confirmed_staff(placement)
        if assignment is None:
            continue
        order = placement.order
        announce(
            agency=placement.agency,
            event=Event.PLACEMENT_TRIAL_ENDS,
            key=f"placement-trial:{assignment.pk}",
            context={
                "agency_name": placement.agency.name,
                "customer_name": order.customer.name,
                "order_number": order.number,
                "staff_name": assignment.staff.name,
                "link": site_url(trial_link_path(assignment)),
            },
            customer=customer_recipient(order.customer),
            topics=[f"order:{order.pk}"],
        )
        sent += 1
    return sent


def trial_question(assignment: Assignment) -> TrialDecision | None:
    """The customer's answer about this staff member, if given."""
    return TrialDecision.objects.filter(
        agency_id=assignment.agency_id, assignment=assignment
    ).first()


@transaction.atomic
def trial_answer_by_link(*, token: str, choice: str, reason: str) -> TrialDecision:
    """The customer keeps the staff member or asks for a replacement; answering again
    changes nothing (the first answer stands)."""
    assignment = trial_assignment_by_token(token)
    placement = placement_lock(assignment.order.placement)
    answered = trial_question(assignment)
    if answered is not None:
        return answered
    if placement.status != PlacementStatus.ACTIVE:
        raise StateConflict(_("This placement is not running: please call the agency."))
    if assignment.status != AssignmentStatus.CONFIRMED:
        raise StateConflict(_("This staff member has been replaced already."))
    reason = reason.strip()
    if choice not in TrialChoice.values:
        raise ValidationError({"choice": _("Choose an answer.")})
    if len(reason) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("At most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}}
        )
    if choice == TrialChoice.REPLACE and not reason:
        raise ValidationError({"reason": _("Tell us why you would like a replacement.")})
    decision = TrialDecision(
        agency_id=placement.agency_id,
        placement=placement,
        assignment=assignment,
        choice=choice,
        reason=reason,
        answered_at=timezone.now(),
    )
    if choice == TrialChoice.REPLACE:
        decision.free, decision.fee = replacement_terms(placement)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:  # answered at the same moment on two phones
        return TrialDecision.objects.get(agency_id=placement.agency_id, assignment=assignment)
    replacement_fee_charge_add(decision)
    audit_record(
        agency=placement.agency,
        actor=Actor.customer(placement.order.customer_id),
        action="placement.trial_answer",
        target=placement,
        changes={"choice": choice, "free": decision.free, "fee": str(decision.fee or "")},
    )
    return decision


def replacements_used(placement: Placement) -> int:
    return TrialDecision.objects.filter(
        agency_id=placement.agency_id, placement=placement, choice=TrialChoice.REPLACE
    ).count()


def replacement_terms(placement: Placement) -> tuple[bool, Decimal | None]:
    """(free, fee) of one more replacement: free within the placement's free count, else
    the agency's replacement fee."""
    if replacements_used(placement) < (placement.free_replacements or 0):
        return True, None
    return False, policy_for(placement.agency).replacement_fee


@transaction.atomic
def trial_replace(*, decision: TrialDecision, actor: Actor, staff: StaffMember) -> Assignment:
    """The office puts the newcomer in for the customer who asked for a replacement, by
    the existing replacement flow (the old assignment kept, released with the reason)."""
    require(
        actor,
        Area.PLACEMENTS,
        agency_id=decision.agency_id,
        message=_("The office puts a replacement in."),
    )
    decision = TrialDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.choice != TrialChoice.REPLACE:
        raise StateConflict(_("The customer kept the staff member."))
    if decision.replacement_id is not None:
        raise StateConflict(_("The replacement is in place already."))
    placement = decision.placement
    new = assignment_replace(
        order=placement.order,
        assignment=decision.assignment,
        staff=staff,
        reason=_("Trial period: %(reason)s") % {"reason": decision.reason},
        actor=actor,
        customer_agreed=True,
    )
    decision.replacement = new
    decision.save(update_fields=["replacement"])
    audit_record(
        agency=placement.agency,
        actor=actor,
        action="placement.trial_replace",
        target=placement,
        changes={"staff": [decision.assignment.staff.name, staff.name]},
    )
    return new


def trial_decisions(*, agency: Agency, placement: Placement) -> list[TrialDecision]:
    return list(
        TrialDecision.objects.filter(agency=agency, placement=placement).select_related(
            "assignment__staff", "replacement__staff"
        )
    )
