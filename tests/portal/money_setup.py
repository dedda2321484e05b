"""Shared by the portal's money tests: the customer's issued invoice, a card, the provider's
signed notification posted to Hearth."""

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orders.models import Customer, Invoice, PrepaidCard
from orders.payments.fake_provider import FakeProviders
from orders.payments.models import Checkout
from tests.conftest import Tenant
from tests.factories import PrepaidCardFactory
from tests.orders.payments_setup import issued_invoice


def invoice_of(tenant: Tenant, customer: Customer, total: str = "150.00", **fields: Any) -> Invoice:
    return issued_invoice(tenant, customer=customer, total=total, **fields)


def card_of(customer: Customer, *, expired: bool = False) -> PrepaidCard:
    """A stored-value card sold at the office: 2,200.00 to spend."""
    until = timezone.localdate() + timedelta(days=-1 if expired else 365)
    return PrepaidCardFactory(agency=customer.agency, customer=customer, valid_until=until)


def wechat_pays(fake: FakeProviders, checkout: Checkout) -> int:
    """WeChat Pay's signed notification that the customer paid, posted to Hearth."""
    headers, body = fake.wechat_notification(checkout.out_trade_no)
    url = reverse(
        "payment_notify",
        kwargs={"provider": checkout.provider, "agency_slug": checkout.agency.slug},
    )
    content_type = headers.pop("Content-Type", "application/json")
    return Client().post(url, body, content_type=content_type, headers=headers).status_code
