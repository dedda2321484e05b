"""Pluggable SMS backends, chosen by the SMS_BACKEND setting (like Django's email backends)."""

import logging
import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSBackend(Protocol):
    def send(self, *, to: str, text: str) -> None:
        """Deliver or raise; a raise means "try again later"."""


class ConsoleSMSBackend:
    """Development: print the message, as Django's console email backend does."""

    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}:\n{text}\n{'-' * 40}\n")
        sys.stdout.flush()


class LocmemSMSBackend:
    """Tests: keep messages in `LocmemSMSBackend.outbox`."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        self.outbox.append((to, text))


def get_backend() -> SMSBackend:
    backend: SMSBackend = import_string(settings.SMS_BACKEND)()
    return backend
