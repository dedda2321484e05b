"""A staff member's level (issue 21): the one function that changes `StaffMember.level`.

A level changes only by a manager's decision: a first level for someone who has none, or
a promotion approved in `performance.promotions`; both come through here, audited.
"""

from django.db import transaction

from agency.audit import Actor, audit_record
from staff.models import Level, StaffMember
from staff.services.saving import lock_staff


@transaction.atomic
def staff_level_set(
    *, staff: StaffMember, level: Level, actor: Actor, reason: str, promotion_id: int | None = None
) -> StaffMember:
    """Put the staff member at `level`; the caller has checked who decides and why."""
    current = lock_staff(staff)
    before = current.level.name if current.level_id and current.level else None
    current.level = level
    current.save(update_fields=["level"])
    audit_record(
        agency=current.agency,
        actor=actor,
        action="staff.level",
        target=current,
        changes={
            "level": [before, level.name],
            "reason": reason,
            **({"promotion": promotion_id} if promotion_id else {}),
        },
    )
    return current
