"""WeChat Pay API v3 through `wechatpayv3`, in public-key mode (微信支付公钥): the platform's
public key and its id are configured with the account, so no certificate is downloaded.

Native pay gives a `code_url` to show as a QR code (staff phone, office page); H5 pay gives an
`h5_url` for a phone browser. Amounts are whole fen at the provider, yuan here.
"""

import csv
import gzip
import io
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from wechatpayv3 import WeChatPay, WeChatPayType

from orders.payments.providers import (
    Answer,
    BillLine,
    NotAuthentic,
    Notice,
    ProviderError,
    RefundAnswer,
    Started,
)

_HEADERS = (
    "Wechatpay-Signature",
    "Wechatpay-Timestamp",
    "Wechatpay-Nonce",
    "Wechatpay-Serial",
    "Wechatpay-Signature-Type",
)


def fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def yuan(value: int | str) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


class WeChatPayProvider:
    def __init__(
        self,
        *,
        merchant_id: str,
        app_id: str,
        cert_serial_no: str,
        private_key: str,
        api_key: str,
        public_key: str,
        public_key_id: str,
    ) -> None:
        try:
            self.client = WeChatPay(
                wechatpay_type=WeChatPayType.NATIVE,
                mchid=merchant_id,
                private_key=private_key,
                cert_serial_no=cert_serial_no,
                appid=app_id,
                apiv3_key=api_key,
                public_key=public_key,
                public_key_id=public_key_id,
                timeout=(5, 20),
            )
        except Exception as error:  # the SDK raises bare Exceptions on bad keys
            raise ProviderError(str(error)) from error
        self.client._core._gate_way = settings.WECHATPAY_GATEWAY.rstrip("/")

    def _call(self, method: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            code, message = method(**kwargs)
        except Exception as error:  # network, or an answer not signed by the platform key
            raise ProviderError(str(error)) from error
        try:
            data = json.loads(message) if message else {}
        except (TypeError, ValueError) as error:
            raise ProviderError(f"not JSON: {message!r:.200}") from error
        if code not in range(200, 300):
            raise ProviderError(f"{code} {data.get('code', '')} {data.get('message', '')}")
        return dict(data)

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
    ) -> Started:
        phone = channel != "native"
        data = self._call(
            self.client.pay,
            description=description[:127],
            out_trade_no=out_trade_no,
            amount={"total": fen(amount), "currency": currency},
            notify_url=notify_url,
            pay_type=WeChatPayType.H5 if phone else WeChatPayType.NATIVE,
            scene_info=(
                {"payer_client_ip": client_ip or "127.0.0.1", "h5_info": {"type": "Wap"}}
                if phone
                else None
            ),
        )
        if phone:
            return Started(pay_url=str(data.get("h5_url", "")))
        return Started(code_url=str(data.get("code_url", "")))

    def verify(self, *, headers: Mapping[str, str], body: bytes) -> Notice:
        try:
            data = self.client.callback({name: headers.get(name, "") for name in _HEADERS}, body)
        except Exception as error:  # an unknown algorithm, a malformed body
            raise NotAuthentic(str(error)) from error
        if not data:
            raise NotAuthentic("signature or encryption not the platform's")
        resource = data["resource"]
        amount = resource.get("amount") or {}
        return Notice(
            merchant_id=str(resource.get("mchid", "")),
            out_trade_no=str(resource.get("out_trade_no", "")),
            transaction_id=str(resource.get("transaction_id", "")),
            amount=yuan(amount.get("total", 0)),
            currency=str(amount.get("currency", "")),
            paid=resource.get("trade_state") == "SUCCESS",
        )

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
    ) -> RefundAnswer:
        try:
            data = self._call(
                self.client.refund,
                out_refund_no=out_refund_no,
                amount={"refund": fen(amount), "total": fen(total), "currency": currency},
                transaction_id=transaction_id,
                reason=reason[:80],
            )
        except ProviderError as error:
            return RefundAnswer(accepted=False, error=str(error)[:300])
        # PROCESSING: WeChat took it and pays back within days; it never turns it down later
        # except for a closed account, which finance sees in the day's reconciliation.
        if data.get("status") in ("SUCCESS", "PROCESSING"):
            return RefundAnswer(accepted=True, provider_refund_id=str(data.get("refund_id", "")))
        return RefundAnswer(accepted=False, error=f"status {data.get('status')}")

    def bill(self, *, day: date) -> list[BillLine]:
        data = self._call(self.client.trade_bill, bill_date=day.isoformat(), tar_type="GZIP")
        try:
            code, content = self.client.download_bill(data["download_url"])
        except Exception as error:
            raise ProviderError(str(error)) from error
        if code != 200:
            raise ProviderError(f"bill download: {code}")
        raw = content if isinstance(content, bytes) else content.encode()
        return parse_bill(gzip.decompress(raw).decode("utf-8-sig"))

    def accepted(self) -> Answer:
        return Answer(status=204, body="", content_type="application/json")

    def refused(self, message: str) -> Answer:
        return Answer(
            status=400,
            body=json.dumps({"code": "FAIL", "message": message}, ensure_ascii=False),
            content_type="application/json",
        )


def parse_bill(text: str) -> list[BillLine]:
    """The trade bill's CSV: a header, then rows whose values start with a backtick, then a
    summary after a line starting with 总交易单数."""
    lines: list[BillLine] = []
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    for row in rows:
        if not row or row[0].startswith("总"):
            break
        record = dict(zip(header, (value.lstrip("`") for value in row), strict=False))
        if record.get("交易状态") == "REFUND":
            lines.append(
                BillLine(
                    reference=record["商户退款单号"],
                    amount=Decimal(record["退款金额"]),
                    is_refund=True,
                )
            )
        elif record.get("交易状态") == "SUCCESS":
            lines.append(
                BillLine(
                    reference=record["微信订单号"],
                    amount=Decimal(record["订单金额"]),
                    is_refund=False,
                )
            )
    return lines
