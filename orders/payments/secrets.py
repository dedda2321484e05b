"""Provider secrets at rest: Fernet tokens under PAYMENT_SECRETS_KEY (config/settings.py).

A database dump or backup then holds no usable merchant key. The key lives only in the
environment; rotating it means re-entering the accounts' secrets (they are never shown back,
so nothing else depends on reading them).
"""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> Fernet:
    if not settings.PAYMENT_SECRETS_KEY:
        raise ImproperlyConfigured("Set PAYMENT_SECRETS_KEY to use online payment.")
    return Fernet(settings.PAYMENT_SECRETS_KEY.encode())


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
