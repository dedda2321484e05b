"""The audit log's writing side: who acts, and what their act changed.

Services take an `Actor` and call `audit_record` inside their transaction, so
an audit entry exists exactly when the change it describes was committed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from axes.helpers import get_client_ip_address
from django.db import models
from django.http import HttpRequest

from agency.models import Agency, AuditLog, User


@dataclass(frozen=True)
class Actor:
    """The person behind a change: a member (`user`), a customer (`customer_id`: their own
    portal or a signed link), or the system when both are None."""

    user: User | None
    ip_address: str | None = None
    customer_id: int | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> "Actor":
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, ip_address=get_client_ip_address(request))

    @classmethod
    def system(cls) -> "Actor":
        return cls(user=None)

    @classmethod
    def customer(cls, customer_id: int, *, ip_address: str | None = None) -> "Actor":
        return cls(user=None, ip_address=ip_address, customer_id=customer_id)

    @property
    def is_customer(self) -> bool:
        return self.customer_id is not None


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields' values, as they would be shown in the audit log."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """A short before/after summary: only the fields that changed, as [old, new]."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def audit_record(
    *,
    agency: Agency,
    actor: Actor,
    action: str,
    target: models.Model,
    changes: Mapping[str, Any] | None = None,
) -> AuditLog:
    return AuditLog.objects.create(
        agency=agency,
        actor=actor.user,
        customer_id=actor.customer_id,
        ip_address=actor.ip_address,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        changes=dict(changes or {}),
    )


def _plain(value: Any) -> Any:
    """JSON-friendly form of a field value (model instances by their str)."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
