"""The staff record (服务人员资料), skills and levels, and what higher apps hand down to
it: the rating from customer feedback, penalties from upheld complaints."""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency, Branch, Membership, Role, User
from agency.phones import normalise_phone
from staff.models import EmploymentStatus, Penalty, StaffMember, StaffSkill
from staff.services.saving import is_upload, lock_staff, only_fields, save_with_file, validate

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
    "notify_by_sms",
    "notify_in_app",
)

#: The youngest a person may be to work (Chinese labour law: 16).
MINIMUM_WORKING_AGE = 16
SKILL_CODE = re.compile(r"^[-a-z0-9_]+$")
PHONE = re.compile(r"^\+?[0-9]{6,20}$")


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
    notify_by_sms: bool = True,
    notify_in_app: bool = True,
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
        staff_number=next_staff_number(agency),
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
        notify_by_sms=notify_by_sms,
        notify_in_app=notify_in_app,
    )
    validate(staff, _staff_errors(staff))
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
    only_fields(fields, STAFF_FIELDS, "staff_update")
    current = lock_staff(staff)
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
    photo_uploaded = is_upload(new_photo)
    if photo_uploaded or new_photo == "":
        current.photo = new_photo
    validate(current, _staff_errors(current))
    changes = changes_between(before, snapshot(current, STAFF_FIELDS))
    if changes or photo_uploaded:
        changes = save_with_file(current, "photo", old_photo, photo_uploaded, changes)
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
    lock_staff(staff)
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
    current = lock_staff(staff)
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


def next_staff_number(agency: Agency) -> int:
    """The agency's next staff number (工号), under the agency's row lock: two people taken
    on at once get two numbers."""
    Agency.objects.select_for_update().filter(pk=agency.pk).values("pk").get()
    latest = StaffMember.objects.filter(agency=agency).aggregate(latest=Max("staff_number"))
    return (latest["latest"] or 0) + 1


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
