"""Documents built by the reports queue's worker and served from storage (agency.documents)."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from agency import documents
from agency.documents import DocumentKey, document_for
from agency.models import Document, DocumentStatus, Role
from config.celery import app
from tests.concurrency import race
from tests.orders.test_billing_pages import paid

NOTE = b"%PDF-1.7 a note"


def note_pdf(document: Document) -> bytes:
    """A builder without WeasyPrint, for the plumbing's own tests."""
    return NOTE + f" {document.ref} {document.language}".encode()


@pytest.fixture
def note(world, monkeypatch) -> DocumentKey:
    monkeypatch.setitem(documents._BUILDERS, "note", f"{__name__}.note_pdf")
    return DocumentKey(
        agency_id=world.a.agency.pk,
        kind="note",
        ref=7,
        version=documents.content_version("draft", 1),
        language="en",
        filename="note-7.pdf",
    )


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, list[object]]]:
    """Tasks sent to the broker, recorded instead."""
    recorded: list[tuple[str, list[object]]] = []
    monkeypatch.setattr(
        app, "send_task", lambda name, args=(), **options: recorded.append((name, list(args)))
    )
    return recorded


def test_documents_are_built_on_the_reports_queue_and_lost_builds_resent_by_beat():
    route = app.amqp.router.route({}, documents.BUILD_TASK, ())
    assert route["queue"].name == settings.REPORTS_QUEUE
    entry = app.conf.beat_schedule["document-builds"]
    assert entry["task"] == "agency.tasks.resend_document_builds"
    assert app.amqp.router.route({}, entry["task"], ())["queue"].name == "celery"


def test_a_content_version_changes_with_any_part():
    assert documents.content_version("issued", "10.00") == documents.content_version(
        "issued", "10.00"
    )
    assert documents.content_version("issued", "10.00") != documents.content_version(
        "paid", "10.00"
    )
    assert documents.content_version("a", "bc") != documents.content_version("ab", "c")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_double_click_records_one_document_and_sends_one_build(note, sent):
    outcomes = race(lambda: document_for(key=note), lambda: document_for(key=note))

    assert [type(o) for o in outcomes] == [Document, Document]
    assert outcomes[0].pk == outcomes[1].pk  # type: ignore[attr-defined]
    assert Document.objects.count() == 1
    assert sent == [(documents.BUILD_TASK, [outcomes[0].pk])]  # type: ignore[attr-defined]


def test_a_build_is_idempotent(note, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_for(key=note)
    assert documents.build(document.pk) is True
    assert documents.build(document.pk) is False  # a second delivery: built already
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 1
    assert document.file.name.startswith(f"agency-{note.agency_id}/documents/")
    assert document.file.read() == NOTE + b" 7 en"
    assert document_for(key=note).pk == document.pk
    assert len(sent) == 1


def test_a_document_whose_file_was_lost_is_built_again(
    note, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_for(key=note)
    documents.build(document.pk)
    document.refresh_from_db()
    document.file.storage.delete(document.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        assert document_for(key=note).status == DocumentStatus.PENDING
    assert sent == [(documents.BUILD_TASK, [document.pk])] * 2
    assert documents.build(document.pk) is True
    assert document_for(key=note).file.read() == NOTE + b" 7 en"


def test_a_broker_outage_keeps_the_request_and_the_sweep_sends_it_later(
    note, broker_down, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_for(key=note)  # the send fails: logged, not raised
    assert "broker unavailable" in caplog.text
    assert Document.objects.get().status == DocumentStatus.PENDING

    recorded: list[object] = []
    with (
        mock.patch.object(app, "send_task", lambda name, args=(), **kw: recorded.append(args)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert documents.resend_lost_builds() == 0  # not lost yet: it may be on its way
        later = timezone.now() + documents.RESEND_AFTER + timedelta(seconds=1)
        with time_machine.travel(later, tick=False):
            assert documents.resend_lost_builds() == 1
            assert documents.resend_lost_builds() == 0  # sent again once
    assert recorded == [[document.pk]]


def test_a_failed_build_is_tried_again_when_asked_not_when_polled(
    note, sent, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(documents._BUILDERS, "note", "builtins.len")  # raises on a Document
    with django_capture_on_commit_callbacks(execute=True):
        document = document_for(key=note)
    assert documents.build(document.pk) is False
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.last_error.startswith("TypeError")

    with django_capture_on_commit_callbacks(execute=True):
        assert document_for(key=note, retry_failed=False).status == DocumentStatus.FAILED
        assert len(sent) == 1
        assert document_for(key=note).status == DocumentStatus.PENDING
    assert len(sent) == 2


def test_the_web_process_serves_documents_without_rendering_one(
    world, client_for, documents, monkeypatch
):
    # WeasyPrint is only ever called from the build task; the page itself never renders.
    write_pdf = mock.Mock(side_effect=AssertionError("the web process rendered a PDF"))
    monkeypatch.setattr("agency.pdf.write_pdf", write_pdf)
    invoice = paid(world.a)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("invoice_pdf", kwargs={"pk": invoice.pk})

    waiting = documents.ask(client, url)
    again = documents.ask(client, url, HTTP_HX_REQUEST="true")

    assert (waiting.status_code, again.status_code) == (202, 202)
    assert write_pdf.call_count == 0
    assert "failed" not in str(Document.objects.get().last_error)
