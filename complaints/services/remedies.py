"""Putting a complaint right (issue 19): solutions offered and agreed, the money they move
through billing, compensation for damage, the customer's charge, the inspection visit.

DESIGN.md, "Complaints" and "Management rules". Money goes through billing's own services
(orders.billing.services), so billing's rules hold as they are: finance asks for a refund
and a manager approves it; a credit note corrects an issued invoice; a manager adjusts a
draft. Compensation is its own record, callable from any source that finds damage (a
complaint today, an incident report later): proposed by the office, approved by a
supervisor up to the agency's limit and by a manager above it, paid out by finance.
"""

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency, User
from agency.permissions import Area, can, require
from complaints.announcements import complaint_solution_agreed
from complaints.lifecycle import ComplaintConflict
from complaints.models import (
    Charge,
    Compensation,
    CompensationStatus,
    Complaint,
    EventKind,
    InspectionVisit,
    InspectionVisitPhoto,
    Payer,
    RemedyPolicy,
    Solution,
    SolutionKind,
    SolutionStatus,
    Status,
    Tier,
)
from complaints.models.remedies import WITH_AMOUNT
from complaints.services.shared import (
    complaint_lock,
    link_of,
    record_audit,
    record_event,
)
from orders.billing.services import credit_note_issue, invoice_adjust, refund_request
from orders.intake.services.booking import order_create
from orders.models import Invoice, InvoiceKind, InvoiceStatus, LineKind, PaymentMethod
from orders.pricing import money
from staff.models import StaffMember
from staff.services.records import staff_record_penalty


def remedy_policy_for(agency: Agency) -> RemedyPolicy:
    policy, _created = RemedyPolicy.objects.get_or_create(agency=agency)
    return policy


@transaction.atomic
def remedy_policy_update(*, agency: Agency, actor: Actor, approval_limit: Decimal) -> RemedyPolicy:
    """A manager sets the amount up to which a supervisor approves a compensation."""
    require(actor, Area.SETTINGS, agency_id=agency.pk, message=_("A manager sets the limit."))
    limit = Decimal(approval_limit)
    if limit < 0 or money(limit) != limit:
        raise ValidationError({"approval_limit": _("The limit is zero or more, in whole cents.")})
    policy = remedy_policy_for(agency)
    before = policy.approval_limit
    policy.approval_limit = limit
    policy.save(update_fields=["approval_limit"])
    audit_record(
        agency=agency,
        actor=actor,
        action="remedy_policy.update",
        target=policy,
        changes={"approval_limit": [str(before), str(limit)]},
    )
    return policy


# --- solutions ------------------------------------------------------------------------


@transaction.atomic
def solution_offer(
    *,
    complaint: Complaint,
    actor: Actor,
    kind: str,
    description: str,
    amount: Decimal | None = None,
    redo_on: date | None = None,
    submission_key: uuid.UUID | None = None,
) -> Solution:
    """One option offered to the customer (a refund or compensation names its amount, a redo
    may name its day)."""
    complaint = complaint_lock(complaint, actor)
    refuse_repeat(
        Solution.objects.filter(agency_id=complaint.agency_id),
        submission_key,
        lambda earlier: _("This solution was offered already."),
    )
    _require_open(complaint)
    errors: dict[str, str] = {}
    if kind not in SolutionKind.values:
        errors["kind"] = _("Choose a solution.")
    if not description.strip():
        errors["description"] = _("Say what is offered.")
    if kind in WITH_AMOUNT:
        try:
            amount = positive_cents(amount)
        except ValidationError as error:
            errors["amount"] = error.messages[0]
    elif amount is not None:
        errors["amount"] = _("Only a refund or a compensation has an amount.")
    if redo_on is not None:
        if kind != SolutionKind.REDO:
            errors["redo_on"] = _("Only a redo has a day.")
        elif redo_on < complaint.agency.local_date(timezone.now()):
            errors["redo_on"] = _("The redo is today or later.")
    if errors:
        raise ValidationError(errors)
    solution = Solution(
        agency_id=complaint.agency_id,
        complaint=complaint,
        kind=kind,
        description=description.strip(),
        amount=amount,
        redo_on=redo_on,
        offered_by=actor.user,
        submission_key=submission_key,
    )
    save_once(
        solution,
        Solution.objects.filter(agency_id=complaint.agency_id),
        lambda earlier: _("This solution was offered already."),
    )
    record_event(
        complaint,
        EventKind.NOTE,
        actor=actor,
        text=_("Solution offered: %(solution)s") % {"solution": _said(solution)},
    )
    record_audit(
        complaint,
        actor,
        "complaint.solution_offer",
        {"kind": kind, "amount": str(amount) if amount else ""},
    )
    return solution


@transaction.atomic
def solution_agree(*, solution: Solution, actor: Actor) -> Solution:
    """The customer agreed this option: the others are set aside, the customer is told, and a
    partial refund goes to billing — a refund request on a paid invoice (a manager approves,
    finance pays back), a credit note on an issued unpaid one, an adjustment on a draft."""
    complaint = complaint_lock(solution.complaint, actor)
    solution = Solution.objects.select_for_update().get(pk=solution.pk, complaint=complaint)
    _require_open(complaint)
    if solution.status != SolutionStatus.OFFERED:
        raise ComplaintConflict(_("Only an offered solution is agreed."))
    if complaint.solutions.filter(status=SolutionStatus.AGREED).exists():
        raise ComplaintConflict(_("The customer agreed a solution already."))
    if solution.kind == SolutionKind.PARTIAL_REFUND:
        _refund(complaint, solution, actor=actor)
    elif solution.kind == SolutionKind.REDO and solution.redo_on and complaint.order:
        order = complaint.order
        solution.redo_order = order_create(
            needs_form=order.needs_form, branch=order.branch, on=solution.redo_on, actor=actor
        )
    complaint.solutions.filter(status=SolutionStatus.OFFERED).exclude(pk=solution.pk).update(
        status=SolutionStatus.SET_ASIDE
    )
    solution.status = SolutionStatus.AGREED
    solution.agreed_at = timezone.now()
    solution.save(update_fields=["status", "agreed_at", "refund", "credit_note", "redo_order"])
    event = record_event(
        complaint,
        EventKind.NOTE,
        actor=actor,
        text=_("The customer agreed: %(solution)s") % {"solution": _said(solution)},
    )
    complaint_solution_agreed(complaint, event=event, solution=lambda: _said(solution))
    record_audit(
        complaint,
        actor,
        "complaint.solution_agree",
        {"solution": solution.pk, "kind": solution.kind, "amount": str(solution.amount or "")},
    )
    return solution


def _refund(complaint: Complaint, solution: Solution, *, actor: Actor) -> None:
    amount = positive_cents(solution.amount)
    invoice = (
        Invoice.objects.filter(
            agency_id=complaint.agency_id,
            kind=InvoiceKind.INVOICE,
            lines__order_id=complaint.order_id,
            lines__kind=LineKind.SERVICE,
        )
        .order_by("-created_at")
        .first()
        if complaint.order_id is not None
        else None
    )
    if invoice is None:
        raise ValidationError({"amount": _("The complaint's order has no invoice to refund on.")})
    reason = _("Complaint %(number)s: %(text)s") % {
        "number": complaint.number,
        "text": solution.description[:200],
    }
    if invoice.paid > 0:
        solution.refund = refund_request(invoice=invoice, actor=actor, amount=amount, reason=reason)
    elif invoice.status == InvoiceStatus.ISSUED:
        solution.credit_note = credit_note_issue(
            invoice=invoice, actor=actor, amount=amount, reason=reason
        )
    else:
        invoice_adjust(invoice=invoice, actor=actor, amount=-amount, reason=reason)


# --- compensation ---------------------------------------------------------------------


@transaction.atomic
def compensation_propose(
    *,
    complaint: Complaint,
    actor: Actor,
    item: str,
    amount: Decimal,
    payer: str,
    staff: StaffMember | None = None,
    claim_reference: str = "",
    submission_key: uuid.UUID | None = None,
) -> Compensation:
    """The office proposes compensation for a damaged item: the amount, who pays (the agency,
    its insurer with the claim reference, or the staff member responsible)."""
    complaint = complaint_lock(complaint, actor)
    refuse_repeat(
        Compensation.objects.filter(agency_id=complaint.agency_id),
        submission_key,
        lambda earlier: _("This compensation was proposed already."),
    )
    errors: dict[str, str] = {}
    if not item.strip():
        errors["item"] = _("Name the damaged item.")
    try:
        amount = positive_cents(amount)
    except ValidationError as error:
        errors["amount"] = error.messages[0]
    if payer not in Payer.values:
        errors["payer"] = _("Choose who pays.")
    if payer == Payer.STAFF:
        staff = staff or complaint.staff
        if staff is None or staff.agency_id != complaint.agency_id:
            errors["staff"] = _("Name the staff member who pays.")
    else:
        staff = None
    if payer == Payer.INSURER and not claim_reference.strip():
        errors["claim_reference"] = _("Give the insurer's claim reference.")
    if errors:
        raise ValidationError(errors)
    compensation = Compensation(
        agency_id=complaint.agency_id,
        complaint=complaint,
        item=item.strip()[:200],
        amount=amount,
        payer=payer,
        staff=staff,
        claim_reference=claim_reference.strip()[:100],
        proposed_by=actor.user,
        submission_key=submission_key,
    )
    save_once(
        compensation,
        Compensation.objects.filter(agency_id=complaint.agency_id),
        lambda earlier: _("This compensation was proposed already."),
    )
    record_event(
        complaint,
        EventKind.NOTE,
        actor=actor,
        text=_("Compensation proposed: %(item)s, %(amount)s, paid by %(payer)s.")
        % {"item": compensation.item, "amount": amount, "payer": compensation.get_payer_display()},
    )
    record_audit(
        complaint,
        actor,
        "compensation.propose",
        {"compensation": compensation.pk, "amount": str(amount), "payer": payer},
    )
    return compensation


@transaction.atomic
def compensation_decide(
    *, compensation: Compensation, actor: Actor, approve: bool, reason: str = ""
) -> Compensation:
    """Approved or refused with the reason. Up to the agency's limit a supervisor decides,
    above it only a manager. Approved, the staff member's share goes on their record as a
    penalty (once: staff.Penalty is unique per source)."""
    compensation = _locked(compensation)
    complaint = compensation.complaint
    limit = remedy_policy_for(complaint.agency).approval_limit
    if compensation.amount > limit:
        require(
            actor,
            Area.BILLING_DECISIONS,
            agency_id=complaint.agency_id,
            message=_("Above %(limit)s only a manager approves a compensation.") % {"limit": limit},
        )
    else:
        require(
            actor,
            Area.STAFF_DECISIONS,
            agency_id=complaint.agency_id,
            message=_("A supervisor or a manager approves a compensation."),
        )
    if compensation.status != CompensationStatus.PROPOSED:
        raise ComplaintConflict(_("This compensation is decided already."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the compensation is refused.")})
    compensation.status = CompensationStatus.APPROVED if approve else CompensationStatus.REFUSED
    compensation.decided_by = actor.user
    compensation.decided_at = timezone.now()
    compensation.refusal_reason = "" if approve else reason.strip()[:300]
    if approve and compensation.staff is not None:
        compensation.penalty = staff_record_penalty(
            staff=compensation.staff,
            actor=actor,
            amount=compensation.amount,
            reason=_("Compensation for %(item)s (complaint %(number)s)")
            % {"item": compensation.item, "number": complaint.number},
            source=f"compensation-{compensation.pk}",
            link=link_of(complaint),
        )
    compensation.save(
        update_fields=["status", "decided_by", "decided_at", "refusal_reason", "penalty"]
    )
    text = (
        _("Compensation approved: %(item)s, %(amount)s.")
        if approve
        else _("Compensation refused: %(item)s, %(amount)s. %(reason)s")
    ) % {"item": compensation.item, "amount": compensation.amount, "reason": reason.strip()}
    record_event(complaint, EventKind.NOTE, actor=actor, text=text)
    record_audit(
        complaint,
        actor,
        f"compensation.{compensation.status}",
        {"compensation": compensation.pk, "reason": compensation.refusal_reason},
    )
    return compensation


@transaction.atomic
def compensation_pay(
    *, compensation: Compensation, actor: Actor, method: str, reference: str = ""
) -> Compensation:
    """Finance records the compensation paid out, once approved: money paid out, not an
    invoice refund (it may exceed what the customer ever paid)."""
    compensation = _locked(compensation)
    complaint = compensation.complaint
    require(
        actor,
        Area.BILLING,
        agency_id=complaint.agency_id,
        message=_("Finance pays out a compensation."),
    )
    if compensation.status != CompensationStatus.APPROVED:
        raise ComplaintConflict(_("A compensation is paid only once it is approved."))
    if method not in PaymentMethod.values or method == PaymentMethod.PREPAID:
        raise ValidationError({"method": _("Choose how the money was paid.")})
    compensation.status = CompensationStatus.PAID
    compensation.method = method
    compensation.reference = reference.strip()[:100]
    compensation.paid_by = actor.user
    compensation.paid_at = timezone.now()
    compensation.save(update_fields=["status", "method", "reference", "paid_by", "paid_at"])
    record_event(
        complaint,
        EventKind.NOTE,
        actor=actor,
        text=_("Compensation paid: %(item)s, %(amount)s (%(method)s).")
        % {
            "item": compensation.item,
            "amount": compensation.amount,
            "method": compensation.get_method_display(),
        },
    )
    record_audit(
        complaint,
        actor,
        "compensation.pay",
        {"compensation": compensation.pk, "method": method, "reference": compensation.reference},
    )
    return compensation


def _locked(compensation: Compensation) -> Compensation:
    return (
        Compensation.objects.select_for_update(of=("self",))
        .select_related("complaint__agency", "staff")
        .get(pk=compensation.pk, agency_id=compensation.agency_id)
    )


# --- the customer's charge --------------------------------------------------------------


@transaction.atomic
def charge_customer(
    *,
    complaint: Complaint,
    actor: Actor,
    amount: Decimal,
    reason: str,
    submission_key: uuid.UUID | None = None,
) -> Charge:
    """The customer was at fault (found in the investigation, so after the first response):
    the charge they agreed becomes a line on the order's draft invoice, or on a new invoice
    for them — a manual line, so a manager's, as billing requires."""
    complaint = complaint_lock(complaint, actor)
    refuse_repeat(
        Charge.objects.filter(agency_id=complaint.agency_id),
        submission_key,
        lambda earlier: _("This charge was made already."),
    )
    if complaint.status in (Status.OPEN, Status.REOPENED):
        raise ComplaintConflict(_("Investigate and respond to the customer before charging."))
    errors: dict[str, str] = {}
    try:
        amount = positive_cents(amount)
    except ValidationError as error:
        errors["amount"] = error.messages[0]
    if not reason.strip():
        errors["reason"] = _("Say what the customer is charged for.")
    if errors:
        raise ValidationError(errors)
    # Billing locks and totals the draft: keep its copy, not ours.
    invoice = invoice_adjust(
        invoice=_draft_for(complaint),
        actor=actor,
        amount=amount,
        reason=_("Complaint %(number)s: %(text)s")
        % {"number": complaint.number, "text": reason.strip()[:200]},
    )
    charge = Charge(
        agency_id=complaint.agency_id,
        complaint=complaint,
        amount=amount,
        reason=reason.strip()[:300],
        invoice=invoice,
        line=invoice.lines.filter(kind=LineKind.ADJUSTMENT).latest("id"),
        charged_by=actor.user,
        submission_key=submission_key,
    )
    save_once(
        charge,
        Charge.objects.filter(agency_id=complaint.agency_id),
        lambda earlier: _("This charge was made already."),
    )
    record_event(
        complaint,
        EventKind.NOTE,
        actor=actor,
        text=_("The customer is charged %(amount)s: %(reason)s")
        % {"amount": amount, "reason": charge.reason},
    )
    record_audit(
        complaint, actor, "complaint.charge", {"amount": str(amount), "invoice": invoice.pk}
    )
    return charge


def _draft_for(complaint: Complaint) -> Invoice:
    draft = None
    if complaint.order_id is not None:
        draft = (
            Invoice.objects.select_for_update()
            .filter(
                agency_id=complaint.agency_id,
                kind=InvoiceKind.INVOICE,
                status=InvoiceStatus.DRAFT,
                lines__order_id=complaint.order_id,
            )
            .first()
        )
    if draft is not None:
        return draft
    agency = complaint.agency
    return Invoice.objects.create(
        agency=agency,
        customer=complaint.customer,
        branch_id=complaint.branch_id,
        currency=agency.currency,
        tax_rate_percent=agency.tax_rate_percent,
        language=complaint.customer.preferred_language or agency.default_language,
    )


# --- the inspection visit ---------------------------------------------------------------


@transaction.atomic
def inspection_schedule(
    *,
    complaint: Complaint,
    actor: Actor,
    scheduled_for: date,
    inspector: User,
    submission_key: uuid.UUID | None = None,
) -> InspectionVisit:
    """An inspection visit after a hard complaint, on a date, by an office member."""
    complaint = complaint_lock(complaint, actor)
    refuse_repeat(
        InspectionVisit.objects.filter(agency_id=complaint.agency_id),
        submission_key,
        lambda earlier: _("This visit was scheduled already."),
    )
    if complaint.tier != Tier.HARD:
        raise ComplaintConflict(_("An inspection visit follows a hard complaint."))
    errors: dict[str, str] = {}
    if scheduled_for < complaint.agency.local_date(timezone.now()):
        errors["scheduled_for"] = _("The visit is today or later.")
    if not can(Actor(user=inspector), Area.COMPLAINTS, agency_id=complaint.agency_id):
        errors["inspector"] = _("The inspector is a member of the office.")
    if errors:
        raise ValidationError(errors)
    visit = InspectionVisit(
        agency_id=complaint.agency_id,
        complaint=complaint,
        scheduled_for=scheduled_for,
        inspector=inspector,
        scheduled_by=actor.user,
        submission_key=submission_key,
    )
    save_once(
        visit,
        InspectionVisit.objects.filter(agency_id=complaint.agency_id),
        lambda earlier: _("This visit was scheduled already."),
    )
    record_event(
        complaint,
        EventKind.NOTE,
        actor=actor,
        text=_("Inspection visit on %(day)s by %(inspector)s.")
        % {"day": scheduled_for.isoformat(), "inspector": inspector.get_full_name() or inspector},
    )
    record_audit(complaint, actor, "complaint.inspection_schedule", {"visit": visit.pk})
    return visit


@transaction.atomic
def inspection_record(
    *,
    visit: InspectionVisit,
    actor: Actor,
    findings: str,
    photos: Sequence[UploadedFile] = (),
) -> InspectionVisit:
    """The visit done: its findings and photos (checked like the complaint's attachments)."""
    complaint = complaint_lock(visit.complaint, actor)
    visit = InspectionVisit.objects.select_for_update().get(pk=visit.pk, complaint=complaint)
    if visit.recorded_at is not None:
        raise ComplaintConflict(_("This visit is recorded already."))
    if not findings.strip():
        raise ValidationError({"findings": _("Write what the inspection found.")})
    visit.findings = findings.strip()
    visit.recorded_at = timezone.now()
    visit.save(update_fields=["findings", "recorded_at"])
    for file in photos:
        photo = InspectionVisitPhoto(
            agency_id=visit.agency_id,
            visit=visit,
            file=file,
            original_name=PurePath(file.name or "").name[:255],
        )
        try:
            photo.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {"photos": error.message_dict.get("file", error.messages)}
            ) from error
        photo.save()
    record_event(
        complaint,
        EventKind.NOTE,
        actor=actor,
        text=_("Inspection visit recorded: %(findings)s") % {"findings": visit.findings},
    )
    record_audit(
        complaint, actor, "complaint.inspection_record", {"visit": visit.pk, "photos": len(photos)}
    )
    return visit


# --- shared -----------------------------------------------------------------------------


def positive_cents(amount: Decimal | str | None) -> Decimal:
    """An amount of money: a Decimal above zero, in whole cents."""
    try:
        value = Decimal(amount) if amount is not None else None
    except (InvalidOperation, TypeError):
        value = None
    if value is None or not value.is_finite() or value <= 0 or money(value) != value:
        raise ValidationError(_("An amount is more than zero, in whole cents."))
    return value


def _require_open(complaint: Complaint) -> None:
    if complaint.status == Status.CLOSED:
        raise ComplaintConflict(_("This complaint is closed."))


def _said(solution: Solution) -> str:
    """The solution in the active language (the customer's, when told)."""
    said = f"{solution.get_kind_display()}: {solution.description}"
    if solution.redo_on is not None:
        said += f" ({date_format(solution.redo_on)})"
    return said if solution.amount is None else f"{said} ({solution.amount})"
