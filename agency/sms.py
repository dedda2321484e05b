"""Pluggable SMS backends, chosen by the SMS_BACKEND setting (like Django's email backends)."""

import logging
import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSBackend(Protocol):
    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        """Deliver or raise; a raise means "not accepted, try again later".

        Answers the provider's id of the accepted message (its delivery receipts
        name it), or "" from a backend that has none.

        `idempotency_key` is the same on every attempt of one message: a backend
        whose provider takes such a key passes it on, so that a retry after an
        unanswered attempt is not delivered twice.
        """


class ConsoleSMSBackend:
    """Development: print the message, as Django's console email backend does."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        sys.stdout.write(f"SMS to {to} (key {idempotency_key}):\n{text}\n{'-' * 40}\n")
        sys.stdout.flush()
        return ""


class LocmemSMSBackend:
    """Tests: keep messages in `outbox` as (to, text), and each one's key in `keys`."""

    outbox: list[tuple[str, str]] = []
    keys: list[str] = []

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        self.outbox.append((to, text))
        self.keys.append(idempotency_key)
        return ""


def get_backend() -> SMSBackend:
    backend: SMSBackend = import_string(settings.SMS_BACKEND)()
    return backend
