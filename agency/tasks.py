import socket

from celery import shared_task
from django.utils import timezone

from agency import documents, notifications, services
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


@shared_task(name="agency.tasks.build_document")
def build_document(document_id: int) -> bool:
    """Build one asked-for document (reports queue: its workers have the PDF fonts loaded);
    a second delivery finds it built, or locked by the worker building it, and stops."""
    return documents.build(document_id)


@shared_task(name="agency.tasks.resend_document_builds")
def resend_document_builds() -> int:
    """Beat: send again the document builds whose message was lost."""
    return documents.resend_lost_builds()
