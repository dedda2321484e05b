import socket

from celery import shared_task
from django.utils import timezone

from agency import notifications, services
from agency.idempotency import idempotency_keys_prune


@shared_task(name="agency.tasks.record_heartbeat")
def record_heartbeat() -> bool:
    """Beat's proof of life; idempotent within a beat slot."""
    return services.heartbeat_record(hostname=socket.gethostname())


@shared_task(name="agency.tasks.deliver_message")
def deliver_message(message_id: int) -> bool:
    return notifications.deliver(message_id)


@shared_task(name="agency.tasks.deliver_due_messages")
def deliver_due_messages() -> int:
    """Beat: whatever a lost task or a failed attempt left waiting."""
    return notifications.deliver_due()


@shared_task(name="agency.tasks.prune_idempotency_keys")
def prune_idempotency_keys() -> int:
    """Beat, hourly: API idempotency keys older than a week answer no retry any more."""
    return idempotency_keys_prune(now=timezone.now())
