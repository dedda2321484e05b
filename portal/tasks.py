from celery import shared_task
from django.utils import timezone

from portal.services import sign_in_codes_prune


@shared_task(name="portal.tasks.prune_sign_in_codes")
def prune_sign_in_codes() -> int:
    """Beat, hourly: sign-in codes older than a day have no use left (portal.services)."""
    return sign_in_codes_prune(now=timezone.now())
