"""The first look: a hard complaint taken at 17:00 on a Friday is due on Monday morning."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from agency.models import Notification, Role
from complaints.models import DeadlineKind, Escalation
from complaints.services.escalation import escalate_due
from complaints.services.handling import complaint_respond
from complaints.services.intake import complaint_take

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_friday_evening_complaint_escalates_on_monday(world, office, intake):
    world.a.agency.time_zone = "Asia/Shanghai"
    world.a.agency.save()
    friday = datetime(2026, 11, 20, 17, 0, tzinfo=SHANGHAI)
    with time_machine.travel(friday, tick=False):
        complaint = complaint_take(agency=world.a.agency, actor=office, intake=intake())
    deadlines = {d.kind: d for d in complaint.deadlines.all()}
    assert deadlines[DeadlineKind.FIRST_RESPONSE].due_at == datetime(
        2026, 11, 23, 9, 0, tzinfo=SHANGHAI
    )
    assert deadlines[DeadlineKind.SECOND_RESPONSE].due_at == datetime(
        2026, 11, 23, 11, 0, tzinfo=SHANGHAI
    )
    with time_machine.travel(datetime(2026, 11, 23, 9, 1, tzinfo=SHANGHAI), tick=False):
        assert escalate_due() == 1
        assert escalate_due() == 0
    supervisor = world.a.user(Role.SUPERVISOR)
    assert Notification.objects.filter(user=supervisor).count() == 1
    with time_machine.travel(datetime(2026, 11, 23, 10, 1, tzinfo=SHANGHAI), tick=False):
        assert escalate_due() == 1
        complaint_respond(complaint=complaint, actor=office, text="已致电道歉")
    assert Notification.objects.filter(user=world.a.user(Role.MANAGER)).count() == 1
    assert Escalation.objects.count() == 2
    assert timedelta(0) == timedelta(0)
