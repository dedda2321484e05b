"""Celery tasks of the risk register: the review-reminder sweep (beat)."""

from celery import shared_task

from complaints.quality.services import risk_reviews_remind


@shared_task(name="complaints.quality.tasks.remind_risk_reviews")
def remind_risk_reviews() -> int:
    """Tell each plan's owner its review is due, once per review date; how many were told."""
    return risk_reviews_remind()
