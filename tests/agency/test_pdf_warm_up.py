"""PDF workers load the fonts when their processes start; other processes never load WeasyPrint."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from kombu import Queue

import agency.pdf
from config import celery as celery_config
from config.celery import app

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def consumes(monkeypatch):
    """`consumes(*queues)`: this process is a worker started with `--queues=...`."""

    def _consumes(*queues: str) -> None:
        selected = {name: Queue(name) for name in queues}
        monkeypatch.setattr(app.amqp.queues, "_consume_from", selected)

    return _consumes


@pytest.fixture
def warm_ups(monkeypatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(agency.pdf, "warm_up", lambda: calls.append("warmed"))
    return calls


def test_a_reports_worker_process_warms_the_pdf_fonts_when_it_starts(consumes, warm_ups):
    consumes(settings.REPORTS_QUEUE)
    celery_config._warm_up_pdf_fonts()
    assert warm_ups == ["warmed"]


def test_a_fast_queue_worker_process_does_not_load_the_fonts(consumes, warm_ups):
    consumes(settings.CELERY_TASK_DEFAULT_QUEUE)
    celery_config._warm_up_pdf_fonts()
    assert warm_ups == []


def test_a_failed_warm_up_leaves_the_process_running(consumes, monkeypatch, caplog):
    consumes(settings.REPORTS_QUEUE)

    def broken() -> None:
        raise OSError("no fonts")

    monkeypatch.setattr(agency.pdf, "warm_up", broken)
    celery_config._warm_up_pdf_fonts()
    assert "PDF fonts not loaded" in caplog.text


def test_the_warm_up_is_connected_to_each_worker_process_start():
    from celery.signals import worker_process_init

    receivers = [receiver() for _, receiver in worker_process_init.receivers]
    assert celery_config._warm_up_pdf_fonts in receivers


def test_a_worker_process_has_time_to_warm_up_before_celery_gives_up_on_it():
    # Celery kills a pool process that has not started within 4 s by default.
    assert app.conf.worker_proc_alive_timeout >= 30


def test_the_warm_up_renders_a_chinese_document(settings):
    # Rendered for real: the template it uses must keep working with the shared layout.
    from weasyprint import HTML

    rendered: list[bytes] = []
    original = HTML.write_pdf

    def keep(self, *args, **kwargs):
        rendered.append(original(self, *args, **kwargs))
        return rendered[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HTML, "write_pdf", keep)
        agency.pdf.warm_up()
    assert len(rendered) == 1 and rendered[0].startswith(b"%PDF")


@pytest.mark.slow
def test_a_web_process_does_not_load_weasyprint_until_it_renders_a_document():
    # Loaded, WeasyPrint holds about 28 MB in every process that imported it.
    script = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "import config.wsgi;"
        "print('weasyprint' in sys.modules)"
    )
    done = subprocess.run(  # the project's own interpreter and settings
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
