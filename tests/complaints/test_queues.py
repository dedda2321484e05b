"""A complaint escalates on time while the worker queue of reports is full.

Real beat, real worker, real Redis: 100 report builds wait on the reports
queue, and the fast queue's worker still escalates a breached complaint within
a minute of its due time.
"""

import uuid
from datetime import date, timedelta
from unittest import mock

import pytest
import redis
from celery import beat
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from agency.models import Role
from complaints import policy as sla
from complaints.models import Deadline, DeadlineKind, Escalation
from complaints.services.intake import complaint_take
from config.celery import app
from reports import services as reports
from reports.models import WeeklyReport
from tests.workers import only_scheduler, wait_for

BUILDS = 100
#: The target: an escalation is written within a minute of its deadline.
TARGET = timedelta(seconds=60)


@pytest.fixture
def test_queue():
    """Queues of this test's own, one per real queue, so that a development worker on
    the same Redis takes nothing; removed afterwards."""
    names = {name: f"test-{name}-{uuid.uuid4().hex}" for name in ("celery", "reports")}
    yield names
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for name in names.values():
        broker.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_complaint_escalates_within_a_minute_while_100_report_builds_wait(
    world, office, intake, tmp_path, test_queue
):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    send_task = app.send_task

    def to_test_queues(name, *args, **options):
        # Each task goes to the test queue of the queue Celery's own routing chose.
        queue = app.amqp.router.route({}, name)["queue"].name
        return send_task(name, *args, **{**options, "queue": test_queue[queue]})

    supervisor = world.a.user(Role.SUPERVISOR)
    policy = sla.policy_for(world.a.agency)
    policy.hard_office_hours = False
    policy.save()
    # A hard complaint's first response (one hour) falls due in a few seconds. Real
    # time, not a pinned clock: the worker and beat run on it, and the lag is measured.
    complaint = complaint_take(
        agency=world.a.agency,
        actor=office,
        intake=intake(received_at=timezone.now() - timedelta(hours=1) + timedelta(seconds=3)),
    )
    first = Deadline.objects.get(complaint=complaint, kind=DeadlineKind.FIRST_RESPONSE)
    WeeklyReport.objects.bulk_create(
        WeeklyReport(
            agency=world.a.agency,
            week=date(2024, 1, 1) + timedelta(weeks=n),
            language="zh-hans",
            next_attempt_at=timezone.now() - timedelta(minutes=1),
        )
        for n in range(BUILDS)
    )

    with mock.patch.object(app, "send_task", side_effect=to_test_queues):
        assert reports.sweep_weekly_reports(limit=BUILDS)["started"] == BUILDS
    assert broker.llen(test_queue["reports"]) == BUILDS

    clock = beat.EmbeddedService(
        app,
        thread=True,
        scheduler_cls=only_scheduler("complaint-deadlines", test_queue["celery"]),
        schedule_filename=str(tmp_path / "beat-schedule"),
    )
    try:
        with mock.patch.object(app, "send_task", side_effect=to_test_queues):
            clock.start()
            with start_worker(
                app,
                pool="solo",
                perform_ping_check=False,
                queues=[test_queue["celery"]],
                shutdown_timeout=10,
            ):
                wait_for(lambda: Escalation.objects.exists(), "the complaint's escalation")
                waiting = broker.llen(test_queue["reports"])
    finally:
        clock.stop()

    escalation = Escalation.objects.get()
    lag = escalation.created_at - first.due_at
    print(f"escalation written {lag.total_seconds():.1f} s after its due time")
    assert timedelta(0) <= lag <= TARGET
    assert escalation.deadline == first and escalation.complaint.pk == complaint.pk
    assert supervisor.notifications.filter(key__startswith="complaint-").exists()
    # Every build still waited on its own queue: none stood between the timer and its worker.
    assert waiting == BUILDS


def test_report_builds_have_their_own_queue_and_the_timers_the_default_one():
    def queue_of(task: str) -> str:
        return app.amqp.router.route({}, task)["queue"].name

    assert queue_of("reports.tasks.build_weekly_report") == "reports"
    for entry in app.conf.beat_schedule.values():
        assert queue_of(entry["task"]) == app.conf.task_default_queue == "celery"
    assert queue_of("agency.tasks.deliver_message") == "celery"
