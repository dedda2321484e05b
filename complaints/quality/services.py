"""Every write of quality inspections and the risk register.

DESIGN.md, "More of the agencies' rules": inspections are monthly self-checks,
quarterly checks and spot checks, scored per checklist item; the agency keeps a
risk register and emergency plans. Supervisors and managers inspect and keep the
checklists (Area.QUALITY); the manager keeps the register (Area.RISK_PLANS). Each
service is one transaction with an audit entry.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency, Branch, Membership, User
from agency.permissions import Area, require
from complaints.models import (
    Checklist,
    ChecklistItem,
    Inspection,
    InspectionKind,
    InspectionPhoto,
    InspectionPlan,
    InspectionScore,
    PlanKind,
    RiskDocument,
    RiskReviewReminder,
)
from messaging.rules import Event
from messaging.services import announce, office_recipient
from orders.models import Assignment, Order
from staff.models import StaffMember

CENT = Decimal("0.01")


def _require_quality(actor: Actor, agency: Agency) -> None:
    require(
        actor,
        Area.QUALITY,
        agency_id=agency.pk,
        message=_("Supervisors and managers keep the quality inspections."),
    )


def _require_risk_plans(actor: Actor, agency: Agency) -> None:
    require(
        actor,
        Area.RISK_PLANS,
        agency_id=agency.pk,
        message=_("The manager keeps the risk register."),
    )


@transaction.atomic
def checklist_create(
    *, agency: Agency, actor: Actor, name: str, items: Iterable[tuple[str, int]]
) -> Checklist:
    """A checklist with its items (label, maximum score), in the order given."""
    _require_quality(actor, agency)
    rows = [(label.strip(), max_score) for label, max_score in items if label.strip()]
    if not rows:
        raise ValidationError({"items": _("Add at least one item with its maximum score.")})
    checklist = Checklist(agency=agency, name=name.strip())
    checklist.full_clean()
    checklist.save()
    for position, (label, max_score) in enumerate(rows):
        item = ChecklistItem(
            agency=agency, checklist=checklist, label=label, max_score=max_score, position=position
        )
        item.full_clean()
        item.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="quality.checklist_create",
        target=checklist,
        changes={"items": [list(row) for row in rows]},
    )
    return checklist


@transaction.atomic
def checklist_update(
    *,
    agency: Agency,
    actor: Actor,
    checklist: Checklist,
    name: str,
    add_items: Iterable[tuple[str, int]] = (),
    retire_items: Iterable[ChecklistItem] = (),
) -> Checklist:
    """Rename a checklist, add items after the others, retire items.

    A retired item is no longer scored, but stays: past inspections keep their copied
    scores and maximums. A checklist keeps at least one item in use."""
    _require_quality(actor, agency)
    if checklist.agency_id != agency.pk:
        raise ValidationError(_("Choose a checklist of your agency."))
    rows = [(label.strip(), max_score) for label, max_score in add_items if label.strip()]
    retired = [item.pk for item in retire_items if item.checklist_id == checklist.pk]
    in_use = ChecklistItem.objects.filter(agency=agency, checklist=checklist, is_active=True)
    if not rows and not in_use.exclude(pk__in=retired).exists():
        raise ValidationError({"retire": _("Keep at least one item in use.")})
    before = checklist.name
    checklist.name = name.strip()
    checklist.full_clean()
    checklist.save(update_fields=["name"])
    in_use.filter(pk__in=retired).update(is_active=False)
    last = ChecklistItem.objects.filter(agency=agency, checklist=checklist).count()
    for position, (label, max_score) in enumerate(rows, start=last):
        item = ChecklistItem(
            agency=agency, checklist=checklist, label=label, max_score=max_score, position=position
        )
        try:
            item.full_clean()
        except ValidationError as error:
            raise ValidationError({"items": [f"{label}: {m}" for m in error.messages]}) from None
        item.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="quality.checklist_update",
        target=checklist,
        changes={
            "name": [before, checklist.name],
            "added": [list(r) for r in rows],
            "retired": retired,
        },
    )
    return checklist


@transaction.atomic
def plan_create(
    *,
    agency: Agency,
    actor: Actor,
    kind: str,
    starts_on: date,
    checklist: Checklist,
    jobs_planned: int,
    branch: Branch | None = None,
    staff: StaffMember | None = None,
    inspector: User | None = None,
) -> InspectionPlan:
    """A monthly or quarterly plan: how many jobs of a branch or of a staff member to inspect.

    The period starts on the first day of a month (a quarter: of January, April, July or
    October)."""
    _require_quality(actor, agency)
    errors: dict[str, str] = {}
    if (branch is None) == (staff is None):
        errors["branch"] = _("Plan for a branch or for one staff member.")
    first_months = (1, 4, 7, 10) if kind == PlanKind.QUARTERLY else range(1, 13)
    if starts_on.day != 1 or starts_on.month not in first_months:
        errors["starts_on"] = _("A plan starts on the first day of its month or quarter.")
    if errors:
        raise ValidationError(errors)
    plan = InspectionPlan(
        agency=agency,
        kind=kind,
        starts_on=starts_on,
        checklist=checklist,
        jobs_planned=jobs_planned,
        branch=branch,
        staff=staff,
        inspector=inspector,
    )
    plan.full_clean()
    plan.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="quality.plan_create",
        target=plan,
        changes={"kind": kind, "starts_on": starts_on.isoformat(), "jobs": jobs_planned},
    )
    return plan


@dataclass(frozen=True)
class Scoring:
    """What an inspector records of one job."""

    order: Order
    staff: StaffMember
    checklist: Checklist
    #: Score per checklist item id; every item of the checklist is scored.
    scores: Mapping[int, int]
    notes: str = ""
    plan: InspectionPlan | None = None


def _recorded(earlier: Inspection) -> str:
    return _("This inspection was already recorded.")


@transaction.atomic
def inspection_record(
    *,
    agency: Agency,
    actor: Actor,
    scoring: Scoring,
    photos: Iterable[UploadedFile] = (),
    submission_key: uuid.UUID | None = None,
) -> Inspection:
    """An inspected job: each item scored from 0 to its maximum, the total as a percentage.

    A score beyond an item's maximum, or an item left unscored, is refused by item
    (`scores` errors name the item). A plan's inspection counts toward it; without one
    it is a spot check.
    """
    user = require(
        actor,
        Area.QUALITY,
        agency_id=agency.pk,
        message=_("Supervisors and managers keep the quality inspections."),
    )
    refuse_repeat(Inspection.objects.filter(agency=agency), submission_key, _recorded)
    items = list(
        ChecklistItem.objects.filter(agency=agency, checklist=scoring.checklist, is_active=True)
    )
    problems = []
    for item in items:
        score = scoring.scores.get(item.pk)
        if score is None:
            problems.append(_("%(item)s: give a score.") % {"item": item.label})
        elif not 0 <= score <= item.max_score:
            problems.append(
                _("%(item)s: the score must be from 0 to %(max)s.")
                % {"item": item.label, "max": item.max_score}
            )
    unknown = set(scoring.scores) - {item.pk for item in items}
    if unknown:
        problems.append(_("Score only the items of the checklist."))
    errors: dict[str, list[str] | str] = {}
    if problems:
        errors["scores"] = problems
    if scoring.staff.agency_id != agency.pk or scoring.order.agency_id != agency.pk:
        errors["order"] = _("Choose a job of your agency.")
    elif not Assignment.objects.filter(
        agency=agency, order=scoring.order, staff=scoring.staff
    ).exists():
        errors["staff"] = _("This staff member is not assigned to the order.")
    if scoring.plan is not None and scoring.plan.checklist_id != scoring.checklist.pk:
        errors["checklist"] = _("Use the plan's checklist.")
    if not items:
        errors["checklist"] = _("This checklist has no items yet.")
    if errors:
        raise ValidationError(errors)
    total = sum(scoring.scores[item.pk] for item in items)
    out_of = sum(item.max_score for item in items)
    inspection = Inspection(
        agency=agency,
        kind=InspectionKind.SPOT if scoring.plan is None else scoring.plan.kind,
        plan=scoring.plan,
        order=scoring.order,
        branch_id=scoring.order.branch_id,
        staff=scoring.staff,
        checklist=scoring.checklist,
        inspector=user,
        inspected_at=timezone.now(),
        notes=scoring.notes.strip(),
        score=total,
        max_score=out_of,
        percent=(Decimal(100) * total / out_of).quantize(CENT),
        submission_key=submission_key,
    )
    inspection.full_clean(exclude=["submission_key"])
    save_once(inspection, Inspection.objects.filter(agency=agency), _recorded)
    InspectionScore.objects.bulk_create(
        InspectionScore(
            agency=agency,
            inspection=inspection,
            item=item,
            score=scoring.scores[item.pk],
            max_score=item.max_score,
        )
        for item in items
    )
    for upload in photos:
        photo = InspectionPhoto(
            agency=agency,
            inspection=inspection,
            file=upload,
            original_name=PurePath(upload.name or "").name[:255],
        )
        try:
            photo.full_clean()
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from None
        photo.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="quality.inspection_record",
        target=inspection,
        changes={"order": scoring.order.number, "percent": str(inspection.percent)},
    )
    return inspection


@dataclass(frozen=True)
class RiskPlan:
    """What the manager writes of a risk and its emergency plan."""

    kind: str
    title: str
    owner: User
    review_by: date
    plan_text: str = ""
    file: UploadedFile | None = None


@transaction.atomic
def risk_document_save(
    *, agency: Agency, actor: Actor, plan: RiskPlan, document: RiskDocument | None = None
) -> RiskDocument:
    """A new or revised emergency plan: its text and/or a PDF, an owner and a review date.

    A plan needs its text or its PDF. Moving the review date on is how a review is
    recorded; the reminder for the new date will come in its turn."""
    _require_risk_plans(actor, agency)
    if document is None:
        document = RiskDocument(agency=agency)
    elif document.agency_id != agency.pk:
        raise ValidationError(_("Choose a document of your agency."))
    before = {"review_by": str(document.review_by), "owner": document.owner_id}
    document.kind = plan.kind
    document.title = plan.title.strip()
    document.plan_text = plan.plan_text.strip()
    document.owner = plan.owner
    document.review_by = plan.review_by
    if plan.file is not None:
        document.file = plan.file
    if not document.plan_text and not document.file:
        raise ValidationError({"plan_text": _("Write the plan or upload it as a PDF.")})
    if not Membership.objects.filter(agency=agency, user=plan.owner, is_active=True).exists():
        raise ValidationError({"owner": _("The owner must be a member of your agency.")})
    document.full_clean()
    document.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="quality.risk_document_save",
        target=document,
        changes={
            "before": before,
            "review_by": plan.review_by.isoformat(),
            "owner": plan.owner.pk,
        },
    )
    return document


def risk_reviews_remind() -> int:
    """The daily sweep: each plan whose review date has come tells its owner once per date.

    The reminder row (unique per document and date) is written with the message in one
    transaction, so a repeated or concurrent run sends nothing twice. Reads only the
    documents due by the latest date any agency has reached, through the review_by index.
    """
    # No time zone is a day ahead of UTC by more than one: each agency's own today is
    # checked below.
    latest_today = timezone.now().date() + timedelta(days=1)
    due = (
        RiskDocument.objects.filter(review_by__lte=latest_today)
        .exclude(
            Exists(
                RiskReviewReminder.objects.filter(
                    document=OuterRef("pk"), review_by=OuterRef("review_by")
                )
            )
        )
        .select_related("agency", "owner")
        .order_by("review_by", "id")
    )
    sent = 0
    for document in due:
        if document.review_by > document.agency.today():
            continue
        with transaction.atomic():
            _reminder, created = RiskReviewReminder.objects.get_or_create(
                agency=document.agency, document=document, review_by=document.review_by
            )
            if not created:
                continue
            _announce_review(document)
            sent += 1
    return sent


def _announce_review(document: RiskDocument) -> None:
    def values(language: str) -> dict[str, str]:
        with translation.override(language):
            return {
                "document_title": document.title,
                "review_date": date_format(document.review_by, "DATE_FORMAT"),
            }

    announce(
        agency=document.agency,
        event=Event.RISK_REVIEW_DUE,
        key=f"risk-review:{document.pk}:{document.review_by.isoformat()}",
        context=values,
        office=[
            office_recipient(document.owner, agency=document.agency, link=reverse("risk_register"))
        ],
        topics=[f"risk:{document.pk}"],
    )
