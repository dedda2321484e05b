"""Demo office attendance for `manage.py seed_demo` (issue 21): last month's and this
month's days, up to yesterday, of each demo agency's office members — on time mostly, a
few late mornings, one absence.

Past days cannot be clocked through the services (they clock the present moment), so the
rows are written as the clock would have left them; a second run adds nothing.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction

from agency.models import Agency, Membership
from attendance.models import AttendanceDay
from attendance.selectors import office_members, policy_for


@transaction.atomic
def seed() -> None:
    for agency in Agency.objects.filter(slug__in=["anxin", "sunrise"]):
        _seed_agency(agency)


def _seed_agency(agency: Agency) -> None:
    today = agency.today()
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    members = list(office_members(agency))
    # The demo office has worked since before last month: its people joined then.
    joined = datetime.combine(start, time(9), tzinfo=agency.zone)
    Membership.objects.filter(pk__in=[m.pk for m in members], created_at__gt=joined).update(
        created_at=joined
    )
    policy = policy_for(agency)
    working = [
        start + timedelta(days=offset)
        for offset in range((today - start).days)
        if (start + timedelta(days=offset)).weekday() in policy.working_weekdays
    ]
    absent = (members[-1].user_id, working[2]) if members and len(working) > 2 else None
    rows = []
    for index, member in enumerate(members):
        for day in working:
            if (member.user_id, day) == absent:
                continue
            rows.append(_day(agency, member, index, day))
    AttendanceDay.objects.bulk_create(rows, ignore_conflicts=True)


def _day(agency: Agency, member: Membership, index: int, day: date) -> AttendanceDay:
    late = day.day % 9 == index % 9 + 1
    arrived = time(8, 41 + index) if late else time(8, 18 + (day.day + index) % 10)
    left = time(17, 32 + (day.day * (index + 1)) % 25)
    return AttendanceDay(
        agency=agency,
        user_id=member.user_id,
        day=day,
        clocked_in_at=datetime.combine(day, arrived, tzinfo=agency.zone),
        clocked_out_at=datetime.combine(day, left, tzinfo=agency.zone),
    )
