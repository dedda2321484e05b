"""/health/: the database, Redis, each Celery queue's backlog, and beat's heartbeat.

The queues and the heartbeat together tell the two failures apart: no fresh
heartbeat while the fast queue is keeping up means beat is not sending (not
running); a queue whose oldest task has waited too long means its workers are
behind (or stopped), whatever beat does.
"""

import json
import time

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from agency.models import Heartbeat
from config.celery import SENT_AT_HEADER

Check = dict[str, object]


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    queues = _queues()
    checks = {
        "database": _database(),
        "redis": _redis(),
        "queues": queues,
        "heartbeat": _heartbeat(queues),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": str(exc)}
    return {"ok": True}


def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _redis() -> Check:
    try:
        _client(settings.REDIS_URL).ping()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)}
    return {"ok": True}


def _queues() -> Check:
    """Per queue: how many tasks wait, and how long the oldest has waited.

    Kombu's Redis transport keeps a queue as a list that grows on the left and
    is consumed from the right, so the oldest waiting message is at index -1.
    """
    try:
        broker = _client(settings.CELERY_BROKER_URL)
        report: Check = {"ok": True}
        for name, max_wait in settings.QUEUE_MAX_WAIT_SECONDS.items():
            depth = broker.llen(name)
            oldest = broker.lindex(name, -1)
            age = _waited(oldest) if oldest is not None else 0
            behind = age > max_wait
            report[name] = {"ok": not behind, "depth": depth, "oldest_age_seconds": age}
            if behind:
                report["ok"] = False
                report["error"] = f"workers are behind: a task on {name} has waited {age} s"
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)}
    return report


def _waited(message: bytes | str) -> int:
    """Seconds since the message was sent; 0 for one sent before sends were stamped."""
    sent_at = json.loads(message).get("headers", {}).get(SENT_AT_HEADER)
    return max(0, round(time.time() - sent_at)) if sent_at is not None else 0


def _heartbeat(queues: Check) -> Check:
    try:
        last = (
            Heartbeat.objects.order_by("-recorded_at").values_list("recorded_at", flat=True).first()
        )
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)}
    fast = queues.get(settings.CELERY_TASK_DEFAULT_QUEUE)
    fast_is_behind = isinstance(fast, dict) and not fast["ok"]
    if last is None:
        return {"ok": False, "error": "no heartbeat yet: is celery beat running?"}
    age = (timezone.now() - last).total_seconds()
    result: Check = {
        "ok": age <= settings.HEARTBEAT_STALE_AFTER_SECONDS,
        "last": last.isoformat(),
        "age_seconds": round(age),
    }
    if not result["ok"]:
        result["error"] = (
            "workers are behind or stopped: the heartbeat waits in the queue"
            if fast_is_behind
            else "beat is not running: no heartbeat was sent"
        )
    return result
