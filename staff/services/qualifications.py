"""Certificates (证书) with their expiry, and trainings (培训) and assessments (考核)."""

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency
from staff.models import Certificate, StaffMember, Training
from staff.services.saving import is_upload, only_fields, save_with_file, validate

CERTIFICATE_FIELDS = ("kind", "number", "issued_on", "expires_on", "scan")
TRAINING_FIELDS = ("kind", "course", "held_on", "hours", "score", "result")

MAX_SCORE = Decimal(100)

QualificationT = TypeVar("QualificationT", Certificate, Training)


@transaction.atomic
def certificate_add(
    *,
    staff: StaffMember,
    actor: Actor,
    kind: str,
    issued_on: date,
    number: str = "",
    expires_on: date | None = None,
    scan: File | None = None,
) -> Certificate:
    """Record a certificate (证书): issued not in the future, expiring after issue.

    The scan must really be a PDF or an image.
    """
    certificate = Certificate(
        agency_id=staff.agency_id,
        staff=staff,
        kind=kind,
        number=number.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        scan=scan or "",
    )
    errors = _certificate_errors(certificate, staff.agency)
    return _add_to_record(
        certificate, errors, actor=actor, action="certificate.add", audited=CERTIFICATE_FIELDS
    )


@transaction.atomic
def certificate_update(*, certificate: Certificate, actor: Actor, **fields: Any) -> Certificate:
    """Correct or renew a certificate; a new scan replaces the old one (deleted after commit)."""
    only_fields(fields, CERTIFICATE_FIELDS, "certificate_update")
    current = Certificate.objects.select_for_update().get(
        pk=certificate.pk, agency_id=certificate.agency_id
    )
    before = snapshot(current, CERTIFICATE_FIELDS)
    old_scan = current.scan.name
    new_scan = fields.pop("scan", current.scan)
    for name, value in fields.items():
        setattr(current, name, value.strip() if name == "number" else value)
    scan_uploaded = is_upload(new_scan)
    if scan_uploaded or new_scan in ("", None, False):
        current.scan = new_scan or ""
    validate(
        current,
        _certificate_errors(current, current.agency),
    )
    changes = changes_between(before, snapshot(current, CERTIFICATE_FIELDS))
    if changes or scan_uploaded:
        changes = save_with_file(current, "scan", old_scan, scan_uploaded, changes)
        audit_record(
            agency=current.agency,
            actor=actor,
            action="certificate.update",
            target=current.staff,
            changes={"certificate": current.pk, **changes},
        )
    return current


def _certificate_errors(certificate: Certificate, agency: Agency) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    issued, expires = certificate.issued_on, certificate.expires_on
    if isinstance(issued, date) and issued > agency.today():
        errors["issued_on"] = [_("A certificate cannot be issued in the future.")]
    if isinstance(issued, date) and isinstance(expires, date) and expires <= issued:
        errors["expires_on"] = [_("The expiry date must be after the issue date.")]
    return errors


@transaction.atomic
def training_add(
    *,
    staff: StaffMember,
    actor: Actor,
    kind: str,
    course: str,
    held_on: date,
    hours: Decimal = Decimal(0),
    score: Decimal | None = None,
    result: str = "",
) -> Training:
    """Record a training (培训) or an assessment (考核) once it has taken place.

    DESIGN.md asks for at least two a year per staff member; the staff list
    shows each person's count this year against that target.
    """
    training = Training(
        agency_id=staff.agency_id,
        staff=staff,
        kind=kind,
        course=course.strip(),
        held_on=held_on,
        hours=hours,
        score=score,
        result=result.strip(),
    )
    errors: dict[str, list[str]] = {}
    if isinstance(held_on, date) and held_on > staff.agency.today():
        errors["held_on"] = [_("Record a training once it has taken place.")]
    if hours is not None and hours < 0:
        errors["hours"] = [_("Hours cannot be negative.")]
    if score is not None and not Decimal(0) <= score <= MAX_SCORE:
        errors["score"] = [_("A score is from 0 to 100.")]
    return _add_to_record(
        training, errors, actor=actor, action="training.add", audited=TRAINING_FIELDS
    )


def _add_to_record(
    entry: QualificationT,
    errors: dict[str, list[str]],
    *,
    actor: Actor,
    action: str,
    audited: tuple[str, ...],
) -> QualificationT:
    """Save a new certificate or training once its checks pass, audited on the staff
    member (the target), so their history lists what was added to their record."""
    validate(entry, errors)
    entry.save()
    audit_record(
        agency=entry.staff.agency,
        actor=actor,
        action=action,
        target=entry.staff,
        changes=changes_between({}, snapshot(entry, audited)),
    )
    return entry
