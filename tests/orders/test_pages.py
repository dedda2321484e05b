"""The dispatcher's pages and the customer's link, end to end through the views."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agency.models import AuditLog, Role
from orders.models import Callback, CancellationStatus, Order, OrderStatus, Price
from tests.factories import CallbackFactory, OrderFactory


def _intake_post(world, cleaning, **overrides):
    start = timezone.localdate() + timedelta(days=5)
    data = {
        "phone": "139 1234 5678",
        "name": "李娜",
        "district": "海淀区",
        "address": "中关村大街 1 号 1201",
        "service_type": cleaning.pk,
        "checklist": ["厨房", "卫生间"],
        "schedule_kind": "once",
        "start_date": start.isoformat(),
        "time_start": "09:00",
        "time_end": "13:00",
        "allergies": "对花粉过敏",
        "pets": "两只狗",
        "branch": world.a.branch.pk,
        "callback_in_days": "2",
        "submission_key": str(uuid.uuid4()),
    }
    return {**data, **overrides}


def test_a_booking_in_chinese_becomes_a_confirmed_order_through_the_link(
    world, cleaning, client_for, client
):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    office = client_for(world.a.user(Role.DISPATCHER))

    form_page = office.get(reverse("order_new"))
    assert "客户需求表" in form_page.content.decode() or "需求" in form_page.content.decode()
    response = office.post(reverse("order_new"), _intake_post(world, cleaning))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    order = Order.objects.get(customer__phone="13912345678")
    assert order.status == OrderStatus.QUOTED
    assert Callback.objects.filter(order=order).exists()

    detail = office.get(response["Location"]).content.decode()
    assert "对花粉过敏" in detail and "两只狗" in detail and "200.00" in detail

    office.post(reverse("order_confirmation_link", kwargs={"pk": order.pk}))
    detail = office.get(reverse("order_detail", kwargs={"pk": order.pk})).content.decode()
    link = re.search(r'value="https?://[^/]+(/c/[^"]+/)"', detail).group(1)

    office.logout()
    customer_page = client.get(link)
    assert customer_page.status_code == 200
    assert "200.00" in customer_page.content.decode()
    signed = client.post(
        link, {"signed_name": "李娜", "agree": "on"}, HTTP_USER_AGENT="Mobile Safari"
    )
    assert signed.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    signature = order.signatures.get()
    assert (signature.signed_name, signature.user_agent, signature.ip_address) == (
        "李娜",
        "Mobile Safari",
        "127.0.0.1",
    )

    office = client_for(world.a.user(Role.DISPATCHER))
    board = office.get(
        reverse("order_board"),
        {"day": order.starts_at.astimezone(world.a.agency.zone).date().isoformat()},
    )
    assert order.number in board.content.decode()
    assert [o.pk for o in board.context["object_list"]] == [order.pk]
    timeline = [e.to_status for e in order.events.exclude(to_status="")]
    assert timeline == [OrderStatus.QUOTED, OrderStatus.CONFIRMED]
    assert order.events.filter(reason__contains="链接").exists()  # written in the office's language


def test_a_rejected_needs_form_keeps_what_was_typed(world, cleaning, client_for):
    office = client_for(world.a.user(Role.DISPATCHER))
    response = office.post(reverse("order_new"), _intake_post(world, cleaning, time_end="08:00"))
    assert response.status_code == 200
    assert "time_end" in response.context["form"].errors
    assert "对花粉过敏" in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("start_date", "9999-12-31", "请填写 2000年1月1日 至"),  # the office works in Chinese
        ("access_notes", "x" * 1_000_000, "5000"),
    ],
    ids=["year-9999", "megabyte-notes"],
)
def test_an_order_in_9999_or_with_a_megabyte_of_notes_shows_the_form_error(
    world, cleaning, client_for, field, value, error
):
    office = client_for(world.a.user(Role.DISPATCHER))
    response = office.post(reverse("order_new"), _intake_post(world, cleaning, **{field: value}))
    assert response.status_code == 200
    assert error in response.context["form"].errors[field][0]
    assert not Order.objects.exists()


def test_a_foreign_service_type_is_refused_by_the_form(world, cleaning, client_for):
    from tests.factories import ServiceTypeFactory

    foreign = ServiceTypeFactory(agency=world.b.agency)
    response = client_for(world.a.user(Role.DISPATCHER)).post(
        reverse("order_new"), _intake_post(world, cleaning, service_type=foreign.pk)
    )
    assert "service_type" in response.context["form"].errors


def test_the_link_cannot_be_tampered_with(world, client):
    response = client.get(reverse("customer_link", kwargs={"token": "eyJhIjoxfQ:forged:signature"}))
    assert response.status_code == 404


def test_a_late_cancellation_computes_its_fee_and_waits_for_a_manager(world, book, client_for):
    order = book(start_date=timezone.localdate() + timedelta(days=10))
    with time_machine.travel(timezone.now() + timedelta(hours=50)):
        office = client_for(world.a.user(Role.DISPATCHER))
        page = office.get(reverse("order_detail", kwargs={"pk": order.pk})).content.decode()
        assert "15.00" in page
        office.post(
            reverse("order_cancel", kwargs={"pk": order.pk}),
            {"reason": "客户出差", "signed_name": "王芳", "verification_reason": "电话确认"},
        )
        cancellation = order.cancellations.get()
        assert (cancellation.status, cancellation.fee) == (
            CancellationStatus.AWAITING_APPROVAL,
            Decimal("15.00"),
        )
        assert office.get(reverse("approval_queue")).status_code == 403

        manager = client_for(world.a.user(Role.MANAGER))
        queue = manager.get(reverse("approval_queue"))
        assert list(queue.context["object_list"]) == [cancellation]
        manager.post(
            reverse("cancellation_approve", kwargs={"pk": cancellation.pk}), {"note": "同意"}
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_an_office_cancel_without_a_reason_shows_the_error_on_the_form(world, book, client_for):
    order = book()
    response = client_for(world.a.user(Role.DISPATCHER)).post(
        reverse("order_cancel", kwargs={"pk": order.pk}), {"reason": "", "signed_name": "王芳"}
    )
    assert response.status_code == 400
    assert set(response.context["cancel_form"].errors) >= {"reason", "verification_reason"}
    assert not order.cancellations.exists()


def test_revealing_a_phone_is_audited(world, book, client_for):
    order = book()
    response = client_for(world.a.user(Role.DISPATCHER)).post(
        reverse("customer_reveal", kwargs={"pk": order.customer.pk}), {"field": "phone"}
    )
    assert "13800138000" in response.content.decode()
    entry = AuditLog.objects.get(action="customer.reveal_phone")
    assert entry.actor == world.a.user(Role.DISPATCHER)


def test_pages_show_phones_masked(world, book, client_for):
    book()
    client = client_for(world.a.user(Role.DISPATCHER))
    for url in (reverse("customer_list"), reverse("order_board")):
        page = client.get(url, {"q": "王"}).content.decode()
        assert "138****8000" in page and "13800138000" not in page


def test_the_board_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.a.user(Role.DISPATCHER))
    day = (timezone.now() + timedelta(days=3)).astimezone(world.a.agency.zone).date().isoformat()
    OrderFactory.create_batch(3, agency=world.a.agency)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("order_board"), {"day": day})
    OrderFactory.create_batch(30, agency=world.a.agency)
    with django_assert_max_num_queries(20) as many:
        response = client.get(reverse("order_board"), {"day": day})
    assert len(response.context["object_list"]) == 33
    assert len(few.captured_queries) == len(many.captured_queries)


def test_a_manager_sets_a_new_price_and_old_quotes_keep_theirs(world, book, client_for):
    order = book()
    manager = client_for(world.a.user(Role.MANAGER))
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = manager.post(
        reverse("price_set", kwargs={"pk": order.service_type.pk}),
        {"unit_price": "60.00", "effective_from": tomorrow.isoformat()},
    )
    assert response.status_code == 302
    assert Price.objects.filter(service_type=order.service_type).count() == 2
    assert order.quotes.get().unit_price == Decimal("50.00")
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    assert (
        dispatcher.get(reverse("price_set", kwargs={"pk": order.service_type.pk})).status_code
        == 403
    )


def test_a_callback_is_done_with_what_the_customer_said(world, client_for):
    callback = CallbackFactory(agency=world.a.agency)
    client = client_for(world.a.user(Role.DISPATCHER))
    assert list(client.get(reverse("callback_queue")).context["object_list"]) == [callback]
    client.post(
        reverse("callback_complete", kwargs={"pk": callback.pk}), {"outcome": "已联系，周五上门"}
    )
    callback.refresh_from_db()
    assert callback.done_at is not None and callback.outcome == "已联系，周五上门"
    assert list(client.get(reverse("callback_queue")).context["object_list"]) == []


def test_submitting_the_needs_form_twice_books_once_and_returns_to_the_order(
    world, cleaning, client_for
):
    office = client_for(world.a.user(Role.DISPATCHER))
    key = office.get(reverse("order_new")).context["form"]["submission_key"].value()
    data = _intake_post(world, cleaning, submission_key=key)
    assert office.post(reverse("order_new"), data).status_code == 302
    again = office.post(reverse("order_new"), data, follow=True)
    order = Order.objects.get()
    assert again.redirect_chain == [(reverse("order_detail", kwargs={"pk": order.pk}), 302)]
    assert f"此预约已受理为订单 {order.number}" in again.content.decode()


def test_an_api_resend_with_the_same_idempotency_key_answers_the_first_booking(
    world, cleaning, client_for
):
    from tests.orders.test_api import intake_payload

    office = client_for(world.a.user(Role.DISPATCHER))
    headers = {"HTTP_IDEMPOTENCY_KEY": "0b6f4a7e-6a4e-4c8b-9d2f-1c2d3e4f5a6b"}
    payload = intake_payload(world, cleaning)
    first = office.post(reverse("order-list"), payload, content_type="application/json", **headers)
    assert first.status_code == 201
    again = office.post(reverse("order-list"), payload, content_type="application/json", **headers)
    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_the_confirmation_link_is_texted_to_the_customer(world, book, client_for, sms_outbox):
    from agency.notifications import deliver_due

    order = book()
    client_for(world.a.user(Role.DISPATCHER)).post(
        reverse("order_confirmation_link", kwargs={"pk": order.pk})
    )
    deliver_due()
    [(to, text)] = sms_outbox
    assert to == "13800138000"
    assert order.number in text and "/c/" in text
