"""A real beat and a real Celery worker on the local Redis, for the sweeps' end-to-end tests."""

import time
from collections.abc import Callable

from celery import beat

from config.celery import app

#: How long a step may take before a test gives up (it normally takes a second or two).
WAIT_SECONDS = 30


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll until `condition()` holds; fail after WAIT_SECONDS."""
    give_up = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < give_up, f"gave up waiting for {what}"
        time.sleep(0.1)


def only_scheduler(entry_name: str, queue: str) -> type[beat.Scheduler]:
    """Beat with only one real entry of the schedule, sent to the test's queue twice a second."""

    class Only(beat.Scheduler):
        def setup_schedule(self) -> None:
            entry = app.conf.beat_schedule[entry_name]
            self.merge_inplace(
                {entry_name: {**entry, "schedule": 0.5, "options": {"queue": queue}}}
            )

    return Only
