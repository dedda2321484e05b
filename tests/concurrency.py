"""Running calls at the same moment, as two users or two workers would."""

import threading
from collections.abc import Callable

from django.db import connection
from django.utils import translation


def race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment, each in its own thread and database connection.

    Each outcome is the call's result or the exception it raised, in the calls' order.
    Threads speak English like the rest of the suite (translation is per thread).
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test reads
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
