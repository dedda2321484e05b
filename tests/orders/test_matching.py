"""Matching: the hard filters (one test per rule, with the reason it gives), the soft score
and its reasons, "why not?", and the queries it runs."""

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from agency.audit import Actor
from orders.intake.services.booking import order_confirm
from orders.models import (
    AssignmentStatus,
    DoNotSend,
    Order,
    ScheduleKind,
    ServiceType,
    SignedVia,
)
from orders.staffing.matching import (
    TABLES,
    explain_exclusion,
    orders_to_match,
    rank_candidates,
    why_not,
)
from orders.staffing.scoring import MINUS, PLUS
from staff.models import (
    CertificateKind,
    EmploymentStatus,
    Gender,
    StaffMember,
    TimeOffStatus,
)
from tests.factories import (
    AssignmentFactory,
    BranchFactory,
    CertificateFactory,
    OrderFactory,
    StaffMemberFactory,
    StaffSkillFactory,
    TimeOffFactory,
    WorkingHoursFactory,
)

# --- helpers shared with test_assignment.py --------------------------------------


def confirm(order: Order, actor: Actor) -> Order:
    order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name="王芳",
        via=SignedVia.OFFICE,
        actor=actor,
        verification_reason="电话确认",
    )
    return orders_to_match(agency=order.agency).get(pk=order.pk)


def local_window(order: Order) -> tuple[datetime, datetime]:
    zone = order.agency.zone
    return order.starts_at.astimezone(zone), order.ends_at.astimezone(zone)


def make_staff(order: Order, *, skill_level: int = 3, **fields) -> StaffMember:
    """A staff member of the order's branch who passes every hard rule of `order`."""
    start, end = local_window(order)
    member = StaffMemberFactory(
        agency=order.agency, **{"home_branch": order.branch, "rating_count": 0, **fields}
    )
    for code in order.service_type.required_skills:
        StaffSkillFactory(agency=order.agency, staff=member, code=code, level=skill_level)
    for code in order.service_type.required_certificates:
        CertificateFactory(
            agency=order.agency,
            staff=member,
            kind=code,
            issued_on=start.date() - timedelta(days=100),
            expires_on=end.date() + timedelta(days=100),
        )
    WorkingHoursFactory(
        agency=order.agency,
        staff=member,
        weekday=start.weekday(),
        starts=time(8, 0),
        ends=time(18, 0),
    )
    return member


def require_skill_and_certificate(service: ServiceType) -> ServiceType:
    """Cleaning needs the cleaning skill and a health certificate."""
    service.required_skills = ["cleaning"]
    service.required_certificates = [CertificateKind.HEALTH]
    service.save()
    return service


@pytest.fixture
def skilled_cleaning(cleaning):
    return require_skill_and_certificate(cleaning)


@pytest.fixture
def order(book, skilled_cleaning, dispatcher):
    """A confirmed cleaning order, 09:00–12:00 three days ahead, in 朝阳区."""
    return confirm(book(), dispatcher)


_numbers = itertools.count(1)


def another_order(order: Order, *, starts_at: datetime, hours: int = 3, **fields) -> Order:
    """Another order of the agency (numbered apart from the booked ones)."""
    return OrderFactory(
        agency=order.agency,
        number=f"OTHER-{next(_numbers)}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **fields,
    )


def ranked(order: Order) -> list[str]:
    return [candidate.staff.name for candidate in rank_candidates(order=order)]


# --- hard filters ---------------------------------------------------------------


def test_an_eligible_staff_member_is_ranked_and_has_nothing_against_them(order):
    member = make_staff(order, name="李娟")
    assert ranked(order) == ["李娟"]
    assert explain_exclusion(order=order, staff=member) == []


def test_staff_who_left_are_excluded(order):
    member = make_staff(order, status=EmploymentStatus.LEFT, left_on=date(2026, 1, 1))
    assert ranked(order) == []
    assert explain_exclusion(order=order, staff=member) == ["Not active (Left)."]


def test_staff_without_a_required_skill_are_excluded(order):
    member = make_staff(order)
    member.skills.all().delete()
    StaffSkillFactory(agency=order.agency, staff=member, code="cooking", level=5)
    assert ranked(order) == []
    assert explain_exclusion(order=order, staff=member) == [
        "Lacks the required skill Home cleaning."
    ]


def test_a_certificate_must_be_valid_for_the_whole_window(order):
    start, end = local_window(order)
    expired = make_staff(order, name="过期")
    expired.certificates.update(expires_on=end.date())  # expires on the day of the service
    too_new = make_staff(order, name="太新")
    too_new.certificates.update(issued_on=start.date() + timedelta(days=1))
    no_expiry = make_staff(order, name="长期")
    no_expiry.certificates.update(expires_on=None)

    assert ranked(order) == ["长期"]
    reason = explain_exclusion(order=order, staff=expired)
    assert len(reason) == 1 and reason[0].startswith("No Health certificate valid from")
    assert explain_exclusion(order=order, staff=too_new) == reason


def test_the_working_pattern_must_cover_the_window(order):
    start, _end = local_window(order)
    late_starter = make_staff(order, name="下午班")
    late_starter.working_hours.update(starts=time(10, 0))
    other_day = make_staff(order, name="换天")
    other_day.working_hours.update(weekday=(start.weekday() + 1) % 7)

    assert ranked(order) == []
    [reason] = explain_exclusion(order=order, staff=late_starter)
    assert reason.startswith("Does not work ") and reason.endswith("(working pattern).")
    assert explain_exclusion(order=order, staff=other_day) == [reason]


def test_a_live_in_placement_needs_staff_who_accept_live_in(book, skilled_cleaning, dispatcher):
    order = confirm(
        book(schedule_kind=ScheduleKind.LIVE_IN, days=26, time_start=time(8), time_end=time(20)),
        dispatcher,
    )
    stays = make_staff(order, name="住家", accepts_live_in=True)
    stays.working_hours.all().delete()  # the weekly pattern does not apply to live-in work
    goes_home = make_staff(order, name="白班")

    assert ranked(order) == ["住家"]
    assert explain_exclusion(order=order, staff=goes_home) == [
        "Does not accept live-in placements."
    ]
    assert explain_exclusion(order=order, staff=stays) == []


def test_approved_time_off_overlapping_the_window_excludes_a_requested_one_does_not(order):
    on_leave = make_staff(order, name="请假")
    asked = make_staff(order, name="申请中")
    for member, status in ((on_leave, TimeOffStatus.APPROVED), (asked, TimeOffStatus.REQUESTED)):
        TimeOffFactory(
            agency=order.agency,
            staff=member,
            status=status,
            period=DateTimeTZRange(
                order.starts_at + timedelta(hours=2), order.ends_at + timedelta(days=1)
            ),
        )
    assert ranked(order) == ["申请中"]
    assert explain_exclusion(order=order, staff=on_leave) == [
        "Approved time off overlaps the service window."
    ]


def test_an_overlapping_assignment_excludes_a_released_one_does_not(order):
    busy = make_staff(order, name="已派")
    was_busy = make_staff(order, name="已释放")
    other = another_order(order, starts_at=order.starts_at + timedelta(hours=2))
    AssignmentFactory(agency=order.agency, order=other, staff=busy)
    AssignmentFactory(
        agency=order.agency, order=other, staff=was_busy, status=AssignmentStatus.RELEASED
    )
    assert ranked(order) == ["已释放"]
    assert explain_exclusion(order=order, staff=busy) == [
        f"Already booked at that time (order {other.number})."
    ]


def test_staff_of_another_branch_only_for_an_urgent_order(order, world):
    elsewhere = make_staff(order, name="分店", home_branch=BranchFactory(agency=order.agency))
    assert ranked(order) == []
    assert explain_exclusion(order=order, staff=elsewhere) == [
        f"Based at another branch ({elsewhere.home_branch.name}); the order is not urgent."
    ]

    Order.objects.filter(pk=order.pk).update(is_urgent=True)
    urgent = orders_to_match(agency=order.agency).get(pk=order.pk)
    assert ranked(urgent) == ["分店"]
    assert explain_exclusion(order=urgent, staff=elsewhere) == []


def test_a_staff_member_the_customer_complained_about_is_not_sent(order):
    member = make_staff(order)
    DoNotSend.objects.create(
        agency=order.agency, customer=order.customer, staff=member, reason="打碎花瓶未告知"
    )
    assert ranked(order) == []
    assert explain_exclusion(order=order, staff=member) == [
        "Not to be sent to this customer: 打碎花瓶未告知"
    ]


def test_every_failing_rule_is_named(order):
    member = make_staff(order, status=EmploymentStatus.SUSPENDED)
    member.skills.all().delete()
    member.working_hours.all().delete()
    reasons = explain_exclusion(order=order, staff=member)
    assert reasons[:2] == ["Not active (Suspended).", "Lacks the required skill Home cleaning."]
    assert reasons[2].startswith("Does not work ")


def test_another_agencys_staff_are_never_candidates(order, world):
    foreign = StaffMemberFactory(agency=world.b.agency)
    assert explain_exclusion(order=order, staff=foreign) == ["Not a staff member of this agency."]
    assert why_not(order=order, name=foreign.name) == []


# --- soft score and reasons ------------------------------------------------------


def test_the_ranking_says_what_counted_for_and_against(order):
    needs = order.needs_form
    needs.preferred_gender = Gender.FEMALE
    needs.preferred_language = "粤语"
    needs.min_experience_years = 5
    needs.save()
    strong = make_staff(
        order,
        name="强",
        skill_level=5,
        years_experience=8,
        languages=["普通话", "粤语"],
        rating=Decimal("4.80"),
        rating_count=40,
    )
    weak = make_staff(
        order,
        name="弱",
        skill_level=2,
        years_experience=1,
        gender=Gender.MALE,
        districts=["海淀区"],
        rating=Decimal("3.00"),
        rating_count=10,
    )
    first, second = rank_candidates(order=order)
    assert (first.staff, second.staff) == (strong, weak)
    assert first.score > second.score
    assert first.reasons == [
        (PLUS, "Skill Home cleaning level 5"),
        (PLUS, "8 years of experience"),
        (PLUS, "Serves 朝阳区"),
        (PLUS, "Rated 4.8 by 40 customers"),
        (PLUS, "Free in the next 14 days"),
        (PLUS, "Female, as the customer prefers"),
        (PLUS, "Speaks 粤语"),
    ]
    assert second.reasons == [
        (MINUS, "Skill Home cleaning level 2"),
        (MINUS, "1 year of experience; the customer asks for 5"),
        (MINUS, "Does not serve the customer's district (朝阳区)"),
        (MINUS, "Rated 3.0 by 10 customers"),
        (PLUS, "Free in the next 14 days"),
        (MINUS, "The customer prefers Female"),
        (MINUS, "Does not speak 粤语"),
    ]


def test_each_required_skill_is_reported_with_its_own_level(order, skilled_cleaning):
    skilled_cleaning.required_skills = ["cleaning", "ironing"]
    skilled_cleaning.save()
    order = orders_to_match(agency=order.agency).get(pk=order.pk)
    member = make_staff(order)
    member.skills.filter(code="cleaning").update(level=5)
    member.skills.filter(code="ironing").update(level=2)
    [candidate] = rank_candidates(order=order)
    assert candidate.reasons[:2] == [
        (PLUS, "Skill Home cleaning level 5"),
        (MINUS, "Skill ironing level 2"),
    ]


def test_one_five_star_review_does_not_beat_forty_good_ones(order):
    make_staff(order, name="一次好评", rating=Decimal("5.00"), rating_count=1)
    make_staff(order, name="四十次好评", rating=Decimal("4.80"), rating_count=40)
    assert ranked(order) == ["四十次好评", "一次好评"]


def test_the_less_busy_come_first_for_balance(order):
    busy = make_staff(order, name="忙")
    make_staff(order, name="闲")
    for day in (1, 2, 4):
        starts = timezone.now() + timedelta(days=day, hours=-12)
        AssignmentFactory(
            agency=order.agency,
            staff=busy,
            order=another_order(order, starts_at=starts, hours=2),
        )
    [idle, loaded] = rank_candidates(order=order)
    assert (idle.staff.name, idle.workload, loaded.workload) == ("闲", 0, 3)
    assert (MINUS, "3 jobs in the next 14 days") in loaded.reasons


def test_staff_who_served_the_customer_before_rank_higher(order):
    newcomer = make_staff(order, name="新人")
    regular = make_staff(order, name="老熟人")
    for staff, days in ((regular, -30), (newcomer, 30)):  # a later booking is no history
        other = another_order(
            order,
            starts_at=order.starts_at + timedelta(days=days),
            customer=order.customer,
            needs_form__customer=order.customer,
        )
        AssignmentFactory(
            agency=order.agency, order=other, staff=staff, status=AssignmentStatus.CONFIRMED
        )
    first, second = rank_candidates(order=order)
    assert first.staff == regular
    assert (PLUS, "Served this customer before (1 order)") in first.reasons
    assert not any("Served" in text for _sign, text in second.reasons)


def test_the_limit_keeps_the_best(order):
    for level in (1, 2, 3, 4, 5):
        make_staff(order, name=f"等级{level}", skill_level=level)
    assert [c.staff.name for c in rank_candidates(order=order, limit=2)] == ["等级5", "等级4"]


# --- "why not?" and the queries ---------------------------------------------------


def test_why_not_finds_staff_by_name_with_their_reasons(order):
    make_staff(order, name="王小红")
    away = make_staff(order, name="王小兰", status=EmploymentStatus.SUSPENDED)
    found = why_not(order=order, name="王小")
    assert [(member.name, reasons) for member, reasons in found] == [
        ("王小兰", ["Not active (Suspended)."]),
        ("王小红", []),
    ]
    assert found[0][0] == away
    assert why_not(order=order, name="  ") == []


def test_ranking_runs_a_fixed_number_of_queries_whatever_the_number_of_staff(
    order, django_assert_num_queries
):
    for _ in range(12):
        make_staff(order)
    # A savepoint (the test's transaction is the caller's), the narrowed join search,
    # the survivors with every score input, rolling the savepoint back and releasing
    # it; then the shown staff rows.
    with django_assert_num_queries(6):
        assert len(rank_candidates(order=order)) == 12


def test_the_sql_names_the_models_tables():
    assert {model: model._meta.db_table for model in TABLES} == TABLES
