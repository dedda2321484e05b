"""From a phone call to a quoted order, and the customer's confirmation.

DESIGN.md, "Intake and booking": the needs form; the office records the
booking and the customer confirms by signature, or an office member verifies
on the customer's behalf; a requested callback is due whether or not staff is found.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agency.audit import Actor, audit_record
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency, Branch
from agency.numbering import next_number
from orders import announcements, links
from orders.intake.services.customers import address_find_or_create, customer_find_or_create
from orders.lifecycle import check_transition, order_lock, order_transition
from orders.models import (
    Callback,
    NeedsForm,
    Order,
    OrderStatus,
    Quote,
    RecurringPlan,
    ScheduleKind,
    ServiceType,
    SignaturePurpose,
    SignedVia,
)
from orders.pricing import money, price_on, quantity_for, service_window
from orders.signatures import record_signature, signature_errors
from orders.timeline import by_text, link_sent, note

#: An order's submission key is its needs form's.
SUBMITTED = "needs_form__submission_key"


@dataclass(frozen=True)
class CustomerInput:
    name: str
    phone: str
    district: str
    address: str
    preferred_language: str = ""


@dataclass(frozen=True)
class NeedsInput:
    service_type: ServiceType
    schedule_kind: str
    start_date: date
    time_start: time
    time_end: time
    end_date: date | None = None
    weekdays: list[int] = field(default_factory=list)
    days: int | None = None
    quantity: Decimal | None = None
    requirements: str = ""
    checklist: list[str] = field(default_factory=list)
    allergies: str = ""
    pets: str = ""
    do_not_touch: str = ""
    access_notes: str = ""
    budget: Decimal | None = None
    preferred_gender: str = ""
    preferred_language: str = ""
    min_experience_years: int | None = None
    callback_in_days: int | None = None


@transaction.atomic
def order_intake(
    *,
    agency: Agency,
    actor: Actor,
    branch: Branch,
    customer: CustomerInput,
    needs: NeedsInput,
    is_urgent: bool = False,
    submission_key: uuid.UUID | None = None,
) -> Order:
    """Record a booking: the customer (found by phone), the needs form, the order, its quote.

    A `submission_key` seen before (a double click, a resent request) raises
    `RepeatedSubmission` with the order it already made, and nothing is written twice.

    A recurring booking becomes a plan whose first visit is this order; the
    others follow once the customer has confirmed (`orders.intake.services.recurring`).
    """
    _refuse_repeat(agency, submission_key)
    if branch.agency_id != agency.pk or needs.service_type.agency_id != agency.pk:
        raise ValidationError(_("Choose a branch and a service of this agency."))
    if not branch.is_active:
        raise ValidationError({"branch": _("This branch is closed.")})
    if not needs.service_type.is_active:
        raise ValidationError({"service_type": _("This service is no longer offered.")})
    who = customer_find_or_create(
        agency=agency,
        actor=actor,
        name=customer.name,
        phone=customer.phone,
        preferred_language=customer.preferred_language,
    )
    address = address_find_or_create(
        customer=who, district=customer.district, detail=customer.address
    )
    form = NeedsForm(
        agency=agency,
        customer=who,
        address=address,
        created_by=actor.user,
        submission_key=submission_key,
        **vars(needs),
    )
    _complete_schedule(form)
    # The schedule's own messages first: they name the field, the constraints do not.
    _check_schedule(form, today=agency.today())
    # A twin submission is the database's to see (below): a read here misses an uncommitted one.
    form.full_clean(exclude=["submission_key"])
    save_once(form, Order.objects.filter(agency=agency), _taken, lookup=SUBMITTED)

    first_day = _first_service_day(form)
    plan = None
    if form.schedule_kind == ScheduleKind.RECURRING:
        plan = RecurringPlan.objects.create(
            agency=agency, needs_form=form, branch=branch, generated_until=first_day
        )
    order = order_create(
        needs_form=form, branch=branch, on=first_day, actor=actor, is_urgent=is_urgent, plan=plan
    )
    if form.callback_in_days is not None:
        Callback.objects.create(
            agency=agency,
            customer=who,
            order=order,
            due_at=timezone.now() + timedelta(days=form.callback_in_days),
            reason=_("The customer asked to be called back in %(days)s days.")
            % {"days": form.callback_in_days},
        )
    order_quote(order=order, actor=actor)
    order.refresh_from_db()
    return order


def order_create(
    *,
    needs_form: NeedsForm,
    branch: Branch,
    on: date,
    actor: Actor,
    is_urgent: bool = False,
    plan: RecurringPlan | None = None,
) -> Order:
    """A new order in `intake` for the needs form's service on day `on` (inside a transaction)."""
    agency = needs_form.agency
    window = service_window(needs_form, on=on, time_zone=agency.time_zone)
    year = agency.today().year
    order = Order(
        agency=agency,
        number=f"{year}-{next_number(agency=agency, kind='order', year=year):05d}",
        branch=branch,
        customer=needs_form.customer,
        needs_form=needs_form,
        service_type=needs_form.service_type,
        plan=plan,
        occurrence_date=on if plan else None,
        is_urgent=is_urgent,
        starts_at=window.starts_at,
        ends_at=window.ends_at,
        created_by=actor.user,
    )
    order.full_clean()
    order.save()
    note(order, actor=actor, text=_("Order taken."))
    audit_record(agency=agency, actor=actor, action="order.create", target=order)
    return order


@transaction.atomic
def order_quote(*, order: Order, actor: Actor) -> Quote:
    """Price the order from the price list valid on its service day (or a plan's agreed price)."""
    order = order_lock(order)
    needs = order.needs_form
    service = order.service_type
    service_day = order.agency.local_date(order.starts_at)
    quantity = quantity_for(needs, service.pricing_unit)
    if order.plan is not None and order.plan.unit_price is not None:
        price, unit_price = None, order.plan.unit_price
    else:
        price = price_on(service, service_day)
        unit_price = price.unit_price
    quote = Quote.objects.create(
        agency_id=order.agency_id,
        order=order,
        price=price,
        description=f"{service.name} · {service_day.isoformat()}",
        unit=service.pricing_unit,
        unit_price=unit_price,
        quantity=quantity,
        total=money(unit_price * quantity),
        currency=order.agency.currency,
        created_by=actor.user,
    )
    order_transition(
        order=order,
        to=OrderStatus.QUOTED,
        actor=actor,
        reason=_("Quoted %(total)s %(currency)s.")
        % {"total": quote.total, "currency": quote.currency},
    )
    return quote


@transaction.atomic
def order_confirm(
    *,
    order: Order,
    quote_id: int,
    signed_name: str,
    via: str,
    actor: Actor,
    user_agent: str = "",
    verification_reason: str = "",
) -> Order:
    """The customer agrees to the needs form and the quote they were shown.

    `via` is LINK (the customer signed; `actor` carries their address) or OFFICE
    (`actor` is the office member verifying on their behalf, with a reason).
    A link shows one quote; once the order is quoted again, that link is out of date.
    """
    order = order_lock(order)
    latest = order.latest_quote()
    if latest is None or latest.pk != quote_id:
        raise ValidationError(_("The quote changed since this was shown; review the new quote."))
    errors = signature_errors(
        signed_name=signed_name, via=via, verification_reason=verification_reason
    )
    if errors:
        raise ValidationError(errors)
    order_transition(
        order=order,
        to=OrderStatus.CONFIRMED,
        actor=actor,
        reason=_("Confirmed by %(name)s (%(via)s).")
        % {"name": signed_name, "via": SignedVia(via).label},
    )
    record_signature(
        order,
        purpose=SignaturePurpose.CONFIRM_ORDER,
        via=via,
        signed_name=signed_name,
        actor=actor,
        user_agent=user_agent,
        verification_reason=verification_reason,
    )
    order.confirmed_quote = latest
    order.save(update_fields=["confirmed_quote", "updated_at"])
    if order.plan is not None and order.plan.unit_price is None:
        # The recurring plan's later visits keep the price the customer agreed to.
        order.plan.unit_price = latest.unit_price
        order.plan.save(update_fields=["unit_price"])
    announcements.booking_confirmed(order)
    return order


@transaction.atomic
def order_send_confirmation_link(*, order: Order, actor: Actor, url: str) -> None:
    """Text the customer the link to review and sign (in their language), and note it."""
    check_transition(order.status, OrderStatus.CONFIRMED)
    links.text_link(
        order=order,
        wording=gettext_lazy("%(agency)s: please review and sign your booking %(number)s: %(url)s"),
        url=url,
    )
    order_confirmation_link_sent(order=order, actor=actor, channel=by_text(order))


@transaction.atomic
def order_confirmation_link_sent(*, order: Order, actor: Actor, channel: str) -> None:
    """Record on the timeline that the confirmation link went to the customer."""
    check_transition(order.status, OrderStatus.CONFIRMED)
    link_sent(
        order,
        actor=actor,
        text=_("Confirmation link sent (%(channel)s).") % {"channel": channel},
        action="order.link_sent",
        channel=channel,
    )


def _refuse_repeat(agency: Agency, submission_key: uuid.UUID | None) -> None:
    refuse_repeat(Order.objects.filter(agency=agency), submission_key, _taken, lookup=SUBMITTED)


def _taken(earlier: Order) -> str:
    return _("This booking was already taken as order %(number)s.") % {"number": earlier.number}


def _complete_schedule(form: NeedsForm) -> None:
    """Fields that follow from the schedule kind."""
    if form.schedule_kind == ScheduleKind.LIVE_IN and form.days:
        form.end_date = form.start_date + timedelta(days=form.days - 1)
    if form.schedule_kind != ScheduleKind.RECURRING:
        form.weekdays = []
    form.weekdays = sorted(set(form.weekdays))


def _check_schedule(form: NeedsForm, *, today: date) -> None:
    errors: dict[str, str] = {}
    if form.start_date < today:
        errors["start_date"] = _("The start date is in the past.")
    if form.end_date and form.end_date < form.start_date:
        errors["end_date"] = _("The last day is before the first.")
    if form.schedule_kind == ScheduleKind.RECURRING and not form.weekdays:
        errors["weekdays"] = _("Choose the weekdays of the recurring service.")
    if form.schedule_kind == ScheduleKind.LIVE_IN and not form.days:
        errors["days"] = _("Give the number of days of the placement.")
    if form.schedule_kind != ScheduleKind.LIVE_IN and form.time_end <= form.time_start:
        errors["time_end"] = _("The end time must be after the start time.")
    if (
        form.schedule_kind == ScheduleKind.LIVE_IN
        and form.days == 1
        and form.time_end <= form.time_start
    ):
        errors["time_end"] = _("A one-day placement must end after it starts.")
    if form.service_type.pricing_unit == "sqm" and not form.quantity:
        errors["quantity"] = _("This service is priced per square metre: give the area.")
    if form.checklist and set(form.checklist) - set(form.service_type.task_checklist):
        errors["checklist"] = _("Choose tasks from the service's checklist.")
    if errors:
        raise ValidationError(errors)


def _first_service_day(form: NeedsForm) -> date:
    if form.schedule_kind != ScheduleKind.RECURRING:
        return form.start_date
    day = form.start_date
    while day.weekday() not in form.weekdays:
        day += timedelta(days=1)
    if form.end_date and day > form.end_date:
        raise ValidationError(
            {"end_date": _("No chosen weekday falls between the start and the end date.")}
        )
    return day
