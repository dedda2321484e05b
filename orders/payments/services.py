"""Paying an invoice online: a checkout per attempt, and the provider's notification that
records the payment (issue 18; DESIGN.md "Billing": receipts are issued on payment).

A notification is believed only when the provider's signature holds, it names this agency's
merchant, an open checkout of ours, its amount and its currency. Anything else is refused and
kept for finance (`RefusedNotification`), never a payment. It pays once: the checkout is
claimed open → paid by a conditional update in the same transaction as the payment, and a
transaction id is unique per provider, so a replayed or a concurrent duplicate adds nothing.
"""

import logging
import uuid
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import Agency
from agency.permissions import Area, can
from orders.billing.services import payment_accept
from orders.models import Invoice, InvoiceKind, InvoiceStatus, PaymentMethod
from orders.payments.accounts import provider_for
from orders.payments.models import (
    Checkout,
    CheckoutStatus,
    PayChannel,
    Provider,
    ProviderAccount,
    RefusalReason,
    RefusedNotification,
)
from orders.payments.providers import (
    Answer,
    NotAuthentic,
    Notice,
    PaymentProvider,
    ProviderError,
)

logger = logging.getLogger(__name__)

#: The billing method each provider's payments are recorded with.
METHODS = {Provider.WECHAT: PaymentMethod.WECHAT_PAY, Provider.ALIPAY: PaymentMethod.ALIPAY}
#: An open checkout is shown again for this long (a QR code stays valid at WeChat for 2 h),
#: so a reloaded page does not open a new provider order each time.
REUSE_FOR = timedelta(minutes=30)
#: What of a refused body is kept: enough to read, not a whole attack.
BODY_KEPT = 4000


class PaymentUnavailable(StateConflict):
    """The provider cannot take this payment now (not reachable, refused the order)."""


def checkout_start(
    *,
    invoice: Invoice,
    provider: str,
    channel: str,
    actor: Actor,
    client_ip: str = "",
    return_url: str = "",
) -> Checkout:
    """A checkout for what is still open on `invoice`: its QR content (native) or the page
    the customer opens (phone, page). Refused for a draft or paid invoice, or a provider the
    agency has not configured. An open checkout of the same kind and amount is given again.
    """
    _require_may_pay(actor, invoice)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status == InvoiceStatus.DRAFT:
        raise StateConflict(_("Only an issued invoice is paid online."))
    if invoice.status == InvoiceStatus.PAID or invoice.open_amount <= 0:
        raise StateConflict(_("This invoice is paid already."))
    if channel not in PayChannel.values:
        raise ValidationError({"channel": _("Choose how the customer pays.")})
    account = ProviderAccount.objects.filter(
        agency_id=invoice.agency_id, provider=provider, is_active=True
    ).first()
    if account is None:
        raise ValidationError({"provider": _("This agency does not take this provider online.")})
    earlier = Checkout.objects.filter(
        agency_id=invoice.agency_id,
        invoice=invoice,
        provider=provider,
        channel=channel,
        amount=invoice.open_amount,
        status=CheckoutStatus.OPEN,
        created_at__gte=timezone.now() - REUSE_FOR,
    ).first()
    if earlier is not None and (earlier.code_url or earlier.pay_url):
        return earlier
    checkout = Checkout.objects.create(
        agency_id=invoice.agency_id,
        invoice=invoice,
        provider=provider,
        channel=channel,
        out_trade_no=uuid.uuid4().hex,
        amount=invoice.open_amount,
        currency=invoice.currency,
    )
    with translation.override(invoice.language):
        description = _("%(agency)s invoice %(number)s") % {
            "agency": invoice.agency.name,
            "number": invoice.number,
        }
    try:
        started = provider_for(account).start(
            out_trade_no=checkout.out_trade_no,
            amount=checkout.amount,
            currency=checkout.currency,
            description=description,
            channel=channel,
            notify_url=notify_url(agency=invoice.agency, provider=provider),
            return_url=return_url,
            client_ip=client_ip,
        )
    except ProviderError as error:
        logger.warning("checkout %s not started: %s", checkout.out_trade_no, error)
        Checkout.objects.filter(pk=checkout.pk).update(status=CheckoutStatus.CLOSED)
        raise PaymentUnavailable(
            _("The payment provider does not answer; try again or pay another way.")
        ) from error
    checkout.code_url, checkout.pay_url = started.code_url, started.pay_url
    checkout.save(update_fields=["code_url", "pay_url"])
    audit_record(
        agency=invoice.agency,
        actor=actor,
        action="payments.checkout",
        target=invoice,
        changes={"provider": provider, "channel": channel, "amount": str(checkout.amount)},
    )
    return checkout


def notify_url(*, agency: Agency, provider: str) -> str:
    path = reverse("payment_notify", kwargs={"provider": provider, "agency_slug": agency.slug})
    return settings.SITE_URL.rstrip("/") + path


def notification_receive(
    *, agency_slug: str, provider: str, headers: Mapping[str, str], body: bytes
) -> Answer:
    """Verify a provider's notification and record its payment once; answer the provider."""
    account = ProviderAccount.objects.filter(agency__slug=agency_slug, provider=provider).first()
    if account is None:
        # No agency to file it under: nobody's money, and nothing to show to anyone.
        logger.warning("payment notification for unknown %s/%s", provider, agency_slug)
        return Answer(status=404, body="", content_type="text/plain")
    client = provider_for(account)
    try:
        notice = client.verify(headers=headers, body=body)
    except NotAuthentic as error:
        return _refuse(account, client, RefusalReason.SIGNATURE, str(error), body)
    if notice.merchant_id != account.merchant_id:
        return _refuse(account, client, RefusalReason.MERCHANT, notice.merchant_id, body, notice)
    if not notice.paid:
        return client.accepted()  # a closed or failed trade: nothing was paid
    checkout = (
        Checkout.objects.filter(
            agency_id=account.agency_id, provider=provider, out_trade_no=notice.out_trade_no
        )
        .select_related("invoice")
        .first()
    )
    if checkout is None:
        return _refuse(account, client, RefusalReason.UNKNOWN, "", body, notice)
    if checkout.status == CheckoutStatus.PAID and checkout.transaction_id == notice.transaction_id:
        return client.accepted()  # a replay: recorded already
    if notice.amount != checkout.amount:
        detail = f"{notice.amount} ≠ {checkout.amount}"
        return _refuse(account, client, RefusalReason.AMOUNT, detail, body, notice)
    if notice.currency != checkout.currency:
        detail = f"{notice.currency} ≠ {checkout.currency}"
        return _refuse(account, client, RefusalReason.CURRENCY, detail, body, notice)
    try:
        recorded = _record(checkout, notice)
    except (ValidationError, StateConflict, PermissionDenied, IntegrityError) as error:
        detail = "; ".join(getattr(error, "messages", [str(error)]))
        return _refuse(account, client, RefusalReason.STATE, detail, body, notice)
    if not recorded and not _paid_by(checkout, notice):
        detail = _("The checkout was paid by another transaction.")
        return _refuse(account, client, RefusalReason.STATE, detail, body, notice)
    return client.accepted()


@transaction.atomic
def _record(checkout: Checkout, notice: Notice) -> bool:
    """Claim the open checkout and record its payment; False if a twin claimed it first."""
    now = timezone.now()
    claimed = Checkout.objects.filter(pk=checkout.pk, status=CheckoutStatus.OPEN).update(
        status=CheckoutStatus.PAID, transaction_id=notice.transaction_id, paid_at=now
    )
    if not claimed:
        return False
    invoice = checkout.invoice
    payment = payment_accept(
        invoice=invoice,
        actor=Actor.customer(invoice.customer_id),
        amount=notice.amount,
        method=METHODS[Provider(checkout.provider)],
        reference=notice.transaction_id,
        received_at=now,
    )
    Checkout.objects.filter(pk=checkout.pk).update(payment=payment)
    return True


def _paid_by(checkout: Checkout, notice: Notice) -> bool:
    return Checkout.objects.filter(pk=checkout.pk, transaction_id=notice.transaction_id).exists()


def _refuse(
    account: ProviderAccount,
    client: PaymentProvider,
    reason: str,
    detail: str,
    body: bytes,
    notice: Notice | None = None,
) -> Answer:
    RefusedNotification.objects.create(
        agency_id=account.agency_id,
        provider=account.provider,
        reason=reason,
        detail=detail[:300],
        out_trade_no=notice.out_trade_no[:64] if notice else "",
        transaction_id=notice.transaction_id[:64] if notice else "",
        body=body[:BODY_KEPT].decode("utf-8", "replace"),
    )
    logger.warning("payment notification refused: %s %s %s", account.provider, reason, detail)
    return client.refused(str(RefusalReason(reason).label))


def _require_may_pay(actor: Actor, invoice: Invoice) -> None:
    """The invoice's customer (portal, signed link), finance or a manager (the office page,
    the API), or field staff (their job page; the page checks it is their job)."""
    if actor.is_customer:
        if actor.customer_id != invoice.customer_id:
            raise PermissionDenied(_("Only the invoice's customer pays it."))
        return
    if not (
        can(actor, Area.BILLING, agency_id=invoice.agency_id)
        or can(actor, Area.MY_JOBS, agency_id=invoice.agency_id)
    ):
        raise PermissionDenied(_("Finance or the staff on the job show the payment code."))
