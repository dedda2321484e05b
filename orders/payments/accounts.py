"""An agency's provider accounts: saving one (secrets sealed, never read back to a person) and
the provider client for it. Managers configure them (area settings, DESIGN.md "Who uses it")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.models import Agency
from agency.permissions import Area, require
from orders.payments.models import Provider, ProviderAccount
from orders.payments.providers import PaymentProvider, ProviderError
from orders.payments.providers.alipay import AlipayProvider
from orders.payments.providers.wechat import WeChatPayProvider
from orders.payments.secrets import seal, unseal

#: The fields an account is saved with; secrets are write-only.
PUBLIC_FIELDS = (
    "merchant_id",
    "app_id",
    "cert_serial_no",
    "public_key_id",
    "provider_public_key",
    "is_active",
)


@transaction.atomic
def account_save(
    *,
    agency: Agency,
    provider: str,
    actor: Actor,
    values: dict[str, object],
    private_key: str = "",
    api_key: str = "",
) -> ProviderAccount:
    """Create or change the agency's account at `provider`. An empty secret keeps the one
    stored (a page never shows it, so it cannot send it back); a new account needs them all.
    The keys are tried before saving: an account that cannot sign is refused now, not at the
    customer's first payment."""
    require(
        actor,
        Area.SETTINGS,
        agency_id=agency.pk,
        message=_("A manager configures online payment."),
    )
    account = ProviderAccount.objects.select_for_update().filter(
        agency=agency, provider=provider
    ).first() or ProviderAccount(agency=agency, provider=provider)
    for name in PUBLIC_FIELDS:
        if name in values:
            setattr(account, name, values[name])
    errors: dict[str, str] = {}
    if private_key.strip():
        account.private_key_encrypted = seal(private_key.strip())
    elif not account.private_key_encrypted:
        errors["private_key"] = _("Enter the merchant's private key.")
    if api_key.strip():
        account.api_key_encrypted = seal(api_key.strip())
    elif provider == Provider.WECHAT and not account.api_key_encrypted:
        errors["api_key"] = _("Enter the APIv3 key.")
    if provider == Provider.WECHAT:
        for name in ("app_id", "cert_serial_no", "public_key_id"):
            if not str(getattr(account, name)).strip():
                errors[name] = _("WeChat Pay needs this.")
    if errors:
        raise ValidationError(errors)
    try:
        _client(account)
    except ProviderError as error:
        raise ValidationError(
            {"private_key": _("These keys do not load: %(error)s") % {"error": error}}
        ) from error
    account.full_clean(exclude=["agency"])
    account.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="payments.account",
        target=account,
        # Never the secrets, not even sealed: only that they changed.
        changes={
            **{name: str(getattr(account, name))[:60] for name in ("merchant_id", "is_active")},
            "secrets_changed": bool(private_key.strip() or api_key.strip()),
        },
    )
    return account


#: Clients by (account, version): loading an RSA key costs tens of milliseconds (the
#: pycryptodome import checks the primes), so a worker keeps each account's client, and a
#: changed account (its `updated_at`) or gateway gets a new one. A few accounts per agency at most.
_CLIENTS: dict[tuple[object, ...], PaymentProvider] = {}
_CLIENTS_KEPT = 256


def provider_for(account: ProviderAccount) -> PaymentProvider:
    """The SDK client for `account`, its secrets unsealed in this process only."""
    if account.pk is None:
        return _client(account)
    key = (account.pk, account.updated_at, settings.WECHATPAY_GATEWAY, settings.ALIPAY_GATEWAY)
    client = _CLIENTS.get(key)
    if client is None:
        if len(_CLIENTS) >= _CLIENTS_KEPT:
            _CLIENTS.clear()
        client = _CLIENTS[key] = _client(account)
    return client


def _client(account: ProviderAccount) -> PaymentProvider:
    private_key = unseal(account.private_key_encrypted)
    if account.provider == Provider.WECHAT:
        return WeChatPayProvider(
            merchant_id=account.merchant_id,
            app_id=account.app_id,
            cert_serial_no=account.cert_serial_no,
            private_key=private_key,
            api_key=unseal(account.api_key_encrypted),
            public_key=account.provider_public_key,
            public_key_id=account.public_key_id,
        )
    return AlipayProvider(
        merchant_id=account.merchant_id,
        private_key=private_key,
        public_key=account.provider_public_key,
    )
