"""Every write of the staff app: keyword-only, one transaction each, audited.

Rules come from DESIGN.md ("Who uses it", "Staff and assignment"). Bad input is a
ValidationError keyed by the field it is about, so a form shows it next to the field
and the API answers 400 with it; nothing is written then. A refused role is a
PermissionDenied (403 in the API).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Model
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.errors import StateConflict
from agency.models import Agency, Branch, Membership, Role, User
from agency.permissions import Area, can, require
from staff.models import (
    Certificate,
    EmploymentStatus,
    Penalty,
    StaffMember,
    StaffSkill,
    TimeOff,
    TimeOffStatus,
    Training,
    WorkingHours,
)

STAFF_FIELDS = (
    "home_branch",
    "user",
    "name",
    "photo",
    "gender",
    "birth_year",
    "languages",
    "years_experience",
    "districts",
    "accepts_live_in",
    "status",
    "started_on",
    "left_on",
    "phone",
    "emergency_contact",
    "notes",
)
CERTIFICATE_FIELDS = ("kind", "number", "issued_on", "expires_on", "scan")
TRAINING_FIELDS = ("kind", "course", "held_on", "hours", "score", "result")

#: The youngest a person may be to work (Chinese labour law: 16).
MINIMUM_WORKING_AGE = 16
MAX_SCORE = Decimal(100)
SKILL_CODE = re.compile(r"^[-a-z0-9_]+$")
PHONE = re.compile(r"^\+?[0-9]{6,20}$")


class TimeOffStateConflict(StateConflict):
    """The time off was already decided (409 in the API)."""


def normalise_phone(raw: str) -> str:
    """Digits (and a leading +) only, so "159 0000-0001" and "15900000001" are one phone."""
    raw = raw.strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    return f"+{digits}" if raw.startswith("+") else digits


# --- staff members ---------------------------------------------------------------


@transaction.atomic
def staff_create(
    *,
    agency: Agency,
    actor: Actor,
    home_branch: Branch,
    name: str,
    gender: str,
    phone: str,
    started_on: date,
    user: User | None = None,
    photo: File | None = None,
    birth_year: int | None = None,
    languages: Iterable[str] = (),
    years_experience: int = 0,
    districts: Iterable[str] = (),
    accepts_live_in: bool = False,
    status: str = EmploymentStatus.ACTIVE,
    left_on: date | None = None,
    emergency_contact: str = "",
    notes: str = "",
) -> StaffMember:
    """Take on a staff member (服务人员资料).

    The home branch and the login belong to the agency (the login to one of its
    field staff); the phone is unique among the agency's staff; a photo must be
    a real image.
    """
    staff = StaffMember(
        agency=agency,
        home_branch=home_branch,
        user=user,
        name=name.strip(),
        photo=photo or "",
        gender=gender,
        birth_year=birth_year,
        languages=_clean_list(languages),
        years_experience=years_experience,
        districts=_clean_list(districts),
        accepts_live_in=accepts_live_in,
        status=status,
        started_on=started_on,
        left_on=left_on,
        phone=normalise_phone(phone),
        emergency_contact=emergency_contact,
        notes=notes,
    )
    _validate(staff, _staff_errors(staff))
    staff.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="staff.create",
        target=staff,
        changes=_masked(changes_between({}, snapshot(staff, STAFF_FIELDS))),
    )
    return staff


@transaction.atomic
def staff_update(*, staff: StaffMember, actor: Actor, **fields: Any) -> StaffMember:
    """Change a staff member's record; only what really changed is saved and audited.

    `photo` is a new upload, or "" (or None) to remove the photo. A replaced
    photo is deleted from storage once the change is committed.
    """
    _only(fields, STAFF_FIELDS, "staff_update")
    current = _lock(staff)
    before = snapshot(current, STAFF_FIELDS)
    old_photo = current.photo.name
    new_photo = fields.pop("photo", current.photo)
    if new_photo is None or new_photo is False:
        new_photo = ""
    for name, value in fields.items():
        if name in {"languages", "districts"}:
            value = _clean_list(value)
        elif name == "phone":
            value = normalise_phone(value)
        elif name == "name":
            value = value.strip()
        setattr(current, name, value)
    photo_uploaded = _is_upload(new_photo)
    if photo_uploaded or new_photo == "":
        current.photo = new_photo
    _validate(current, _staff_errors(current))
    changes = changes_between(before, snapshot(current, STAFF_FIELDS))
    if changes or photo_uploaded:
        changes = _save_with_file(current, "photo", old_photo, photo_uploaded, changes)
        audit_record(
            agency=current.agency,
            actor=actor,
            action="staff.update",
            target=current,
            changes=_masked(changes),
        )
    return current


def _staff_errors(staff: StaffMember) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if staff.home_branch_id is not None and staff.home_branch.agency_id != staff.agency_id:
        errors["home_branch"] = [_("Choose a branch of this agency.")]
    if (
        staff.user_id is not None
        and not Membership.objects.filter(
            agency_id=staff.agency_id, user_id=staff.user_id, role=Role.STAFF, is_active=True
        ).exists()
    ):
        errors["user"] = [_("Choose the login of a field staff member of this agency.")]
    if staff.phone and not PHONE.match(staff.phone):
        errors["phone"] = [_("Enter a phone number of 6 to 20 digits, optionally starting with +.")]
    elif staff.phone:
        twin = (
            StaffMember.objects.filter(agency_id=staff.agency_id, phone=staff.phone)
            .exclude(pk=staff.pk)
            .first()
        )
        if twin is not None:
            errors["phone"] = [_("%(name)s already has this phone number.") % {"name": twin.name}]
    if staff.status == EmploymentStatus.LEFT and staff.left_on is None:
        errors["left_on"] = [_("Enter the date the person left.")]
    elif staff.left_on and staff.started_on and staff.left_on < staff.started_on:
        errors["left_on"] = [_("The leaving date cannot be before the start date.")]
    youngest = timezone.localdate().year - MINIMUM_WORKING_AGE
    if staff.birth_year and staff.birth_year > youngest:
        errors["birth_year"] = [
            _("A staff member must be at least %(age)s years old.") % {"age": MINIMUM_WORKING_AGE}
        ]
    return errors


@transaction.atomic
def staff_skills_set(*, staff: StaffMember, actor: Actor, skills: Mapping[str, int]) -> None:
    """Make the staff member's skills exactly `skills` (code → level 1 to 5).

    Skills not named are removed, new ones added, changed levels updated. The
    codes are those service types require (`ServiceType.required_skills`).
    """
    _lock(staff)
    problems = []
    wanted: dict[str, int] = {}
    for raw_code, level in skills.items():
        code = raw_code.strip().lower()
        if not SKILL_CODE.match(code):
            problems.append(
                _("“%(code)s” is not a skill code: use lower-case letters, digits and hyphens.")
                % {"code": raw_code}
            )
        elif not isinstance(level, int) or not 1 <= level <= 5:
            problems.append(_("The level of %(code)s must be from 1 to 5.") % {"code": code})
        else:
            wanted[code] = level
    if problems:
        raise ValidationError({"skills": problems})
    existing = {skill.code: skill for skill in StaffSkill.objects.filter(staff=staff)}
    changes: dict[str, list[Any]] = {}
    for code, skill in existing.items():
        if code not in wanted:
            skill.delete()
            changes[code] = [skill.level, None]
        elif skill.level != wanted[code]:
            changes[code] = [skill.level, wanted[code]]
            skill.level = wanted[code]
            skill.full_clean()
            skill.save(update_fields=["level"])
    for code, level in wanted.items():
        if code not in existing:
            skill = StaffSkill(agency_id=staff.agency_id, staff=staff, code=code, level=level)
            skill.full_clean()
            skill.save()
            changes[code] = [None, level]
    if changes:
        audit_record(
            agency=staff.agency, actor=actor, action="staff.skills", target=staff, changes=changes
        )


@transaction.atomic
def staff_record_rating(
    *, staff: StaffMember, score: int | Decimal, actor: Actor | None = None
) -> StaffMember:
    """Fold one customer's satisfaction score (1 to 5) into the staff member's mean rating.

    Feedback hands the score down here (DESIGN.md, "Architecture"); matching
    reads `rating` and `rating_count`. The row is locked so that two scores
    arriving together are both counted.
    """
    try:
        score = Decimal(str(score))
    except InvalidOperation:
        score = Decimal(0)
    if not Decimal(1) <= score <= Decimal(5):
        raise ValidationError({"score": _("A score is from 1 to 5.")})
    current = _lock(staff)
    total = (current.rating or Decimal(0)) * current.rating_count + score
    before = [str(current.rating) if current.rating is not None else None, current.rating_count]
    current.rating_count += 1
    current.rating = (total / current.rating_count).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )
    current.save(update_fields=["rating", "rating_count"])
    audit_record(
        agency=current.agency,
        actor=actor or Actor.system(),
        action="staff.rating",
        target=current,
        changes={
            "rating": [before[0], str(current.rating)],
            "rating_count": [before[1], current.rating_count],
        },
    )
    return current


@transaction.atomic
def staff_record_penalty(
    *, staff: StaffMember, actor: Actor, amount: Decimal, reason: str, source: str, link: str = ""
) -> Penalty:
    """A penalty on the staff record (e.g. an upheld complaint), once per `source`.

    Complaints hand the fact down here (DESIGN.md, "Architecture").
    """
    if actor.user is None:
        raise PermissionDenied(_("A person records a penalty."))
    penalty, created = Penalty.objects.get_or_create(
        agency_id=staff.agency_id,
        source=source,
        defaults={
            "staff": staff,
            "amount": amount,
            "reason": reason.strip()[:300],
            "link": link[:300],
            "recorded_by": actor.user,
        },
    )
    if created:
        audit_record(
            agency=staff.agency,
            actor=actor,
            action="staff.penalty",
            target=staff,
            changes={"amount": str(amount), "reason": penalty.reason},
        )
    return penalty


# --- certificates and trainings ------------------------------------------------------


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
    _validate(certificate, _certificate_errors(certificate, staff.agency))
    certificate.save()
    audit_record(
        agency=staff.agency,
        actor=actor,
        action="certificate.add",
        target=staff,
        changes=changes_between({}, snapshot(certificate, CERTIFICATE_FIELDS)),
    )
    return certificate


@transaction.atomic
def certificate_update(*, certificate: Certificate, actor: Actor, **fields: Any) -> Certificate:
    """Correct or renew a certificate; a new scan replaces the old one (deleted after commit)."""
    _only(fields, CERTIFICATE_FIELDS, "certificate_update")
    current = Certificate.objects.select_for_update().get(
        pk=certificate.pk, agency_id=certificate.agency_id
    )
    before = snapshot(current, CERTIFICATE_FIELDS)
    old_scan = current.scan.name
    new_scan = fields.pop("scan", current.scan)
    for name, value in fields.items():
        setattr(current, name, value.strip() if name == "number" else value)
    scan_uploaded = _is_upload(new_scan)
    if scan_uploaded or new_scan in ("", None, False):
        current.scan = new_scan or ""
    _validate(
        current,
        _certificate_errors(current, current.agency),
    )
    changes = changes_between(before, snapshot(current, CERTIFICATE_FIELDS))
    if changes or scan_uploaded:
        changes = _save_with_file(current, "scan", old_scan, scan_uploaded, changes)
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
    _validate(training, errors)
    training.save()
    audit_record(
        agency=staff.agency,
        actor=actor,
        action="training.add",
        target=staff,
        changes=changes_between({}, snapshot(training, TRAINING_FIELDS)),
    )
    return training


# --- availability ---------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingBlock:
    """One block of a weekly pattern: weekday 0 (Monday) to 6, from `starts` until `ends`."""

    weekday: int
    starts: time
    ends: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.starts:%H:%M}–{self.ends:%H:%M}"


@transaction.atomic
def working_hours_set(
    *, staff: StaffMember, actor: Actor, blocks: Iterable[WorkingBlock]
) -> list[WorkingHours]:
    """Replace the weekly working pattern as a whole (matching reads it for availability).

    Each block ends after it starts, and blocks of one weekday do not overlap;
    otherwise nothing changes. An empty pattern is allowed (not working now).
    """
    wanted = sorted(blocks, key=lambda b: (b.weekday, b.starts, b.ends))
    problems = []
    for block in wanted:
        if not 0 <= block.weekday <= 6:
            problems.append(_("A weekday is from 0 (Monday) to 6 (Sunday)."))
        elif block.ends <= block.starts:
            problems.append(
                _("%(weekday)s: the end must be after the start (%(block)s).")
                % {"weekday": WEEKDAYS[block.weekday], "block": _block_times(block)}
            )
    if not problems:
        for earlier, later in pairwise(wanted):
            if earlier.weekday == later.weekday and later.starts < earlier.ends:
                problems.append(
                    _("%(weekday)s: %(first)s overlaps %(second)s.")
                    % {
                        "weekday": WEEKDAYS[earlier.weekday],
                        "first": _block_times(earlier),
                        "second": _block_times(later),
                    }
                )
    if problems:
        raise ValidationError({"blocks": problems})
    _lock(staff)
    current = list(WorkingHours.objects.filter(staff=staff).order_by("weekday", "starts"))
    before = "; ".join(str(WorkingBlock(h.weekday, h.starts, h.ends)) for h in current)
    WorkingHours.objects.filter(staff=staff).delete()
    rows = [
        WorkingHours(agency_id=staff.agency_id, staff=staff, **asdict(block)) for block in wanted
    ]
    for row in rows:
        row.full_clean()
    created = WorkingHours.objects.bulk_create(rows)
    after = "; ".join(str(block) for block in wanted)
    if before != after:
        audit_record(
            agency=staff.agency,
            actor=actor,
            action="staff.working_hours",
            target=staff,
            changes={"pattern": [before, after]},
        )
    return created


def _block_times(block: WorkingBlock) -> str:
    return f"{block.starts:%H:%M}–{block.ends:%H:%M}"


@transaction.atomic
def time_off_request(
    *, staff: StaffMember, actor: Actor, starts: datetime, ends: datetime, reason: str
) -> TimeOff:
    """Request time off (请假), by the office or by the staff member through their own login.

    A request that overlaps time off already requested or approved is refused;
    a supervisor or manager then approves or rejects it.
    """
    user = actor.user
    is_self = (
        user is not None
        and staff.user_id == user.pk
        and can(actor, Area.MY_JOBS, agency_id=staff.agency_id)
    )
    if not is_self:
        require(
            actor,
            Area.STAFF,
            agency_id=staff.agency_id,
            message=_("Only the office or the staff member themselves may request time off."),
        )
    errors: dict[str, list[str]] = {}
    if starts and ends and ends <= starts:
        errors["ends"] = [_("The end must be after the start.")]
    _lock(staff)
    if not errors:
        clash = _overlapping(staff, starts, ends, (TimeOffStatus.REQUESTED, TimeOffStatus.APPROVED))
        if clash is not None:
            errors["starts"] = [
                _("This overlaps time off already %(status)s: %(period)s.")
                % {"status": clash.get_status_display().lower(), "period": period_text(clash)}
            ]
    time_off = TimeOff(
        agency_id=staff.agency_id,
        staff=staff,
        period=DateTimeTZRange(starts, ends, "[)"),
        reason=reason.strip(),
        status=TimeOffStatus.REQUESTED,
    )
    _validate(time_off, errors)
    time_off.save()
    audit_record(
        agency=staff.agency,
        actor=actor,
        action="time_off.request",
        target=staff,
        changes={"time_off": time_off.pk, "period": period_text(time_off), "reason": reason},
    )
    return time_off


@transaction.atomic
def time_off_approve(*, time_off: TimeOff, actor: Actor) -> TimeOff:
    """A supervisor or manager approves requested time off (DESIGN.md, "Who uses it").

    Two approved absences of one person never overlap: checked here for a
    clear message, and by the exclusion constraint `time_off_approved_do_not_overlap`
    against a concurrent approval.
    """
    current = _decidable(time_off, actor)
    clash = _overlapping(
        current.staff,
        current.period.lower,
        current.period.upper,
        (TimeOffStatus.APPROVED,),
        exclude=current.pk,
    )
    if clash is not None:
        raise ValidationError({"period": _overlap_message(clash)})
    current.status = TimeOffStatus.APPROVED
    current.decided_by = actor.user
    current.decided_at = timezone.now()
    try:
        with transaction.atomic():
            current.save(update_fields=["status", "decided_by", "decided_at"])
    except IntegrityError:
        raise ValidationError(
            {"period": _("This overlaps other approved time off of the same person.")}
        ) from None
    _audit_decision(current, actor, "time_off.approve", note="")
    return current


@transaction.atomic
def time_off_reject(*, time_off: TimeOff, actor: Actor, note: str = "") -> TimeOff:
    """A supervisor or manager rejects requested time off; the note says why (audit log)."""
    current = _decidable(time_off, actor)
    current.status = TimeOffStatus.REJECTED
    current.decided_by = actor.user
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at"])
    _audit_decision(current, actor, "time_off.reject", note=note)
    return current


def period_text(time_off: TimeOff) -> str:
    """The period in the agency's time zone, as a dispatcher reads it."""
    zone = time_off.agency.zone
    lower = time_off.period.lower.astimezone(zone)
    upper = time_off.period.upper.astimezone(zone)
    return f"{lower:%Y-%m-%d %H:%M} – {upper:%Y-%m-%d %H:%M}"


def _decidable(time_off: TimeOff, actor: Actor) -> TimeOff:
    require(
        actor,
        Area.STAFF_DECISIONS,
        agency_id=time_off.agency_id,
        message=_("Only a supervisor or a manager may approve or reject time off."),
    )
    # The staff row first, as time_off_request does: one order of locks, no deadlock.
    StaffMember.objects.select_for_update().get(pk=time_off.staff_id)
    current = (
        TimeOff.objects.select_for_update(of=("self",))
        .select_related("agency", "staff")
        .get(pk=time_off.pk, agency_id=time_off.agency_id)
    )
    if current.status != TimeOffStatus.REQUESTED:
        raise TimeOffStateConflict(
            _("This time off was already %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    return current


def _audit_decision(time_off: TimeOff, actor: Actor, action: str, *, note: str) -> None:
    changes: dict[str, Any] = {
        "time_off": time_off.pk,
        "status": [TimeOffStatus.REQUESTED.value, time_off.status],
        "period": period_text(time_off),
    }
    if note:
        changes["note"] = note
    audit_record(
        agency=time_off.agency, actor=actor, action=action, target=time_off.staff, changes=changes
    )


def _overlapping(
    staff: StaffMember,
    starts: datetime,
    ends: datetime,
    statuses: tuple[str, ...],
    *,
    exclude: int | None = None,
) -> TimeOff | None:
    found = TimeOff.objects.filter(
        agency_id=staff.agency_id,
        staff=staff,
        status__in=statuses,
        period__overlap=DateTimeTZRange(starts, ends, "[)"),
    )
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.select_related("agency").order_by("period").first()


def _overlap_message(clash: TimeOff) -> str:
    return _("This overlaps approved time off of the same person: %(period)s.") % {
        "period": period_text(clash)
    }


# --- helpers ---------------------------------------------------------------------------


def _lock(staff: StaffMember) -> StaffMember:
    """The staff row, locked until the transaction ends: changes to one person queue here."""
    return (
        StaffMember.objects.select_for_update(of=("self",))
        .select_related("agency", "home_branch")
        .get(pk=staff.pk, agency_id=staff.agency_id)
    )


def _validate(instance: Model, errors: dict[str, list[str]]) -> None:
    """The model's own checks plus the service's, reported together and by field."""
    try:
        instance.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            # A check constraint repeats, without a field, what a check above said on one.
            if field == NON_FIELD_ERRORS and errors:
                continue
            if field not in errors:
                errors[field] = messages
    if errors:
        raise ValidationError(errors)


def _only(fields: Mapping[str, Any], allowed: tuple[str, ...], service: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{service} cannot change {sorted(unknown)}")


def _is_upload(value: Any) -> bool:
    """A file just uploaded (not yet stored), as opposed to the stored one or none."""
    return isinstance(value, File) and bool(value) and not getattr(value, "_committed", False)


def _clean_list(values: Iterable[str]) -> list[str]:
    """Stripped, without blanks or repeats, in the order given."""
    seen: dict[str, None] = {}
    for value in values:
        if value and value.strip():
            seen.setdefault(value.strip(), None)
    return list(seen)


def _masked(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Phones are recorded masked: the audit log is read more widely than staff records."""
    return {
        name: (["***" if v else v for v in values] if name == "phone" else values)
        for name, values in changes.items()
    }


def _save_with_file(
    instance: Any, field: str, old_name: str | None, uploaded: bool, changes: dict[str, Any]
) -> dict[str, Any]:
    """Save the changed fields; a replaced or removed file is recorded old → new and deleted."""
    if uploaded:
        changes[field] = [old_name or None, "(new)"]  # in update_fields, so the file is stored
    instance.save(update_fields=list(changes))
    if field in changes:
        changes[field] = [old_name or None, getattr(instance, field).name or None]
        _delete_after_commit(getattr(instance, field).storage, old_name)
    return changes


def _delete_after_commit(storage: Any, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))
