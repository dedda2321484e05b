"""Who may post delivery receipts: a request signed with SMS_WEBHOOK_SECRET.

Aliyun's HTTP push signs nothing, so Hearth asks for its own proof, either of:
- `X-Hearth-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, for a relay or
  gateway that can add a header;
- the token derived from the secret in the URL (`receipt_path()`), for a provider's
  console that takes only a URL, as Aliyun's does. Only HTTPS keeps it secret.
Without a secret configured, every receipt is refused.
"""

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

SIGNATURE_HEADER = "X-Hearth-Signature"
_TOKEN_PURPOSE = b"hearth sms delivery receipts"


def body_signature(body: bytes, *, secret: str) -> str:
    """The header's value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def url_token(*, secret: str) -> str:
    return hmac.new(secret.encode(), _TOKEN_PURPOSE, hashlib.sha256).hexdigest()


def receipt_path() -> str:
    """The tokened path to give Aliyun's console (after the site's address)."""
    return reverse(
        "sms_receipts_aliyun_token", kwargs={"token": url_token(secret=settings.SMS_WEBHOOK_SECRET)}
    )


def authentic(*, body: bytes, signature: str, token: str) -> bool:
    """True if the request carries a valid signature of its body or the URL token."""
    secret = settings.SMS_WEBHOOK_SECRET
    if not secret:
        return False
    if token:
        return hmac.compare_digest(token, url_token(secret=secret))
    return hmac.compare_digest(signature, body_signature(body, secret=secret))
