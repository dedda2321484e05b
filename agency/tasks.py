import socket

from celery import shared_task

from agency import services


@shared_task(name="agency.tasks.record_heartbeat")
def record_heartbeat() -> bool:
    """Beat's proof of life; idempotent within a beat slot."""
    return services.heartbeat_record(hostname=socket.gethostname())
