"""Hand work to Celery after commit, without ever failing the request that saved it.

Every task sent after a commit speeds up something a row already records (an
outbox message, a pending report, a deadline): the beat sweeps find that row
again when the broker is back (DESIGN.md, "Timers"). So a broker that is down
must cost the user nothing: the send is logged and dropped, the data stays
saved, and the request answers as usual. Which queue a task goes to is decided
in one place, CELERY_TASK_ROUTES in the settings.
"""

import logging
from collections.abc import Sequence

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task_name: str, *, args: Sequence[object] = ()) -> None:
    """Send `task_name` by name once the current transaction commits (at once outside one).

    By name, so that a lower app can start a task without importing the module
    that defines it.
    """
    arguments = list(args)
    transaction.on_commit(lambda: _send(task_name, arguments))


def _send(task_name: str, args: list[object]) -> None:
    try:
        current_app.send_task(task_name, args=args)
    # kombu's OperationalError, redis' ConnectionError, a timeout, a refused
    # socket: whatever the publish raises, a sweep delivers the work later.
    except Exception:
        logger.exception(
            "broker unavailable: %s%s not sent, a sweep will catch up", task_name, args
        )
