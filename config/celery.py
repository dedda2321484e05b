"""The Celery app. Its beat schedule, queues and routes are CELERY_* in settings."""

import os
import time
from typing import Any

from celery import Celery
from celery.signals import before_task_publish

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

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
