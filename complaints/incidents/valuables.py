"""The valuables check at departure (issue 19), for the services the agency marks
(`ServiceType.valuables_check`): before leaving, the staff member checks the valuables
with the customer and records it; the customer confirms by ticking on the staff
member's phone, or later by a signed link sent to them. Who confirmed and when is kept.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.signed_links import Purpose, SignatureInvalid, sign, unsign
from complaints.models import ValuablesCheck, ValuablesConfirmedVia
from messaging.rules import Event
from messaging.services import announce
from orders.messages import customer_recipient, site_url
from orders.models import Assignment
from orders.service.services.service_log import ON_THE_JOB
from orders.timeline import note

#: The customer's link to confirm: a few days, long enough to answer after the job.
VALUABLES_LINK = Purpose("hearth.complaints.valuables", max_age=timedelta(days=7))


@transaction.atomic
def valuables_check_record(
    *, assignment: Assignment, actor: Actor, customer_confirmed: bool, note_text: str = ""
) -> ValuablesCheck:
    """The staff member on the job records the check, once per order. Ticked by the
    customer on the phone, it is confirmed now; otherwise the customer is sent a link."""
    if actor.user is None or assignment.staff.user_id != actor.user.pk:
        raise PermissionDenied(_("This is not your job."))
    order = assignment.order
    if not order.service_type.valuables_check:
        raise StateConflict(_("This service has no valuables check."))
    if order.status not in ON_THE_JOB:
        raise StateConflict(_("The valuables are checked on the job, before leaving."))
    if ValuablesCheck.objects.filter(agency_id=order.agency_id, order=order).exists():
        raise StateConflict(_("The valuables of this job are checked already."))
    now = timezone.now()
    check = ValuablesCheck(
        agency_id=order.agency_id,
        order=order,
        checked_by=actor.user,
        checked_at=now,
        note=note_text.strip()[:300],
    )
    if customer_confirmed:
        check.confirmed_via = ValuablesConfirmedVia.DEVICE
        check.confirmed_by = order.customer.name[:100]
        check.confirmed_at = now
    check.save()
    note(order, actor=actor, text=_("Valuables checked with the customer before leaving."))
    if not customer_confirmed:
        _send_link(check)
    audit_record(
        agency=order.agency,
        actor=actor,
        action="valuables.check",
        target=check,
        changes={"order": order.number, "confirmed": customer_confirmed},
    )
    return check


def _send_link(check: ValuablesCheck) -> None:
    order = check.order
    token = sign(VALUABLES_LINK, {"check": check.pk})
    announce(
        agency=order.agency,
        event=Event.VALUABLES_TO_CONFIRM,
        key=f"valuables:{check.pk}:to_confirm",
        context={
            "customer_name": order.customer.name,
            "order_number": order.number,
            "link": site_url(reverse("valuables_confirm", kwargs={"token": token})),
        },
        customer=customer_recipient(order.customer),
        topics=[f"order:{order.pk}"],
    )


def valuables_check_by_token(token: str) -> ValuablesCheck:
    """The check a link names; a bad or old link is refused like a missing check."""
    try:
        payload = unsign(VALUABLES_LINK, token)
        return ValuablesCheck.objects.select_related("order__customer", "order__agency").get(
            pk=payload["check"]
        )
    except (SignatureInvalid, KeyError, TypeError, ValuablesCheck.DoesNotExist) as error:
        raise ValidationError(_("This link is not valid any more.")) from error


@transaction.atomic
def valuables_confirm_by_link(*, token: str) -> ValuablesCheck:
    """The customer confirms by their link; confirming again changes nothing."""
    check = valuables_check_by_token(token)
    check = ValuablesCheck.objects.select_for_update().get(pk=check.pk)
    if check.confirmed_at is not None:
        return check
    order = check.order
    check.confirmed_via = ValuablesConfirmedVia.LINK
    check.confirmed_by = order.customer.name[:100]
    check.confirmed_at = timezone.now()
    check.save(update_fields=["confirmed_via", "confirmed_by", "confirmed_at"])
    actor = Actor.customer(order.customer_id)
    note(order, actor=actor, text=_("The customer confirmed the valuables check."))
    audit_record(
        agency=order.agency,
        actor=actor,
        action="valuables.confirm",
        target=check,
        changes={"order": order.number, "via": ValuablesConfirmedVia.LINK},
    )
    return check
