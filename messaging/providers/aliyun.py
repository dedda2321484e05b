"""Alibaba Cloud SMS (阿里云短信): SendSms over its documented HTTP RPC API.

The API (dysmsapi, version 2017-05-25) is called with a signed GET: the parameters,
sorted and percent-encoded (RFC 3986), are signed with HMAC-SHA1 under the AccessKey
secret followed by "&" (Alibaba Cloud's "signature method V2 for RPC APIs"). No SDK:
the standard library does it in a few lines, and the maintained packages are heavy.

Aliyun sends only approved templates. The agency's texts are written and checked in
Hearth (messaging.rendering), so the platform registers ONE generic template whose
whole body is the variable `${content}`, and each message goes as
TemplateParam {"content": <the rendered text>}. Aliyun puts the approved signature
(SignName) in front itself, so the 【agency】 Hearth wrote first is taken off here.
"""

import base64
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from agency.notifications import Receipt

API_VERSION = "2017-05-25"
#: A provider call answers within seconds; the outbox gives an attempt minutes.
TIMEOUT_SECONDS = 10
#: Hearth's own signature at the head of a text (messaging.rendering.signed).
SIGNATURE = re.compile(r"^【[^】]*】")
#: Aliyun's reports give their times in China's time, without a zone.
CHINA = ZoneInfo("Asia/Shanghai")


class AliyunSMSError(Exception):
    """Aliyun did not accept the text (the outbox retries it with backoff)."""


def percent_encode(value: str) -> str:
    """RFC 3986, as the signature asks: only A-Z a-z 0-9 - _ . ~ stay; a space is %20."""
    return quote(value, safe="~")


def rpc_signature(params: Mapping[str, str], *, secret: str, method: str = "GET") -> str:
    """The Signature of a request with these parameters (all but Signature itself)."""
    canonical = "&".join(
        f"{percent_encode(name)}={percent_encode(value)}" for name, value in sorted(params.items())
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSMSBackend:
    """Sends through the platform's Aliyun account (config/settings.py, ALIYUN_SMS_*)."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        """The BizId of the accepted text; raises AliyunSMSError when it is not accepted.

        OutId carries the message's idempotency key, the same on every attempt: a retry
        after an unanswered attempt is recognisable in Aliyun's records and receipts.
        """
        params = {
            "AccessKeyId": settings.ALIYUN_SMS_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": idempotency_key,
            "PhoneNumbers": to,
            "RegionId": "cn-hangzhou",
            "SignName": settings.ALIYUN_SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": settings.ALIYUN_SMS_TEMPLATE_CODE,
            "TemplateParam": json.dumps(
                {"content": SIGNATURE.sub("", text, count=1)},
                ensure_ascii=False,
                separators=(",", ":"),
            ),
            "Timestamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        params["Signature"] = rpc_signature(params, secret=settings.ALIYUN_SMS_ACCESS_KEY_SECRET)
        url = f"{settings.ALIYUN_SMS_ENDPOINT.rstrip('/')}/?{urlencode(params, quote_via=quote)}"
        answer = _call(Request(url, headers={"Accept": "application/json"}))  # noqa: S310 - settings' http(s) URL
        if answer.get("Code") != "OK":
            raise AliyunSMSError(f"{answer.get('Code')}: {answer.get('Message', '')}")
        return str(answer.get("BizId", ""))


def _call(request: Request) -> dict[str, Any]:
    try:
        with urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - as above
            return _json(response.read(), status=response.status)
    except HTTPError as error:
        # Aliyun answers its refusals (a bad signature, throttling) with a 4xx and the
        # reason in JSON; a 5xx from a proxy in front of it may carry none.
        return _json(error.read(), status=error.code)
    except (URLError, TimeoutError, OSError) as error:
        raise AliyunSMSError(f"Aliyun unreachable: {error}") from error


def _json(body: bytes, *, status: int) -> dict[str, Any]:
    try:
        answer = json.loads(body)
    except ValueError:
        raise AliyunSMSError(f"HTTP {status} without a JSON answer") from None
    if not isinstance(answer, dict):
        raise AliyunSMSError(f"HTTP {status}: unexpected answer")
    return answer


def receipts_from(body: bytes) -> list[Receipt]:
    """Aliyun's delivery reports (SmsReport, HTTP batch push): a JSON array of
    {phone_number, send_time, report_time, success, err_code, err_msg, sms_size, biz_id,
    out_id}, times in China's time. Raises ValueError on anything else."""
    reports = json.loads(body)
    if not isinstance(reports, list) or not all(isinstance(each, dict) for each in reports):
        raise ValueError("a JSON array of reports was expected")
    return [
        Receipt(
            provider_id=str(report.get("biz_id") or ""),
            key=str(report.get("out_id") or ""),
            delivered=report.get("success") is True,
            at=_china_time(str(report.get("report_time") or "")),
            error=f"{report.get('err_code', '')}: {report.get('err_msg', '')}",
        )
        for report in reports
    ]


def _china_time(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
    except ValueError:
        return timezone.now()
