"""The Celery app. Its beat schedule, queues and routes are CELERY_* in settings."""

import logging
import os
import time
from typing import Any

from celery import Celery
from celery.signals import before_task_publish, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("hearth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

#: The message header that carries when a task was sent (epoch seconds).
SENT_AT_HEADER = "hearth_sent_at"


@before_task_publish.connect
def _stamp_sent_at(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    # Celery's messages carry no send time; /health/ reads this one off the oldest
    # waiting message to tell how far behind a queue's workers are.
    if headers is not None:
        headers.setdefault(SENT_AT_HEADER, time.time())


def serves_pdfs() -> bool:
    """Whether this worker consumes the queue that builds PDFs (its -Q option, read in
    the parent before the pool forks, so a child process sees the same selection)."""
    from django.conf import settings

    return settings.REPORTS_QUEUE in app.amqp.queues.consume_from


@worker_process_init.connect
def _warm_up_pdf_fonts(**kwargs: Any) -> None:
    # A process's first PDF loads WeasyPrint and the CJK fonts (2.5-3.4 s under load):
    # pay it when the process starts, not in the first report a manager waits for.
    # Only the reports queue's processes render PDFs; the fast queue stays small.
    if serves_pdfs():
        from agency.pdf import warm_up

        started = time.perf_counter()
        try:
            warm_up()
        except Exception:
            # A process that fails here would be restarted, and fail again, for ever; the
            # first real PDF will raise the same error where someone sees it.
            logger.exception("PDF fonts not loaded at process start")
            return
        logger.info("PDF fonts loaded in %.1f s", time.perf_counter() - started)
