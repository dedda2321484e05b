"""Twelve weeks of history for the demo agencies, and their weekly reports (`seed_demo`).

The dashboard's trends read the weekly reports of the last twelve weeks
(`reports.trends`), so a demo without a past shows empty charts. For each demo
agency this writes twelve ISO weeks ending with last week — orders taken,
confirmed, served, accepted (a few after a failed first round), some
cancelled; feedback asked for every accepted order and answered for most; the
revisits the sweep would have planned, mostly done; a few complaints, soft and
hard, handled mostly in time; invoices and payments — then writes the weekly
reports of those weeks for the worker to build, oldest first, so each
report's trends include the weeks before it.

History, not live bookings: rows are written with bulk_create, not the
services, with the times they would have had (`created_at` included). Each
row is one the services could have written: document numbers come from the
agency's counters, one feedback request per accepted order, revisit sources
as the sweep names them (so a later sweep plans nothing twice), complaint
deadlines from the SLA policy's clock. Nothing is dated after now: what would
come later (a payment, an answer) has not happened yet.

Idempotent: the history's orders are numbered with a leading "H"; an agency
that has one gets no more. Report rows are written once (a unique constraint)
and only pending ones are built. `bench/` reuses `write_history` for its load.
"""

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from django.db import models, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from agency.demo import in_language
from agency.models import Agency, Branch, Role, User
from agency.numbering import reserve_numbers
from complaints import policy as sla
from complaints.clock import Clock
from complaints.models import (
    SUGGESTED_TIER,
    Category,
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    EventKind,
    SlaPolicy,
    Status,
    Tier,
)
from feedback.models import (
    FeedbackRequest,
    FeedbackResponse,
    Revisit,
    RevisitKind,
    RevisitOutcome,
    RevisitStatus,
)
from feedback.policy import policy_for
from orders.models import (
    AcceptanceRound,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Cancellation,
    CancellationStatus,
    Customer,
    CustomerAddress,
    CustomerSignature,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    NeedsForm,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentMethod,
    Price,
    PricingUnit,
    Quote,
    RoundOutcome,
    ScheduleKind,
    ServiceType,
    SignaturePurpose,
    SignedVia,
)
from orders.pricing import money
from reports.models import WeeklyReport
from reports.periods import monday_of
from reports.services import ensure_schedules, write_week_reports
from staff.models import EmploymentStatus, StaffMember

#: History orders are numbered "H<ISO year><ISO week>-<n>": the mark of the history.
HISTORY_PREFIX = "H"
WEEKS = 12
DEMO_AGENCIES = ("anxin", "sunrise")
#: Services the history books, with how often (the live-in carer would block staff for weeks).
SERVICE_WEIGHTS = {"cleaning": 6, "deep-clean": 2, "elderly": 2, "nanny": 1, "custom-repair": 1}
BATCH = 2_000
#: History calls left overdue in the revisit queue (`Revisits.leave_overdue`).
OVERDUE_CALLS = 2

DISTRICTS = {
    "anxin": ("朝阳区", "海淀区", "东城区", "西城区"),
    # The staff's own districts (staff/demo.py), so the history's jobs are in their areas.
    "sunrise": ("Pudong", "Xuhui", "Jing'an", "Huangpu"),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_NAMES = ("芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛")
STREETS = ("建国路", "光华路", "学院路", "中关村大街", "世纪大道", "衡山路", "南京西路", "金融街")
#: The English agency's customers: pinyin surnames and English given names, Shanghai streets.
SURNAMES_EN = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
    "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo",
)  # fmt: skip
GIVEN_NAMES_EN = (
    "Amy", "Ben", "Chloe", "Daniel", "Emma", "Frank", "Grace", "Henry", "Iris", "Jack",
    "Kate", "Leo", "Mia", "Nina",
)  # fmt: skip
STREETS_EN = (
    "Century Avenue", "Hengshan Road", "Nanjing West Road", "Huaihai Middle Road",
    "Zhangyang Road", "Tianyaoqiao Road", "Yan'an West Road", "Dongfang Road",
)  # fmt: skip

PRAISE = (
    "阿姨很细心，厨房打扫得很干净。",
    "准时到达，服务态度很好。",
    "非常满意，下次还找你们。",
    "干活利索，值得推荐。",
)
MIXED = ("整体还行，卫生间角落没擦干净。", "比约定时间晚到了二十分钟。")
UNHAPPY = ("擦窗不干净，地板上有水渍。", "阿姨态度不好，提前离开了。")

COMPLAINTS = {
    Category.ATTITUDE: "客户反映阿姨说话不耐烦。",
    Category.LATENESS: "阿姨迟到四十分钟，未提前告知。",
    Category.ENVIRONMENT: "打扫后垃圾未带走。",
    Category.MANNER: "服务期间长时间打私人电话。",
    Category.DAMAGE: "擦拭时划伤了实木餐桌。",
    Category.FAULT: "厨房油烟机未清洁，与约定不符。",
    Category.LOSS: "客户找不到放在茶几上的充电器。",
}
#: The English agency's words for the Chinese texts of the history.
IN_ENGLISH = {
    "阿姨很细心，厨房打扫得很干净。": "Very careful; the kitchen is spotless.",
    "准时到达，服务态度很好。": "On time and friendly.",
    "非常满意，下次还找你们。": "Very happy, we will book you again.",
    "干活利索，值得推荐。": "Quick and tidy work, recommended.",
    "整体还行，卫生间角落没擦干净。": "Fine overall, but the bathroom corners were missed.",
    "比约定时间晚到了二十分钟。": "Arrived twenty minutes late.",
    "擦窗不干净，地板上有水渍。": "Streaky windows and water marks on the floor.",
    "阿姨态度不好，提前离开了。": "Unfriendly, and left early.",
    "客户反映阿姨说话不耐烦。": "The customer says the cleaner spoke impatiently.",
    "阿姨迟到四十分钟，未提前告知。": "Forty minutes late without warning.",
    "打扫后垃圾未带走。": "The rubbish was left behind after cleaning.",
    "服务期间长时间打私人电话。": "Long private phone calls during the service.",
    "擦拭时划伤了实木餐桌。": "Scratched the solid-wood dining table while wiping it.",
    "厨房油烟机未清洁，与约定不符。": "The cooker hood was not cleaned, as agreed.",
    "客户找不到放在茶几上的充电器。": (
        "The customer cannot find the charger left on the coffee table."
    ),
    "希望公司给个说法。": "Wants an explanation from the company.",
    "已致电客户道歉，正在核实情况。": "Called the customer to apologise; checking what happened.",
    "已与服务人员核实，情况属实。": "Checked with the staff member: it happened as described.",
    "已确认为我方问题，安排上门处理。": (
        "Confirmed as our fault; a visit is arranged to put it right."
    ),
    "已处理完毕，客户认可处理结果。": "Put right; the customer accepts the outcome.",
    "已回访，客户无其他意见。": "Called back; the customer has nothing more to add.",
    "已致电客户道歉，安排主管上门查看。": (
        "Called the customer to apologise; a supervisor will visit."
    ),
    "下次服务前由主管交代注意事项": "The supervisor briefs the staff before the next visit",
    "客户表示满意。": "The customer is satisfied.",
    "客户觉得一般。": "The customer found it so-so.",
    "客户来电取消，已电话核实身份": "The customer called to cancel; identity checked on the phone",
    "家里临时有事，不需要了": "Something came up at home; no longer needed",
}

COMPLAINT_WEIGHTS = {
    Category.ATTITUDE: 3,
    Category.LATENESS: 3,
    Category.ENVIRONMENT: 2,
    Category.MANNER: 1,
    Category.DAMAGE: 1,
    Category.FAULT: 2,
    Category.LOSS: 1,
}
PAYMENT_WEIGHTS = {
    PaymentMethod.WECHAT_PAY: 45,
    PaymentMethod.ALIPAY: 30,
    PaymentMethod.CASH: 15,
    PaymentMethod.BANK_TRANSFER: 10,
}


def seed() -> None:
    for agency in Agency.objects.filter(slug__in=DEMO_AGENCIES).order_by("slug"):
        mondays = history_mondays(agency)
        if not Order.objects.filter(agency=agency, number__startswith=HISTORY_PREFIX).exists():
            cast = Cast.of(agency)
            if cast is not None:
                write_history(cast, mondays, rng=seeded(agency.slug))
        write_reports(agency, mondays)
    ensure_schedules(now=timezone.now())


def history_mondays(agency: Agency) -> list[date]:
    """The Mondays of the twelve ISO weeks ending with last week, oldest first."""
    last = monday_of(agency.today()) - timedelta(days=7)
    return [last - timedelta(weeks=WEEKS - 1 - n) for n in range(WEEKS)]


def write_reports(agency: Agency, mondays: Sequence[date]) -> None:
    """The weeks' reports (the agency's and each branch's), left pending: the worker builds
    them, oldest first (the beat sweep starts pending reports), so seeding does not wait
    for seventy PDFs. The history's Monday emails went out on their Mondays; only last
    week's report is emailed to the managers when it is built."""
    for monday in mondays:
        write_week_reports(agency, monday)
    WeeklyReport.objects.filter(
        agency=agency, week__in=mondays[:-1], branch__isnull=True, emailed_at__isnull=True
    ).update(emailed_at=timezone.now())


# --- who and what the history draws on -----------------------------------------------------


@dataclass(frozen=True)
class Service:
    service_type: ServiceType
    unit_price: Decimal
    weight: int


@dataclass
class Cast:
    """The agency's branches, services, staff and office people the history uses."""

    agency: Agency
    branches: list[Branch]
    services: list[Service]
    staff: list[StaffMember]
    office: User
    supervisor: User
    manager: User
    finance: User
    districts: tuple[str, ...] = ("朝阳区",)
    clocks: dict[bool, Clock] = field(default_factory=dict)

    def say(self, text: str) -> str:
        """The history's text in the agency's language: a newcomer reads one language."""
        return in_language(self.agency, text, IN_ENGLISH[text])

    def name_of(self, service_type: ServiceType) -> str:
        return in_language(self.agency, service_type.name_zh, service_type.name_en)

    @property
    def english(self) -> bool:
        return self.agency.default_language == "en"

    @classmethod
    def of(cls, agency: Agency) -> "Cast | None":
        """The demo agency's cast, or None if a part is missing (nothing to write then)."""
        users = {
            role: User.objects.filter(username=f"{agency.slug}.{role}").first() for role in Role
        }
        services = services_of(agency, SERVICE_WEIGHTS)
        branches = list(Branch.objects.filter(agency=agency, is_active=True).order_by("code"))
        office, supervisor = users[Role.DISPATCHER], users[Role.SUPERVISOR]
        manager, finance = users[Role.MANAGER], users[Role.FINANCE]
        if not (services and branches and office and supervisor and manager and finance):
            return None
        return cls(
            agency=agency,
            branches=branches,
            services=services,
            staff=list(
                StaffMember.objects.filter(agency=agency, status=EmploymentStatus.ACTIVE).order_by(
                    "pk"
                )
            ),
            office=office,
            supervisor=supervisor,
            manager=manager,
            finance=finance,
            districts=DISTRICTS.get(agency.slug, ("朝阳区",)),
        )

    def clock(self, tier: str) -> tuple[Clock, bool]:
        """The SLA clock of the tier (office hours or not), made once."""
        office_hours = sla.counts_office_hours(sla.policy_for(self.agency), tier)
        if office_hours not in self.clocks:
            self.clocks[office_hours] = sla.clock_for(self.agency, office_hours=office_hours)
        return self.clocks[office_hours], office_hours


def services_of(agency: Agency, weights: dict[str, int]) -> list[Service]:
    """The agency's services named in `weights`, each with its current unit price."""
    services = []
    for service_type in ServiceType.objects.filter(agency=agency, code__in=weights).order_by(
        "code"
    ):
        price = Price.objects.filter(service_type=service_type).order_by("-valid_during").first()
        if price is not None:
            services.append(Service(service_type, price.unit_price, weights[service_type.code]))
    return services


# --- planning: what happened, in memory ----------------------------------------------------


@dataclass(frozen=True)
class Week:
    """How one week went: its size and its rates, drawn once."""

    monday: date
    orders: int
    cancel_rate: float
    rework_rate: float
    answer_rate: float
    unhappy_rate: float
    complaints: int
    late_rate: float
    #: The oldest week books one-off customers only: a repeat customer whose last service
    #: is older than the periodic revisit's 90 days would get a revisit from the sweep.
    one_off_customers: bool

    @classmethod
    def draw(
        cls,
        monday: date,
        rng: random.Random,
        *,
        orders: tuple[int, int],
        complaints: tuple[float, float],
        oldest: bool,
    ) -> "Week":
        count = rng.randint(*orders)
        return cls(
            monday=monday,
            orders=count,
            cancel_rate=rng.uniform(0.04, 0.10),
            rework_rate=rng.uniform(0.03, 0.12),
            answer_rate=rng.uniform(0.66, 0.84),
            unhappy_rate=rng.uniform(0.04, 0.18),
            complaints=max(1, round(count * rng.uniform(*complaints))),
            late_rate=rng.uniform(0.0, 0.18),
            one_off_customers=oldest,
        )


@dataclass(frozen=True)
class Answer:
    scores: dict[str, int]
    comment: str
    submitted: datetime

    @property
    def overall(self) -> int:
        return self.scores["overall"]


@dataclass
class Job:
    """One history order as it went, before it is written."""

    number: str
    branch: Branch
    service: Service
    customer_key: int
    quantity: Decimal
    starts: datetime
    ends: datetime
    created: datetime
    confirmed: datetime
    cancelled: datetime | None = None
    reworked: bool = False
    accepted: datetime | None = None
    staff: StaffMember | None = None
    answer: Answer | None = None
    invoiced: datetime | None = None
    paid: datetime | None = None
    method: str = PaymentMethod.WECHAT_PAY
    order: Order = field(init=False)

    @property
    def total(self) -> Decimal:
        return money(self.service.unit_price * self.quantity)


class Roster:
    """Who is booked when, so no staff member is on two jobs at once (the exclusion
    constraint); kept per staff member and day to stay fast for large loads."""

    def __init__(self, staff: list[StaffMember]) -> None:
        self.by_branch: dict[int, list[StaffMember]] = defaultdict(list)
        for member in staff:
            self.by_branch[member.home_branch_id].append(member)
        self.staff = staff
        self.booked: dict[tuple[int, date], list[tuple[datetime, datetime]]] = defaultdict(list)

    def take(
        self, branch: Branch, starts: datetime, ends: datetime, rng: random.Random
    ) -> StaffMember | None:
        home = self.by_branch.get(branch.pk, [])
        candidates = rng.sample(home, len(home)) + rng.sample(self.staff, len(self.staff))
        for member in candidates:
            slots = self.booked[(member.pk, starts.date())]
            if all(end <= starts or start >= ends for start, end in slots):
                slots.append((starts, ends))
                return member
        return None


class Planner:
    """Draws the jobs of each week: when, where, what, for whom, and how it went."""

    def __init__(self, cast: Cast, rng: random.Random, now: datetime) -> None:
        self.cast = cast
        self.rng = rng
        self.now = now
        self.zone = cast.agency.zone
        self.roster = Roster(cast.staff)
        #: Customers are numbered from here on (their phone numbers come from it), so a
        #: history written in parts never gives two customers one number.
        self.first_customer = Customer.objects.filter(agency=cast.agency).count()
        self.customers = self.first_customer
        self.repeat_pool: list[int] = []

    def week(self, week: Week) -> list[Job]:
        """The week's jobs, numbered in the order they were taken."""
        jobs = sorted((self._job(week) for _ in range(week.orders)), key=lambda job: job.created)
        for n, job in enumerate(jobs, start=1):
            job.number = f"{HISTORY_PREFIX}{week.monday:%G%V}-{n:03d}"
        return jobs

    def _job(self, week: Week) -> Job:
        rng = self.rng
        service = rng.choices(self.cast.services, [s.weight for s in self.cast.services])[0]
        hours, quantity = self._size(service)
        day = week.monday + timedelta(days=rng.randrange(6))  # Monday to Saturday
        starts = datetime.combine(day, time(rng.randint(8, 18 - hours)), tzinfo=self.zone)
        ends = starts + timedelta(hours=hours)
        # Taken up to four days ahead, but in the same week: the first and the last week
        # of the history then count as many orders taken as the others.
        opening = datetime.combine(week.monday, time(7, 30), tzinfo=self.zone)
        created = max(starts - timedelta(hours=rng.uniform(2, 96)), opening)
        job = Job(
            number="",
            branch=rng.choice(self.cast.branches),
            service=service,
            customer_key=self._customer(week),
            quantity=quantity,
            starts=starts,
            ends=ends,
            created=created,
            confirmed=min(created + timedelta(minutes=rng.randint(10, 480)), starts),
        )
        if rng.random() < week.cancel_rate:
            job.cancelled = job.confirmed + (starts - job.confirmed) * rng.uniform(0.2, 0.9)
            return job
        self._serve(job, week)
        return job

    def _size(self, service: Service) -> tuple[int, Decimal]:
        """How long the visit takes (hours) and the quantity the price is for."""
        unit = service.service_type.pricing_unit
        if unit == PricingUnit.SQUARE_METRE:
            return self.rng.randint(5, 8), Decimal(self.rng.randrange(60, 160, 10))
        if unit == PricingUnit.DAY:
            return 8, Decimal(1)
        if unit == PricingUnit.VISIT:
            return self.rng.randint(1, 2), Decimal(1)
        hours = self.rng.randint(2, 4)
        return hours, Decimal(hours)

    def _customer(self, week: Week) -> int:
        if not week.one_off_customers and self.repeat_pool and self.rng.random() < 0.5:
            return self.rng.choice(self.repeat_pool)
        self.customers += 1
        if not week.one_off_customers:
            self.repeat_pool.append(self.customers)
        return self.customers

    def _serve(self, job: Job, week: Week) -> None:
        rng = self.rng
        job.staff = self.roster.take(job.branch, job.starts, job.ends, rng)
        job.reworked = rng.random() < week.rework_rate
        wait = (
            timedelta(hours=rng.uniform(3, 5))
            if job.reworked
            else timedelta(minutes=rng.randint(20, 90))
        )
        job.accepted = self._happened(job.ends + wait)
        if job.accepted is None:
            return
        job.answer = self._answer(job.accepted, week)
        job.invoiced = self._happened(job.accepted + timedelta(hours=rng.uniform(1, 20)))
        if job.invoiced is not None and rng.random() < 0.93:
            job.paid = self._happened(job.invoiced + timedelta(hours=rng.uniform(0.2, 72)))
            job.method = rng.choices(list(PAYMENT_WEIGHTS), list(PAYMENT_WEIGHTS.values()))[0]

    def _answer(self, accepted: datetime, week: Week) -> Answer | None:
        rng = self.rng
        if rng.random() >= week.answer_rate:
            return None
        submitted = self._happened(
            accepted + timedelta(minutes=2) + timedelta(hours=min(rng.expovariate(1 / 8), 70))
        )
        if submitted is None:
            return None
        unhappy = rng.random() < week.unhappy_rate
        overall = rng.choice((1, 2, 3, 3)) if unhappy else rng.choices((4, 5), (35, 65))[0]
        scores = {
            name: max(1, min(5, overall + rng.choice((-1, 0, 0, 0, 0, 1))))
            for name in ("quality", "attitude", "punctuality", "professionalism")
        }
        scores["overall"] = overall
        if overall <= 2:
            comment = self.cast.say(rng.choice(UNHAPPY))
        elif overall == 3:
            comment = self.cast.say(rng.choice(MIXED))
        else:
            comment = self.cast.say(rng.choice(PRAISE)) if rng.random() < 0.3 else ""
        return Answer(scores=scores, comment=comment, submitted=submitted)

    def _happened(self, moment: datetime) -> datetime | None:
        """The moment, if it is in the past; None if it has not come yet."""
        return moment if moment <= self.now else None


# --- writing -------------------------------------------------------------------------------


@contextmanager
def dated_as_given(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the `created_at`-like times given (history happened then):
    `auto_now_add` would stamp every row with now."""
    fields = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False)
    ]
    for f in fields:
        f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True  # type: ignore[attr-defined]


HISTORY_MODELS: tuple[type[models.Model], ...] = (
    Customer,
    CustomerAddress,
    NeedsForm,
    Order,
    Quote,
    Assignment,
    OrderEvent,
    AcceptanceRound,
    CustomerSignature,
    Cancellation,
    FeedbackResponse,
    Revisit,
    Invoice,
    Payment,
    Complaint,
    ComplaintEvent,
    Deadline,
)


@transaction.atomic
def write_history(
    cast: Cast,
    mondays: Sequence[date],
    *,
    rng: random.Random,
    orders: tuple[int, int] = (15, 40),
    complaints: tuple[float, float] = (0.05, 0.14),
    now: datetime | None = None,
) -> list[Job]:
    """The weeks of the Mondays (oldest first): `orders` (min, max) orders a week, and
    complaints about a share of them drawn from `complaints` each week."""
    now = now or timezone.now()
    planner = Planner(cast, rng, now)
    weeks = [
        Week.draw(monday, rng, orders=orders, complaints=complaints, oldest=index == 0)
        for index, monday in enumerate(mondays)
    ]
    jobs = [job for week in weeks for job in planner.week(week)]
    with dated_as_given(*HISTORY_MODELS):
        _write_orders(cast, jobs, range(planner.first_customer + 1, planner.customers + 1))
        _write_timelines(cast, jobs)
        _write_cancellations(cast, jobs)
        _write_feedback(cast, jobs, now)
        _write_ratings(jobs)
        _write_billing(cast, jobs)
        _write_complaints(cast, weeks, jobs, rng, now)
    return jobs


M = TypeVar("M", bound=models.Model)


def _bulk(model: type[M], rows: Sequence[M]) -> list[M]:
    return model._default_manager.bulk_create(rows, batch_size=BATCH)


def seeded(name: str) -> random.Random:
    """The same draws on every run (demo data, not secrets)."""
    return random.Random(name)  # noqa: S311


def _customer_name(cast: Cast, rng: random.Random) -> str:
    if cast.english:
        return f"{rng.choice(GIVEN_NAMES_EN)} {rng.choice(SURNAMES_EN)}"
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES) + rng.choice(("", *GIVEN_NAMES))


def _street_address(cast: Cast, rng: random.Random) -> str:
    if cast.english:
        return f"Flat {rng.randint(101, 2804)}, {rng.randint(1, 200)} {rng.choice(STREETS_EN)}"
    return f"{rng.choice(STREETS)} {rng.randint(1, 200)} 号 {rng.randint(101, 2804)}"


def _write_orders(cast: Cast, jobs: list[Job], keys: range) -> None:
    """Customers, their addresses, a needs form, the order and its confirmed quote."""
    agency, rng = cast.agency, seeded(f"{cast.agency.slug}-customers")
    first_seen: dict[int, datetime] = {}
    for job in jobs:
        first_seen.setdefault(job.customer_key, job.created)
    customers = _bulk(
        Customer,
        [
            Customer(
                agency=agency,
                name=_customer_name(cast, rng),
                phone=f"137{key:08d}",
                created_at=first_seen[key],
            )
            for key in keys
        ],
    )
    addresses = _bulk(
        CustomerAddress,
        [
            CustomerAddress(
                agency=agency,
                customer=customer,
                district=rng.choice(cast.districts),
                detail=_street_address(cast, rng),
                created_at=customer.created_at,
            )
            for customer in customers
        ],
    )
    forms = _bulk(
        NeedsForm,
        [
            NeedsForm(
                agency=agency,
                customer=customers[job.customer_key - keys.start],
                service_type=job.service.service_type,
                address=addresses[job.customer_key - keys.start],
                schedule_kind=ScheduleKind.ONCE,
                start_date=job.starts.date(),
                time_start=job.starts.time(),
                time_end=job.ends.time(),
                quantity=job.quantity
                if job.service.service_type.pricing_unit == PricingUnit.SQUARE_METRE
                else None,
                created_by=cast.office,
                created_at=job.created,
            )
            for job in jobs
        ],
    )
    orders = _bulk(
        Order,
        [
            Order(
                agency=agency,
                number=job.number,
                branch=job.branch,
                customer=form.customer,
                needs_form=form,
                service_type=job.service.service_type,
                status=_final_status(job),
                starts_at=job.starts,
                ends_at=job.ends,
                created_by=cast.office,
                created_at=job.created,
            )
            for job, form in zip(jobs, forms, strict=True)
        ],
    )
    for job, order in zip(jobs, orders, strict=True):
        job.order = order
    quotes = _bulk(
        Quote,
        [
            Quote(
                agency=agency,
                order=job.order,
                description=(
                    f"{cast.name_of(job.service.service_type)} · {job.starts.date().isoformat()}"
                ),
                unit=job.service.service_type.pricing_unit,
                unit_price=job.service.unit_price,
                quantity=job.quantity,
                total=job.total,
                currency=agency.currency,
                created_by=cast.office,
                created_at=job.created,
            )
            for job in jobs
        ],
    )
    for job, quote in zip(jobs, quotes, strict=True):
        job.order.confirmed_quote = quote
    # One statement, not a bulk_update of every order: each order has one quote.
    Order.objects.filter(agency=agency, pk__in=[job.order.pk for job in jobs]).update(
        confirmed_quote=Subquery(Quote.objects.filter(order=OuterRef("pk")).values("pk")[:1])
    )


def _final_status(job: Job) -> str:
    if job.cancelled is not None:
        return OrderStatus.CANCELLED
    if job.paid is not None:
        return OrderStatus.PAID
    if job.invoiced is not None:
        return OrderStatus.INVOICED
    return OrderStatus.ACCEPTED if job.accepted is not None else OrderStatus.INSPECTION


def _write_timelines(cast: Cast, jobs: list[Job]) -> None:
    """Each order's status changes, its team lead and its acceptance rounds."""
    events: list[OrderEvent] = []
    rounds: list[AcceptanceRound] = []
    assignments: list[Assignment] = []
    for job in jobs:
        before: str = OrderStatus.INTAKE
        for after, at in _moves(job):
            events.append(
                OrderEvent(
                    agency=cast.agency,
                    order=job.order,
                    from_status=before,
                    to_status=after,
                    actor=cast.office,
                    created_at=at,
                )
            )
            before = after
        rounds += _rounds(cast, job)
        if job.staff is not None:
            assignments.append(
                Assignment(
                    agency=cast.agency,
                    order=job.order,
                    staff=job.staff,
                    role=AssignmentRole.LEAD,
                    status=AssignmentStatus.CONFIRMED,
                    period=DateTimeTZRange(job.starts, job.ends),
                    proposed_by=cast.office,
                    proposed_at=job.confirmed,
                    confirmed_at=job.confirmed + timedelta(minutes=30),
                    confirmed_via="phone",
                )
            )
    _bulk(OrderEvent, events)
    _bulk(AcceptanceRound, rounds)
    _bulk(Assignment, assignments)


def _moves(job: Job) -> list[tuple[str, datetime]]:
    """The statuses the order went through, with when, in order."""
    moves: list[tuple[str, datetime]] = [
        (OrderStatus.QUOTED, job.created),
        (OrderStatus.CONFIRMED, job.confirmed),
    ]
    if job.cancelled is not None:
        return [*moves, (OrderStatus.CANCELLED, job.cancelled)]
    moves.append((OrderStatus.ASSIGNED, job.confirmed + timedelta(minutes=30)))
    moves += [(OrderStatus.IN_SERVICE, job.starts), (OrderStatus.INSPECTION, job.ends)]
    if job.reworked:
        moves += [
            (OrderStatus.REWORK, job.ends + timedelta(minutes=40)),
            (OrderStatus.INSPECTION, job.ends + timedelta(hours=2)),
        ]
    for status, at in (
        (OrderStatus.ACCEPTED, job.accepted),
        (OrderStatus.INVOICED, job.invoiced),
        (OrderStatus.PAID, job.paid),
    ):
        if at is not None:
            moves.append((status, at))
    return moves


def _rounds(cast: Cast, job: Job) -> list[AcceptanceRound]:
    if job.cancelled is not None:
        return []
    rounds = []
    if job.reworked:
        rounds.append(
            AcceptanceRound(
                agency=cast.agency,
                order=job.order,
                number=1,
                outcome=RoundOutcome.FAILED,
                next_stage=None,
                opened_at=job.ends,
                closed_at=job.ends + timedelta(minutes=40),
            )
        )
    opened = job.ends + timedelta(hours=2) if job.reworked else job.ends
    rounds.append(
        AcceptanceRound(
            agency=cast.agency,
            order=job.order,
            number=len(rounds) + 1,
            outcome=RoundOutcome.OPEN if job.accepted is None else RoundOutcome.PASSED,
            next_stage=4 if job.accepted is None else None,
            opened_at=opened,
            closed_at=job.accepted,
        )
    )
    return rounds


def _write_cancellations(cast: Cast, jobs: list[Job]) -> None:
    """The customers' cancellations, verified by the office, approved by the manager;
    a late one carries the agency's fee."""
    agency = cast.agency
    cancelled = [(job, at) for job in jobs if (at := job.cancelled) is not None]
    signatures = _bulk(
        CustomerSignature,
        [
            CustomerSignature(
                agency=agency,
                order=job.order,
                purpose=SignaturePurpose.CANCEL_ORDER,
                via=SignedVia.OFFICE,
                signed_name=job.order.customer.name,
                signed_at=at,
                verified_by=cast.office,
                verification_reason=cast.say("客户来电取消，已电话核实身份"),
            )
            for job, at in cancelled
        ],
    )
    rows = []
    for (job, at), signature in zip(cancelled, signatures, strict=True):
        late = job.starts - at < timedelta(hours=agency.free_cancellation_hours)
        percent = agency.late_cancellation_fee_percent if late else Decimal(0)
        rows.append(
            Cancellation(
                agency=agency,
                order=job.order,
                reason=cast.say("家里临时有事，不需要了"),
                signature=signature,
                price=job.total,
                fee_percent=percent,
                fee=money(job.total * percent / 100),
                refund_due=Decimal(0),
                status=CancellationStatus.APPROVED,
                requested_by=cast.office,
                requested_at=at,
                decided_by=cast.manager,
                decided_at=at + timedelta(minutes=30),
            )
        )
    _bulk(Cancellation, rows)


def _write_feedback(cast: Cast, jobs: list[Job], now: datetime) -> None:
    """A request for every accepted order, the answers given, and the revisits the sweep
    would have planned (thank-you letter, second contact, 24-hour call, low-score
    follow-up), mostly done."""
    agency, rng = cast.agency, seeded(f"{cast.agency.slug}-revisits")
    rules = policy_for(agency)
    accepted = [(job, at + timedelta(minutes=2)) for job in jobs if (at := job.accepted)]
    requests = _bulk(
        FeedbackRequest,
        [
            FeedbackRequest(
                agency=agency,
                order=job.order,
                customer_id=job.order.customer_id,
                sent_at=sent,
                expires_at=sent + rules.link_valid_for,
                answered_at=None if job.answer is None else job.answer.submitted,
            )
            for job, sent in accepted
        ],
    )
    _bulk(
        FeedbackResponse,
        [
            FeedbackResponse(
                agency=agency,
                request=request,
                comment=job.answer.comment,
                submitted_at=job.answer.submitted,
                **job.answer.scores,
            )
            for (job, _), request in zip(accepted, requests, strict=True)
            if job.answer is not None
        ],
    )
    revisits = Revisits(cast, rng, now, escalate_after=rules.escalate_after)
    for job in jobs:
        revisits.letters(job, rules.letter_after_order, rules.second_contact_after_letter)
        if job.accepted is not None:
            revisits.call(job, job.accepted + rules.satisfaction_call_after, planned=job.accepted)
        if job.answer is not None and min(job.answer.scores.values()) <= rules.low_score:
            revisits.low_score(job, job.answer)
    revisits.leave_overdue(OVERDUE_CALLS)
    _bulk(Revisit, revisits.rows)


def _write_ratings(jobs: list[Job]) -> None:
    """Each staff member's rating as feedback would have folded it in (staff.services):
    the mean of the overall scores of their answered jobs, so the staff list and the
    weekly report rank the same people."""
    scores: dict[StaffMember, list[int]] = defaultdict(list)
    for job in jobs:
        if job.staff is not None and job.answer is not None:
            scores[job.staff].append(job.answer.scores["overall"])
    for member, given in scores.items():
        member.rating_count = len(given)
        member.rating = (Decimal(sum(given)) / len(given)).quantize(Decimal("0.01"))
    StaffMember.objects.bulk_update(list(scores), ["rating", "rating_count"], batch_size=BATCH)


class Revisits:
    """The revisits of the history: done when their time has come (most of them), else
    open, as the sweep and the office would have left them."""

    def __init__(
        self, cast: Cast, rng: random.Random, now: datetime, *, escalate_after: timedelta
    ) -> None:
        self.cast, self.rng, self.now = cast, rng, now
        self.escalate_after = escalate_after
        self.rows: list[Revisit] = []

    def letters(self, job: Job, after_order: timedelta, second_after: timedelta) -> None:
        due = job.confirmed + after_order
        letter = self._add(job, RevisitKind.THANK_YOU_LETTER, due, planned=job.confirmed)
        if job.cancelled is not None:
            letter.status, letter.done_at = RevisitStatus.DROPPED, job.cancelled
            letter.dropped_reason = "order cancelled"
        elif due <= self.now:
            letter.status, letter.done_at = RevisitStatus.SENT, due
            self._call(self._add(job, RevisitKind.SECOND_CONTACT, due + second_after, planned=due))
        else:
            letter.next_action_at = due

    def call(self, job: Job, due: datetime, *, planned: datetime) -> None:
        self._call(self._add(job, RevisitKind.SATISFACTION_CALL, due, planned=planned))

    def low_score(self, job: Job, answer: Answer) -> None:
        revisit = self._add(job, RevisitKind.LOW_SCORE, answer.submitted, planned=answer.submitted)
        revisit.assignee = self.cast.supervisor
        revisit.notes = in_language(
            self.cast.agency,
            f"总体 {answer.overall}/5。{answer.comment}",
            f"Overall {answer.overall}/5. {answer.comment}".strip(),
        )
        if self._call(revisit, by=self.cast.supervisor):
            revisit.notes += "\n" + self.cast.say("已致电客户道歉，安排主管上门查看。")
            revisit.next_step = self.cast.say("下次服务前由主管交代注意事项")

    def _add(self, job: Job, kind: str, due: datetime, *, planned: datetime) -> Revisit:
        revisit = Revisit(
            agency=self.cast.agency,
            customer_id=job.order.customer_id,
            order=job.order,
            kind=kind,
            source=f"order-{job.order.pk}-{kind}",
            due_at=due,
            created_at=planned,
        )
        self.rows.append(revisit)
        return revisit

    def _call(self, revisit: Revisit, by: User | None = None) -> bool:
        """Done a little before or after it is due, if that time has come; True if done.

        So the queue a newcomer opens holds what a tidy office leaves: calls due later
        today, and only those of the last hours overdue — not weeks of backlog.
        """
        done_at = revisit.due_at + timedelta(hours=self.rng.uniform(-6, 10))
        if done_at <= self.now:
            reached = self.rng.random() < 0.9
            revisit.status, revisit.done_at, revisit.done_by = (
                RevisitStatus.DONE,
                done_at,
                by or self.cast.office,
            )
            revisit.attempts = 1 if reached else 3
            revisit.outcome = RevisitOutcome.REACHED if reached else RevisitOutcome.NOT_REACHED
            if (
                reached
                and revisit.kind == RevisitKind.SATISFACTION_CALL
                and self.rng.random() < 0.3
            ):
                revisit.satisfaction = self.rng.choices((3, 4, 5), (1, 4, 6))[0]
                revisit.notes = self.cast.say(
                    "客户表示满意。" if revisit.satisfaction >= 4 else "客户觉得一般。"
                )
            return True
        self._still_open(revisit)
        return False

    def _still_open(self, revisit: Revisit) -> None:
        escalate = revisit.due_at + self.escalate_after
        revisit.next_action_at = escalate
        if escalate <= self.now:
            revisit.escalated_at = escalate  # the sweep did then; it will not again

    def leave_overdue(self, count: int) -> None:
        """The office is a little behind, as offices are: the latest calls that fell due
        are still to make (overdue), the rest of the past is done."""
        calls = (RevisitKind.SATISFACTION_CALL, RevisitKind.SECOND_CONTACT)
        done = [
            r
            for r in self.rows
            if r.status == RevisitStatus.DONE and r.kind in calls and r.due_at <= self.now
        ]
        for revisit in sorted(done, key=lambda r: r.due_at)[-count:]:
            revisit.status, revisit.done_at, revisit.done_by = RevisitStatus.OPEN, None, None
            revisit.attempts, revisit.outcome = 0, ""
            revisit.satisfaction, revisit.notes = None, ""
            self._still_open(revisit)


def _write_billing(cast: Cast, jobs: list[Job]) -> None:
    """An invoice per order invoiced, numbered from the agency's counter in the order they
    were issued, and its payment with a numbered receipt."""
    agency = cast.agency
    issued = sorted(
        ((job, at) for job in jobs if (at := job.invoiced) is not None), key=lambda row: row[1]
    )
    numbers = _numbers(agency, "invoice", "", [at for _, at in issued])
    invoices = _bulk(
        Invoice,
        [
            _invoice(cast, job, at, number)
            for (job, at), number in zip(issued, numbers, strict=True)
        ],
    )
    _bulk(
        InvoiceLine,
        [
            InvoiceLine(
                agency=agency,
                invoice=invoice,
                kind=LineKind.SERVICE,
                order=job.order,
                quote=job.order.confirmed_quote,
                description=f"{job.number} {cast.name_of(job.service.service_type)}",
                quantity=job.quantity,
                unit=job.service.service_type.pricing_unit,
                unit_price=job.service.unit_price,
                amount=job.total,
            )
            for (job, _), invoice in zip(issued, invoices, strict=True)
        ],
    )
    paid = sorted(
        (
            (job, at, invoice)
            for (job, _), invoice in zip(issued, invoices, strict=True)
            if (at := job.paid) is not None
        ),
        key=lambda row: row[1],
    )
    receipts = _numbers(agency, "receipt", "R", [at for _, at, _ in paid])
    _bulk(
        Payment,
        [
            Payment(
                agency=agency,
                invoice=invoice,
                amount=invoice.total,
                method=job.method,
                received_at=at,
                taken_by=cast.finance,
                receipt_number=receipt,
                created_at=at,
            )
            for (job, at, invoice), receipt in zip(paid, receipts, strict=True)
        ],
    )


def _invoice(cast: Cast, job: Job, issued: datetime, number: str) -> Invoice:
    agency = cast.agency
    tax = money(job.total * agency.tax_rate_percent / 100)
    return Invoice(
        agency=agency,
        kind=InvoiceKind.INVOICE,
        number=number,
        status=InvoiceStatus.PAID if job.paid else InvoiceStatus.ISSUED,
        customer_id=job.order.customer_id,
        branch=job.branch,
        currency=agency.currency,
        tax_rate_percent=agency.tax_rate_percent,
        subtotal=job.total,
        tax=tax,
        total=job.total + tax,
        paid=job.total + tax if job.paid else Decimal(0),
        language=agency.default_language,
        issued_at=issued,
        due_on=agency.local_date(issued) + timedelta(days=agency.payment_terms_days),
        issued_by=cast.finance,
        created_at=issued - timedelta(minutes=15),
    )


def _numbers(
    agency: Agency, kind: str, prefix: str, moments: list[datetime], *, digits: int = 6
) -> list[str]:
    """Document numbers for documents dated `moments` (in order), from the agency's counter
    of each year, as the services number them: "2026-R000123", "2026-C0012"."""
    years = [agency.local_date(moment).year for moment in moments]
    next_of: dict[int, int] = {}
    for year in sorted(set(years)):
        next_of[year] = reserve_numbers(
            agency=agency, kind=kind, year=year, count=years.count(year)
        )
    numbers = []
    for year in years:
        numbers.append(f"{year}-{prefix}{next_of[year]:0{digits}d}")
        next_of[year] += 1
    return numbers


# --- complaints ----------------------------------------------------------------------------


@dataclass
class Handling:
    """One complaint as it was handled: its deadlines (kind, due, met) and its log."""

    complaint: Complaint
    deadlines: list[tuple[str, datetime, datetime | None, bool]] = field(default_factory=list)
    events: list[tuple[str, datetime, str]] = field(default_factory=list)


def _write_complaints(
    cast: Cast, weeks: list[Week], jobs: list[Job], rng: random.Random, now: datetime
) -> None:
    """A few complaints a week about the week's served orders, soft and hard, answered and
    completed mostly within their deadlines."""
    served: dict[date, list[tuple[Job, datetime]]] = defaultdict(list)
    for job in jobs:
        if job.accepted is not None:
            served[monday_of(job.starts.date())].append((job, job.accepted))
    handlings = []
    for week in weeks:
        candidates = served[week.monday]
        for job, accepted in rng.sample(candidates, min(week.complaints, len(candidates))):
            handlings.append(_handle(cast, job, accepted, week, rng, now))
    handlings.sort(key=lambda h: h.complaint.received_at)
    received = [h.complaint.received_at for h in handlings]
    numbers = _numbers(cast.agency, "complaint", "C", received, digits=4)
    for handling, number in zip(handlings, numbers, strict=True):
        handling.complaint.number = number
    complaints = _bulk(Complaint, [h.complaint for h in handlings])
    _bulk(
        Deadline,
        [
            Deadline(
                agency=cast.agency,
                complaint=complaint,
                kind=kind,
                office_hours=office_hours,
                due_at=due,
                met_at=met,
                breached_at=due if met is not None and met > due else None,
                next_escalation_at=due if met is None else None,
                created_at=complaint.received_at,
            )
            for handling, complaint in zip(handlings, complaints, strict=True)
            for kind, due, met, office_hours in handling.deadlines
            if kind != DeadlineKind.FOLLOW_UP
        ],
    )
    # A hard complaint's follow-up is its revisit call, its only record.
    _bulk(
        Revisit,
        [
            _follow_up_call(cast, complaint, due, met, now)
            for handling, complaint in zip(handlings, complaints, strict=True)
            for kind, due, met, _office_hours in handling.deadlines
            if kind == DeadlineKind.FOLLOW_UP
        ],
    )
    _bulk(
        ComplaintEvent,
        [
            ComplaintEvent(
                agency=cast.agency,
                complaint=complaint,
                kind=kind,
                text=text,
                actor=cast.office,
                created_at=at,
            )
            for handling, complaint in zip(handlings, complaints, strict=True)
            for kind, at, text in handling.events
        ],
    )


def _follow_up_call(
    cast: Cast, complaint: Complaint, due: datetime, done: datetime | None, now: datetime
) -> Revisit:
    """The follow-up revisit of a resolved hard complaint: done when it was followed up,
    else waiting (escalated at its due time, if that has come). Only a resolved complaint
    is followed up, so its resolution time and the source it names are set."""
    return Revisit(
        agency=cast.agency,
        customer_id=complaint.customer_id,
        order=complaint.order,
        kind=RevisitKind.COMPLAINT_FOLLOW_UP,
        source=complaint.follow_up_source or "",
        due_at=due,
        status=RevisitStatus.OPEN if done is None else RevisitStatus.DONE,
        attempts=0 if done is None else 1,
        outcome="" if done is None else RevisitOutcome.REACHED,
        satisfaction=complaint.satisfaction,
        done_at=done,
        done_by=None if done is None else cast.office,
        next_action_at=due if done is None else None,
        escalated_at=due if done is None and due <= now else None,
        created_at=complaint.resolved_at or due,
    )


def _handle(
    cast: Cast, job: Job, accepted: datetime, week: Week, rng: random.Random, now: datetime
) -> Handling:
    category = rng.choices(list(COMPLAINT_WEIGHTS), list(COMPLAINT_WEIGHTS.values()))[0]
    tier = SUGGESTED_TIER[category]
    received = min(_office_time(accepted + timedelta(hours=rng.uniform(1, 30)), rng), now)
    complaint = Complaint(
        agency=cast.agency,
        branch=job.branch,
        customer_id=job.order.customer_id,
        order=job.order,
        staff=job.staff,
        channel=rng.choice((ComplaintChannel.PHONE, ComplaintChannel.PHONE, ComplaintChannel.LINK)),
        category=category,
        tier=tier,
        description=cast.say(COMPLAINTS[category]),
        desired_outcome=cast.say("希望公司给个说法。"),
        received_at=received,
        taken_by=cast.office,
        created_at=received,
    )
    handling = Handling(complaint)
    handling.events.append((EventKind.TAKEN, received, complaint.description))
    clock, office_hours = cast.clock(tier)
    policy = sla.policy_for(cast.agency)

    def step(
        kind: str, due: datetime, after: datetime, hours: bool = office_hours
    ) -> datetime | None:
        """The deadline met (in time, or late for some), if that time has come."""
        if rng.random() < week.late_rate:
            met = due + timedelta(minutes=rng.randint(10, 240))
        else:
            met = after + max(due - after, timedelta(minutes=10)) * rng.uniform(0.2, 0.95)
        met = max(met, after + timedelta(minutes=2))
        done = met if met <= now else None
        handling.deadlines.append((kind, due, done, hours))
        return done

    responded = step(
        DeadlineKind.FIRST_RESPONSE, clock.add(received, _within(policy, tier, 0)), received
    )
    if responded is None:
        return handling
    complaint.status = Status.RESPONDING
    handling.events.append(
        (EventKind.RESPONSE, responded, cast.say("已致电客户道歉，正在核实情况。"))
    )
    second = step(
        DeadlineKind.VERIFICATION if tier == Tier.SOFT else DeadlineKind.SECOND_RESPONSE,
        clock.add(received, _within(policy, tier, 1)),
        responded,
    )
    if second is None:
        return handling
    if tier == Tier.SOFT:
        handling.events.append(
            (EventKind.VERIFICATION, second, cast.say("已与服务人员核实，情况属实。"))
        )
        soon = second + timedelta(minutes=rng.randint(10, 60))
        resolved: datetime | None = soon if soon <= now else None
    else:
        resolve_by = second + timedelta(days=rng.randint(1, 3))
        handling.events.append(
            (EventKind.SECOND_RESPONSE, second, cast.say("已确认为我方问题，安排上门处理。"))
        )
        resolved = step(DeadlineKind.RESOLUTION, resolve_by, second, hours=False)
    if resolved is None:
        return handling
    complaint.status, complaint.resolved_at = Status.RESOLVED, resolved
    handling.events.append(
        (EventKind.RESOLUTION, resolved, cast.say("已处理完毕，客户认可处理结果。"))
    )
    if tier == Tier.SOFT:
        closed = resolved + timedelta(hours=rng.uniform(2, 30))
        if closed <= now:
            complaint.status, complaint.closed_at = Status.CLOSED, closed
            handling.events.append((EventKind.CLOSED, closed, cast.say("已回访，客户无其他意见。")))
        return handling
    followed = step(
        DeadlineKind.FOLLOW_UP, resolved + policy.follow_up_after_resolution, resolved, hours=False
    )
    if followed is not None:
        complaint.status, complaint.satisfaction = Status.FOLLOWED_UP, rng.choice((3, 4, 4, 5, 5))
        handling.events.append(
            (
                EventKind.FOLLOW_UP,
                followed,
                in_language(
                    cast.agency,
                    f"满意度 {complaint.satisfaction}/5。",
                    f"Satisfaction {complaint.satisfaction}/5.",
                ),
            )
        )
    return handling


def _office_time(moment: datetime, rng: random.Random) -> datetime:
    """The moment, or the next working morning if the office is closed then: customers
    mostly call while it is open."""
    if moment.weekday() < 5 and time(9) <= moment.time() < time(17, 30):
        return moment
    day = moment.date() + timedelta(days=0 if moment.time() < time(9) else 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(9), tzinfo=moment.tzinfo) + timedelta(
        minutes=rng.randint(0, 180)
    )


def _within(policy: SlaPolicy, tier: str, index: int) -> timedelta:
    """The SLA's time for the tier's opening deadline (0: first response, 1: the next)."""
    return sla.opening_deadlines(policy, tier)[index].within
