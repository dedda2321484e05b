"""The agency's district centres: where each district it serves lies, so that a check-in
can be compared with the job's address (orders.staffing.attendance). A manager's list."""

from typing import Any

from django.db import transaction

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency
from orders.models import District

DISTRICT_FIELDS = ("name", "latitude", "longitude", "radius_km")


@transaction.atomic
def district_create(*, agency: Agency, actor: Actor, **fields: Any) -> District:
    district = District(agency=agency, **fields)
    district.full_clean()
    district.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="district.create",
        target=district,
        changes=changes_between({}, snapshot(district, DISTRICT_FIELDS)),
    )
    return district


@transaction.atomic
def district_update(*, district: District, actor: Actor, **fields: Any) -> District:
    unknown = sorted(set(fields) - set(DISTRICT_FIELDS))
    if unknown:
        raise TypeError(f"district_update cannot change {unknown}")
    current = District.objects.select_for_update().get(pk=district.pk, agency_id=district.agency_id)
    before = snapshot(current, DISTRICT_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    changes = changes_between(before, snapshot(current, DISTRICT_FIELDS))
    if changes:
        current.save(update_fields=list(changes))
        audit_record(
            agency=current.agency,
            actor=actor,
            action="district.update",
            target=current,
            changes=changes,
        )
    return current
