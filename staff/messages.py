"""A staff member as a message recipient (messaging): SMS and/or in-app, as they chose.

Staff messages carry no customer phone or street address: no variable holds one
(messaging.variables), so nothing here can add it.
"""

from messaging.recipients import Recipient
from messaging.rules import Via
from staff.models import StaffMember


def staff_recipient(staff: StaffMember, *, link: str = "") -> Recipient:
    """`link`: the page their in-app notice opens (the caller's: staff has no job pages)."""
    via = tuple(
        channel
        for channel, chosen in ((Via.SMS, staff.notify_by_sms), (Via.IN_APP, staff.notify_in_app))
        if chosen
    )
    user = staff.user
    return Recipient(
        name=staff.name,
        language=(user.preferred_language if user else "") or staff.agency.default_language,
        via=via,
        phone=staff.phone,
        user=user,
        topics=(f"staff:{staff.pk}",),
        context={"staff_name": staff.name},
        link=link,
    )
