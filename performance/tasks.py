"""Celery tasks of performance: the daily promotions sweep (beat)."""

from celery import shared_task

from performance.promotions import promotions_sweep


@shared_task(name="performance.tasks.promotions_propose")
def promotions_propose() -> int:
    """Propose the promotions whose criteria are met; how many. Idempotent: a staff member
    with an open proposal is never proposed again, so a repeated run does no harm."""
    return promotions_sweep()
