"""Demo levels and promotions for `manage.py seed_demo`: idempotent, safe to run twice.

Four levels per demo agency (初级, 中级, 高级, 金牌; Junior … Gold for the English one),
every active staff member given a first level by experience, the induction course named
with every staff member trained on it (so matching keeps proposing them), and one
promotion proposed by the supervisor for the manager to decide.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from agency.audit import Actor
from agency.demo import AGENCIES, in_language
from agency.models import Agency, User
from performance.levels import induction_course_save, level_save, staff_first_level
from performance.models import Promotion
from performance.promotions import promotion_propose
from staff.models import EmploymentStatus, Level, StaffMember, Training, TrainingKind


@dataclass(frozen=True)
class DemoLevel:
    zh: str
    en: str
    rank: int
    min_rating: Decimal | None
    min_jobs: int
    min_months: int
    min_trainings: int
    max_upheld_complaints: int | None
    matching_bonus: int
    #: Staff with at least this many years of experience start at this level.
    from_years: int


LEVELS = [
    DemoLevel("初级", "Junior", 1, None, 0, 0, 0, None, 0, 0),
    DemoLevel("中级", "Intermediate", 2, Decimal("4.50"), 20, 12, 2, 1, 3, 6),
    DemoLevel("高级", "Senior", 3, Decimal("4.70"), 60, 24, 2, 0, 6, 10),
    DemoLevel("金牌", "Gold", 4, Decimal("4.85"), 150, 48, 3, 0, 10, 15),
]


@transaction.atomic
def seed() -> None:
    for agency in Agency.objects.filter(slug__in=[spec.slug for spec in AGENCIES]):
        manager = User.objects.filter(username=f"{agency.slug}.manager").first()
        supervisor = User.objects.filter(username=f"{agency.slug}.supervisor").first()
        if manager is None or supervisor is None:
            continue
        _seed_agency(agency, Actor(user=manager), Actor(user=supervisor))


def _seed_agency(agency: Agency, manager: Actor, supervisor: Actor) -> None:
    levels: dict[int, Level] = {}
    for spec in LEVELS:
        level = Level.objects.filter(agency=agency, rank=spec.rank).first()
        if level is None:
            level = level_save(
                agency=agency,
                actor=manager,
                name=in_language(agency, spec.zh, spec.en),
                rank=spec.rank,
                min_rating=spec.min_rating,
                min_jobs=spec.min_jobs,
                min_months=spec.min_months,
                min_trainings=spec.min_trainings,
                max_upheld_complaints=spec.max_upheld_complaints,
                matching_bonus=spec.matching_bonus,
            )
        levels[spec.rank] = level

    course = in_language(agency, "岗前培训", "Induction training")
    staff = list(StaffMember.objects.filter(agency=agency).select_related("agency", "level"))
    for member in staff:
        Training.objects.get_or_create(
            agency=agency,
            staff=member,
            kind=TrainingKind.TRAINING,
            course=course,
            defaults={"held_on": member.started_on - timedelta(days=3), "hours": Decimal("16.0")},
        )
    induction_course_save(agency=agency, actor=manager, course=course)

    for member in staff:
        if member.level_id is None and member.status == EmploymentStatus.ACTIVE:
            spec = max(
                (spec for spec in LEVELS if member.years_experience >= spec.from_years),
                key=lambda spec: spec.rank,
            )
            staff_first_level(staff=member, actor=manager, level=levels[spec.rank])

    if not Promotion.objects.filter(agency=agency).exists():
        # The junior with the most experience: the supervisor thinks they are ready.
        juniors = StaffMember.objects.filter(
            agency=agency, level=levels[1], status=EmploymentStatus.ACTIVE
        ).select_related("agency", "level")
        candidate = juniors.order_by("-years_experience", "pk").first()
        if candidate is not None:
            promotion_propose(
                staff=candidate,
                actor=supervisor,
                note=in_language(
                    agency,
                    "客户评价稳定，主动参加了深度保洁培训，建议晋升。",
                    "Steady feedback from customers and took the deep-cleaning course: ready.",
                ),
            )
