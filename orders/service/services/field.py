"""What field staff do in Hearth themselves (their own jobs only)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from orders.models import Assignment
from orders.service.privacy import contact_window, staff_may_see_contact


def staff_reveal_contact(*, assignment: Assignment, actor: Actor, field: str) -> str:
    """The customer's full address or phone for the assigned staff member, inside the window.

    Every reveal is written to the audit log (DESIGN.md).
    """
    order = assignment.order
    if actor.user is None or assignment.staff.user_id != actor.user.pk:
        raise PermissionDenied(_("This is not your job."))
    if not staff_may_see_contact(assignment, at=timezone.now()):
        opens = timezone.localtime(contact_window(assignment).opens_at)
        raise PermissionDenied(
            _("The address and phone are shown from %(time)s until the job ends.")
            % {"time": opens.strftime("%Y-%m-%d %H:%M")}
        )
    if field == "phone":
        value = order.customer.phone
    elif field == "address":
        address = order.needs_form.address
        value = f"{address.district} {address.detail}"
    else:
        raise PermissionDenied(_("Nothing to reveal."))
    audit_record(
        agency=order.agency,
        actor=actor,
        action=f"customer.reveal_{field}",
        target=order.customer,
        changes={"order": order.number, "by": "assigned staff"},
    )
    return value
