"""The weekly working pattern (WorkingHours), which matching reads for availability."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import time
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from staff.models import StaffMember, WorkingHours
from staff.services.saving import lock_staff


@dataclass(frozen=True)
class WorkingBlock:
    """One block of a weekly pattern: weekday 0 (Monday) to 6, from `starts` until `ends`."""

    weekday: int
    starts: time
    ends: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.starts:%H:%M}–{self.ends:%H:%M}"


@transaction.atomic
def working_hours_set(
    *, staff: StaffMember, actor: Actor, blocks: Iterable[WorkingBlock]
) -> list[WorkingHours]:
    """Replace the weekly working pattern as a whole (matching reads it for availability).

    Each block ends after it starts, and blocks of one weekday do not overlap;
    otherwise nothing changes. An empty pattern is allowed (not working now).
    """
    wanted = sorted(blocks, key=lambda b: (b.weekday, b.starts, b.ends))
    problems = []
    for block in wanted:
        if not 0 <= block.weekday <= 6:
            problems.append(_("A weekday is from 0 (Monday) to 6 (Sunday)."))
        elif block.ends <= block.starts:
            problems.append(
                _("%(weekday)s: the end must be after the start (%(block)s).")
                % {"weekday": WEEKDAYS[block.weekday], "block": _block_times(block)}
            )
    if not problems:
        for earlier, later in pairwise(wanted):
            if earlier.weekday == later.weekday and later.starts < earlier.ends:
                problems.append(
                    _("%(weekday)s: %(first)s overlaps %(second)s.")
                    % {
                        "weekday": WEEKDAYS[earlier.weekday],
                        "first": _block_times(earlier),
                        "second": _block_times(later),
                    }
                )
    if problems:
        raise ValidationError({"blocks": problems})
    lock_staff(staff)
    current = list(WorkingHours.objects.filter(staff=staff).order_by("weekday", "starts"))
    before = "; ".join(str(WorkingBlock(h.weekday, h.starts, h.ends)) for h in current)
    WorkingHours.objects.filter(staff=staff).delete()
    rows = [
        WorkingHours(agency_id=staff.agency_id, staff=staff, **asdict(block)) for block in wanted
    ]
    for row in rows:
        row.full_clean()
    created = WorkingHours.objects.bulk_create(rows)
    after = "; ".join(str(block) for block in wanted)
    if before != after:
        audit_record(
            agency=staff.agency,
            actor=actor,
            action="staff.working_hours",
            target=staff,
            changes={"pattern": [before, after]},
        )
    return created


def _block_times(block: WorkingBlock) -> str:
    return f"{block.starts:%H:%M}–{block.ends:%H:%M}"
