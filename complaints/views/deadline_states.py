"""How a deadline is shown, one place for every page (CONVENTIONS.md, "Pages").

DESIGN.md, "Complaints": every deadline is shown on its own (never only the
nearest), with its due time, what is left or how late it is, when it was
met, whether it was breached, its escalation level and whether it is paused.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from complaints.models import Complaint, Deadline, DeadlineKind, EscalationLevel

#: Under this much time left, a running deadline is shown as due soon.
DUE_SOON = timedelta(minutes=15)


@dataclass(frozen=True)
class DeadlineState:
    """A deadline as a person reads it at `now`: its tone and a short sentence."""

    deadline: Deadline
    tone: str
    text: str
    paused: bool = False

    @property
    def escalation(self) -> str:
        level = self.deadline.level
        return str(EscalationLevel(level).label) if level else ""

    @property
    def overdue(self) -> bool:
        return self.tone == "overdue"


def deadline_state(deadline: Deadline, *, now: datetime, paused: bool) -> DeadlineState:
    if deadline.cancelled_at is not None:
        return DeadlineState(deadline, "cancelled", _("no longer applies"))
    if deadline.met_at is not None:
        if deadline.breached_at is not None or deadline.met_at > deadline.due_at:
            late = timesince(deadline.due_at, deadline.met_at)
            return DeadlineState(deadline, "met-late", _("met %(late)s late") % {"late": late})
        return DeadlineState(deadline, "met", _("met"))
    if paused:
        left = deadline.left_when_paused
        if left is None:
            return DeadlineState(deadline, "paused", _("paused"), paused=True)
        if left <= timedelta(0):
            return DeadlineState(deadline, "paused", _("paused, overdue"), paused=True)
        text = _("paused, %(left)s left") % {"left": timeuntil(now + left, now)}
        return DeadlineState(deadline, "paused", text, paused=True)
    if deadline.due_at <= now or deadline.breached_at is not None:
        return DeadlineState(
            deadline,
            "overdue",
            _("overdue by %(late)s") % {"late": timesince(deadline.due_at, now)},
        )
    left_text = _("%(left)s left") % {"left": timeuntil(deadline.due_at, now)}
    return DeadlineState(
        deadline, "soon" if deadline.due_at - now <= DUE_SOON else "running", left_text
    )


@dataclass
class ComplaintRow:
    """A complaint with each of its deadlines' states, for the desk and the log."""

    complaint: Complaint
    deadlines: list[DeadlineState]
    by_kind: dict[str, list[DeadlineState]] = field(default_factory=dict)

    @property
    def overdue(self) -> bool:
        return any(state.overdue for state in self.deadlines)

    @property
    def kind_cells(self) -> list[list[DeadlineState]]:
        return [self.by_kind.get(kind, []) for kind in DeadlineKind.values]


def rows_of(complaints: Iterable[Complaint], *, now: datetime) -> list[ComplaintRow]:
    """From complaints with their deadlines prefetched: no query per row."""
    rows = []
    for complaint in complaints:
        paused = complaint.paused_at is not None
        states = [deadline_state(d, now=now, paused=paused) for d in complaint.deadlines.all()]
        by_kind: dict[str, list[DeadlineState]] = {}
        for state in states:
            by_kind.setdefault(state.deadline.kind, []).append(state)
        rows.append(ComplaintRow(complaint, states, by_kind))
    return rows
