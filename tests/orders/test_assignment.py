"""Assignment: proposing staff, the customer's staff card, no double booking (a real race),
replacement (换人) keeping history, release — through the services, the pages and the API."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.errors import StateConflict
from agency.models import AuditLog, OutboundMessage, Role
from orders import links
from orders.lifecycle import OrderStateConflict
from orders.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    CustomerSignature,
    Order,
    OrderStatus,
    SignaturePurpose,
    SignedVia,
)
from orders.staffing.matching import rank_candidates
from orders.staffing.services import (
    VIA_LINK,
    VIA_PHONE,
    DoubleBooked,
    assignment_confirm,
    assignment_decline,
    assignment_propose,
    assignment_release,
    assignment_replace,
    assignment_send_staff_card,
    assignments_release_all,
)
from staff.models import EmploymentStatus
from tests.concurrency import race
from tests.conftest import login
from tests.factories import CertificateFactory, StaffMemberFactory
from tests.orders.conftest import CUSTOMER
from tests.orders.test_matching import confirm, make_staff, require_skill_and_certificate

JSON = "application/json"


@pytest.fixture(autouse=True)
def _english_agency(world):
    """Pages, the API and the customer's link speak English here, so texts can be compared."""
    world.a.agency.default_language = "en"
    world.a.agency.save(update_fields=["default_language"])


@pytest.fixture
def skilled_cleaning(cleaning):
    return require_skill_and_certificate(cleaning)


@pytest.fixture
def order(book, skilled_cleaning, dispatcher):
    return confirm(book(), dispatcher)


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def api(world, role: Role = Role.DISPATCHER) -> Client:
    return login(english_client(), world.a.user(role))


def english_client() -> Client:
    """API answers are in the caller's language; these tests read English."""
    return Client(headers={"Accept-Language": "en"})


def proposed(order, dispatcher, *staff):
    return assignment_propose(order=order, staff_list=list(staff), actor=dispatcher)


# --- proposing --------------------------------------------------------------------


def test_proposing_holds_the_order_window_with_the_first_as_lead(order, dispatcher):
    lead, member = make_staff(order, name="组长"), make_staff(order, name="组员")
    assignments = proposed(order, dispatcher, lead, member)

    assert [(a.staff, a.role, a.status) for a in assignments] == [
        (lead, AssignmentRole.LEAD, AssignmentStatus.PROPOSED),
        (member, AssignmentRole.MEMBER, AssignmentStatus.PROPOSED),
    ]
    assert assignments[0].period.lower == order.starts_at
    assert assignments[0].period.upper == order.ends_at
    assert fresh(order).status == OrderStatus.CONFIRMED  # until the customer confirms
    assert AuditLog.objects.filter(action="assignment.propose").count() == 2
    assert order.events.filter(reason__contains="组长、组员").exists()


def test_only_a_confirmed_order_gets_staff_proposed(book, skilled_cleaning, dispatcher):
    quoted = book()
    member = make_staff(quoted)
    with pytest.raises(OrderStateConflict):
        proposed(quoted, dispatcher, member)
    assert not Assignment.objects.exists()


def test_proposing_someone_who_fails_a_rule_says_why_and_writes_nothing(order, dispatcher):
    good = make_staff(order, name="合格")
    expired = make_staff(order, name="证过期")
    expired.certificates.update(expires_on=order.starts_at.date() - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        proposed(order, dispatcher, good, expired)
    [message] = refused.value.message_dict["staff"]
    assert message.startswith("证过期: No Health certificate valid from")
    assert not Assignment.objects.exists()
    assert not AuditLog.objects.filter(action="assignment.propose").exists()


def test_a_second_proposal_waits_for_the_customers_answer(order, dispatcher):
    proposed(order, dispatcher, make_staff(order))
    with pytest.raises(StateConflict):
        proposed(order, dispatcher, make_staff(order))


def test_another_agencys_staff_cannot_be_proposed(order, dispatcher, world):
    foreign = StaffMemberFactory(agency=world.b.agency)
    with pytest.raises(ValidationError) as refused:
        proposed(order, dispatcher, foreign)
    assert "Not a staff member of this agency." in refused.value.message_dict["staff"][0]

    response = api(world).post(
        reverse("order-propose", kwargs={"pk": order.pk}), {"staff": [foreign.pk]}, JSON
    )
    assert response.status_code == 400
    assert "staff" in response.json()
    assert not Assignment.objects.exists()


def test_the_constraint_refuses_a_booking_the_checks_missed_with_a_clear_message(
    book, skilled_cleaning, dispatcher, monkeypatch
):
    first = confirm(book(), dispatcher)
    second = confirm(
        book(customer=CUSTOMER.__class__(**{**vars(CUSTOMER), "phone": "139 0000 1111"})),
        dispatcher,
    )
    member = make_staff(first, name="赵敏")
    proposed(first, dispatcher, member)
    # As if the other dispatcher's booking had not been committed when the checks ran.
    monkeypatch.setattr("orders.staffing.services.explain_exclusion", lambda **kw: [])
    with pytest.raises(DoubleBooked) as refused:
        proposed(second, dispatcher, member)
    assert str(refused.value) == (
        f"赵敏 is already booked at that time (order {first.number}). "
        "Reload the candidates and choose again."
    )
    assert not second.assignments.exists()


# --- the real race: two dispatchers, two overlapping orders, one person ---------------


def _two_overlapping_orders(book, dispatcher):
    first = confirm(book(), dispatcher)
    other_customer = CUSTOMER.__class__(**{**vars(CUSTOMER), "phone": "139 0000 2222"})
    second = confirm(book(customer=other_customer), dispatcher)
    return first, second


@pytest.fixture
def checks_pass_together(monkeypatch):
    """Both transactions finish their checks before either inserts: the database decides."""
    from orders.staffing import services as service

    book_now = service._book
    checked = threading.Barrier(2, timeout=10)

    def book_after_both_checked(assignments):
        checked.wait()
        return book_now(assignments)

    monkeypatch.setattr(service, "_book", book_after_both_checked)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_booking_the_same_person_at_once_exactly_one_wins(
    book, skilled_cleaning, dispatcher, manager, checks_pass_together
):
    first, second = _two_overlapping_orders(book, dispatcher)
    member = make_staff(first, name="抢手")
    outcomes = race(
        lambda: proposed(first, dispatcher, member),
        lambda: proposed(second, manager, member),
    )
    winners = [o for o in outcomes if isinstance(o, list)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], DoubleBooked)  # a StateConflict: 409 in the API
    [won] = winners[0]
    assert str(losers[0]) == (
        f"抢手 is already booked at that time (order {won.order.number}). "
        "Reload the candidates and choose again."
    )
    assert Assignment.objects.filter(staff=member).count() == 1
    loser_order = second if won.order_id == first.pk else first
    assert not loser_order.assignments.exists()
    assert not loser_order.events.filter(reason__contains="抢手").exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_same_race_through_the_api_gives_one_201_and_one_409(
    book, skilled_cleaning, dispatcher, world, checks_pass_together
):
    first, second = _two_overlapping_orders(book, dispatcher)
    member = make_staff(first)

    def propose(order, role):
        client = login(english_client(), world.a.user(role))
        return client.post(
            reverse("order-propose", kwargs={"pk": order.pk}), {"staff": [member.pk]}, JSON
        )

    responses = race(lambda: propose(first, Role.DISPATCHER), lambda: propose(second, Role.MANAGER))
    assert sorted(r.status_code for r in responses) == [201, 409], [r.content for r in responses]
    conflict = next(r for r in responses if r.status_code == 409)
    assert "is already booked at that time" in conflict.json()["detail"]
    assert Assignment.objects.filter(staff=member).count() == 1


# --- the customer's staff card ----------------------------------------------------------


def test_the_customer_confirms_the_staff_card_through_the_link_and_the_order_is_assigned(
    order, dispatcher, client, world
):
    lead = make_staff(
        order,
        name="陈静",
        phone="15912345678",
        years_experience=6,
        photo="agency-1/staff/photos/chen.jpg",
    )
    CertificateFactory(
        agency=order.agency,
        staff=lead,
        kind="childcare",
        issued_on=order.starts_at.date() - timedelta(days=10),
        expires_on=None,
    )
    proposed(order, dispatcher, lead)
    office = login(Client(), world.a.user(Role.DISPATCHER))
    office.post(reverse("order_staff_card", kwargs={"pk": order.pk}))

    # The staff member's own message (job.proposed) is beside it: the card is the customer's.
    sms = OutboundMessage.objects.get(recipient=order.customer.phone)
    assert sms.recipient == order.customer.phone
    link = re.search(r"https?://[^/]+(/c/[^ ]+/)", sms.body).group(1)
    assert "15912345678" not in sms.body

    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert "陈静" in html and "Health certificate" in html and "Childcare" in html
    # The customer sees the photo through a signed link (agency.media), not its path.
    assert '<img src="/media/agency-1/staff/photos/chen.jpg?sig=' in html
    assert "6 years" in html
    assert "15912345678" not in html and "1591234" not in html  # never the staff phone
    shown = str(lead.assignments.get().pk)

    signed = client.post(
        link,
        {"decision": "confirm", "shown": shown, "signed_name": "王芳", "agree": "on"},
        HTTP_USER_AGENT="Mobile Safari",
    )
    assert signed.status_code == 200
    assert "the staff are confirmed" in signed.content.decode()
    assert "15912345678" not in signed.content.decode()
    assert fresh(order).status == OrderStatus.ASSIGNED
    assignment = lead.assignments.get()
    assert (assignment.status, assignment.confirmed_via) == (AssignmentStatus.CONFIRMED, VIA_LINK)
    signature = order.signatures.get(purpose=SignaturePurpose.CONFIRM_STAFF)
    assert (signature.via, signature.signed_name, signature.user_agent) == (
        SignedVia.LINK,
        "王芳",
        "Mobile Safari",
    )
    assert [e.to_status for e in order.events.exclude(to_status="")][-1] == OrderStatus.ASSIGNED


def test_a_link_shown_before_the_proposal_changed_confirms_nothing(order, dispatcher, client):
    first = make_staff(order)
    [old] = proposed(order, dispatcher, first)
    link = links.link_path(order=order, purpose=SignaturePurpose.CONFIRM_STAFF)
    assignment_decline(order=order, actor=dispatcher, reason="换一位")
    [new] = proposed(fresh(order), dispatcher, make_staff(order))

    response = client.post(
        link, {"decision": "confirm", "shown": str(old.pk), "signed_name": "王芳", "agree": "on"}
    )
    assert response.status_code == 409
    assert fresh(order).status == OrderStatus.CONFIRMED
    assert Assignment.objects.get(pk=new.pk).status == AssignmentStatus.PROPOSED


def test_the_customer_must_type_their_name_and_agree(order, dispatcher, client):
    [assignment] = proposed(order, dispatcher, make_staff(order))
    link = links.link_path(order=order, purpose=SignaturePurpose.CONFIRM_STAFF)
    response = client.post(link, {"decision": "confirm", "shown": str(assignment.pk)})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"signed_name", "agree"}
    assert fresh(order).status == OrderStatus.CONFIRMED


def test_the_customer_declines_through_the_link_and_the_person_is_free_again(
    order, dispatcher, client
):
    member = make_staff(order, name="不合适")
    [assignment] = proposed(order, dispatcher, member)
    link = links.link_path(order=order, purpose=SignaturePurpose.CONFIRM_STAFF)
    response = client.post(
        link, {"decision": "decline", "shown": str(assignment.pk), "reason": "想要会说粤语的"}
    )
    assert response.status_code == 200
    assert "we will call you to propose someone else" in response.content.decode()
    assignment.refresh_from_db()
    assert (assignment.status, assignment.release_reason) == (
        AssignmentStatus.DECLINED,
        "想要会说粤语的",
    )
    assert fresh(order).status == OrderStatus.CONFIRMED
    assert client.get(link).context["can_sign"] is False


def test_the_office_records_a_confirmation_heard_on_the_phone(order, dispatcher, world):
    [assignment] = proposed(order, dispatcher, make_staff(order))
    assignment_confirm(order=order, via=VIA_PHONE, actor=dispatcher, note="17:05 来电")
    assert fresh(order).status == OrderStatus.ASSIGNED
    assignment.refresh_from_db()
    assert assignment.confirmed_via == VIA_PHONE
    signature = CustomerSignature.objects.get(purpose=SignaturePurpose.CONFIRM_STAFF)
    assert signature.via == SignedVia.OFFICE
    assert signature.verified_by == world.a.user(Role.DISPATCHER)
    assert "17:05 来电" in signature.verification_reason
    assert AuditLog.objects.filter(action="assignment.confirm").count() == 1


def test_nothing_to_confirm_is_a_conflict(order, dispatcher):
    with pytest.raises(StateConflict):
        assignment_confirm(order=order, via=VIA_PHONE, actor=dispatcher)


def test_the_staff_card_text_goes_to_the_customer_in_their_language(order, dispatcher):
    order.customer.preferred_language = "en"
    order.customer.save()
    proposed(order, dispatcher, make_staff(order))
    assignment_send_staff_card(order=order, actor=dispatcher, url="https://x.test/c/abc/")
    # The staff member's own message (job.proposed) is beside it: the card is the customer's.
    sms = OutboundMessage.objects.get(recipient=order.customer.phone)
    assert sms.body.endswith("https://x.test/c/abc/")
    assert order.number in sms.body
    assert AuditLog.objects.filter(action="assignment.card_sent").exists()


# --- replacement (换人) and release ---------------------------------------------------


def _assigned(order, dispatcher, member):
    [assignment] = proposed(order, dispatcher, member)
    assignment_confirm(order=order, via=VIA_PHONE, actor=dispatcher)
    assignment.refresh_from_db()
    return assignment


def test_replacing_keeps_who_served_and_why(order, dispatcher):
    first = _assigned(order, dispatcher, make_staff(order, name="原来的"))
    newcomer = make_staff(order, name="接替的")
    new = assignment_replace(
        order=fresh(order),
        assignment=first,
        staff=newcomer,
        reason="家中有事",
        actor=dispatcher,
        customer_agreed=True,
    )
    first.refresh_from_db()
    assert (first.status, first.release_reason, first.replaced_by) == (
        AssignmentStatus.RELEASED,
        "家中有事",
        new,
    )
    assert (new.status, new.role, new.confirmed_via) == (
        AssignmentStatus.CONFIRMED,
        AssignmentRole.LEAD,
        VIA_PHONE,
    )
    assert fresh(order).status == OrderStatus.ASSIGNED
    assert AuditLog.objects.filter(action="assignment.replace").count() == 1
    assert order.events.filter(reason__contains="原来的 replaced by 接替的").exists()


def test_a_replacement_waiting_for_the_customer_returns_the_order_to_confirmed_until_confirmed(
    order, dispatcher
):
    first = _assigned(order, dispatcher, make_staff(order))
    new = assignment_replace(
        order=fresh(order),
        assignment=first,
        staff=make_staff(order),
        reason="生病",
        actor=dispatcher,
    )
    assert new.status == AssignmentStatus.PROPOSED
    assert fresh(order).status == OrderStatus.CONFIRMED
    assignment_confirm(order=fresh(order), via=VIA_PHONE, actor=dispatcher)
    assert fresh(order).status == OrderStatus.ASSIGNED
    statuses = [e.to_status for e in order.events.exclude(to_status="")]
    assert statuses[-3:] == [OrderStatus.ASSIGNED, OrderStatus.CONFIRMED, OrderStatus.ASSIGNED]


def test_a_replacement_during_the_service_splits_the_period_at_the_handover(
    book, skilled_cleaning, dispatcher
):
    from datetime import time

    from orders.models import ScheduleKind

    order = confirm(
        book(schedule_kind=ScheduleKind.LIVE_IN, days=10, time_start=time(8), time_end=time(20)),
        dispatcher,
    )
    first = _assigned(order, dispatcher, make_staff(order, accepts_live_in=True))
    newcomer = make_staff(order, accepts_live_in=True)
    handover = order.starts_at + timedelta(days=4)
    with time_machine.travel(handover, tick=False):
        new = assignment_replace(
            order=fresh(order),
            assignment=first,
            staff=newcomer,
            reason="客户要求换人",
            actor=dispatcher,
            customer_agreed=True,
        )
    first.refresh_from_db()
    assert (first.period.lower, first.period.upper) == (order.starts_at, handover)
    assert (new.period.lower, new.period.upper) == (handover, order.ends_at)


def test_only_a_confirmed_person_is_replaced(order, dispatcher):
    [waiting] = proposed(order, dispatcher, make_staff(order))
    with pytest.raises(OrderStateConflict):
        assignment_replace(
            order=order, assignment=waiting, staff=make_staff(order), reason="x", actor=dispatcher
        )


def test_releasing_the_last_confirmed_person_returns_the_order_to_be_staffed(order, dispatcher):
    member = make_staff(order, name="临时有事")
    first = _assigned(order, dispatcher, member)
    assignment_release(order=fresh(order), assignment=first, reason="临时有事", actor=dispatcher)
    assert fresh(order).status == OrderStatus.CONFIRMED
    first.refresh_from_db()
    assert first.status == AssignmentStatus.RELEASED
    # Free again: the same person can be proposed once more.
    proposed(fresh(order), dispatcher, member)


def test_a_release_needs_a_reason_and_an_assignment_of_this_order(order, dispatcher, book):
    first = _assigned(order, dispatcher, make_staff(order))
    with pytest.raises(ValidationError):
        assignment_release(order=fresh(order), assignment=first, reason=" ", actor=dispatcher)
    other = confirm(
        book(customer=CUSTOMER.__class__(**{**vars(CUSTOMER), "phone": "139 0000 3333"})),
        dispatcher,
    )
    with pytest.raises(ValidationError):
        assignment_release(order=other, assignment=first, reason="x", actor=dispatcher)


def test_a_cancelled_orders_staff_are_freed_for_other_work(order, dispatcher):
    lead, member = make_staff(order), make_staff(order)
    proposed(order, dispatcher, lead, member)
    freed = assignments_release_all(order=order, actor=dispatcher, reason="订单已取消")
    assert {a.staff for a in freed} == {lead, member}
    assert not order.assignments.filter(status__in=["proposed", "confirmed"]).exists()
    assert fresh(order).status == OrderStatus.CONFIRMED  # the cancellation service moves it
    assert AuditLog.objects.filter(action="assignment.release").count() == 2


# --- pages ----------------------------------------------------------------------------


def test_the_dispatcher_ranks_proposes_and_records_the_phone_answer_on_the_pages(
    order, world, client_for
):
    best = make_staff(order, name="最合适", skill_level=5)
    make_staff(order, name="次合适", skill_level=3)
    office = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("order_staff", kwargs={"pk": order.pk})

    page = office.get(url)
    html = page.content.decode()
    assert page.context["candidates"][0].staff == best
    assert "Skill Home cleaning level 5" in html
    assert best.phone not in html

    response = office.post(
        reverse("order_staff_propose", kwargs={"pk": order.pk}), {"lead": best.pk}
    )
    assert response.status_code == 302
    assert best.assignments.get().status == AssignmentStatus.PROPOSED

    detail = office.get(reverse("order_detail", kwargs={"pk": order.pk})).content.decode()
    assert "最合适" in detail and reverse("order_staff_confirm", kwargs={"pk": order.pk}) in detail
    office.post(reverse("order_staff_confirm", kwargs={"pk": order.pk}), {"note": "客户来电确认"})
    assert fresh(order).status == OrderStatus.ASSIGNED


def test_the_staff_page_runs_as_many_queries_for_twelve_candidates_as_for_two(
    order, world, client_for
):
    office = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("order_staff", kwargs={"pk": order.pk})

    def queries_with(count):
        while len(rank_candidates(order=order)) < count:
            make_staff(order)
        with CaptureQueriesContext(connection) as captured:
            assert office.get(url).status_code == 200
        return len(captured)

    assert queries_with(2) == queries_with(12)


def test_a_refused_proposal_comes_back_with_the_reasons(order, world, client_for):
    left = make_staff(order, name="已离职", status=EmploymentStatus.LEFT)
    office = client_for(world.a.user(Role.DISPATCHER))
    response = office.post(
        reverse("order_staff_propose", kwargs={"pk": order.pk}), {"lead": left.pk}
    )
    assert response.status_code == 200
    assert "已离职: Not active (Left)." in response.content.decode()
    assert not Assignment.objects.exists()


def test_why_not_answers_in_a_fragment(order, world, client_for):
    make_staff(order, name="周慧", status=EmploymentStatus.SUSPENDED)
    office = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("order_staff_why", kwargs={"pk": order.pk})
    fragment = office.get(url, {"q": "周"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert "Not active (Suspended)." in fragment.content.decode()
    # Without JavaScript the page itself answers.
    assert office.get(url, {"q": "周"}).status_code == 302
    page = office.get(reverse("order_staff", kwargs={"pk": order.pk}), {"q": "周"})
    assert "Not active (Suspended)." in page.content.decode()


def test_the_replacement_page_ranks_candidates_and_replaces(order, dispatcher, world, client_for):
    first = _assigned(order, dispatcher, make_staff(order, name="甲"))
    second = make_staff(order, name="乙")
    office = client_for(world.a.user(Role.DISPATCHER))
    page = office.get(reverse("order_staff", kwargs={"pk": order.pk}), {"replace": first.pk})
    assert page.context["replacing"] == first
    assert [c.staff for c in page.context["candidates"]] == [second]
    response = office.post(
        reverse("order_staff_replace", kwargs={"pk": order.pk}),
        {"assignment": first.pk, "staff": second.pk, "reason": "请假", "customer_agreed": "on"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.replaced_by.staff == second
    detail = office.get(reverse("order_detail", kwargs={"pk": order.pk})).content.decode()
    assert "请假" in detail  # the earlier staff stay listed, with the reason


def test_the_release_button_goes_back_to_the_page_it_was_on(order, dispatcher, world, client_for):
    first = _assigned(order, dispatcher, make_staff(order))
    office = client_for(world.a.user(Role.DISPATCHER))
    staff_page = reverse("order_staff", kwargs={"pk": order.pk})
    response = office.post(
        reverse("order_staff_release", kwargs={"pk": order.pk}),
        {"assignment": first.pk, "reason": "生病", "next": staff_page},
    )
    assert response["Location"] == staff_page
    response = office.post(
        reverse("order_staff_release", kwargs={"pk": order.pk}),
        {"assignment": first.pk, "reason": "生病", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("order_detail", kwargs={"pk": order.pk})


# --- API --------------------------------------------------------------------------------


def test_the_api_ranks_explains_proposes_and_confirms(order, world):
    best = make_staff(order, name="甲", skill_level=5)
    excluded = make_staff(order, name="乙", status=EmploymentStatus.LEFT)
    client = api(world)

    candidates = client.get(reverse("order-candidates", kwargs={"pk": order.pk})).json()
    assert [c["staff"]["id"] for c in candidates] == [best.pk]
    assert {"sign": "+", "text": "Skill Home cleaning level 5"} in candidates[0]["reasons"]
    assert "phone" not in candidates[0]["staff"]

    explain = client.get(
        reverse("order-candidates-explain", kwargs={"pk": order.pk}), {"staff": excluded.pk}
    )
    assert explain.json() == {
        "staff": excluded.pk,
        "eligible": False,
        "reasons": ["Not active (Left)."],
    }
    missing = client.get(reverse("order-candidates-explain", kwargs={"pk": order.pk}))
    assert missing.status_code == 400
    foreign = StaffMemberFactory(agency=world.b.agency)
    assert (
        client.get(
            reverse("order-candidates-explain", kwargs={"pk": order.pk}), {"staff": foreign.pk}
        ).status_code
        == 400
    )

    response = client.post(
        reverse("order-propose", kwargs={"pk": order.pk}), {"staff": [best.pk]}, JSON
    )
    assert response.status_code == 201
    [assignment] = response.json()["assignments"]
    assert assignment["staff"] == {"id": best.pk, "name": "甲"}
    assert (assignment["role"], assignment["status"]) == ("lead", "proposed")

    link = client.post(reverse("order-staff-card-link", kwargs={"pk": order.pk}))
    assert "/c/" in link.json()["url"]

    confirmed = client.post(
        reverse("order-confirm-staff", kwargs={"pk": order.pk}), {"via": "phone"}, JSON
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "assigned"
    assert (
        client.post(
            reverse("order-confirm-staff", kwargs={"pk": order.pk}), {"via": "link"}, JSON
        ).status_code
        == 400
    )


def test_the_api_answers_409_when_the_person_is_already_booked(
    book, skilled_cleaning, dispatcher, world, monkeypatch
):
    first = confirm(book(), dispatcher)
    second = confirm(
        book(customer=CUSTOMER.__class__(**{**vars(CUSTOMER), "phone": "139 0000 4444"})),
        dispatcher,
    )
    member = make_staff(first)
    proposed(first, dispatcher, member)
    client = api(world)
    # The checks see it: a 400 saying why.
    refused = client.post(
        reverse("order-propose", kwargs={"pk": second.pk}), {"staff": [member.pk]}, JSON
    )
    assert refused.status_code == 400
    assert "Already booked at that time" in str(refused.json())
    # Committed after the checks ran: the database refuses, 409.
    monkeypatch.setattr("orders.staffing.services.explain_exclusion", lambda **kw: [])
    conflict = client.post(
        reverse("order-propose", kwargs={"pk": second.pk}), {"staff": [member.pk]}, JSON
    )
    assert conflict.status_code == 409
    assert "already booked at that time" in conflict.json()["detail"]


def test_the_api_replaces_and_the_detail_keeps_the_history(order, dispatcher, world):
    first = _assigned(order, dispatcher, make_staff(order, name="甲"))
    second = make_staff(order, name="乙")
    response = api(world).post(
        reverse("order-replace", kwargs={"pk": order.pk}),
        {"assignment": first.pk, "staff": second.pk, "reason": "请假", "customer_agreed": True},
        JSON,
    )
    assert response.status_code == 200
    rows = [
        (a["staff"]["name"], a["status"], a["replaced_by"]) for a in response.json()["assignments"]
    ]
    new = second.assignments.get()
    assert rows == [("甲", "released", new.pk), ("乙", "confirmed", None)]


def test_the_candidates_api_runs_a_fixed_number_of_queries(order, world, django_assert_num_queries):
    for _ in range(8):
        make_staff(order)
    client = api(world)
    client.get(reverse("order-candidates", kwargs={"pk": order.pk}))  # warm the session
    # session, user, memberships; the order with agency, service, needs form, address;
    # the ranking's six (tests/orders/test_matching.py)
    with django_assert_num_queries(10):
        response = client.get(reverse("order-candidates", kwargs={"pk": order.pk}))
    assert len(response.json()) == 8


def test_cancelling_an_order_frees_its_staff(world, book, dispatcher):
    from orders.intake.services.cancellation import order_request_cancellation
    from orders.models import AssignmentStatus
    from tests.factories import AssignmentFactory

    order = book()
    assignment = AssignmentFactory(
        agency=world.a.agency, order=order, status=AssignmentStatus.CONFIRMED
    )
    order_request_cancellation(
        order=order,
        actor=dispatcher,
        reason="改期",
        signed_name="王芳",
        via="office",
        verification_reason="电话确认",
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RELEASED
