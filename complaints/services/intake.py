"""Taking a complaint: its number, its deadlines, the customer's flag, a major's report.

DESIGN.md, "Complaints": every complaint goes into the complaint log; the
customer is flagged for special attention on later orders; a major complaint
is reported to the department head at once.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency, Branch, User
from agency.numbering import next_number
from complaints.announcements import complaint_received
from complaints.lifecycle import courtesy_hold_follow
from complaints.models import (
    SUGGESTED_TIER,
    Category,
    Complaint,
    ComplaintChannel,
    EventKind,
    Severity,
    Tier,
)
from complaints.services.attachments import attach
from complaints.services.deadlines import open_deadlines
from complaints.services.escalation import report_major
from complaints.services.procedure import open_repair_deadlines, owner_error, promise_reply
from complaints.services.shared import link_of, record_audit, record_event, require_office
from feedback.complaint_revisits import low_score_close_for_complaint
from orders.intake.services.customers import customer_flag_special_attention
from orders.models import Customer, Order
from orders.timeline import note
from staff.models import StaffMember

#: Files a customer may add when filing: photos of the damage, not an archive.
MAX_CUSTOMER_ATTACHMENTS = 6


@dataclass(frozen=True)
class Intake:
    """What the office records when a customer complains."""

    branch: Branch
    customer: Customer
    channel: str
    category: str
    description: str
    tier: str = ""
    severity: str = Severity.NORMAL
    desired_outcome: str = ""
    order: Order | None = None
    staff: StaffMember | None = None
    received_at: datetime | None = None
    #: Who answers for it; None: the member taking it.
    owner: User | None = None
    #: A soft complaint's reply time promised to the customer, if one was.
    reply_by: datetime | None = None


@transaction.atomic
def complaint_take(
    *,
    agency: Agency,
    actor: Actor,
    intake: Intake,
    attachments: Iterable[UploadedFile] = (),
    submission_key: uuid.UUID | None = None,
) -> Complaint:
    """Record a complaint: its number, its deadlines, the customer's flag, a major's report.

    A `submission_key` seen before (a double click) raises `RepeatedSubmission`
    with the complaint already taken: one complaint, the managers told once.
    """
    require_office(actor, agency)
    return _record(
        agency=agency,
        actor=actor,
        intake=intake,
        attachments=attachments,
        submission_key=submission_key,
    )


@transaction.atomic
def complaint_file(
    *,
    customer: Customer,
    actor: Actor,
    category: str,
    description: str,
    desired_outcome: str = "",
    order: Order | None = None,
    attachments: Sequence[UploadedFile] = (),
    submission_key: uuid.UUID | None = None,
) -> Complaint:
    """The customer files a complaint themselves (their portal), with photos: it enters the
    same flow as one the office takes (number, SLA deadlines, the customer's flag, the
    acknowledgement), marked as from the portal and taken by nobody. About one of their
    orders, it is on that order's timeline as the customer's.

    Portal entry: `complaint_file(customer=…, actor=Actor.customer(customer.pk,
    ip_address=…), category=…, description=…, order=…, attachments=[…])`. Its tier is the
    category's usual one; the office may change it when it verifies.
    """
    if actor.customer_id != customer.pk:
        raise PermissionDenied(_("Only the customer files a complaint from their portal."))
    if len(attachments) > MAX_CUSTOMER_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Add at most %(max)s files.") % {"max": MAX_CUSTOMER_ATTACHMENTS}}
        )
    branch = order.branch if order is not None else _usual_branch(customer)
    complaint = _record(
        agency=customer.agency,
        actor=actor,
        intake=Intake(
            branch=branch,
            customer=customer,
            order=order,
            channel=ComplaintChannel.PORTAL,
            category=category,
            description=description,
            desired_outcome=desired_outcome,
        ),
        attachments=attachments,
        submission_key=submission_key,
    )
    if order is not None:
        note(
            order,
            actor=actor,
            text=_("The customer filed complaint %(number)s.") % {"number": complaint.number},
        )
    return complaint


def _usual_branch(customer: Customer) -> Branch:
    """The branch of the customer's latest order, else the agency's first open one."""
    latest = customer.orders.order_by("-starts_at").select_related("branch").first()
    if latest is not None:
        return latest.branch
    return Branch.objects.filter(agency_id=customer.agency_id, is_active=True).order_by("id")[0]


def _record(
    *,
    agency: Agency,
    actor: Actor,
    intake: Intake,
    attachments: Iterable[UploadedFile],
    submission_key: uuid.UUID | None,
) -> Complaint:
    refuse_repeat(Complaint.objects.filter(agency=agency), submission_key, _taken)
    now = timezone.now()
    received = intake.received_at or now
    errors = _intake_errors(agency, intake, received=received, now=now)
    if errors:
        raise ValidationError(errors)
    year = received.astimezone(agency.zone).year
    complaint = Complaint(
        agency=agency,
        number=f"{year}-C{next_number(agency=agency, kind='complaint', year=year):04d}",
        branch=intake.branch,
        customer=intake.customer,
        order=intake.order,
        staff=intake.staff,
        channel=intake.channel,
        category=intake.category,
        tier=intake.tier or SUGGESTED_TIER.get(intake.category, Tier.SOFT),
        severity=intake.severity,
        description=intake.description.strip(),
        desired_outcome=intake.desired_outcome.strip(),
        received_at=received,
        taken_by=actor.user,
        owner=intake.owner or actor.user,
        submission_key=submission_key,
    )
    complaint.full_clean(exclude=["submission_key"])
    save_once(complaint, Complaint.objects.filter(agency=agency), _taken)
    for upload in attachments:
        attach(complaint, actor=actor, file=upload)
    taken = record_event(complaint, EventKind.TAKEN, actor=actor, text=complaint.description)
    complaint_received(complaint, event=taken)
    open_deadlines(complaint, start=received)
    open_repair_deadlines(complaint, start=received)
    if intake.reply_by is not None:
        promise_reply(complaint, actor=actor, reply_by=intake.reply_by)
    courtesy_hold_follow(complaint)
    if complaint.order is not None:
        # A low score turned into this complaint: the complaint now owns that follow-up.
        low_score_close_for_complaint(
            order=complaint.order, actor=actor, complaint_number=complaint.number
        )
    customer_flag_special_attention(
        customer=complaint.customer,
        actor=actor,
        reason=_("Complaint %(number)s") % {"number": complaint.number},
        link=link_of(complaint),
    )
    if complaint.severity == Severity.MAJOR:
        report_major(complaint)
    record_audit(complaint, actor, "complaint.take", {"tier": complaint.tier})
    return complaint


def _taken(earlier: Complaint) -> str:
    return _("This complaint was taken already as %(number)s.") % {"number": earlier.number}


def _intake_errors(
    agency: Agency, intake: Intake, *, received: datetime, now: datetime
) -> dict[str, str]:
    errors = {}
    for name in ("branch", "customer", "order", "staff"):
        value = getattr(intake, name)
        if value is not None and value.agency_id != agency.pk:
            errors[name] = _("Choose one of this agency.")
    if intake.order is not None and intake.order.customer_id != intake.customer.pk:
        errors["order"] = _("This order is not the customer's.")
    if not intake.description.strip():
        errors["description"] = _("Say what happened.")
    if intake.category not in Category.values:
        errors["category"] = _("Choose what the complaint is about.")
    if received > now:
        errors["received_at"] = _("A complaint cannot be received in the future.")
    if error := owner_error(agency, intake.owner):
        errors["owner"] = error
    return errors
