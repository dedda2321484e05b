"""Demo staff for `manage.py seed_demo`: idempotent, safe to run twice.

About twelve staff per demo agency across its two branches, with skills for
the demo catalogue (orders/demo/catalogue.py), certificates (one expiring within 30
days), trainings, a working pattern and one time-off request to decide. The
demo login `<agency>.staff` is linked to the first staff member.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from agency.demo import in_language
from agency.models import Agency, Branch, User
from staff.models import (
    Certificate,
    CertificateKind,
    Gender,
    StaffMember,
    StaffSkill,
    TimeOff,
    TimeOffStatus,
    Training,
    TrainingKind,
    WorkingHours,
)
from staff.services.records import next_staff_number

F, M = Gender.FEMALE, Gender.MALE


@dataclass(frozen=True)
class DemoStaff:
    name: str
    gender: str
    born: int
    years: int
    skills: dict[str, int]
    certificates: tuple[str, ...]
    districts: tuple[str, ...]
    languages: tuple[str, ...] = ("普通话",)
    live_in: bool = False
    trained: bool = False


# One certificate of each kind a skill calls for (the catalogue's `required_certificates`).
SKILL_CERTIFICATES = {
    "postpartum": CertificateKind.MATERNITY_NURSE,
    "childcare": CertificateKind.CHILDCARE,
    "repair": CertificateKind.ELECTRICIAN,
    "elderly-care": CertificateKind.ELDERLY_CARE,
}

STAFF = [
    DemoStaff("王秀兰", F, 1978, 12, {"postpartum": 5, "childcare": 4}, ("health",),
              ("朝阳区", "东城区"), live_in=True, trained=True),
    DemoStaff("李桂芳", F, 1982, 8, {"cleaning": 5, "deep-cleaning": 4}, ("health",),
              ("朝阳区", "东城区"), trained=True),
    DemoStaff("张丽", F, 1990, 4, {"cleaning": 4}, ("health",), ("朝阳区",)),
    DemoStaff("刘芳", F, 1985, 9, {"childcare": 5, "cleaning": 3}, ("health",),
              ("海淀区", "西城区"), languages=("普通话", "四川话"), trained=True),
    DemoStaff("陈静", F, 1975, 15, {"elderly-care": 5, "cleaning": 3}, ("health",),
              ("西城区", "东城区")),
    DemoStaff("杨敏", F, 1988, 6, {"postpartum": 4}, ("health",), ("海淀区",),
              languages=("普通话", "粤语"), live_in=True),
    DemoStaff("赵强", M, 1980, 10, {"repair": 5, "deep-cleaning": 3}, ("health",),
              ("朝阳区", "海淀区", "东城区", "西城区"), trained=True),
    DemoStaff("黄建国", M, 1972, 20, {"repair": 4}, ("health",), ("海淀区", "西城区")),
    DemoStaff("周红梅", F, 1983, 7, {"cleaning": 4, "elderly-care": 4}, ("health",),
              ("东城区",)),
    DemoStaff("吴小燕", F, 1995, 2, {"cleaning": 3}, ("health",), ("海淀区",)),
    DemoStaff("徐春花", F, 1979, 11, {"deep-cleaning": 5, "cleaning": 5}, ("health",),
              ("朝阳区", "海淀区")),
    DemoStaff("孙丽娟", F, 1986, 5, {"childcare": 4, "elderly-care": 3}, ("health",),
              ("西城区", "朝阳区"), trained=True),
]  # fmt: skip

#: The English agency's words for the Chinese ones above (Beijing districts become Shanghai's).
IN_ENGLISH = {
    "王秀兰": "Wang Xiulan", "李桂芳": "Li Guifang", "张丽": "Zhang Li", "刘芳": "Liu Fang",
    "陈静": "Chen Jing", "杨敏": "Yang Min", "赵强": "Zhao Qiang", "黄建国": "Huang Jianguo",
    "周红梅": "Zhou Hongmei", "吴小燕": "Wu Xiaoyan", "徐春花": "Xu Chunhua",
    "孙丽娟": "Sun Lijuan",
    "朝阳区": "Pudong", "海淀区": "Xuhui", "东城区": "Huangpu", "西城区": "Jing'an",
    "普通话": "Mandarin", "四川话": "Sichuanese", "粤语": "Cantonese",
}  # fmt: skip


def _words(agency: Agency, words: tuple[str, ...]) -> list[str]:
    return [in_language(agency, word, IN_ENGLISH[word]) for word in words]


#: The staff member (by index) behind the demo login `<agency>.staff`: a cleaner at the
#: first branch, whose health certificate is the one running out (her page shows it).
LOGIN = 2
#: Phones by agency, so the two agencies' staff never share a number.
PHONE_PREFIX = {"anxin": "1591000", "sunrise": "1592000"}
#: Staff (by index) whose health certificate runs out within 30 days.
EXPIRING = 2
#: Staff (by index) with a day off to decide on.
ASKS_TIME_OFF = 4
#: Staff (by index) who works weekdays 09:00–15:00; the others Monday to Saturday 08:00–18:00.
PART_TIME = 9
WORKED = range(6)
FROM, UNTIL = time(8), time(18)


@transaction.atomic
def seed() -> None:
    for agency in Agency.objects.filter(slug__in=PHONE_PREFIX):
        branches = list(Branch.objects.filter(agency=agency).order_by("code"))
        login = User.objects.filter(username=f"{agency.slug}.staff").first()
        today = agency.today()
        for index, spec in enumerate(STAFF):
            staff = _staff(
                agency,
                spec,
                phone=f"{PHONE_PREFIX[agency.slug]}{index:04d}",
                branch=branches[index % len(branches)],
                user=login if index == LOGIN else None,
            )
            _skills(staff, spec)
            _certificates(staff, spec, today=today, expiring=index == EXPIRING)
            if spec.trained:
                _training(staff, today=today)
            _working_pattern(staff, part_time=index == PART_TIME)
            if index == ASKS_TIME_OFF:
                _time_off(staff, today=today)


def _staff(
    agency: Agency, spec: DemoStaff, *, phone: str, branch: Branch, user: User | None
) -> StaffMember:
    if user is not None:
        # A login belongs to one staff member: free it if a rerun moved it.
        StaffMember.objects.filter(user=user).exclude(agency=agency, phone=phone).update(user=None)
    staff, _ = StaffMember.objects.update_or_create(
        agency=agency,
        phone=phone,
        defaults={
            "home_branch": branch,
            **({"user": user} if user is not None else {}),
            "name": in_language(agency, spec.name, IN_ENGLISH[spec.name]),
            "gender": spec.gender,
            "birth_year": spec.born,
            "languages": _words(agency, spec.languages),
            "years_experience": spec.years,
            "districts": _words(agency, spec.districts),
            "accepts_live_in": spec.live_in,
            "started_on": date(2026 - min(spec.years, 6), 3, 1),
        },
    )
    if staff.staff_number is None:
        staff.staff_number = next_staff_number(agency)
        staff.save(update_fields=["staff_number"])
    return staff


def _skills(staff: StaffMember, spec: DemoStaff) -> None:
    for code, level in spec.skills.items():
        StaffSkill.objects.update_or_create(
            agency_id=staff.agency_id, staff=staff, code=code, defaults={"level": level}
        )


def _certificates(staff: StaffMember, spec: DemoStaff, *, today: date, expiring: bool) -> None:
    kinds = [CertificateKind(kind) for kind in spec.certificates]
    kinds += [SKILL_CERTIFICATES[code] for code in spec.skills if code in SKILL_CERTIFICATES]
    for number, kind in enumerate(dict.fromkeys(kinds), start=1):
        issued = date(today.year - 1, 4, 1)
        expires: date | None
        # A health certificate is renewed yearly; the one due soon shows on the expiry list.
        if kind == CertificateKind.HEALTH:
            expires = today + timedelta(days=20) if expiring else date(today.year + 1, 4, 1)
        else:
            expires = None if kind == CertificateKind.ELECTRICIAN else date(today.year + 3, 4, 1)
        Certificate.objects.update_or_create(
            agency_id=staff.agency_id,
            staff=staff,
            kind=kind,
            defaults={
                "number": f"{kind.value[:2].upper()}{staff.phone[-6:]}{number}",
                "issued_on": issued,
                "expires_on": expires,
            },
        )


def _training(staff: StaffMember, *, today: date) -> None:
    Training.objects.update_or_create(
        agency_id=staff.agency_id,
        staff=staff,
        course=in_language(staff.agency, "服务规范与安全培训", "Service standards and safety"),
        defaults={
            "kind": TrainingKind.TRAINING,
            "held_on": max(date(today.year, 1, 1), today - timedelta(days=30)),
            "hours": Decimal("8.0"),
            "result": in_language(staff.agency, "合格", "Passed"),
        },
    )


def _working_pattern(staff: StaffMember, *, part_time: bool) -> None:
    if WorkingHours.objects.filter(staff=staff).exists():
        return  # the office may have changed it since; a rerun keeps theirs
    days, starts, ends = (range(5), time(9), time(15)) if part_time else (WORKED, FROM, UNTIL)
    WorkingHours.objects.bulk_create(
        WorkingHours(agency_id=staff.agency_id, staff=staff, weekday=day, starts=starts, ends=ends)
        for day in days
    )


def _time_off(staff: StaffMember, *, today: date) -> None:
    zone = staff.agency.zone
    first = today + timedelta(days=10)
    period = DateTimeTZRange(
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(first + timedelta(days=2), time.min, tzinfo=zone),
        "[)",
    )
    TimeOff.objects.get_or_create(
        agency_id=staff.agency_id,
        staff=staff,
        reason=in_language(staff.agency, "回老家办事", "Family matters back home"),
        defaults={"period": period, "status": TimeOffStatus.REQUESTED},
    )
