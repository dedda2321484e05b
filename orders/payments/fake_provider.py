"""A fake WeChat Pay and Alipay on one local HTTP server, for tests, benchmarks and development.

It speaks the part of each API that Hearth calls (create an order, refund, the daily bill),
checks the merchant's signature on each request and signs its answers and its notifications
with RSA keys it generated itself, exactly as the real gateways do, so the SDKs run unchanged.
No network beyond 127.0.0.1. Its keys are handed to `account_values()`, which a test, the
bench or `seed_demo` saves as the agency's provider accounts.

    fake = FakeProviders().start()   # then WECHATPAY_GATEWAY=fake.wechat_gateway, …
    headers, body = fake.wechat_notification(out_trade_no, amount)
"""

import base64
import csv
import gzip
import io
import json
import os
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qsl, quote_plus, urlsplit
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

WECHAT_MCHID = "1900000109"
WECHAT_APPID = "wx8888888888888888"
WECHAT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
WECHAT_PUBLIC_KEY_ID = "PUB_KEY_ID_0119000001092026"
ALIPAY_APP_ID = "2021000000000001"
_BEIJING = ZoneInfo("Asia/Shanghai")
#: The columns of the bills that Hearth reads (the real ones have more).
WECHAT_BILL_HEADER = ["交易时间", "商户号", "微信订单号", "商户订单号", "交易状态", "订单金额"]
WECHAT_BILL_HEADER += ["商户退款单号", "退款金额"]
ALIPAY_BILL_HEADER = ["支付宝交易号", "商户订单号", "业务类型", "商品名称", "订单金额（元）"]
ALIPAY_BILL_HEADER += ["退款批次号/请求号"]


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _sign(key: rsa.RSAPrivateKey, message: str) -> str:
    return base64.b64encode(
        key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()


def _verify(key: rsa.RSAPrivateKey, message: str, signature: str) -> bool:
    try:
        key.public_key().verify(
            base64.b64decode(signature), message.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass
class Trade:
    provider: str
    out_trade_no: str
    amount: Decimal
    transaction_id: str = ""
    paid_on: date | None = None
    notify_url: str = ""


@dataclass
class FakeRefund:
    provider: str
    out_refund_no: str
    amount: Decimal
    on: date


@dataclass
class FakeProviders:
    """Both providers' gateways, their keys, and a ledger of what they were asked."""

    wechat_merchant_key: rsa.RSAPrivateKey = field(default_factory=_key)
    wechat_platform_key: rsa.RSAPrivateKey = field(default_factory=_key)
    alipay_app_key: rsa.RSAPrivateKey = field(default_factory=_key)
    alipay_platform_key: rsa.RSAPrivateKey = field(default_factory=_key)
    apiv3_key: str = field(default_factory=lambda: uuid.uuid4().hex)
    trades: dict[str, Trade] = field(default_factory=dict)
    refunds: dict[str, FakeRefund] = field(default_factory=dict)
    #: Set to make the next refunds fail with this error code.
    refuse_refunds: str = ""
    requests: list[str] = field(default_factory=list)
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    # --- running ---------------------------------------------------------------------

    def start(self, port: int = 0) -> "FakeProviders":
        fake = self

        class Handler(_Handler):
            providers = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def wechat_gateway(self) -> str:
        return self.url + "/wechat"

    @property
    def alipay_gateway(self) -> str:
        return self.url + "/alipay/gateway.do"

    def account_values(self, provider: str) -> dict[str, Any]:
        """What an agency enters for its account at `provider`, secrets included."""
        if provider == "wechat":
            return {
                "merchant_id": WECHAT_MCHID,
                "app_id": WECHAT_APPID,
                "cert_serial_no": WECHAT_SERIAL,
                "public_key_id": WECHAT_PUBLIC_KEY_ID,
                "provider_public_key": public_pem(self.wechat_platform_key),
                "private_key": private_pem(self.wechat_merchant_key),
                "api_key": self.apiv3_key,
            }
        return {
            "merchant_id": ALIPAY_APP_ID,
            "app_id": "",
            "cert_serial_no": "",
            "public_key_id": "",
            "provider_public_key": public_pem(self.alipay_platform_key),
            "private_key": private_pem(self.alipay_app_key),
            "api_key": "",
        }

    # --- the customer pays: the provider's notification ---------------------------------

    def pay(self, out_trade_no: str) -> Trade:
        """The customer pays the trade: it gets a transaction id and enters today's bill."""
        trade = self.trades[out_trade_no]
        if not trade.transaction_id:
            prefix = "4200" if trade.provider == "wechat" else "2026"
            trade.transaction_id = prefix + uuid.uuid4().hex[:24]
            trade.paid_on = _today()
        return trade

    def wechat_notification(
        self,
        out_trade_no: str,
        *,
        amount: Decimal | None = None,
        currency: str = "CNY",
        mchid: str = WECHAT_MCHID,
        transaction_id: str | None = None,
        signing_key: rsa.RSAPrivateKey | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """The headers and body WeChat Pay posts when the trade is paid (TRANSACTION.SUCCESS)."""
        trade = self.trades.get(out_trade_no) or Trade("wechat", out_trade_no, amount or Decimal(1))
        if out_trade_no in self.trades:
            self.pay(out_trade_no)
        total = amount if amount is not None else trade.amount
        resource = {
            "mchid": mchid,
            "appid": WECHAT_APPID,
            "out_trade_no": out_trade_no,
            "transaction_id": transaction_id or trade.transaction_id or "4200" + "0" * 24,
            "trade_type": "NATIVE",
            "trade_state": "SUCCESS",
            "success_time": "2026-12-09T10:00:00+08:00",
            "amount": {
                "total": int(total * 100),
                "payer_total": int(total * 100),
                "currency": currency,
                "payer_currency": currency,
            },
        }
        nonce = uuid.uuid4().hex[:12]
        ciphertext = AESGCM(self.apiv3_key.encode()).encrypt(
            nonce.encode(), json.dumps(resource).encode(), b"transaction"
        )
        body = json.dumps(
            {
                "id": str(uuid.uuid4()),
                "create_time": "2026-12-09T10:00:00+08:00",
                "resource_type": "encrypt-resource",
                "event_type": "TRANSACTION.SUCCESS",
                "summary": "支付成功",
                "resource": {
                    "original_type": "transaction",
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": base64.b64encode(ciphertext).decode(),
                    "associated_data": "transaction",
                    "nonce": nonce,
                },
            }
        )
        return self._wechat_signed(body, signing_key), body.encode()

    def alipay_notification(
        self,
        out_trade_no: str,
        *,
        amount: Decimal | None = None,
        app_id: str = ALIPAY_APP_ID,
        trade_no: str | None = None,
        currency: str | None = None,
        signing_key: rsa.RSAPrivateKey | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """The form Alipay posts when the trade succeeds (trade_status_sync)."""
        trade = self.trades.get(out_trade_no) or Trade("alipay", out_trade_no, amount or Decimal(1))
        if out_trade_no in self.trades:
            self.pay(out_trade_no)
        data = {
            "notify_time": "2026-12-09 10:00:00",
            "notify_type": "trade_status_sync",
            "notify_id": uuid.uuid4().hex,
            "app_id": app_id,
            "charset": "utf-8",
            "version": "1.0",
            "trade_no": trade_no or trade.transaction_id or "2026" + "0" * 24,
            "out_trade_no": out_trade_no,
            "trade_status": "TRADE_SUCCESS",
            "total_amount": str(amount if amount is not None else trade.amount),
            "receipt_amount": str(amount if amount is not None else trade.amount),
        }
        if currency:
            data["trans_currency"] = currency
        unsigned = "&".join(f"{k}={v}" for k, v in sorted(data.items()))
        data["sign"] = _sign(signing_key or self.alipay_platform_key, unsigned)
        data["sign_type"] = "RSA2"
        body = "&".join(f"{k}={quote_plus(v)}" for k, v in data.items())
        return {"Content-Type": "application/x-www-form-urlencoded"}, body.encode()

    def _wechat_signed(self, body: str, key: rsa.RSAPrivateKey | None = None) -> dict[str, str]:
        timestamp, nonce = str(int(time.time())), uuid.uuid4().hex
        return {
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Serial": WECHAT_PUBLIC_KEY_ID,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
            "Wechatpay-Signature": _sign(
                key or self.wechat_platform_key, f"{timestamp}\n{nonce}\n{body}\n"
            ),
        }

    # --- the bills ---------------------------------------------------------------------

    def wechat_bill(self, day: date) -> bytes:
        rows = [WECHAT_BILL_HEADER]
        for trade in self._paid("wechat", day):
            status, refund_no, refunded = "SUCCESS", "0", "0.00"
            rows.append([f"{day} 10:00:00", WECHAT_MCHID, trade.transaction_id, trade.out_trade_no])
            rows[-1] += [status, str(trade.amount), refund_no, refunded]
        for refund in self._refunded("wechat", day):
            rows.append([f"{day} 10:00:00", WECHAT_MCHID, "", "", "REFUND", "0.00"])
            rows[-1] += [refund.out_refund_no, str(refund.amount)]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(rows[0])
        writer.writerows([[f"`{value}" for value in row] for row in rows[1:]])
        writer.writerow(["总交易单数", "应结订单总金额"])
        return gzip.compress(out.getvalue().encode("utf-8"))

    def alipay_bill(self, day: date) -> bytes:
        out = io.StringIO()
        out.write("#支付宝业务明细查询\n#账号：[20880000000000000156]\n")
        writer = csv.writer(out)
        writer.writerow(ALIPAY_BILL_HEADER)
        for trade in self._paid("alipay", day):
            writer.writerow(
                [trade.transaction_id, trade.out_trade_no, "交易", "发票", trade.amount]
            )
        for refund in self._refunded("alipay", day):
            writer.writerow(["", "", "退款", "发票", -refund.amount, refund.out_refund_no])
        out.write("#-----------------------------------------业务明细列表结束\n")
        archive = io.BytesIO()
        name = f"20880000000000000156_{day:%Y%m%d}_业务明细"
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.writestr(f"{name}.csv", out.getvalue().encode("gbk"))
            bundle.writestr(f"{name}(汇总).csv", b"")
        return archive.getvalue()

    def _paid(self, provider: str, day: date) -> list[Trade]:
        return [t for t in self.trades.values() if t.provider == provider and t.paid_on == day]

    def _refunded(self, provider: str, day: date) -> list[FakeRefund]:
        return [r for r in self.refunds.values() if r.provider == provider and r.on == day]


def _today() -> date:
    # Real time, not a mocked clock's: the fake is another party with its own clock; the
    # tests pin theirs to a day the fake's bill then names (FakeProviders.pay sets paid_on).
    from django.utils import timezone

    return timezone.now().astimezone(_BEIJING).date()


class _Handler(BaseHTTPRequestHandler):
    providers: FakeProviders

    def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
        return

    def do_GET(self) -> None:
        self._route("GET", b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._route("POST", self.rfile.read(length))

    def _route(self, method: str, body: bytes) -> None:
        fake = self.providers
        fake.requests.append(f"{method} {self.path}")
        parts = urlsplit(self.path)
        if parts.path.startswith("/wechat/"):
            self._wechat(method, self.path[len("/wechat") :], body)
        elif parts.path == "/alipay/gateway.do":
            self._alipay(dict(parse_qsl(parts.query, keep_blank_values=True)))
        elif parts.path == "/simulate/pay":
            self._simulate_pay(dict(parse_qsl(parts.query))["out_trade_no"])
        elif parts.path == "/alipay/bill":
            day = date.fromisoformat(dict(parse_qsl(parts.query))["day"])
            self._send(200, fake.alipay_bill(day), "application/zip")
        else:
            self._send(404, b"{}", "application/json")

    def _simulate_pay(self, out_trade_no: str) -> None:
        """Development: the customer pays a trade; its notification goes to Hearth."""
        fake = self.providers
        trade = fake.trades.get(out_trade_no)
        if trade is None or not trade.notify_url:
            self._send(404, b"unknown trade", "text/plain")
            return
        if trade.provider == "wechat":
            headers, body = fake.wechat_notification(out_trade_no)
        else:
            headers, body = fake.alipay_notification(out_trade_no)
        # The URL Hearth gave in its order (http or https, its own notify endpoint).
        request = Request(trade.notify_url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urlopen(request, timeout=10) as answer:  # noqa: S310 - a URL Hearth gave
                status, said = answer.status, answer.read()
        except HTTPError as error:
            status, said = error.code, error.read()
        self._send(200, f"Hearth answered {status}: ".encode() + said, "text/plain")

    # WeChat Pay API v3

    def _wechat(self, method: str, path: str, body: bytes) -> None:
        fake = self.providers
        if path.startswith("/v3/billdownload/"):
            day = date.fromisoformat(dict(parse_qsl(urlsplit(path).query))["day"])
            self._send(200, fake.wechat_bill(day), "application/octet-stream")
            return
        if not self._wechat_authentic(method, path, body):
            self._wechat_answer(401, {"code": "SIGN_ERROR", "message": "签名错误"})
            return
        data = json.loads(body) if body else {}
        if path in ("/v3/pay/transactions/native", "/v3/pay/transactions/h5"):
            amount = Decimal(data["amount"]["total"]) / 100
            fake.trades.setdefault(
                data["out_trade_no"],
                Trade("wechat", data["out_trade_no"], amount, notify_url=data["notify_url"]),
            )
            if path.endswith("native"):
                answer = {"code_url": f"weixin://wxpay/bizpayurl?pr={data['out_trade_no'][:12]}"}
            else:
                answer = {
                    "h5_url": f"https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id={data['out_trade_no']}"
                }
            self._wechat_answer(200, answer)
        elif path == "/v3/refund/domestic/refunds":
            if fake.refuse_refunds:
                self._wechat_answer(403, {"code": fake.refuse_refunds, "message": "退款失败"})
                return
            refund = fake.refunds.setdefault(
                data["out_refund_no"],
                FakeRefund(
                    "wechat",
                    data["out_refund_no"],
                    Decimal(data["amount"]["refund"]) / 100,
                    _today(),
                ),
            )
            self._wechat_answer(
                200,
                {
                    "refund_id": "5030" + refund.out_refund_no,
                    "out_refund_no": refund.out_refund_no,
                    "status": "SUCCESS",
                },
            )
        elif path.startswith("/v3/bill/tradebill"):
            bill_date = dict(parse_qsl(urlsplit(path).query))["bill_date"]
            url = f"{fake.wechat_gateway}/v3/billdownload/file?day={bill_date}"
            self._wechat_answer(200, {"download_url": url, "hash_type": "SHA1", "hash_value": ""})
        else:
            self._wechat_answer(404, {"code": "NOT_FOUND", "message": path})

    def _wechat_authentic(self, method: str, path: str, body: bytes) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, params = header.partition(" ")
        values = {
            key.strip(): value.strip().strip('"')
            for key, _, value in (item.partition("=") for item in params.split(","))
        }
        message = f"{method}\n{path}\n{values.get('timestamp')}\n{values.get('nonce_str')}\n"
        message += body.decode() + "\n"
        return (
            scheme == "WECHATPAY2-SHA256-RSA2048"
            and values.get("mchid") == WECHAT_MCHID
            and _verify(self.providers.wechat_merchant_key, message, values.get("signature", ""))
        )

    def _wechat_answer(self, status: int, data: dict[str, Any]) -> None:
        body = json.dumps(data, ensure_ascii=False)
        self._send(
            status,
            body.encode(),
            "application/json",
            self.providers._wechat_signed(body) if status < 300 else {},
        )

    # Alipay open platform

    def _alipay(self, query: dict[str, str]) -> None:
        fake = self.providers
        method = query.get("method", "")
        response_type = method.replace(".", "_") + "_response"
        signature = query.pop("sign", "")
        unsigned = "&".join(f"{k}={v}" for k, v in sorted(query.items()))
        if query.get("app_id") != ALIPAY_APP_ID or not _verify(
            fake.alipay_app_key, unsigned, signature
        ):
            self._alipay_answer(
                response_type,
                {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-signature"},
            )
            return
        biz = json.loads(query.get("biz_content") or "{}")
        if method == "alipay.trade.precreate":
            out_trade_no = biz["out_trade_no"]
            fake.trades.setdefault(
                out_trade_no,
                Trade(
                    "alipay",
                    out_trade_no,
                    Decimal(biz["total_amount"]),
                    notify_url=query.get("notify_url", ""),
                ),
            )
            answer = {"code": "10000", "msg": "Success", "out_trade_no": out_trade_no}
            answer["qr_code"] = f"https://qr.alipay.com/bax0{out_trade_no[:12]}"
            self._alipay_answer(response_type, answer)
        elif method == "alipay.trade.refund":
            if fake.refuse_refunds:
                self._alipay_answer(
                    response_type,
                    {"code": "40004", "msg": "Business Failed", "sub_code": fake.refuse_refunds},
                )
                return
            refund = fake.refunds.setdefault(
                biz["out_request_no"],
                FakeRefund(
                    "alipay", biz["out_request_no"], Decimal(biz["refund_amount"]), _today()
                ),
            )
            self._alipay_answer(
                response_type,
                {
                    "code": "10000",
                    "msg": "Success",
                    "trade_no": biz.get("trade_no", ""),
                    "fund_change": "Y",
                    "refund_fee": str(refund.amount),
                },
            )
        elif method == "alipay.data.dataservice.bill.downloadurl.query":
            url = f"{fake.url}/alipay/bill?day={biz['bill_date']}"
            self._alipay_answer(
                response_type, {"code": "10000", "msg": "Success", "bill_download_url": url}
            )
        else:
            self._alipay_answer(response_type, {"code": "40004", "msg": "Business Failed"})

    def _alipay_answer(self, response_type: str, data: dict[str, Any]) -> None:
        inner = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        signature = _sign(self.providers.alipay_platform_key, inner)
        body = f'{{"{response_type}":{inner},"sign":"{signature}"}}'
        self._send(200, body.encode(), "application/json;charset=utf-8")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


_KEY_NAMES = ("wechat_merchant_key", "wechat_platform_key", "alipay_app_key", "alipay_platform_key")


def development_providers(path: Path) -> FakeProviders:
    """The fake providers of development, with keys kept in `path` (made once): the demo
    agency's accounts (`seed_demo`) and the running fake server (`python -m …`) share them."""
    if path.exists():
        stored = json.loads(path.read_text())
        keys = {
            name: serialization.load_pem_private_key(stored[name].encode(), password=None)
            for name in _KEY_NAMES
        }
        return FakeProviders(apiv3_key=stored["apiv3_key"], **keys)  # type: ignore[arg-type]
    fake = FakeProviders()
    path.parent.mkdir(parents=True, exist_ok=True)
    stored = {name: private_pem(getattr(fake, name)) for name in _KEY_NAMES}
    path.write_text(json.dumps({**stored, "apiv3_key": fake.apiv3_key}))
    path.chmod(0o600)
    return fake


if __name__ == "__main__":  # development: `python -m orders.payments.fake_provider`
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings

    fake = development_providers(Path(settings.FAKE_PROVIDER_KEYS)).start(
        port=int(os.environ.get("FAKE_PROVIDER_PORT", "8765"))
    )
    print(f"fake providers at {fake.url}")
    threading.Event().wait()
