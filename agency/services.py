"""Writes of the agency app: one transaction each, audited."""

from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency, Branch, Heartbeat, User

BRANCH_FIELDS = ("name", "code", "address", "phone", "is_active")
AGENCY_SETTINGS_FIELDS = ("name", "time_zone", "default_language", "currency")

M = TypeVar("M", bound=Model)


@transaction.atomic
def branch_create(
    *,
    agency: Agency,
    actor: Actor,
    name: str,
    code: str,
    address: str = "",
    phone: str = "",
    is_active: bool = True,
) -> Branch:
    """Open a branch (门店). Name and code are unique within the agency."""
    branch = Branch(
        agency=agency, name=name, code=code, address=address, phone=phone, is_active=is_active
    )
    branch.full_clean()
    branch.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="branch.create",
        target=branch,
        changes=changes_between({}, snapshot(branch, BRANCH_FIELDS)),
    )
    return branch


@transaction.atomic
def branch_update(*, branch: Branch, actor: Actor, **fields: Any) -> Branch:
    """Change a branch's details; a branch is closed by making it inactive, never deleted."""
    return _update(
        branch,
        actor=actor,
        agency=branch.agency,
        action="branch.update",
        allowed=BRANCH_FIELDS,
        fields=fields,
    )


@transaction.atomic
def agency_update_settings(*, agency: Agency, actor: Actor, **fields: Any) -> Agency:
    """A manager changes the agency's name, time zone, default language or currency."""
    return _update(
        agency,
        actor=actor,
        agency=agency,
        action="agency.update_settings",
        allowed=AGENCY_SETTINGS_FIELDS,
        fields=fields,
    )


def user_set_language(*, user: User, language: str) -> None:
    """The user's own language choice overrides the agency default ('' clears it)."""
    user.preferred_language = language
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["preferred_language"])


def _update(
    instance: M,
    *,
    actor: Actor,
    agency: Agency,
    action: str,
    allowed: tuple[str, ...],
    fields: dict[str, Any],
) -> M:
    """Apply `fields` to the locked row as stored and audit what really changed.

    The caller's instance may already hold the new values (a ModelForm writes
    them during validation), so "before" is read from the database.
    """
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{action} cannot change {sorted(unknown)}")
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    before = snapshot(current, allowed)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    changes = changes_between(before, snapshot(current, allowed))
    if changes:
        current.save(update_fields=list(changes))
        audit_record(agency=agency, actor=actor, action=action, target=current, changes=changes)
    return current


HEARTBEAT_KEEP = timedelta(days=1)


@transaction.atomic
def heartbeat_record(*, hostname: str) -> bool:
    """Record that beat and a worker are alive; True if this slot was new.

    The slot is the current time floored to the beat interval, and unique, so
    a duplicate beat or a redelivered task in the same slot adds nothing.
    """
    now = timezone.now()
    interval = settings.HEARTBEAT_INTERVAL_SECONDS
    slot = datetime.fromtimestamp(now.timestamp() // interval * interval, tz=UTC)
    _, created = Heartbeat.objects.get_or_create(
        slot=slot, defaults={"recorded_at": now, "hostname": hostname}
    )
    Heartbeat.objects.filter(slot__lt=now - HEARTBEAT_KEEP).delete()
    return created
