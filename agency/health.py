"""/health/: the database, Redis, and the age of the last beat heartbeat."""

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from agency.models import Heartbeat


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "redis": _redis(), "heartbeat": _heartbeat()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)


def _database() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": str(exc)}
    return {"ok": True}


def _redis() -> dict[str, object]:
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)}
    return {"ok": True}


def _heartbeat() -> dict[str, object]:
    try:
        last = (
            Heartbeat.objects.order_by("-recorded_at").values_list("recorded_at", flat=True).first()
        )
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)}
    if last is None:
        return {"ok": False, "error": "no heartbeat yet: is celery beat running?"}
    age = (timezone.now() - last).total_seconds()
    return {
        "ok": age <= settings.HEARTBEAT_STALE_AFTER_SECONDS,
        "last": last.isoformat(),
        "age_seconds": round(age),
    }
