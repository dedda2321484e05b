"""What Hearth asks of a payment provider, and the provider for an agency's account.

Each provider speaks through its maintained SDK (`wechatpayv3`, `python-alipay-sdk`) aimed at
the gateway in the settings (WECHATPAY_GATEWAY, ALIPAY_GATEWAY): the real one in production,
a fake provider in development and tests (tests/orders/fake_providers.py). The rest of the
wing sees only this Protocol and these plain answers, in the invoice's money (Decimal yuan).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol


class ProviderError(Exception):
    """The provider could not be reached, refused the request, or its answer was not its own."""


class NotAuthentic(Exception):
    """A notification whose signature (or encryption) is not the provider's."""


@dataclass(frozen=True)
class Started:
    """What the customer is given: a QR code's content (native) or a page to open."""

    code_url: str = ""
    pay_url: str = ""


@dataclass(frozen=True)
class Notice:
    """A notification, verified as the provider's: what it says was paid."""

    merchant_id: str
    out_trade_no: str
    transaction_id: str
    amount: Decimal
    currency: str
    #: False for a notification of a payment not (yet) made: nothing to record.
    paid: bool


@dataclass(frozen=True)
class RefundAnswer:
    accepted: bool
    provider_refund_id: str = ""
    error: str = ""


@dataclass(frozen=True)
class BillLine:
    """One line of the provider's daily bill: a payment (by its transaction id) or a refund
    (by our out_refund_no), in yuan."""

    reference: str
    amount: Decimal
    is_refund: bool


@dataclass(frozen=True)
class Answer:
    """What the notification endpoint answers, in the provider's own words."""

    status: int
    body: str
    content_type: str


class PaymentProvider(Protocol):
    def start(
        self,
        *,
        out_trade_no: str,
        amount: Decimal,
        currency: str,
        description: str,
        channel: str,
        notify_url: str,
        return_url: str,
        client_ip: str,
    ) -> Started: ...

    def verify(self, *, headers: Mapping[str, str], body: bytes) -> Notice: ...

    def refund(
        self,
        *,
        out_trade_no: str,
        transaction_id: str,
        out_refund_no: str,
        amount: Decimal,
        total: Decimal,
        currency: str,
        reason: str,
    ) -> RefundAnswer: ...

    def bill(self, *, day: date) -> list[BillLine]: ...

    def accepted(self) -> Answer: ...

    def refused(self, message: str) -> Answer: ...
