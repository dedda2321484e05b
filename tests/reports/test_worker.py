"""A real beat and a real Celery worker, on the local Redis, produce the Monday report once."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
import redis
import time_machine
from celery import beat
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings

from agency.models import Agency, Channel, OutboundMessage, Role
from config.celery import app
from reports.models import ReportStatus, WeeklyReport
from reports.tasks import sweep_weekly_reports
from tests.reports.conftest import MONDAY, sh
from tests.workers import only_scheduler, wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_beat_and_a_worker_build_the_monday_report_once(world, tmp_path):
    queue = f"test-{uuid.uuid4().hex}"
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    send_task = app.send_task

    def to_test_queue(name, *args, **options):
        return send_task(name, *args, **{**options, "queue": queue})

    Agency.objects.update(created_at=sh(20, 12))  # signed up the Friday before
    sweeps: list[object] = []

    def _finished(sender=None, **kwargs):
        if sender is not None and sender.name == sweep_weekly_reports.name:
            sweeps.append(kwargs.get("retval"))

    def the_agencys_report_is_ready() -> bool:
        return WeeklyReport.objects.filter(
            agency=world.a.agency, branch=None, status=ReportStatus.READY
        ).exists()

    task_postrun.connect(_finished, weak=False)
    clock = beat.EmbeddedService(
        app,
        thread=True,
        scheduler_cls=only_scheduler("weekly-reports", queue),
        schedule_filename=str(tmp_path / "beat-schedule"),
    )
    # Monday 08:00 in Shanghai, agency A's time zone; the clock runs on from there.
    with time_machine.travel(sh(23, 8) + timedelta(seconds=1), tick=True):
        try:
            with mock.patch.object(app, "send_task", side_effect=to_test_queue):
                clock.start()
                with start_worker(
                    app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
                ):
                    wait_for(the_agencys_report_is_ready, "the agency's Monday report")
                    seen = len(sweeps)
                    wait_for(lambda: len(sweeps) > seen + 1, "two more sweeps")
        finally:
            clock.stop()
            task_postrun.disconnect(_finished)
            broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")

    mine = WeeklyReport.objects.filter(agency=world.a.agency)
    assert [(r.branch_id, r.week, r.version) for r in mine.order_by("branch_id")] == [
        (world.a.branch.pk, MONDAY, 1),
        (None, MONDAY, 1),
    ]
    emails = OutboundMessage.objects.filter(agency=world.a.agency, channel=Channel.EMAIL)
    assert [m.recipient for m in emails] == [world.a.user(Role.MANAGER).email]
    assert emails.get().attachment.name == mine.get(branch=None).pdf.name
