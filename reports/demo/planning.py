"""What happened, planned in memory before anything is written: how each week went and
what became of each job, drawn from one seeded random source (the order of the draws
makes the history)."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from agency.models import Branch
from orders.models import Customer, Order, PaymentMethod, PricingUnit
from orders.pricing import money
from reports.demo.cast import Cast, Service
from staff.models import StaffMember

#: History orders are numbered "H<ISO year><ISO week>-<n>": the mark of the history.
HISTORY_PREFIX = "H"

PRAISE = (
    "阿姨很细心，厨房打扫得很干净。",
    "准时到达，服务态度很好。",
    "非常满意，下次还找你们。",
    "干活利索，值得推荐。",
)
MIXED = ("整体还行，卫生间角落没擦干净。", "比约定时间晚到了二十分钟。")
UNHAPPY = ("擦窗不干净，地板上有水渍。", "阿姨态度不好，提前离开了。")
PAYMENT_WEIGHTS = {
    PaymentMethod.WECHAT_PAY: 45,
    PaymentMethod.ALIPAY: 30,
    PaymentMethod.CASH: 15,
    PaymentMethod.BANK_TRANSFER: 10,
}


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
        if job.invoiced is not None:
            # Most pay within three days; the rest are chased and pay within six weeks, so
            # what is open is the recent weeks' (as at a real agency), not all of history's.
            prompt = rng.random() < 0.93
            wait = (
                timedelta(hours=rng.uniform(0.2, 72))
                if prompt
                else timedelta(days=rng.uniform(10, 40))
            )
            job.paid = self._happened(job.invoiced + wait)
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
