import socket

from celery import shared_task

from agency import notifications, services


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
