"""Celery tasks of feedback: the sweep that asks accepted orders' customers for feedback."""

from celery import shared_task

from feedback import revisits
from feedback.services import request_feedback_for_accepted_orders


@shared_task(name="feedback.tasks.request_feedback")
def request_feedback() -> int:
    """Idempotent: a repeated or lost run asks each customer once (a unique constraint)."""
    return request_feedback_for_accepted_orders()


@shared_task(name="feedback.tasks.sweep_revisits")
def sweep_revisits() -> dict[str, int]:
    """Schedule, send, drop and escalate revisits; each once, whatever runs twice."""
    return revisits.sweep_revisits()
