"""Placement terms (issue 20): opening a placement on a live-in order, saving its terms,
and what a contract still needs before it can go out for signature."""

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.permissions import Area, require
from orders.models import AssignmentStatus, Order, ScheduleKind
from orders.schedule.services import order_window_set
from placements.lifecycle import placement_lock
from placements.models import Placement, PlacementStatus


@dataclass(frozen=True)
class Terms:
    """What the office agrees with the customer and the staff member; None: not yet."""

    starts_on: date
    ends_on: date
    trial_days: int | None = None
    price: Decimal | None = None
    price_period: str = "month"
    wage: Decimal | None = None
    wage_paid_by: str = "agency"
    service_fee: Decimal | None = None
    deposit: Decimal | None = None
    days_off_per_month: int | None = None
    free_replacements: int | None = None
    renewal_terms: str = ""

    @classmethod
    def of(cls, placement: Placement) -> "Terms":
        """The placement's terms as they stand."""
        return cls(**{field.name: getattr(placement, field.name) for field in fields(cls)})


#: Every term, in the order the page and the API show them.
TERM_FIELDS = tuple(field.name for field in fields(Terms))

#: The terms a contract cannot go out without (the issue: "no wage, no dates").
REQUIRED = (
    "trial_days",
    "price",
    "wage",
    "service_fee",
    "deposit",
    "days_off_per_month",
    "free_replacements",
)


def _require_office(actor: Actor, agency_id: int) -> None:
    require(
        actor, Area.PLACEMENTS, agency_id=agency_id, message=_("The office sets placements up.")
    )


@transaction.atomic
def placement_open(*, order: Order, actor: Actor) -> Placement:
    """The placement of a live-in order of a placement service, its dates the order's.

    Opening twice (two clicks, two people) answers the first placement."""
    _require_office(actor, order.agency_id)
    if not order.service_type.is_placement:
        raise ValidationError(
            _("%(service)s is not a placement service.") % {"service": order.service_type}
        )
    if order.needs_form.schedule_kind != ScheduleKind.LIVE_IN:
        raise ValidationError(_("A placement is a live-in order."))
    existing = Placement.objects.filter(order=order).first()
    if existing is not None:
        return existing
    zone = order.agency.zone
    placement = Placement(
        agency_id=order.agency_id,
        order=order,
        starts_on=order.starts_at.astimezone(zone).date(),
        ends_on=order.ends_at.astimezone(zone).date(),
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError:
        return Placement.objects.get(order=order)
    audit_record(
        agency=order.agency, actor=actor, action="placement.open", target=placement, changes={}
    )
    return placement


@transaction.atomic
def placement_terms_save(*, placement: Placement, actor: Actor, terms: Terms) -> Placement:
    """Save the terms while they are agreed (once a contract is out, a change is an
    amendment). New dates move the order and its staff: a clash with another job of the
    same staff member is refused by the assignments' exclusion constraint, named."""
    _require_office(actor, placement.agency_id)
    placement = placement_lock(placement)
    if placement.status != PlacementStatus.DRAFT:
        raise ValidationError(_("The contract is out: change the terms by an amendment."))
    before = {name: getattr(placement, name) for name in asdict(terms)}
    for name, value in asdict(terms).items():
        setattr(placement, name, value.strip() if isinstance(value, str) else value)
    placement.full_clean(exclude=["order"])
    if (terms.starts_on, terms.ends_on) != (before["starts_on"], before["ends_on"]):
        order = placement.order
        starts_at, ends_at = service_window(order, terms.starts_on, terms.ends_on)
        try:
            order_window_set(order=order, starts_at=starts_at, ends_at=ends_at, actor=actor)
        except ValidationError as error:
            raise ValidationError({"starts_on": error.messages}) from None
    placement.save()
    changes = {
        name: [str(before[name]), str(getattr(placement, name))]
        for name in before
        if before[name] != getattr(placement, name)
    }
    audit_record(
        agency=placement.agency,
        actor=actor,
        action="placement.terms",
        target=placement,
        changes=changes,
    )
    return placement


def service_window(order: Order, starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    """The order's window for these days: from the first day's start hour to the last
    day's end hour (the needs form's), in the agency's zone."""
    zone = order.agency.zone
    needs = order.needs_form
    starts_at = datetime.combine(starts_on, needs.time_start, tzinfo=zone)
    ends_at = datetime.combine(ends_on, needs.time_end, tzinfo=zone)
    if ends_at <= starts_at:
        # A one-day placement through the night ends the next morning.
        ends_at += timedelta(days=1)
    return starts_at, ends_at


def missing_terms(placement: Placement) -> dict[str, str]:
    """What a contract still needs, by field, in words for the page and the API (empty:
    it may go out for signature)."""
    missing = {
        name: _("%(field)s is missing.") % {"field": _label(name)}
        for name in REQUIRED
        if getattr(placement, name) is None
    }
    if not placement.order.assignments.filter(status=AssignmentStatus.CONFIRMED).exists():
        missing["staff"] = _("No staff member is confirmed yet.")
    return missing


def _label(name: str) -> str:
    field = cast(models.Field, Placement._meta.get_field(name))
    return capfirst(str(field.verbose_name))
