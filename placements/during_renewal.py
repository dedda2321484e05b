"""Renewal reminders (issue 20): the agency's `renewal_notice_days` before a running
placement's last day, the dispatcher (in the app) and the customer (by their channel)
are reminded, once per last day (a `RenewalReminder` row says it was done; a renewal
gives the placement a new last day, reminded of in its turn)."""

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from agency.models import Role
from messaging.rules import Event
from messaging.services import announce, office_recipients
from orders.messages import customer_recipient
from placements.models import Placement, PlacementPolicy, RenewalReminder
from placements.models.placements import RUNNING

#: The policy's default, for an agency that has set none.
DEFAULT_NOTICE_DAYS = 30
#: The longest notice a policy allows: the sweep reads no further ahead.
MAX_NOTICE_DAYS = 120


def renewal_reminders_send(*, now: datetime | None = None) -> int:
    """Remind of every running placement whose notice day has come; each once."""
    now = now or timezone.now()
    notice = PlacementPolicy.objects.filter(agency=OuterRef("agency")).values(
        "renewal_notice_days"
    )[:1]
    due = (
        Placement.objects.filter(
            status__in=RUNNING,
            ends_on__gte=now.date() - timedelta(days=1),
            ends_on__lte=now.date() + timedelta(days=MAX_NOTICE_DAYS + 1),
        )
        .filter(
            ~Exists(
                RenewalReminder.objects.filter(
                    placement=OuterRef("pk"), ends_on=OuterRef("ends_on")
                )
            )
        )
        .annotate(
            notice_days=Coalesce(
                Subquery(notice, output_field=IntegerField()), Value(DEFAULT_NOTICE_DAYS)
            )
        )
        .select_related("agency", "order__customer")
        .order_by(F("ends_on"), "pk")
    )
    sent = 0
    for placement in due:
        today = timezone.localdate(now, timezone=placement.agency.zone)
        notice_day = placement.ends_on - timedelta(days=placement.notice_days)
        if notice_day <= today <= placement.ends_on:
            sent += _remind(placement, now=now)
    return sent


def _context(placement: Placement, language: str) -> dict[str, str]:
    order = placement.order
    with translation.override(language):
        return {
            "agency_name": placement.agency.name,
            "customer_name": order.customer.name,
            "order_number": order.number,
            "ends_on": date_format(placement.ends_on, "DATE_FORMAT"),
        }


@transaction.atomic
def _remind(placement: Placement, *, now: datetime) -> int:
    try:
        with transaction.atomic():
            RenewalReminder.objects.create(
                agency_id=placement.agency_id,
                placement=placement,
                ends_on=placement.ends_on,
                sent_at=now,
            )
    except IntegrityError:  # another run reminded of it
        return 0
    order = placement.order
    agency = placement.agency

    announce(
        agency=agency,
        event=Event.PLACEMENT_RENEWAL,
        key=f"placement:{placement.pk}:renewal:{placement.ends_on.isoformat()}",
        context=partial(_context, placement),
        customer=customer_recipient(order.customer),
        office=office_recipients(
            agency,
            roles=[Role.DISPATCHER],
            branch_id=order.branch_id,
            link=reverse("placement_renew", kwargs={"pk": placement.pk}),
        ),
        topics=[f"order:{order.pk}"],
        now=now,
    )
    return 1
