"""Demo online payment: the agency's WeChat Pay and Alipay accounts, keyed by the fake
providers of development (orders.payments.fake_provider; README "Online payment"), and one
refused notification for finance to look at."""

from pathlib import Path

from django.conf import settings

from agency.audit import Actor
from agency.models import Agency, Membership, Role
from orders.payments.accounts import account_save
from orders.payments.fake_provider import development_providers
from orders.payments.models import ProviderAccount, RefusalReason, RefusedNotification


def seed_payments(agency: Agency) -> None:
    if ProviderAccount.objects.filter(agency=agency).exists():
        return
    manager = Membership.objects.filter(agency=agency, role=Role.MANAGER, is_active=True).first()
    if manager is None:
        return
    fake = development_providers(Path(settings.FAKE_PROVIDER_KEYS))
    for provider in ("wechat", "alipay"):
        values = fake.account_values(provider)
        account_save(
            agency=agency,
            provider=provider,
            actor=Actor(user=manager.user),
            private_key=values.pop("private_key"),
            api_key=values.pop("api_key"),
            values=values,
        )
    RefusedNotification.objects.create(
        agency=agency,
        provider="wechat",
        reason=RefusalReason.AMOUNT,
        detail="1.00 ≠ 260.00",
        out_trade_no="demo0000000000000000000000000001",
        transaction_id="4200000000202612080000000001",
    )
