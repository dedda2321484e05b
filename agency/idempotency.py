"""Creates that are safe to repeat: a double click on a page, a client's retry on the API.

Every create that moves money or sends messages is answered once:

- Pages carry a hidden submission key (`submission_key_field`). The service stores
  it on the row it creates, under a unique constraint (agency, submission_key), and
  a key seen before raises `RepeatedSubmission` naming the first result, which the
  page shows instead of writing again (`refuse_repeat`, `save_once`).
- The API honours an `Idempotency-Key` header (a UUID) with `idempotent`: the key
  is stored with the first successful answer (`IdempotencyKey`) in the request's own
  transaction. The same key and request answer that again; the same key with
  another request is a 409; a second request racing the first waits on the unique
  index and then answers the same. Errors are not kept, so a corrected retry with
  the key goes through. This is the contract of the IETF draft
  "The Idempotency-Key HTTP Header Field" (and Stripe's API).

Keys are kept for `KEPT_FOR` (a week: a client retries within minutes or hours); an hourly
sweep forgets older ones (`idempotency_keys_prune`).
"""

import functools
import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from agency.models import Agency, IdempotencyKey

M = TypeVar("M", bound=models.Model)
Handler = Callable[..., Response]

HEADER = "Idempotency-Key"
#: How long a key answers a retry; after that the same key is a new request.
KEPT_FOR = timedelta(days=7)
#: A UUID is 36 characters; its longest accepted spelling ("urn:uuid:…") 45.
MAX_KEY_LENGTH = 45

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    type=OpenApiTypes.UUID,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A UUID the client makes once per intended write and sends again with every retry. "
        "The same key and request answer the first result again (same status and body, "
        "header `Idempotent-Replayed: true`); the same key with another request: 409. "
        "Errors are not kept: a corrected retry may use the key again. Kept for at least 24 h."
    ),
)


# --- pages: a hidden submission key stored on the created row ------------------------


class RepeatedSubmission(ValidationError, Generic[M]):
    """The same submission a second time: nothing was written; `earlier` is what the first made.

    A ValidationError, so a caller that does not look for it still writes nothing and
    shows the message; pages catch it first and return the user to `earlier`.
    """

    def __init__(self, message: str, *, earlier: M) -> None:
        super().__init__(message, code="duplicate")
        self.earlier = earlier


def submission_key_field() -> forms.UUIDField:
    """The hidden key a page form is rendered with; a re-rendered form keeps it."""
    return forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def refuse_repeat(
    queryset: models.QuerySet[M],
    submission_key: uuid.UUID | None,
    message: Callable[[M], str],
    *,
    lookup: str = "submission_key",
) -> None:
    """Raise `RepeatedSubmission` if the agency's `queryset` holds a row with this key."""
    if submission_key is None:
        return
    earlier = queryset.filter(**{lookup: submission_key}).first()
    if earlier is not None:
        raise RepeatedSubmission(message(earlier), earlier=earlier)


def save_once(
    instance: models.Model,
    queryset: models.QuerySet[M],
    message: Callable[[M], str],
    *,
    lookup: str = "submission_key",
) -> None:
    """Save a row that carries a submission key, inside the caller's transaction.

    Two requests with one key may both pass `refuse_repeat`; the second insert
    then waits on the unique index until the first commits, and is a repeat of
    what `queryset` holds under the key. (Validate the row with
    `full_clean(exclude=["submission_key"])`: that read would miss the twin too.)
    """
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        key = getattr(instance, "submission_key", None)
        refuse_repeat(queryset, key, message, lookup=lookup)
        raise


# --- the API: the Idempotency-Key header ----------------------------------------------


def idempotent(handler: Handler) -> Handler:
    """Make a DRF view method (a create, a POST action) answer a repeated key once."""

    @functools.wraps(handler)
    def answer_once(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = key_of(request)
        if key is None:
            return handler(view, request, *args, **kwargs)
        agency: Agency = view.agency
        fingerprint = _fingerprint(request, _sender(view))
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        agency=agency, key=key, fingerprint=fingerprint, **_sender(view)
                    )
            except IntegrityError:
                return _replay(agency=agency, key=key, fingerprint=fingerprint)
            response = handler(view, request, *args, **kwargs)
            if not status.is_success(response.status_code):
                # Not kept: the client may correct the request and retry with the key.
                transaction.set_rollback(True)
                return response
            record.status_code = response.status_code
            record.response_body = JSONRenderer().render(response.data).decode()
            record.save(update_fields=["status_code", "response_body"])
            return response

    return answer_once


class IdempotentCreateMixin:
    """`create` (POST to the list) honours the Idempotency-Key header."""

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)  # type: ignore[misc]


def key_of(request: Request) -> uuid.UUID | None:
    """The request's Idempotency-Key (a 400 if it is no UUID); the portal's creates store it
    as the submission key of what they create, since a customer has no user to key it by."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    try:
        if len(raw) > MAX_KEY_LENGTH:
            raise ValueError(raw)
        return uuid.UUID(raw)
    except ValueError:
        raise serializers.ValidationError(
            {"idempotency_key": [_("Idempotency-Key must be a UUID.")]}
        ) from None


def _replay(*, agency: Agency, key: uuid.UUID, fingerprint: str) -> Response:
    # The first request has committed (the insert waited for it), so its row is readable.
    earlier = IdempotencyKey.objects.get(agency=agency, key=key)
    if earlier.fingerprint != fingerprint or earlier.status_code is None:
        return Response(
            {
                "detail": _(
                    "This Idempotency-Key was used for another request; "
                    "use a new key for a new request."
                )
            },
            status=status.HTTP_409_CONFLICT,
        )
    return Response(
        json.loads(earlier.response_body),
        status=earlier.status_code,
        headers={"Idempotent-Replayed": "true"},
    )


def _sender(view: Any) -> dict[str, Any]:
    """A member (`view.user`), or the portal's customer: a view that sets
    `idempotency_customer_id` (portal.api_money) answers for a customer, who has no user."""
    customer_id = getattr(view, "idempotency_customer_id", None)
    return {"customer_id": customer_id} if customer_id else {"user": view.user}


def _fingerprint(request: Request, sender: dict[str, Any]) -> str:
    """Who sent what where: the sender, method, path and the parsed body (key order aside)."""
    who = {name: getattr(value, "pk", value) for name, value in sender.items()}
    described = [who, request.method, request.path, _canonical(request.data)]
    text = json.dumps(described, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(data: Any) -> Any:
    """The body as plain JSON values; an uploaded file by its name and content digest."""
    if isinstance(data, MultiValueDict):
        return {name: [_canonical(value) for value in data.getlist(name)] for name in data}
    if isinstance(data, dict):
        return {str(name): _canonical(value) for name, value in data.items()}
    if isinstance(data, list | tuple):
        return [_canonical(value) for value in data]
    if isinstance(data, UploadedFile):
        digest = hashlib.sha256()
        for chunk in data.chunks():
            digest.update(chunk)
        data.seek(0)
        return {"file": data.name, "sha256": digest.hexdigest()}
    return data


def idempotency_keys_prune(*, now: datetime) -> int:
    """Forget the keys older than `KEPT_FOR`, of every agency; how many went."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted
