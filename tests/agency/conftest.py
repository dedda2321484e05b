"""Fixtures of the agency tests."""

import uuid

import pytest
import redis


@pytest.fixture
def queues(settings):
    """Queues of this test's own on the real broker, empty, and removed afterwards."""
    fast, reports = (f"test-{name}-{uuid.uuid4().hex}" for name in ("fast", "reports"))
    settings.CELERY_TASK_DEFAULT_QUEUE = fast
    settings.QUEUE_MAX_WAIT_SECONDS = {fast: 120, reports: 3600}
    yield {"fast": fast, "reports": reports}
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for name in (fast, reports):
        broker.delete(name, f"_kombu.binding.{name}")
