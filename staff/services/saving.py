"""How every staff service locks, checks and saves a row, and replaces a stored file."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Model

from staff.models import StaffMember


def lock_staff(staff: StaffMember) -> StaffMember:
    """The staff row, locked until the transaction ends: changes to one person queue here."""
    return (
        StaffMember.objects.select_for_update(of=("self",))
        .select_related("agency", "home_branch")
        .get(pk=staff.pk, agency_id=staff.agency_id)
    )


def validate(instance: Model, errors: dict[str, list[str]]) -> None:
    """The model's own checks plus the service's, reported together and by field."""
    try:
        instance.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            # A check constraint repeats, without a field, what a check above said on one.
            if field == NON_FIELD_ERRORS and errors:
                continue
            if field not in errors:
                errors[field] = messages
    if errors:
        raise ValidationError(errors)


def only_fields(fields: Mapping[str, Any], allowed: tuple[str, ...], service: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{service} cannot change {sorted(unknown)}")


def is_upload(value: Any) -> bool:
    """A file just uploaded (not yet stored), as opposed to the stored one or none."""
    return isinstance(value, File) and bool(value) and not getattr(value, "_committed", False)


def save_with_file(
    instance: Any, field: str, old_name: str | None, uploaded: bool, changes: dict[str, Any]
) -> dict[str, Any]:
    """Save the changed fields; a replaced or removed file is recorded old → new and deleted."""
    if uploaded:
        changes[field] = [old_name or None, "(new)"]  # in update_fields, so the file is stored
    instance.save(update_fields=list(changes))
    if field in changes:
        changes[field] = [old_name or None, getattr(instance, field).name or None]
        _delete_after_commit(getattr(instance, field).storage, old_name)
    return changes


def _delete_after_commit(storage: Any, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))
