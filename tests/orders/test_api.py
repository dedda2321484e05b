"""The orders API: intake, confirmation, cancellation, masked customers, constant query counts."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agency.models import AuditLog, Role
from orders import links
from orders.intake.services.booking import order_confirm
from orders.intake.services.cancellation import order_request_cancellation
from orders.models import (
    Callback,
    CancellationStatus,
    Customer,
    NeedsForm,
    Order,
    OrderEvent,
    OrderStatus,
    Price,
    SignaturePurpose,
    SignedVia,
)
from tests.conftest import login
from tests.factories import (
    BranchFactory,
    CallbackFactory,
    CustomerFactory,
    OrderFactory,
    ServiceTypeFactory,
)
from tests.orders.conftest import CUSTOMER

JSON = "application/json"
OTHER_CUSTOMER = replace(CUSTOMER, name="李娜", phone="139 1234 5678", district="海淀区")


def intake_payload(world, service, **overrides):
    payload = {
        "customer": {
            "name": "王芳",
            "phone": "138 0013 8000",
            "district": "朝阳区",
            "address": "建国路 88 号 501",
        },
        "branch": world.a.branch.pk,
        "service_type": service.pk,
        "schedule_kind": "once",
        "start_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "time_start": "09:00",
        "time_end": "12:00",
        "allergies": "对芒果过敏",
        "pets": "一只猫",
    }
    return {**payload, **overrides}


def client_as(world, role: Role) -> Client:
    return login(Client(), world.a.user(role))


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type=JSON)


def office_confirm(order, dispatcher):
    return order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name="王芳",
        via=SignedVia.OFFICE,
        actor=dispatcher,
        verification_reason="电话中确认",
    )


# --- intake -------------------------------------------------------------------


def test_the_dispatchers_intake_gives_a_quoted_order_with_its_quote(world, cleaning):
    client = client_as(world, Role.DISPATCHER)
    response = post(client, reverse("order-list"), intake_payload(world, cleaning))

    assert response.status_code == 201, response.json()
    body = response.json()
    order = Order.objects.get(pk=body["id"])
    assert (order.agency, order.status) == (world.a.agency, OrderStatus.QUOTED)
    assert order.created_by == world.a.user(Role.DISPATCHER)
    assert body["status"] == "quoted"
    [quote] = body["quotes"]
    assert (quote["quantity"], quote["unit_price"], quote["total"]) == ("3.00", "50.00", "150.00")
    needs = body["needs_form"]
    assert (needs["allergies"], needs["pets"]) == ("对芒果过敏", "一只猫")
    # Labelled for display, in the caller's language: the values are what matters here.
    assert sorted(needs["special_needs"].values()) == sorted(["对芒果过敏", "一只猫"])
    assert body["needs_form"]["district"] == "朝阳区"
    assert [e["to_status"] for e in body["events"]] == [None, "quoted"]
    assert body["events"][1]["actor"] == "alpha-dispatcher"
    assert body["cancellation_terms"]["allowed"] is True
    assert body["cancellation_terms"]["fee"] == "0.00"
    # Personal data stays masked in what the office's screens receive.
    assert body["customer"]["masked_phone"] == "138****8000"
    assert "13800138000" not in response.content.decode()
    assert "建国路" not in response.content.decode()


def test_a_live_in_placement_that_ends_before_it_starts_is_refused_on_time_end(
    world, cleaning, client_for
):
    payload = intake_payload(
        world, cleaning, schedule_kind="live_in", days=1, time_start="20:00", time_end="08:00"
    )
    response = post(client_for(world.a.user(Role.DISPATCHER)), reverse("order-list"), payload)
    assert response.status_code == 400
    assert "time_end" in response.json()
    assert not Order.objects.exists()
    assert not Customer.objects.exists()


def _foreign_service(world):
    return ServiceTypeFactory(agency=world.b.agency, code="cleaning").pk


BAD_INTAKES = {
    "ends before it starts": (
        lambda world: {"time_start": "12:00", "time_end": "09:00"},
        ["time_end"],
    ),
    "unknown service type": (lambda world: {"service_type": 999_999}, ["service_type"]),
    "another agency's service type": (
        lambda world: {"service_type": _foreign_service(world)},
        ["service_type"],
    ),
    "another agency's branch": (lambda world: {"branch": world.b.branch.pk}, ["branch"]),
    "missing phone": (
        lambda world: {"customer": {"name": "王芳", "district": "朝阳区", "address": "x"}},
        ["customer", "phone"],
    ),
    "start in the past": (
        lambda world: {"start_date": (timezone.localdate() - timedelta(days=1)).isoformat()},
        ["start_date"],
    ),
    "recurring without weekdays": (lambda world: {"schedule_kind": "recurring"}, ["weekdays"]),
}


@pytest.mark.parametrize("case", list(BAD_INTAKES), ids=str)
def test_bad_intake_is_a_400_naming_the_field_and_writes_nothing(case, world, cleaning):
    make, path = BAD_INTAKES[case]
    client = client_as(world, Role.DISPATCHER)
    audit_before = AuditLog.objects.count()

    response = post(client, reverse("order-list"), intake_payload(world, cleaning, **make(world)))

    assert response.status_code == 400
    errors = response.json()
    for key in path:
        assert key in errors, errors
        errors = errors[key]
    assert not Order.objects.exists()
    assert not Customer.objects.exists()
    assert not NeedsForm.objects.exists()
    assert AuditLog.objects.count() == audit_before


def test_a_recurring_booking_that_ends_before_it_starts_is_refused_on_end_date(world, cleaning):
    client = client_as(world, Role.DISPATCHER)
    start = timezone.localdate() + timedelta(days=3)
    payload = intake_payload(
        world,
        cleaning,
        schedule_kind="recurring",
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        start_date=start.isoformat(),
        end_date=(start - timedelta(days=1)).isoformat(),
    )
    response = post(client, reverse("order-list"), payload)
    assert response.status_code == 400
    assert not Order.objects.exists()
    assert "end_date" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [("start_date", "9999-12-31"), ("start_date", "0001-01-01"), ("allergies", "x" * 1_000_000)],
    ids=["year-9999", "year-one", "megabyte-allergies"],
)
def test_an_order_far_off_or_with_a_megabyte_of_text_is_a_400_on_the_field(
    world, cleaning, field, value
):
    client = client_as(world, Role.DISPATCHER)
    response = post(
        client, reverse("order-list"), intake_payload(world, cleaning, **{field: value})
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Order.objects.exists()


def test_a_megabyte_of_customer_notes_is_a_400(world):
    customer = CustomerFactory(agency=world.a.agency)
    response = client_as(world, Role.DISPATCHER).patch(
        reverse("customer-detail", kwargs={"pk": customer.pk}),
        {"notes": "x" * 1_000_000},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert "notes" in response.json()


def test_finance_cannot_take_a_booking(world, cleaning):
    response = post(
        client_as(world, Role.FINANCE), reverse("order-list"), intake_payload(world, cleaning)
    )
    assert response.status_code == 403
    assert not Order.objects.exists()


# --- confirmation ---------------------------------------------------------------


def test_the_office_confirms_on_the_customers_behalf_once(world, book):
    order = book()
    quote = order.quotes.get()
    client = client_as(world, Role.DISPATCHER)
    url = reverse("order-confirm", kwargs={"pk": order.pk})
    confirmation = {"signed_name": "王芳", "verification_reason": "客户电话确认，无法签字"}

    response = post(client, url, confirmation)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["confirmed_quote"]["id"] == quote.pk
    [signature] = body["signatures"]
    assert (signature["via"], signature["verified_by"], signature["verification_reason"]) == (
        "office",
        "alpha-dispatcher",
        "客户电话确认，无法签字",
    )
    order.refresh_from_db()
    assert (order.status, order.confirmed_quote) == (OrderStatus.CONFIRMED, quote)

    again = post(client, url, confirmation)
    assert again.status_code == 409
    assert again.json()["detail"]
    assert order.signatures.count() == 1


def test_the_office_must_say_why_it_signs(world, book):
    order = book()
    response = post(
        client_as(world, Role.DISPATCHER),
        reverse("order-confirm", kwargs={"pk": order.pk}),
        {"signed_name": "王芳"},
    )
    assert response.status_code == 400
    assert "verification_reason" in response.json()
    order.refresh_from_db()
    assert order.status == OrderStatus.QUOTED


def test_confirming_an_outdated_quote_is_refused(world, book, dispatcher):
    order = book()
    old = order.quotes.get()
    client = client_as(world, Role.DISPATCHER)
    assert post(client, reverse("order-quote", kwargs={"pk": order.pk})).status_code == 201

    response = post(
        client,
        reverse("order-confirm", kwargs={"pk": order.pk}),
        {"signed_name": "王芳", "verification_reason": "电话确认", "quote_id": old.pk},
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    order.refresh_from_db()
    assert order.status == OrderStatus.QUOTED


def test_the_confirmation_link_is_signed_for_the_latest_quote_and_noted(world, book):
    order = book()
    response = post(
        client_as(world, Role.DISPATCHER),
        reverse("order-confirmation-link", kwargs={"pk": order.pk}),
    )

    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("http://testserver/c/")
    claim = links.read_token(url.rstrip("/").rsplit("/", 1)[1])
    assert (claim.order_id, claim.purpose, claim.ref) == (
        order.pk,
        SignaturePurpose.CONFIRM_ORDER,
        order.quotes.get().pk,
    )
    note = OrderEvent.objects.filter(order=order).latest("created_at", "id")
    assert (note.from_status, note.to_status, note.actor) == (
        "",
        "",
        world.a.user(Role.DISPATCHER),
    )
    sent = AuditLog.objects.get(action="order.link_sent", object_id=str(order.pk))
    assert sent.changes == {"channel": "api"}


# --- cancellation ---------------------------------------------------------------


def test_a_late_cancellation_carries_the_fee_and_waits_for_a_manager(world, book):
    order = book(start_date=timezone.localdate() + timedelta(days=10))

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        dispatcher = client_as(world, Role.DISPATCHER)  # a session lasts 12 hours
        detail = dispatcher.get(reverse("order-detail", kwargs={"pk": order.pk})).json()
        assert detail["cancellation_terms"]["fee"] == "15.00"
        response = post(
            dispatcher,
            reverse("order-cancel", kwargs={"pk": order.pk}),
            {"reason": "行程有变", "signed_name": "王芳", "verification_reason": "电话中确认"},
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["price"], body["fee_percent"], body["fee"]) == (
        "awaiting_approval",
        "150.00",
        "10.00",
        "15.00",
    )
    assert body["order"]["number"] == order.number
    assert body["signature"]["via"] == "office"
    order.refresh_from_db()
    assert order.status == OrderStatus.QUOTED


def test_a_cancellation_within_the_window_is_free_and_immediate(world, book):
    order = book()
    response = post(
        client_as(world, Role.DISPATCHER),
        reverse("order-cancel", kwargs={"pk": order.pk}),
        {"reason": "行程有变", "signed_name": "王芳", "verification_reason": "电话中确认"},
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["fee"]) == ("approved", "0.00")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


@pytest.fixture
def late_cancellation(world, book, dispatcher):
    order = book(start_date=timezone.localdate() + timedelta(days=10))
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        return order_request_cancellation(
            order=order,
            actor=dispatcher,
            reason="行程有变",
            signed_name="王芳",
            via=SignedVia.OFFICE,
            verification_reason="电话中确认",
        )


def test_a_dispatcher_cannot_approve_a_manager_can(world, late_cancellation):
    url = reverse("cancellation-approve", kwargs={"pk": late_cancellation.pk})

    refused = post(client_as(world, Role.DISPATCHER), url, {"note": "同意"})
    assert refused.status_code == 403
    late_cancellation.refresh_from_db()
    assert late_cancellation.status == CancellationStatus.AWAITING_APPROVAL

    approved = post(client_as(world, Role.MANAGER), url, {"note": "同意"})
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["decided_by"]) == (
        "approved",
        "alpha-manager",
    )
    late_cancellation.order.refresh_from_db()
    assert late_cancellation.order.status == OrderStatus.CANCELLED

    twice = post(client_as(world, Role.MANAGER), url, {"note": "同意"})
    assert twice.status_code == 409


def test_a_rejection_says_why_and_leaves_the_order(world, late_cancellation):
    client = client_as(world, Role.MANAGER)
    url = reverse("cancellation-reject", kwargs={"pk": late_cancellation.pk})

    assert post(client, url, {}).status_code == 400
    response = post(client, url, {"note": "已安排人员，不可取消"})

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    late_cancellation.order.refresh_from_db()
    assert late_cancellation.order.status == OrderStatus.QUOTED


def test_the_cancellation_list_filters_by_status(world, late_cancellation):
    client = client_as(world, Role.DISPATCHER)
    waiting = client.get(reverse("cancellation-list"), {"status": "awaiting_approval"}).json()
    approved = client.get(reverse("cancellation-list"), {"status": "approved"}).json()
    assert [c["id"] for c in waiting["results"]] == [late_cancellation.pk]
    assert approved["results"] == []


# --- the order list -------------------------------------------------------------


def test_the_order_list_filters_by_status_phone_digits_and_start(world, book, cleaning, dispatcher):
    first = book()
    later = book(
        customer=OTHER_CUSTOMER,
        start_date=timezone.localdate() + timedelta(days=10),
    )
    office_confirm(later, dispatcher)
    OrderFactory(agency=world.b.agency)  # another agency's: never listed
    client = client_as(world, Role.DISPATCHER)

    def numbers(**params):
        response = client.get(reverse("order-list"), params)
        assert response.status_code == 200
        return [row["number"] for row in response.json()["results"]]

    assert numbers() == [first.number, later.number]
    assert numbers(status="confirmed") == [later.number]
    assert numbers(status=["confirmed", "quoted"]) == [first.number, later.number]
    assert numbers(q="0013 8000") == [first.number]
    starts_after = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert numbers(starts_after=starts_after) == [later.number]
    assert numbers(ordering="-starts_at") == [later.number, first.number]


def test_the_order_list_runs_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries
):
    for _ in range(12):
        OrderFactory(agency=world.a.agency, branch=world.a.branch)
    client = client_for(world.a.user(Role.DISPATCHER))
    # session, user, memberships with agency and branch, count,
    # page of rows joined with customer, service, branch and needs form address
    with django_assert_num_queries(5):
        response = client.get(reverse("order-list"))
    assert len(response.json()["results"]) == 12
    assert {row["district"] for row in response.json()["results"]} == {"朝阳区"}


# --- customers ------------------------------------------------------------------


def test_the_customer_phone_is_masked_and_revealed_only_through_the_audited_action(world, book):
    order = book()
    customer = order.customer
    address = order.needs_form.address
    client = client_as(world, Role.DISPATCHER)

    listed = client.get(reverse("customer-list"), {"q": "13800"})
    assert [c["masked_phone"] for c in listed.json()["results"]] == ["138****8000"]
    detail = client.get(reverse("customer-detail", kwargs={"pk": customer.pk}))
    assert detail.json()["addresses"] == [
        {"id": address.pk, "district": "朝阳区", "masked": "朝阳区 ···"}
    ]
    for response in (listed, detail):
        assert "13800138000" not in response.content.decode()
        assert "建国路" not in response.content.decode()
    assert not AuditLog.objects.filter(action__startswith="customer.reveal").exists()

    url = reverse("customer-reveal", kwargs={"pk": customer.pk})
    phone = post(client, url, {"field": "phone"})
    street = post(client, url, {"field": "address", "address": address.pk})

    assert phone.json() == {"value": "13800138000"}
    assert street.json() == {"value": "朝阳区 建国路 88 号 501"}
    reveals = AuditLog.objects.filter(object_id=str(customer.pk), action__startswith="customer.")
    assert sorted(
        reveals.filter(action__startswith="customer.reveal").values_list("action", "actor")
    ) == [
        ("customer.reveal_address", world.a.user(Role.DISPATCHER).pk),
        ("customer.reveal_phone", world.a.user(Role.DISPATCHER).pk),
    ]


def test_another_agencys_address_cannot_be_revealed(world, book):
    customer = book().customer
    foreign = CustomerFactory(agency=world.b.agency)
    foreign_address = foreign.addresses.create(
        agency=world.b.agency, district="浦东新区", detail="世纪大道 1 号"
    )
    response = post(
        client_as(world, Role.DISPATCHER),
        reverse("customer-reveal", kwargs={"pk": customer.pk}),
        {"field": "address", "address": foreign_address.pk},
    )
    assert response.status_code == 400
    assert "address" in response.json()
    assert "世纪大道" not in response.content.decode()


def test_the_office_edits_a_customer_and_the_audit_log_keeps_phones_masked(world, book):
    customer = book().customer
    client = client_as(world, Role.DISPATCHER)
    response = client.patch(
        reverse("customer-detail", kwargs={"pk": customer.pk}),
        {"phone_alt": "010-8888 6666", "notes": "周末在家"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["masked_phone_alt"] == "010****6666"
    assert "phone_alt" not in response.json()
    customer.refresh_from_db()
    assert (customer.phone_alt, customer.notes) == ("01088886666", "周末在家")
    entry = AuditLog.objects.get(action="customer.update", object_id=str(customer.pk))
    assert entry.changes["phone_alt"] == ["***", "***"]


def test_the_customer_list_filters_special_attention(world):
    CustomerFactory(agency=world.a.agency, name="甲")
    flagged = CustomerFactory(agency=world.a.agency, name="乙", special_attention=True)
    client = client_as(world, Role.DISPATCHER)
    response = client.get(reverse("customer-list"), {"special_attention": "true"})
    assert [c["id"] for c in response.json()["results"]] == [flagged.pk]


def test_the_customer_list_runs_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries
):
    CustomerFactory.create_batch(25, agency=world.a.agency)
    CustomerFactory.create_batch(3, agency=world.b.agency)
    client = client_for(world.a.user(Role.DISPATCHER))
    # session, user, memberships with agency and branch, count, page of rows
    with django_assert_num_queries(5):
        response = client.get(reverse("customer-list"))
    assert len(response.json()["results"]) == 25


# --- catalogue ------------------------------------------------------------------


def test_a_manager_adds_a_service_and_prices_it(world):
    client = client_as(world, Role.MANAGER)
    created = post(
        client,
        reverse("servicetype-list"),
        {
            "code": "deep-clean",
            "name_zh": "深度保洁",
            "name_en": "Deep cleaning",
            "category": "cleaning",
            "pricing_unit": "sqm",
            "task_checklist": ["厨房", "卫生间"],
        },
    )
    assert created.status_code == 201, created.json()
    service_id = created.json()["id"]
    assert created.json()["current_price"] is None

    prices_url = reverse("servicetype-prices", kwargs={"pk": service_id})
    today = timezone.localdate()
    first = post(client, prices_url, {"unit_price": "8.00", "effective_from": today.isoformat()})
    assert first.status_code == 201
    assert first.json()["valid_until"] is None
    backdated = post(
        client, prices_url, {"unit_price": "9.00", "effective_from": today.isoformat()}
    )
    assert backdated.status_code == 400
    assert "effective_from" in backdated.json()

    detail = client.get(reverse("servicetype-detail", kwargs={"pk": service_id})).json()
    assert detail["current_price"]["unit_price"] == "8.00"
    assert [p["unit_price"] for p in detail["prices"]] == ["8.00"]
    assert AuditLog.objects.filter(action="price.set").count() == 1


def test_a_dispatcher_reads_the_catalogue_but_cannot_price_it(world, cleaning):
    client = client_as(world, Role.DISPATCHER)
    listed = client.get(reverse("servicetype-list")).json()["results"]
    assert [(s["code"], s["current_price"]["unit_price"]) for s in listed] == [
        ("cleaning", "50.00")
    ]
    response = post(
        client,
        reverse("servicetype-prices", kwargs={"pk": cleaning.pk}),
        {"unit_price": "1.00", "effective_from": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    edit = client.patch(
        reverse("servicetype-detail", kwargs={"pk": cleaning.pk}),
        {"is_special": True},
        content_type=JSON,
    )
    assert edit.status_code == 403
    assert Price.objects.filter(service_type=cleaning).count() == 1


# --- callbacks ------------------------------------------------------------------


def test_callbacks_list_the_open_ones_until_done(world, book):
    order = book(callback_in_days=2)
    callback = Callback.objects.get(order=order)
    client = client_as(world, Role.DISPATCHER)

    def ids(**params):
        return [c["id"] for c in client.get(reverse("callback-list"), params).json()["results"]]

    assert ids() == [callback.pk]
    assert ids(done="true") == []

    url = reverse("callback-complete", kwargs={"pk": callback.pk})
    assert post(client, url, {"outcome": "  "}).status_code == 400
    done = post(client, url, {"outcome": "客户说下周再联系"})

    assert done.status_code == 200
    assert (done.json()["done_by"], done.json()["outcome"]) == (
        "alpha-dispatcher",
        "客户说下周再联系",
    )
    assert ids() == []
    assert ids(done="true") == [callback.pk]
    assert client.get(reverse("callback-detail", kwargs={"pk": callback.pk})).status_code == 200
    assert post(client, url, {"outcome": "again"}).status_code == 409  # already done


def test_another_agencys_callbacks_are_not_listed(world):
    CallbackFactory(agency=world.b.agency)
    mine = CallbackFactory(agency=world.a.agency)
    response = client_as(world, Role.DISPATCHER).get(reverse("callback-list"))
    assert [c["id"] for c in response.json()["results"]] == [mine.pk]


# --- schema ---------------------------------------------------------------------


def test_the_schema_documents_the_order_actions(world, client_for):
    client = client_for(world.a.user(Role.DISPATCHER))
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"]
    for path in (
        "/api/orders/{id}/confirm/",
        "/api/orders/{id}/confirmation-link/",
        "/api/orders/{id}/cancel/",
        "/api/customers/{id}/reveal/",
        "/api/service-types/{id}/prices/",
        "/api/cancellations/{id}/approve/",
        "/api/callbacks/{id}/complete/",
    ):
        assert "post" in paths[path], path
    confirm = paths["/api/orders/{id}/confirm/"]["post"]
    assert confirm["requestBody"]["content"][JSON]["schema"]["$ref"].endswith("OrderConfirmRequest")


def test_a_booking_into_another_branch_of_the_agency_is_fine(world, cleaning):
    other = BranchFactory(agency=world.a.agency)
    client = client_as(world, Role.DISPATCHER)
    payload = intake_payload(world, cleaning, branch=other.pk, is_urgent=True)
    response = post(client, reverse("order-list"), payload)
    assert response.status_code == 201
    assert (response.json()["branch"]["id"], response.json()["is_urgent"]) == (other.pk, True)
    assert Decimal(response.json()["quotes"][0]["total"]) == Decimal("150.00")
