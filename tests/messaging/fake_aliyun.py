"""A local stand-in for Aliyun's SendSms endpoint that checks what a real one checks.

It recomputes each request's signature from the parameters it received and the shared
secret (its own implementation of the documented algorithm, not the backend's), checks
the common and SendSms parameters, refuses a reused nonce or a stale timestamp, and
answers as Aliyun does: {"Code": "OK", "BizId": ...} or an error code. `outage` makes it
answer 503 or a throttling code, as a provider in trouble does.
"""

import base64
import hashlib
import hmac
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

COMMON = {
    "Action": "SendSms",
    "Version": "2017-05-25",
    "Format": "JSON",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureVersion": "1.0",
}
THROTTLED = "isv.BUSINESS_LIMIT_CONTROL"


def expected_signature(params: dict[str, str], secret: str) -> str:
    def encode(text: str) -> str:
        # RFC 3986 by hand: what Java's URLEncoder gives, with + * %7E put right (the docs' recipe).
        return quote(text, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")

    pairs = sorted((encode(k), encode(v)) for k, v in params.items() if k != "Signature")
    canonical = "&".join(f"{k}={v}" for k, v in pairs)
    string_to_sign = "GET&" + encode("/") + "&" + encode(canonical)
    mac = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


@dataclass
class FakeAliyun:
    access_key_id: str = "LTAI-test-id"
    secret: str = "test-secret"
    sign_name: str = "家政通"
    template_code: str = "SMS_000001"
    #: None, HTTPStatus.SERVICE_UNAVAILABLE, or an Aliyun error code to answer with.
    outage: Any = None
    #: Every request's parameters, accepted or not.
    requests: list[dict[str, str]] = field(default_factory=list)
    #: The accepted ones, with the BizId each was given.
    accepted: list[dict[str, str]] = field(default_factory=list)
    nonces: set[str] = field(default_factory=set)
    url: str = ""

    def answer(self, params: dict[str, str]) -> tuple[int, dict[str, str]]:
        self.requests.append(params)
        if params.get("AccessKeyId") != self.access_key_id:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "no such key"}
        if params.get("Signature") != expected_signature(params, self.secret):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "signature mismatch"}
        if params.get("SignatureNonce", "") in self.nonces or not params.get("SignatureNonce"):
            return 400, {"Code": "SignatureNonceUsed", "Message": "nonce used"}
        self.nonces.add(params["SignatureNonce"])
        sent_at = datetime.strptime(params.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ")
        if abs(datetime.now(UTC) - sent_at.replace(tzinfo=UTC)) > timedelta(minutes=15):
            return 400, {"Code": "InvalidTimeStamp.Expired", "Message": "stale"}
        wrong = [name for name, value in COMMON.items() if params.get(name) != value]
        if wrong:
            return 400, {"Code": "MissingParameter", "Message": ", ".join(wrong)}
        if (params.get("SignName"), params.get("TemplateCode")) != (
            self.sign_name,
            self.template_code,
        ):
            return 200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "not approved"}
        content = json.loads(params.get("TemplateParam", "{}")).get("content", "")
        if not content or not params.get("PhoneNumbers", "").isdigit() or not params.get("OutId"):
            return 200, {"Code": "isv.INVALID_PARAMETERS", "Message": "bad parameters"}
        if self.outage == HTTPStatus.SERVICE_UNAVAILABLE:
            return 503, {}
        if self.outage:
            return 200, {"Code": self.outage, "Message": "触发分钟级流控"}
        biz_id = f"{len(self.accepted) + 1000}^{uuid.uuid4().int % 10**9}"
        self.accepted.append({**params, "BizId": biz_id})
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": "r"}

    def __enter__(self) -> "FakeAliyun":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                status, body = fake.answer(params)
                raw = json.dumps(body).encode() if body else b"Service Unavailable"
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if body else "text/plain")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
