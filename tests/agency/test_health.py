"""/health/ and the heartbeat that beat records."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from agency import services
from agency.models import Heartbeat
from config.celery import app

NOON = datetime(2026, 11, 23, 12, 0, 10, tzinfo=UTC)


# Queues of each test's own: tasks other tests left on the broker do not count.
pytestmark = pytest.mark.usefixtures("queues")


def test_health_is_200_with_a_fresh_heartbeat(db, client):
    with time_machine.travel(NOON, tick=False):
        services.heartbeat_record(hostname="worker-1")
        response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["database"]["ok"] and body["redis"]["ok"]
    assert body["heartbeat"]["age_seconds"] == 0


def test_health_is_503_when_the_heartbeat_is_stale(db, client, settings):
    with time_machine.travel(NOON, tick=False):
        services.heartbeat_record(hostname="worker-1")
    later = NOON + timedelta(seconds=settings.HEARTBEAT_STALE_AFTER_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["heartbeat"]["ok"] is False


def test_health_is_503_before_any_heartbeat(db, client):
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert "beat" in response.json()["heartbeat"]["error"]


def test_health_is_503_when_redis_does_not_answer(db, client, settings):
    services.heartbeat_record(hostname="worker-1")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["redis"]["ok"] is False


def test_a_duplicate_beat_in_the_same_slot_records_nothing_new(db):
    with time_machine.travel(NOON, tick=False):
        assert services.heartbeat_record(hostname="worker-1") is True
        assert services.heartbeat_record(hostname="worker-2") is False
    assert Heartbeat.objects.count() == 1


def test_old_heartbeats_are_pruned(db):
    with time_machine.travel(NOON - timedelta(days=2), tick=False):
        services.heartbeat_record(hostname="worker-1")
    with time_machine.travel(NOON, tick=False):
        services.heartbeat_record(hostname="worker-1")
    assert list(Heartbeat.objects.values_list("recorded_at", flat=True)) == [NOON]


def test_health_shows_each_queues_depth_and_how_long_its_oldest_task_waited(db, client, queues):
    with time_machine.travel(NOON, tick=False):
        services.heartbeat_record(hostname="worker-1")
        for _ in range(3):
            app.send_task("reports.tasks.build_weekly_report", args=[1], queue=queues["reports"])
    with time_machine.travel(NOON + timedelta(seconds=20), tick=False):
        app.send_task("agency.tasks.record_heartbeat", queue=queues["fast"])
    with time_machine.travel(NOON + timedelta(seconds=50), tick=False):
        response = client.get(reverse("health"))

    assert response.status_code == 200
    body = response.json()["queues"]
    assert body[queues["reports"]] == {"ok": True, "depth": 3, "oldest_age_seconds": 50}
    assert body[queues["fast"]] == {"ok": True, "depth": 1, "oldest_age_seconds": 30}


def test_health_says_workers_are_behind_when_the_heartbeat_waits_in_the_queue(
    db, client, queues, settings
):
    with time_machine.travel(NOON, tick=False):
        services.heartbeat_record(hostname="worker-1")
    # Beat keeps sending its heartbeat; no worker takes it.
    with time_machine.travel(NOON + timedelta(seconds=60), tick=False):
        app.send_task("agency.tasks.record_heartbeat", queue=queues["fast"])
    stale = NOON + timedelta(seconds=settings.HEARTBEAT_STALE_AFTER_SECONDS + 1)
    with time_machine.travel(stale, tick=False):
        response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body["queues"]["ok"] is False
    assert body["queues"][queues["fast"]]["ok"] is False
    assert body["heartbeat"]["error"].startswith("workers are behind")


def test_health_says_beat_is_not_running_when_no_heartbeat_waits(db, client, settings):
    with time_machine.travel(NOON, tick=False):
        services.heartbeat_record(hostname="worker-1")
    stale = NOON + timedelta(seconds=settings.HEARTBEAT_STALE_AFTER_SECONDS + 1)
    with time_machine.travel(stale, tick=False):
        response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body["queues"]["ok"] is True
    assert body["heartbeat"]["error"].startswith("beat is not running")
