"""The agency's SLA policy: its defaults, the clocks it implies, and the deadlines per tier."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency
from agency.permissions import Area, require
from complaints.clock import Clock, weekly_hours
from complaints.models import DeadlineKind, Holiday, OfficeHours, SlaPolicy, Tier

#: Monday to Friday, 08:30–17:30: the agencies' office hours (DESIGN.md defaults).
DEFAULT_OFFICE_HOURS = [(weekday, time(8, 30), time(17, 30)) for weekday in range(5)]


@transaction.atomic
def policy_for(agency: Agency) -> SlaPolicy:
    """The agency's policy, created with the defaults (and office hours) the first time."""
    policy, created = SlaPolicy.objects.get_or_create(agency=agency)
    if created and not OfficeHours.objects.filter(agency=agency).exists():
        OfficeHours.objects.bulk_create(
            OfficeHours(agency=agency, weekday=weekday, opens=opens, closes=closes)
            for weekday, opens, closes in DEFAULT_OFFICE_HOURS
        )
    return policy


def clock_for(agency: Agency, *, office_hours: bool) -> Clock:
    if not office_hours:
        return Clock(time_zone=agency.time_zone)
    rows = OfficeHours.objects.filter(agency=agency).values_list("weekday", "opens", "closes")
    holidays = Holiday.objects.filter(agency=agency).values_list("day", flat=True)
    return Clock(time_zone=agency.time_zone, hours=weekly_hours(rows), holidays=frozenset(holidays))


@dataclass(frozen=True)
class DeadlineRule:
    kind: str
    within: timedelta


def opening_deadlines(policy: SlaPolicy, tier: str) -> list[DeadlineRule]:
    """The deadlines that start when a complaint is taken (or reopened)."""
    if tier == Tier.SOFT:
        return [
            DeadlineRule(DeadlineKind.FIRST_RESPONSE, policy.soft_first_response),
            DeadlineRule(DeadlineKind.VERIFICATION, policy.soft_verification),
        ]
    return [
        DeadlineRule(DeadlineKind.FIRST_RESPONSE, policy.hard_first_response),
        DeadlineRule(DeadlineKind.SECOND_RESPONSE, policy.hard_second_response),
    ]


def counts_office_hours(policy: SlaPolicy, tier: str) -> bool:
    return policy.soft_office_hours if tier == Tier.SOFT else policy.hard_office_hours


# --- a manager edits the policy (DESIGN.md, "Who uses it": the manager owns the SLA policy) ---

#: The policy's fields a manager may change through `sla_policy_update`.
POLICY_FIELDS = (
    "soft_first_response",
    "soft_verification",
    "soft_office_hours",
    "hard_first_response",
    "hard_second_response",
    "hard_office_hours",
    "follow_up_after_resolution",
    "manager_after_breach",
    "penalty_per_upheld_complaint",
    "repeat_window_days",
)
DURATION_FIELDS = (
    "soft_first_response",
    "soft_verification",
    "hard_first_response",
    "hard_second_response",
    "follow_up_after_resolution",
    "manager_after_breach",
)
WEEKDAY_NAMES = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)
#: How an office calendar row is named in the audit log ("0 08:30-17:30").
_ROW = "{0} {1:%H:%M}-{2:%H:%M}"


def _require_manager(agency: Agency, actor: Actor) -> None:
    message = _("Only a manager changes the complaint policy.")
    require(actor, Area.SETTINGS, agency_id=agency.pk, message=message)


def _locked_policy(agency: Agency) -> SlaPolicy:
    """The agency's policy row, locked: edits of the policy and its calendar queue on it."""
    policy_for(agency)
    return SlaPolicy.objects.select_for_update().get(agency=agency)


@transaction.atomic
def sla_policy_update(*, agency: Agency, actor: Actor, **fields: Any) -> SlaPolicy:
    """A manager changes the deadlines, clocks, escalation delay or penalty.

    Every duration is positive. Deadlines already running keep the due time
    they were given; the new policy applies to what starts from now on.
    """
    _require_manager(agency, actor)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"sla_policy_update cannot change {sorted(unknown)}")
    errors = {
        name: _("Enter a time longer than zero.")
        for name in DURATION_FIELDS
        if name in fields and (fields[name] is None or fields[name] <= timedelta(0))
    }
    if errors:
        raise ValidationError(errors)
    policy = _locked_policy(agency)
    before = snapshot(policy, POLICY_FIELDS)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    changes = changes_between(before, snapshot(policy, POLICY_FIELDS))
    if changes:
        policy.save(update_fields=[*changes, "updated_at"])
        audit_record(
            agency=agency, actor=actor, action="sla_policy.update", target=policy, changes=changes
        )
    return policy


@transaction.atomic
def office_hours_set(
    *, agency: Agency, actor: Actor, rows: Iterable[tuple[int, time, time]]
) -> list[OfficeHours]:
    """Replace the weekly office calendar as a whole (office-hours clocks count only in it).

    Each period closes after it opens, periods of one day do not overlap, and
    at least one remains: an empty calendar would make every office-hours clock
    run around the clock (clock.Clock), which is what unticking "office hours
    only" is for. Running deadlines keep their due times.
    """
    _require_manager(agency, actor)
    wanted = sorted(set(rows))
    problems = []
    for weekday, opens, closes in wanted:
        if not 0 <= weekday <= 6:
            problems.append(_("A weekday is from 0 (Monday) to 6 (Sunday)."))
        elif closes <= opens:
            problems.append(
                _("%(weekday)s: the office must close after it opens (%(opens)s–%(closes)s).")
                % {"weekday": WEEKDAY_NAMES[weekday], "opens": _hm(opens), "closes": _hm(closes)}
            )
    if not problems:
        for (day, opens, closes), (later_day, later_opens, _later_closes) in pairwise(wanted):
            if day == later_day and later_opens < closes:
                problems.append(
                    _("%(weekday)s: %(first)s overlaps the period from %(second)s.")
                    % {
                        "weekday": WEEKDAY_NAMES[day],
                        "first": f"{_hm(opens)}–{_hm(closes)}",
                        "second": _hm(later_opens),
                    }
                )
    if not wanted and not problems:
        problems.append(
            _(
                "Keep at least one open period. To count around the clock, untick "
                "“office hours only” for the tier instead."
            )
        )
    if problems:
        raise ValidationError({"rows": problems})
    policy = _locked_policy(agency)
    current = OfficeHours.objects.filter(agency=agency).order_by("weekday", "opens")
    before = [_ROW.format(h.weekday, h.opens, h.closes) for h in current]
    after = [_ROW.format(*row) for row in wanted]
    if before == after:
        return list(current)
    OfficeHours.objects.filter(agency=agency).delete()
    created = OfficeHours.objects.bulk_create(
        OfficeHours(agency=agency, weekday=weekday, opens=opens, closes=closes)
        for weekday, opens, closes in wanted
    )
    audit_record(
        agency=agency,
        actor=actor,
        action="sla_policy.office_hours",
        target=policy,
        changes={"office_hours": ["; ".join(before), "; ".join(after)]},
    )
    return created


@transaction.atomic
def holiday_add(*, agency: Agency, actor: Actor, day: date, name: str) -> Holiday:
    """A day the office is closed: office-hours clocks stand still on it."""
    _require_manager(agency, actor)
    policy = _locked_policy(agency)
    if Holiday.objects.filter(agency=agency, day=day).exists():
        raise ValidationError({"day": _("This day is a holiday already.")})
    holiday = Holiday(agency=agency, day=day, name=name.strip())
    holiday.full_clean()
    holiday.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="sla_policy.holiday_add",
        target=policy,
        changes={"holiday": [None, f"{day.isoformat()} {holiday.name}"]},
    )
    return holiday


@transaction.atomic
def holiday_remove(*, agency: Agency, actor: Actor, holiday: Holiday) -> None:
    """The office opens on that day after all."""
    _require_manager(agency, actor)
    policy = _locked_policy(agency)
    removed = Holiday.objects.filter(agency=agency, pk=holiday.pk).first()
    if removed is None:
        return
    removed.delete()
    audit_record(
        agency=agency,
        actor=actor,
        action="sla_policy.holiday_remove",
        target=policy,
        changes={"holiday": [f"{removed.day.isoformat()} {removed.name}", None]},
    )


def _hm(moment: time) -> str:
    return moment.strftime("%H:%M")
