"""What the customer hears, from the services that write the events: to the right customer,
never a staff phone, held through their quiet hours unless urgent, once per event, by
email with a text and an HTML part where they chose email; and the order page's banner
when nothing reaches them."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from agency.audit import Actor
from agency.models import AuditLog, Channel, OutboundMessage, Role
from agency.notifications import deliver
from complaints.models import ComplaintChannel, Tier
from complaints.services.handling import (
    complaint_resolve,
    complaint_respond,
    complaint_second_response,
)
from complaints.services.intake import Intake, complaint_take
from messaging.rules import Event
from messaging.services import announce
from orders import announcements
from orders.billing.services import payment_record, refund_decide, refund_pay_back, refund_request
from orders.messages import customer_recipient, job_context, order_topics
from orders.models import PaymentMethod
from orders.service.services.acceptance import acceptance_send_link
from orders.staffing.services import assignment_propose, assignment_send_staff_card
from tests.conftest import login
from tests.factories import CustomerFactory, OrderFactory
from tests.orders.conftest import book, cleaning, dispatcher, team_job  # noqa: F401
from tests.orders.test_api_service import up_to_customer
from tests.orders.test_billing import issued_invoice
from tests.orders.test_matching import confirm, make_staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
STAFF_PHONE = "15912345678"


def by_rule(code: str) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(rule=code).order_by("pk"))


@pytest.fixture
def order(book, dispatcher):  # noqa: F811
    return confirm(book(), dispatcher)


def test_a_confirmed_booking_is_texted_to_its_customer_once(world, order):
    [sms] = by_rule("order.confirmed:customer")
    assert (sms.channel, sms.recipient) == (Channel.SMS, order.customer.phone)
    assert order.number in sms.body and sms.body.startswith(f"【{world.a.agency.name}】")
    assert sms.topics == sorted({f"order:{order.pk}", f"customer:{order.customer_id}"})
    # The same confirmation announced again (a retried request) writes nothing.
    announcements.booking_confirmed(order)
    assert len(by_rule("order.confirmed:customer")) == 1


def test_the_staff_card_replaces_the_old_text_and_never_carries_the_staff_phone(
    world,
    order,
    dispatcher,  # noqa: F811
):
    member = make_staff(order, name="陈静", phone=STAFF_PHONE)
    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    url = "https://hearth.test/c/card/"
    assignment_send_staff_card(order=order, actor=dispatcher, url=url)
    assignment_send_staff_card(order=order, actor=dispatcher, url=url)  # the same proposal

    [card] = by_rule("order.staff_card:customer")
    assert card.recipient == order.customer.phone
    assert url in card.body and "陈静" in card.body
    assert STAFF_PHONE not in card.body and STAFF_PHONE[:7] not in card.body
    # Only the announced texts: no second, free-worded SMS about the same card (the staff
    # member hears of the proposal by their own rule).
    assert set(OutboundMessage.objects.values_list("rule", flat=True)) == {
        "order.confirmed:customer",
        "order.staff_card:customer",
        "job.proposed:staff",
    }


def test_the_acceptance_link_goes_once_per_round_without_the_team_phones(world, team_job):  # noqa: F811
    team_job.lead.staff.phone = STAFF_PHONE
    team_job.lead.staff.save(update_fields=["phone"])
    up_to_customer(world, team_job)
    office = Actor(user=world.a.user(Role.DISPATCHER))
    url = "https://hearth.test/c/accept/"
    acceptance_send_link(order=team_job.order, actor=office, url=url)
    acceptance_send_link(order=team_job.order, actor=office, url=url)

    [sms] = by_rule("acceptance.to_sign:customer")
    assert sms.recipient == team_job.order.customer.phone
    assert sms.body.endswith(url) and STAFF_PHONE not in sms.body
    assert f"order:{team_job.order.pk}" in sms.topics


def test_invoice_receipt_and_refund_reach_the_invoiced_customer_only(world, settings):
    settings.SITE_URL = "https://hearth.test"
    invoice = issued_invoice(world.a)
    issued_invoice(world.b)  # another agency's customer hears of their own invoice only
    finance = Actor(user=world.a.user(Role.FINANCE))
    payment = payment_record(
        invoice=invoice, actor=finance, amount=invoice.total, method=PaymentMethod.CASH
    )
    refund = refund_request(invoice=invoice, actor=finance, amount=Decimal("20.00"), reason="少做")
    refund_decide(refund=refund, actor=Actor(user=world.a.user(Role.MANAGER)), approve=True)
    refund_pay_back(refund=refund, actor=finance, method=PaymentMethod.CASH)

    phone = invoice.customer.phone
    mine = OutboundMessage.objects.filter(agency=world.a.agency)
    assert sorted(mine.values_list("rule", "recipient")) == sorted(
        [
            ("invoice.issued:customer", phone),
            ("payment.received:customer", phone),
            ("refund.approved:customer", phone),
            ("refund.paid:customer", phone),
        ]
    )
    issued = mine.get(rule="invoice.issued:customer")
    assert invoice.number in issued.body and "150.00 CNY" in issued.body
    link = re.search(r"https://hearth\.test(/c/\S+/)", issued.body).group(1)
    assert invoice.number in login_free_page(link)
    paid = mine.get(rule="payment.received:customer")
    assert payment.receipt_number in paid.body and "150.00 CNY" in paid.body
    assert "20.00 CNY" in mine.get(rule="refund.paid:customer").body
    assert f"invoice:{invoice.pk}" in paid.topics
    theirs = OutboundMessage.objects.filter(agency=world.b.agency).values_list("recipient")
    assert phone not in {recipient for (recipient,) in theirs}


def login_free_page(path: str) -> str:
    """The customer's link opens without an account."""
    page = Client().get(path)
    assert page.status_code == 200
    return page.content.decode()


def test_a_complaint_is_told_received_each_response_and_resolved_without_phones(world):
    customer = CustomerFactory(agency=world.a.agency, name="赵敏", preferred_language="zh-hans")
    office = Actor(user=world.a.user(Role.DISPATCHER))
    complaint = complaint_take(
        agency=world.a.agency,
        actor=office,
        intake=Intake(
            branch=world.a.branch,
            customer=customer,
            channel=ComplaintChannel.PHONE,
            category="damage",
            description="打碎了一个花瓶",
            tier=Tier.HARD,
        ),
    )
    complaint_respond(complaint=complaint, actor=office, text="已联系李阿姨（15912345678）核实情况")
    complaint_second_response(
        complaint=complaint,
        actor=office,
        text="赔偿花瓶",
        resolve_by=datetime(2026, 12, 10, 18, 0, tzinfo=SHANGHAI),
    )
    complaint_resolve(complaint=complaint, actor=office, text="已赔偿 200 元")

    told = OutboundMessage.objects.filter(topics__contains=[f"complaint:{complaint.pk}"])
    assert list(told.order_by("pk").values_list("rule", flat=True)) == [
        "complaint.received:customer",
        "complaint.step:customer",
        "complaint.step:customer",
        "complaint.resolved:customer",
    ]
    assert {m.recipient for m in told} == {customer.phone}
    bodies = [m.body for m in told.order_by("pk")]
    assert all(STAFF_PHONE not in body for body in bodies)
    assert complaint.number in bodies[0]
    assert "已联系李阿姨（***）核实情况" in bodies[1]
    # The promise is in the customer's language (Chinese), whatever the office's.
    assert "赔偿花瓶" in bodies[2] and "2026-12-10 18:00" in bodies[2]
    assert "已赔偿 200 元" in bodies[3]


def test_a_service_message_at_22_30_waits_until_8_but_an_urgent_one_goes(world, team_job):  # noqa: F811
    customer = team_job.order.customer
    office = Actor(user=world.a.user(Role.DISPATCHER))
    with time_machine.travel(datetime(2026, 12, 9, 22, 30, tzinfo=SHANGHAI), tick=False):
        complaint_take(
            agency=world.a.agency,
            actor=office,
            intake=Intake(
                branch=world.a.branch,
                customer=customer,
                channel=ComplaintChannel.PHONE,
                category="damage",
                description="划伤地板",
            ),
        )
        announce(
            agency=world.a.agency,
            event=Event.ARRIVED,
            key=f"order:{team_job.order.pk}:arrived",
            context=job_context(team_job.order),
            customer=customer_recipient(customer),
            topics=order_topics(team_job.order),
        )
    [held] = by_rule("complaint.received:customer")
    [urgent] = by_rule("job.arrived:customer")
    assert held.next_attempt_at == datetime(2026, 12, 10, 8, 0, tzinfo=SHANGHAI)
    assert urgent.next_attempt_at == datetime(2026, 12, 9, 22, 30, tzinfo=SHANGHAI)


def test_a_customer_on_email_gets_text_and_html_with_the_link(world, team_job):  # noqa: F811
    customer = team_job.order.customer
    customer.email = "wang@example.com"
    customer.message_channel = Channel.EMAIL
    customer.save(update_fields=["email", "message_channel"])
    up_to_customer(world, team_job)
    url = "https://hearth.test/c/accept&sign/"
    acceptance_send_link(
        order=team_job.order, actor=Actor(user=world.a.user(Role.DISPATCHER)), url=url
    )
    [message] = by_rule("acceptance.to_sign:customer")
    assert (message.channel, message.recipient) == (Channel.EMAIL, "wang@example.com")
    # The timeline and the audit say where the office should tell the customer to look.
    sent = AuditLog.objects.get(action="acceptance.link_sent")
    assert sent.changes == {"channel": "email to wang@example.com"}

    assert deliver(message.pk)
    [email] = mail.outbox
    assert email.to == ["wang@example.com"] and email.body.endswith(url)
    [(html, kind)] = email.alternatives
    assert kind == "text/html"
    assert '<a href="https://hearth.test/c/accept&amp;sign/"' in html and "<p>" in html


def test_the_order_page_warns_when_nothing_reaches_the_customer(world, client):
    office = login(client, world.a.user(Role.DISPATCHER))
    landline = OrderFactory(
        agency=world.a.agency,
        branch=world.a.branch,
        customer=CustomerFactory(agency=world.a.agency, phone="010-6512 3456"),
    )
    mobile = OrderFactory(agency=world.a.agency, branch=world.a.branch)
    with_email = OrderFactory(
        agency=world.a.agency,
        branch=world.a.branch,
        customer=CustomerFactory(agency=world.a.agency, phone="", email="li@example.com"),
    )

    def warned(order) -> bool:
        page = office.get(reverse("order_detail", kwargs={"pk": order.pk}))
        assert page.status_code == 200
        return 'id="customer-unreachable"' in page.content.decode()

    assert warned(landline)
    assert not warned(mobile) and not warned(with_email)
    # And nothing was written for the landline: there is nobody to send it to.
    announcements.booking_confirmed(landline)
    assert not OutboundMessage.objects.filter(recipient="010-6512 3456").exists()
