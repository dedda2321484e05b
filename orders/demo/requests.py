"""Booking requests waiting on each demo agency's intake (issue 18): what customers asked
for from their portal, for the dispatcher to quote or decline. Asked through the real
service as the customers; only for an agency that has none yet."""

from datetime import time, timedelta

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency
from orders.intake.services.booking_requests import (
    RequestInput,
    booking_request_from_order,
    booking_request_submit,
)
from orders.intake.services.customers import customer_find_or_create
from orders.models import SERVED, BookingRequest, Customer, Order, ServiceType


def ask_for_bookings(agency: Agency, services: dict[str, ServiceType]) -> None:
    if BookingRequest.objects.filter(agency=agency).exists():
        return
    today = agency.today()
    chen = _customer(agency, in_language(agency, "陈静", "Grace Chen"), "13800138011")
    _ask(
        chen,
        RequestInput(
            service_type=services["cleaning"],
            first_day=today + timedelta(days=2),
            last_day=today + timedelta(days=4),
            time_start=time(9),
            time_end=time(12),
            district=in_language(agency, "朝阳区", "Pudong"),
            street_address=in_language(agency, "望京街 10 号 2 单元 803", "88 Century Avenue, 12F"),
            pets=in_language(agency, "一只金毛，很友好", "A friendly golden retriever"),
            notes=in_language(agency, "门禁密码到时电话告知", "We'll phone the door code"),
        ),
    )
    zhao = _customer(agency, in_language(agency, "赵磊", "Leo Zhao"), "13800138012")
    _ask(
        zhao,
        RequestInput(
            service_type=services["deep-clean"],
            first_day=today + timedelta(days=5),
            time_start=time(13),
            time_end=time(17),
            district=in_language(agency, "海淀区", "Xuhui"),
            street_address=in_language(agency, "学院路 30 号 5 栋 602", "200 Tianyaoqiao Road, 6B"),
            requirements=in_language(
                agency, "新房装修后开荒，约 90 平方米", "After renovation, about 90 m²"
            ),
            do_not_touch=in_language(agency, "书房的模型", "The models in the study"),
        ),
    )
    # A customer rebooks a past job in two taps: same service, place and needs.
    served = Order.objects.filter(
        agency=agency, service_type=services["cleaning"], status__in=SERVED
    )
    past = served.order_by("-starts_at").first()
    if past is not None:
        _ask(past.customer, booking_request_from_order(order=past))


def _customer(agency: Agency, name: str, phone: str) -> Customer:
    return customer_find_or_create(agency=agency, actor=Actor.system(), name=name, phone=phone)


def _ask(customer: Customer, wish: RequestInput) -> None:
    booking_request_submit(customer=customer, actor=Actor.customer(customer.pk), wish=wish)
