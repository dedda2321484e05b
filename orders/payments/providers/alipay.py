"""Alipay (open platform, RSA2) through `python-alipay-sdk`: page pay for a desktop browser,
WAP pay for a phone browser, and precreate for a QR code (当面付). A pay page is a signed
link to the gateway, built without a request; refunds and bills are signed requests whose
answers the SDK verifies with the Alipay public key.
"""

import csv
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl
from urllib.request import urlopen

from alipay import AliPay
from django.conf import settings

from orders.payments.providers import (
    Answer,
    BillLine,
    NotAuthentic,
    Notice,
    ProviderError,
    RefundAnswer,
    Started,
)

_PAID = ("TRADE_SUCCESS", "TRADE_FINISHED")
_SUCCESS = "10000"


class AlipayProvider:
    def __init__(self, *, merchant_id: str, private_key: str, public_key: str) -> None:
        try:
            self.client = AliPay(
                appid=merchant_id,
                app_private_key_string=private_key,
                alipay_public_key_string=public_key,
                sign_type="RSA2",
            )
        except Exception as error:  # a key that does not load
            raise ProviderError(str(error)) from error
        self.client._gateway = settings.ALIPAY_GATEWAY
        self.merchant_id = merchant_id

    def _call(self, api: str, biz_content: dict[str, Any]) -> dict[str, Any]:
        try:
            data = self.client.server_api(api, biz_content)
        except Exception as error:  # network, an error answer, an answer not Alipay's
            raise ProviderError(str(error)[:300]) from error
        if str(data.get("code")) != _SUCCESS:
            raise ProviderError(f"{data.get('code')} {data.get('sub_code', '')} {data.get('msg')}")
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
        subject = description[:128]
        if channel == "native":
            data = self._call(
                "alipay.trade.precreate",
                {"out_trade_no": out_trade_no, "total_amount": str(amount), "subject": subject},
            )
            return Started(code_url=str(data.get("qr_code", "")))
        build = (
            self.client.api_alipay_trade_wap_pay
            if channel == "phone"
            else self.client.api_alipay_trade_page_pay
        )
        query = build(
            subject=subject,
            out_trade_no=out_trade_no,
            total_amount=str(amount),
            return_url=return_url,
            notify_url=notify_url,
        )
        return Started(pay_url=f"{settings.ALIPAY_GATEWAY}?{query}")

    def verify(self, *, headers: Mapping[str, str], body: bytes) -> Notice:
        data = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        signature = data.pop("sign", "")
        try:
            authentic = bool(signature) and self.client.verify(dict(data), signature)
        except Exception as error:  # an unknown sign type, a malformed signature
            raise NotAuthentic(str(error)) from error
        if not authentic:
            raise NotAuthentic("signature not Alipay's")
        try:
            amount = Decimal(data.get("total_amount", "0"))
        except ArithmeticError as error:
            raise NotAuthentic("amount unreadable") from error
        return Notice(
            merchant_id=data.get("app_id", ""),
            out_trade_no=data.get("out_trade_no", ""),
            transaction_id=data.get("trade_no", ""),
            amount=amount,
            # Domestic Alipay settles in yuan; a foreign-currency trade names its currency.
            currency=data.get("trans_currency", "CNY"),
            paid=data.get("trade_status") in _PAID,
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
                "alipay.trade.refund",
                {
                    "trade_no": transaction_id,
                    "refund_amount": str(amount),
                    # The same request number makes a resent refund the same refund.
                    "out_request_no": out_refund_no,
                    "refund_reason": reason[:256],
                },
            )
        except ProviderError as error:
            return RefundAnswer(accepted=False, error=str(error)[:300])
        if data.get("fund_change") == "Y" or data.get("refund_fee"):
            return RefundAnswer(accepted=True, provider_refund_id=out_refund_no)
        return RefundAnswer(accepted=False, error=json.dumps(data, ensure_ascii=False)[:300])

    def bill(self, *, day: date) -> list[BillLine]:
        data = self._call(
            "alipay.data.dataservice.bill.downloadurl.query",
            {"bill_type": "trade", "bill_date": day.isoformat()},
        )
        try:
            with urlopen(data["bill_download_url"], timeout=20) as answer:  # noqa: S310
                archive = zipfile.ZipFile(io.BytesIO(answer.read()))
        except Exception as error:
            raise ProviderError(f"bill download: {error}") from error
        lines: list[BillLine] = []
        for name in archive.namelist():
            if "汇总" not in name:  # the details, not the summary file
                lines.extend(parse_bill(archive.read(name).decode("gbk")))
        return lines

    def accepted(self) -> Answer:
        return Answer(status=200, body="success", content_type="text/plain")

    def refused(self, message: str) -> Answer:
        return Answer(status=200, body="fail", content_type="text/plain")


def parse_bill(text: str) -> list[BillLine]:
    """A trade bill's details CSV: comment lines start with #, then a header row and the rows
    (业务类型 交易 or 退款)."""
    rows = csv.reader(line for line in io.StringIO(text) if not line.startswith("#"))
    header = [name.strip() for name in next(rows, [])]
    lines: list[BillLine] = []
    for row in rows:
        record = dict(zip(header, (value.strip() for value in row), strict=False))
        kind = record.get("业务类型")
        if kind == "交易":
            lines.append(
                BillLine(
                    reference=record["支付宝交易号"],
                    amount=Decimal(record["订单金额（元）"]),
                    is_refund=False,
                )
            )
        elif kind == "退款":
            lines.append(
                BillLine(
                    reference=record["退款批次号/请求号"],
                    amount=abs(Decimal(record["订单金额（元）"])),
                    is_refund=True,
                )
            )
    return lines
