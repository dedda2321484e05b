"""Celery tasks of the staff's own voice (beat)."""

from celery import shared_task

from voice.services import surveys_sweep


@shared_task(name="voice.tasks.sweep_surveys")
def sweep_surveys() -> dict[str, int]:
    """Close surveys past their last day; open the six-monthly one where it is due."""
    return surveys_sweep()
