"""Revisits (回访): scheduled from what happened, swept by beat, logged by the office.

DESIGN.md, "Feedback and revisits": a satisfaction call within 24 hours after
the service, a thank-you letter 7 days after the order, a second contact 7
days after the letter, periodic revisits of repeat customers, and the
callbacks customers ask for.

The sweep is the complaints' design (DESIGN.md, "Timers"): a column says when
(`due_at`, `next_action_at`), rows are claimed with SKIP LOCKED, what was done
is written in the same transaction as the message or notice it sends, and a
unique `source` per revisit lets the scheduling run any number of times.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import Agency, Channel, Membership, Role, User
from agency.notifications import Notice, language_of, message_queue, notify
from agency.permissions import Area, can, require
from feedback.models import (
    AUTOMATIC,
    COURTESY,
    FeedbackPolicy,
    Revisit,
    RevisitAttempt,
    RevisitHold,
    RevisitKind,
    RevisitOutcome,
    RevisitStatus,
)
from feedback.periodic import periodic_cursors_store, periodic_due
from feedback.policy import policy_for
from feedback.selectors import customers_on_hold
from orders.events import unread_events
from orders.intake.services.callbacks import callback_complete
from orders.models import Callback, Customer, Order, OrderEvent, OrderStatus

#: The revisit scheduler's cursor on the order timeline (orders.events).
CONSUMER = "feedback.revisits"


class RevisitConflict(StateConflict):
    """Done, sent or dropped already (a 409)."""


# --- the sweep ------------------------------------------------------------------------


def sweep_revisits(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Schedule what happened, drop cancelled orders' revisits, resume what is no longer
    held, send due letters, and escalate overdue calls; what each step did. Safe to run
    twice or concurrently."""
    now = now or timezone.now()
    # Drops before sending: a cancelled order's customer gets no thank-you letter.
    scheduled, dropped = schedule_from_events(now=now)
    # A hold released while this sweep planned revisits held: they resume here.
    resume_held(released_holds(), now=now)
    return {
        "scheduled": scheduled,
        "letters": send_due_letters(now=now, limit=limit),
        "dropped": dropped,
        "escalated": escalate_overdue(now=now, limit=limit),
    }


def schedule_from_events(*, now: datetime, limit: int = 1000) -> tuple[int, int]:
    """Revisits for confirmed and accepted orders, new callbacks and repeat customers, and
    the revisits of orders cancelled dropped; each sweep reads the order events after its
    cursor and the services that became due, never the history. How many revisits were
    planned, and how many dropped."""
    planned: list[Revisit] = []
    policies = {p.agency_id: p for p in FeedbackPolicy.objects.all()}

    def policy(agency_id: int) -> FeedbackPolicy:
        if agency_id not in policies:
            policies[agency_id] = FeedbackPolicy.objects.get_or_create(agency_id=agency_id)[0]
        return policies[agency_id]

    events = OrderEvent.objects.filter(
        to_status__in=[OrderStatus.CONFIRMED, OrderStatus.ACCEPTED, OrderStatus.CANCELLED]
    ).select_related("order__agency", "order__customer")
    with unread_events(CONSUMER, events, now=now, limit=limit) as batch:
        cancelled: set[int] = set()
        for event in batch:
            order = event.order
            rules = policy(order.agency_id)
            if event.to_status == OrderStatus.CANCELLED:
                cancelled.add(order.pk)
                continue
            if event.to_status == OrderStatus.CONFIRMED:
                kind, due_at = (
                    RevisitKind.THANK_YOU_LETTER,
                    event.created_at + rules.letter_after_order,
                )
            else:
                kind = RevisitKind.SATISFACTION_CALL
                due_at = event.created_at + rules.satisfaction_call_after
            planned.append(_planned(order, kind, due_at))
        planned += callbacks_not_planned()
        accepted = {e.order.customer_id for e in batch if e.to_status == OrderStatus.ACCEPTED}
        periodic, cursors = periodic_due(now=now, policy=policy, accepted=accepted)
        planned += periodic
        held = customers_on_hold() if planned else set()
        for revisit in planned:
            if _is_held(revisit, held):
                revisit.status = RevisitStatus.HELD
            else:
                revisit.next_action_at = first_action(revisit, policy(revisit.agency_id))
        # Only the new ones are inserted (and counted); the unique `source` still guards a race.
        known = planned_already(planned)
        new = [r for r in planned if (r.agency_id, r.source) not in known]
        Revisit.objects.bulk_create(new, ignore_conflicts=True)
        periodic_cursors_store(cursors)
        # The orders cancelled in these events, and those of the revisits just planned (a
        # callback about an order cancelled before): in the block, so that an error leaves
        # the cursor and the next sweep reads the cancellations again.
        dropped = drop_for_cancelled_orders(
            orders=cancelled | {r.order_id for r in new if r.order_id is not None}
        )
    return len(new), dropped


def callbacks_not_planned() -> list[Revisit]:
    """The open callbacks without their revisit yet: each open callback an index probe into
    the revisits' unique (agency, source); neither the revisits nor the customers read."""
    revisit = Revisit.objects.filter(
        agency_id=OuterRef("agency_id"),
        source=Concat(
            Value("callback-"),
            Cast(OuterRef("pk"), output_field=CharField()),
            output_field=CharField(),
        ),
    )
    return [
        Revisit(
            agency_id=callback.agency_id,
            customer_id=callback.customer_id,
            order_id=callback.order_id,
            kind=RevisitKind.REQUESTED_CALLBACK,
            source=f"callback-{callback.pk}",
            due_at=callback.due_at,
            notes=callback.reason,
        )
        for callback in Callback.objects.filter(done_at__isnull=True).exclude(Exists(revisit))
    ]


def planned_already(planned: list[Revisit]) -> set[tuple[int, str]]:
    """(agency, source) of those of `planned` that exist: by the revisits' unique (agency,
    source), agency by agency (a `source IN` alone would read every revisit)."""
    sources: dict[int, set[str]] = defaultdict(set)
    for revisit in planned:
        sources[revisit.agency_id].add(revisit.source)
    if not sources:
        return set()
    match = reduce(or_, (Q(agency_id=a, source__in=s) for a, s in sources.items()))
    return set(Revisit.objects.filter(match).values_list("agency_id", "source"))


def send_due_letters(*, now: datetime, limit: int) -> int:
    """The thank-you letters whose day has come, each sent once, and the second contact after."""
    with transaction.atomic():
        due = list(
            Revisit.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                kind__in=AUTOMATIC,
                status=RevisitStatus.OPEN,
                next_action_at__lte=now,
            )
            .select_related("agency", "customer", "order")[:limit]
        )
        held = customers_on_hold() if due else set()
        policies: dict[int, FeedbackPolicy] = {}
        seconds = []
        for letter in due:
            customer = letter.customer
            with translation.override(
                customer.preferred_language or letter.agency.default_language
            ):
                text = _(
                    "%(agency)s: thank you for choosing us for order %(number)s. "
                    "We hope everything was to your liking; call us any time."
                ) % {
                    "agency": letter.agency.name,
                    "number": letter.order.number if letter.order else "",
                }
            message_queue(
                agency=letter.agency, channel=Channel.SMS, recipient=customer.phone, body=text
            )
            letter.status = RevisitStatus.SENT
            letter.done_at = now
            letter.next_action_at = None
            if letter.agency_id not in policies:
                policies[letter.agency_id] = policy_for(letter.agency)
            rules = policies[letter.agency_id]
            second = _planned(
                letter.order,
                RevisitKind.SECOND_CONTACT,
                now + rules.second_contact_after_letter,
                customer=customer,
                agency=letter.agency,
            )
            if _is_held(second, held):
                second.status = RevisitStatus.HELD
            else:
                second.next_action_at = first_action(second, rules)
            seconds.append(second)
        Revisit.objects.bulk_update(due, ["status", "done_at", "next_action_at"])
        Revisit.objects.bulk_create(seconds, ignore_conflicts=True)
        return len(due)


def released_holds() -> QuerySet[Revisit]:
    """Held revisits of customers no longer on hold (a few rows at most)."""
    on_hold = RevisitHold.objects.filter(
        agency_id=OuterRef("agency_id"), customer_id=OuterRef("customer_id")
    )
    return Revisit.objects.filter(status=RevisitStatus.HELD).exclude(Exists(on_hold))


@transaction.atomic
def resume_held(revisits: QuerySet[Revisit], *, now: datetime) -> int:
    """Held courtesy revisits resume: one whose time passed while held is due at once (a
    letter) or at the next calling slot (a call); how many resumed."""
    held = list(revisits.select_for_update(of=("self",)).select_related("agency"))
    policies: dict[int, FeedbackPolicy] = {}
    for revisit in held:
        agency = revisit.agency
        if agency.pk not in policies:
            policies[agency.pk] = policy_for(agency)
        rules = policies[agency.pk]
        earliest = now if revisit.kind in AUTOMATIC else next_call_slot(now, rules, agency)
        revisit.due_at = max(revisit.due_at, earliest)
        revisit.status = RevisitStatus.OPEN
        revisit.next_action_at = first_action(revisit, rules)
    Revisit.objects.bulk_update(held, ["due_at", "status", "next_action_at"])
    return len(held)


def drop_for_cancelled_orders(*, orders: set[int]) -> int:
    """Revisits of these orders, if cancelled, are dropped, saying why; a complaint's
    follow-up is owed whatever became of the order. The sweep passes the orders it read
    cancelled (and those of the revisits it just planned): an index probe per order, not
    a join of the open revisits with every cancelled order."""
    if not orders:
        return 0
    return (
        Revisit.objects.filter(
            order_id__in=orders,
            status__in=[RevisitStatus.OPEN, RevisitStatus.HELD],
            order__status=OrderStatus.CANCELLED,
        )
        .exclude(kind=RevisitKind.COMPLAINT_FOLLOW_UP)
        .update(
            status=RevisitStatus.DROPPED,
            # Stored in English and translated where it is shown (the sweep serves every agency).
            dropped_reason=gettext_noop("order cancelled"),
            next_action_at=None,
            done_at=timezone.now(),
        )
    )


def escalate_overdue(*, now: datetime, limit: int) -> int:
    """Calls overdue by more than the policy's time go to the supervisors, once each."""
    with transaction.atomic():
        overdue = list(
            Revisit.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=RevisitStatus.OPEN, next_action_at__lte=now, escalated_at__isnull=True)
            .exclude(kind__in=AUTOMATIC)
            .select_related("agency", "customer")[:limit]
        )
        supervisors: dict[int, list] = {}
        notices: list[Notice] = []
        for revisit in overdue:
            agency = revisit.agency
            if agency.pk not in supervisors:
                # The supervisors; an agency without one tells its managers.
                members = Membership.objects.filter(
                    agency=agency, role__in=[Role.SUPERVISOR, Role.MANAGER], is_active=True
                ).select_related("user")
                by_role = {role: [m.user for m in members if m.role == role] for role in Role}
                supervisors[agency.pk] = by_role[Role.SUPERVISOR] or by_role[Role.MANAGER]
            for user in supervisors[agency.pk]:
                with translation.override(language_of(user, agency)):
                    notices.append(
                        Notice(
                            agency_id=agency.pk,
                            user=user,
                            # Per attempt: a call not reached is due again and may be
                            # overdue again; the key is unique per person.
                            key=f"revisit-overdue-{revisit.pk}-{revisit.attempts}",
                            title=_("Revisit overdue: %(kind)s for %(customer)s")
                            % {
                                "kind": RevisitKind(revisit.kind).label,
                                "customer": revisit.customer.name,
                            },
                            link=reverse("revisit_queue"),
                        )
                    )
            revisit.escalated_at = now
            revisit.next_action_at = None
        Revisit.objects.bulk_update(overdue, ["escalated_at", "next_action_at"])
        notify(notices)
        return len(overdue)


# --- the office's work ----------------------------------------------------------------


@transaction.atomic
def revisit_log(
    *,
    revisit: Revisit,
    actor: Actor,
    outcome: str,
    notes: str = "",
    satisfaction: int | None = None,
    next_step: str = "",
) -> Revisit:
    """Log a call: reached or declined closes it; not reached tries again at the next
    calling slot, until the policy's number of attempts."""
    revisit = (
        Revisit.objects.select_for_update()
        .select_related("agency")
        .get(pk=revisit.pk, agency_id=revisit.agency_id)
    )
    caller = _require_office(actor, revisit.agency)
    if revisit.status != RevisitStatus.OPEN or revisit.kind in AUTOMATIC:
        raise RevisitConflict(_("This revisit is not waiting for a call."))
    errors = {}
    if outcome not in RevisitOutcome.values:
        errors["outcome"] = _("Say how the call went.")
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        errors["satisfaction"] = _("The satisfaction score is from 1 to 5.")
    if satisfaction is not None and outcome != RevisitOutcome.REACHED:
        errors["satisfaction"] = _("A score is given by a customer you reached.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    RevisitAttempt.objects.create(
        agency_id=revisit.agency_id,
        revisit=revisit,
        outcome=outcome,
        notes=notes.strip(),
        by=caller,
    )
    revisit.attempts += 1
    revisit.outcome = outcome
    revisit.notes = "\n".join(filter(None, [revisit.notes, notes.strip()]))
    rules = policy_for(revisit.agency)
    if outcome == RevisitOutcome.NOT_REACHED and revisit.attempts < rules.max_attempts:
        revisit.due_at = next_call_slot(now + rules.retry_after, rules, revisit.agency)
        revisit.next_action_at = first_action(revisit, rules)
        revisit.escalated_at = None
    else:
        revisit.status = RevisitStatus.DONE
        revisit.done_at = now
        revisit.done_by = actor.user
        revisit.satisfaction = satisfaction
        revisit.next_step = next_step.strip()[:300]
        revisit.next_action_at = None
        if revisit.kind == RevisitKind.REQUESTED_CALLBACK:
            _close_callback(revisit, actor=actor)
    revisit.save()
    audit_record(
        agency=revisit.agency,
        actor=actor,
        action="revisit.log",
        target=revisit,
        changes={"outcome": outcome, "attempts": revisit.attempts, "satisfaction": satisfaction},
    )
    return revisit


@transaction.atomic
def revisit_assign(*, revisit: Revisit, actor: Actor, assignee: User) -> Revisit:
    revisit = (
        Revisit.objects.select_for_update()
        .select_related("agency")
        .get(pk=revisit.pk, agency_id=revisit.agency_id)
    )
    _require_office(actor, revisit.agency)
    if revisit.status != RevisitStatus.OPEN:
        raise RevisitConflict(_("This revisit is not waiting for a call."))
    if not can(Actor(user=assignee), Area.REVISITS, agency_id=revisit.agency_id):
        raise ValidationError({"assignee": _("Choose a member of the office.")})
    before = revisit.assignee_id
    revisit.assignee = assignee
    revisit.save(update_fields=["assignee"])
    audit_record(
        agency=revisit.agency,
        actor=actor,
        action="revisit.assign",
        target=revisit,
        changes={"assignee": [before, assignee.pk]},
    )
    return revisit


@transaction.atomic
def revisits_assign(*, revisits: Sequence[Revisit], actor: Actor, assignee: User) -> int:
    """The ticked revisits of the queue to one member of the office: all of them or, if
    one cannot be (called meanwhile), none."""
    for revisit in sorted(revisits, key=lambda r: r.pk):  # one lock order for every caller
        revisit_assign(revisit=revisit, actor=actor, assignee=assignee)
    return len(revisits)


def schedule_low_score_follow_up(*, order: Order, answered_at: datetime, note: str) -> None:
    """A supervisor's follow-up of a low feedback score, in the revisit queue, due within
    the policy's time of the answer (24 hours by default), not at the answer itself."""
    rules = policy_for(order.agency)
    due_at = answered_at + rules.low_score_follow_up_within
    supervisor = (
        Membership.objects.filter(agency_id=order.agency_id, role=Role.SUPERVISOR, is_active=True)
        .order_by("pk")
        .first()
    )
    Revisit.objects.bulk_create(
        [
            Revisit(
                agency_id=order.agency_id,
                customer=order.customer,
                order=order,
                kind=RevisitKind.LOW_SCORE,
                source=f"order-{order.pk}-low_score",
                due_at=due_at,
                assignee=supervisor.user if supervisor else None,
                notes=note,
                next_action_at=due_at + rules.escalate_after,
            )
        ],
        ignore_conflicts=True,
    )


def schedule_complaint_follow_up(
    *,
    customer: Customer,
    order: Order | None,
    due_at: datetime,
    source: str,
    note: str,
    assignee: User | None = None,
) -> None:
    """A complaint's satisfaction follow-up call in the revisit queue (complaints hand it
    down here when a complaint is resolved); once per resolution (`source`). The revisit
    is the follow-up's only record and clock: the complaint shows it and is followed up by
    it; its assignee is the complaint's owner."""
    follow_up = Revisit(
        agency_id=customer.agency_id,
        customer=customer,
        order=order,
        kind=RevisitKind.COMPLAINT_FOLLOW_UP,
        source=source,
        due_at=due_at,
        notes=note,
        assignee=assignee,
    )
    follow_up.next_action_at = first_action(follow_up, policy_for(customer.agency))
    Revisit.objects.bulk_create([follow_up], ignore_conflicts=True)


def next_call_slot(moment: datetime, rules: FeedbackPolicy, agency: Agency) -> datetime:
    """The first moment at or after `moment` inside the calling hours, in the agency's zone."""
    local = timezone.localtime(moment, agency.zone).replace(second=0, microsecond=0)
    opens = local.replace(hour=rules.call_from.hour, minute=rules.call_from.minute)
    closes = local.replace(hour=rules.call_until.hour, minute=rules.call_until.minute)
    if local < opens:
        return opens
    if local >= closes:
        return opens + timedelta(days=1)
    return local


# --- helpers --------------------------------------------------------------------------


def _planned(
    order: Order | None,
    kind: str,
    due_at: datetime,
    *,
    customer: Customer | None = None,
    agency: Agency | None = None,
) -> Revisit:
    return Revisit(
        agency=agency or order.agency,  # type: ignore[union-attr]
        customer=customer or order.customer,  # type: ignore[union-attr]
        order=order,
        kind=kind,
        source=f"order-{order.pk if order else 0}-{kind}",
        due_at=due_at,
    )


def first_action(revisit: Revisit, rules: FeedbackPolicy) -> datetime:
    """A letter is acted on when due; a call when it is overdue by the policy's time; a
    complaint's follow-up at its due time (the SLA's promise, its grace already in it)."""
    if revisit.kind in AUTOMATIC or revisit.kind == RevisitKind.COMPLAINT_FOLLOW_UP:
        return revisit.due_at
    return revisit.due_at + rules.escalate_after


def _is_held(revisit: Revisit, held: set[tuple[int, int]]) -> bool:
    return revisit.kind in COURTESY and (revisit.agency_id, revisit.customer_id) in held


def _close_callback(revisit: Revisit, *, actor: Actor) -> None:
    callback_id = int(revisit.source.removeprefix("callback-"))
    callback = Callback.objects.filter(
        pk=callback_id, agency_id=revisit.agency_id, done_at__isnull=True
    ).first()
    if callback is not None:
        callback_complete(callback=callback, actor=actor, outcome=revisit.notes or "—")


def _require_office(actor: Actor, agency: Agency) -> User:
    """The acting office member."""
    return require(
        actor, Area.REVISITS, agency_id=agency.pk, message=_("The office logs revisits.")
    )
