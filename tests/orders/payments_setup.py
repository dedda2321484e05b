"""Shared by the online payment tests and the bench: the fake providers, the agency's
accounts at both, and an issued invoice to pay."""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from agency.audit import Actor
from agency.models import Role
from orders.models import Invoice, InvoiceStatus
from orders.payments.accounts import account_save
from orders.payments.fake_provider import FakeProviders
from orders.payments.models import ProviderAccount
from tests.conftest import Tenant
from tests.factories import InvoiceFactory

PROVIDERS = ("wechat", "alipay")


def configure(fake: FakeProviders, tenant: Tenant) -> list[ProviderAccount]:
    """The tenant's manager enters both accounts, keys from the fake providers."""
    manager = Actor(user=tenant.user(Role.MANAGER))
    return [
        account_save(
            agency=tenant.agency, provider=provider, actor=manager, **_split(fake, provider)
        )
        for provider in PROVIDERS
    ]


def _split(fake: FakeProviders, provider: str) -> dict[str, Any]:
    values = fake.account_values(provider)
    return {
        "private_key": values.pop("private_key"),
        "api_key": values.pop("api_key"),
        "values": values,
    }


def issued_invoice(tenant: Tenant, *, total: str = "150.00", **fields: Any) -> Invoice:
    agency = tenant.agency
    values: dict[str, Any] = {
        "status": InvoiceStatus.ISSUED,
        "number": f"2026-{Invoice.objects.filter(agency=agency).count() + 1:06d}",
        "issued_at": timezone.now(),
        "subtotal": Decimal(total),
        "total": Decimal(total),
    }
    return InvoiceFactory(agency=agency, branch=tenant.branch, **{**values, **fields})
