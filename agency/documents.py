"""Documents (invoices, receipts, acceptance records) built by a worker, served from storage.

A PDF costs its process seconds and hundreds of MB the first time (WeasyPrint and the
CJK fonts), so only the reports queue's workers build them (their processes load the
fonts once at start, config/celery.py) and the web process never imports WeasyPrint. A
document is a `Document` row keyed by what it depicts (kind and id), the version of that
content and its language: the first request for a key records it and sends its build
after commit; the page answers "being prepared" and polls (HTMX), the API answers 202
with Retry-After; once built, the same URL streams the stored file. A changed invoice or
a new acceptance round has another version, so it is built anew, never served stale.

The row is the truth and Celery only speeds it up (DESIGN.md, "Timers"): a broker that
is down costs the request nothing (agency.queueing), and `resend_lost_builds` (beat)
sends a build again that has waited too long. Building is idempotent: a second delivery
finds the document built, or locked by the worker building it.

An app registers how to build each of its kinds (`register`, from its AppConfig), by
dotted path, so that only the process that builds imports the builder.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse

from agency.models import Document, DocumentStatus
from agency.pdf import PDF_RESPONSE
from agency.queueing import enqueue_on_commit

logger = logging.getLogger(__name__)

BUILD_TASK = "agency.tasks.build_document"
#: A build still pending this long after it was sent is sent again (a lost message, a
#: broker that was down); longer than a busy Monday's reports queue takes to reach it.
RESEND_AFTER = timedelta(minutes=5)
#: A failed build is tried again when someone asks again, this many times in all.
MAX_ATTEMPTS = 3
#: How soon a client should ask again: a document takes about a second to build.
RETRY_AFTER_SECONDS = 2

#: kind -> dotted path of `(document: Document) -> bytes`.
_BUILDERS: dict[str, str] = {}


def register(kind: str, builder: str) -> None:
    """Name the function that builds documents of `kind`, imported only where one is built."""
    _BUILDERS[kind] = builder


@dataclass(frozen=True)
class DocumentKey:
    """What a document depicts, in which version and language; and the name its download
    carries (each page or API may name the same document its own way)."""

    agency_id: int
    kind: str
    ref: int
    version: str
    language: str
    filename: str


def content_version(*parts: object) -> str:
    """A version from everything the document shows that can change: equal parts, equal
    document; any change, another version."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()


# --- services --------------------------------------------------------------------------


def document_for(*, key: DocumentKey, retry_failed: bool = True) -> Document:
    """The document of `key`: built, or asked for now (its build sent after commit).

    One query when it is built. A double click or two people at once record one row (the
    unique key) and send one build; a pending build that was lost is sent again; a failed
    one is tried again (`retry_failed`, up to MAX_ATTEMPTS) when a person asks again.
    """
    found = _find(key)
    if found is not None and found.status == DocumentStatus.READY:
        if found.file.name and found.file.storage.exists(found.file.name):
            return found
        return _rebuild_lost(found)
    return _request(key=key, retry_failed=retry_failed)


@transaction.atomic
def _rebuild_lost(document: Document) -> Document:
    """A built document whose file is gone (storage restored from an older backup, a
    volume replaced) is built again, as if asked for the first time, rather than fail."""
    logger.warning(
        "document %s: its file %s is missing; building it again", document.pk, document.file.name
    )
    _claim(document, old=DocumentStatus.READY, now=timezone.now())
    return document


@transaction.atomic
def _request(*, key: DocumentKey, retry_failed: bool) -> Document:
    document, created = Document.objects.get_or_create(
        agency_id=key.agency_id,
        kind=key.kind,
        ref=key.ref,
        version=key.version,
        language=key.language,
    )
    now = timezone.now()
    if created:
        _send(document.pk)
    elif document.status == DocumentStatus.FAILED:
        if retry_failed and document.attempts < MAX_ATTEMPTS:
            _claim(document, old=DocumentStatus.FAILED, now=now)
    elif document.status == DocumentStatus.PENDING and document.enqueued_at < now - RESEND_AFTER:
        _claim(document, old=DocumentStatus.PENDING, now=now, enqueued_before=document.enqueued_at)
    return document


def _claim(
    document: Document, *, old: str, now: datetime, enqueued_before: datetime | None = None
) -> None:
    """Send the build again, once: of two requests at once only one changes the row."""
    rows = Document.objects.filter(pk=document.pk, status=old)
    if enqueued_before is not None:
        rows = rows.filter(enqueued_at=enqueued_before)
    if rows.update(status=DocumentStatus.PENDING, enqueued_at=now, requested_at=now):
        document.status, document.enqueued_at = DocumentStatus.PENDING, now
        _send(document.pk)


def _send(document_id: int) -> None:
    enqueue_on_commit(BUILD_TASK, args=[document_id])


def build(document_id: int) -> bool:
    """Build one pending document and store its file. True if built now; False if it was
    built already, is being built by another worker, or failed (shown, tried again when
    asked)."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(skip_locked=True)
            .filter(pk=document_id, status=DocumentStatus.PENDING)
            .first()
        )
        if document is None:
            return False
        try:
            with transaction.atomic():
                content = import_string(_BUILDERS[document.kind])(document)
                document.file.save("document.pdf", ContentFile(content), save=False)
                document.status = DocumentStatus.READY
                document.built_at = timezone.now()
                document.attempts += 1
                document.last_error = ""
                document.save()
        except Exception as error:  # any failure is recorded and shown
            logger.exception("document %s not built", document_id)
            document.status = DocumentStatus.FAILED
            document.attempts += 1
            document.last_error = f"{type(error).__name__}: {error}"[:500]
            document.save(update_fields=["status", "attempts", "last_error"])
            return False
    return True


def resend_lost_builds(*, now: datetime | None = None, limit: int = 100) -> int:
    """Beat: send again the builds that have waited longer than RESEND_AFTER (their
    message was lost, or the broker was down when they were asked for)."""
    now = now or timezone.now()
    stale = list(
        Document.objects.filter(
            status=DocumentStatus.PENDING, enqueued_at__lt=now - RESEND_AFTER
        ).values_list("pk", "enqueued_at")[:limit]
    )
    sent = 0
    for pk, enqueued_at in stale:
        with transaction.atomic():
            claimed = Document.objects.filter(
                pk=pk, status=DocumentStatus.PENDING, enqueued_at=enqueued_at
            ).update(enqueued_at=now)
            if claimed:
                _send(pk)
                sent += 1
    return sent


def _find(key: DocumentKey) -> Document | None:
    return Document.objects.filter(
        agency_id=key.agency_id,
        kind=key.kind,
        ref=key.ref,
        version=key.version,
        language=key.language,
    ).first()


# --- answers ---------------------------------------------------------------------------


def file_response(document: Document, *, filename: str) -> FileResponse:
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=filename,
    )


def document_response(
    request: HttpRequest, *, key: DocumentKey, base_template: str = "base.html"
) -> HttpResponseBase:
    """A page's answer: the stored PDF once built; until then a page that says it is being
    prepared and asks again every few seconds (HTMX swaps its status in place), then
    offers the download at the same address."""
    polling = request.headers.get("HX-Request") == "true"
    document = document_for(key=key, retry_failed=not polling)
    if document.status == DocumentStatus.READY and not polling:
        return file_response(document, filename=key.filename)
    template = "agency/document_status.html" if polling else "agency/document_pending.html"
    response = render(
        request,
        template,
        {
            "document": document,
            "filename": key.filename,
            "statuses": DocumentStatus,
            "url": request.get_full_path(),
            "base_template": base_template,
            "retry_after": RETRY_AFTER_SECONDS,
        },
        status=202 if document.status == DocumentStatus.PENDING else 200,
    )
    if document.status == DocumentStatus.PENDING:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


#: The schema of an API action that answers `document_api_response`.
DOCUMENT_RESPONSES: dict[Any, Any] = {
    **PDF_RESPONSE,
    202: OpenApiResponse(description="Being prepared: ask again after `Retry-After` seconds."),
    503: OpenApiResponse(description="Its build failed; it is tried again later when asked."),
}


def document_api_response(*, key: DocumentKey) -> HttpResponseBase:
    """An API action's answer: the PDF once built; until then 202 with Retry-After; 503
    when its build failed MAX_ATTEMPTS times."""
    document = document_for(key=key)
    if document.status == DocumentStatus.READY:
        return file_response(document, filename=key.filename)
    if document.status == DocumentStatus.FAILED:
        return JsonResponse(
            {"status": document.status, "detail": _("The document could not be prepared.")},
            status=503,
        )
    response = JsonResponse(
        {"status": document.status, "detail": _("The document is being prepared.")},
        status=202,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
