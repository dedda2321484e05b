from celery import shared_task

from messaging import services


@shared_task(name="messaging.tasks.report_failed_texts")
def report_failed_texts() -> int:
    """Beat, every minute: failed texts to customers shown to the dispatchers, once each."""
    return services.failed_texts_report()
