"""What complaints hand down to the revisits (DESIGN.md, "Architecture": complaints may use
feedback's services; a resolved complaint's follow-up call is a revisit).

- A hard complaint's satisfaction follow-up is one revisit, its only record: logged in
  the revisit queue or recorded on the complaint, it is the same row.
- A low score turned into a complaint closes its follow-up: the complaint now owns it.
- While a complaint is being handled the customer's courtesy revisits (the 24-hour
  call, the thank-you letter, the second contact, the periodic revisit) are held; when
  the last such complaint is done they resume, and any whose time passed meanwhile is
  due at the next calling slot (a letter: at once).
"""

from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agency.audit import Actor, audit_record
from agency.models import Agency
from feedback.models import (
    COURTESY,
    Revisit,
    RevisitHold,
    RevisitKind,
    RevisitOutcome,
    RevisitStatus,
)
from feedback.revisits import resume_held, revisit_log
from orders.models import Customer, Order


@transaction.atomic
def courtesy_hold(*, customer: Customer, source: str) -> int:
    """Hold the customer's open courtesy revisits while the complaint `source` is handled;
    how many were held. Holding twice for one complaint is harmless."""
    RevisitHold.objects.get_or_create(
        agency_id=customer.agency_id, source=source, defaults={"customer": customer}
    )
    return Revisit.objects.filter(
        agency_id=customer.agency_id,
        customer=customer,
        kind__in=COURTESY,
        status=RevisitStatus.OPEN,
    ).update(status=RevisitStatus.HELD, next_action_at=None)


@transaction.atomic
def courtesy_release(*, customer: Customer, source: str) -> int:
    """The complaint `source` is done: when no other holds the customer, their courtesy
    revisits resume, an overdue one due at the next calling slot; how many resumed."""
    RevisitHold.objects.filter(agency_id=customer.agency_id, source=source).delete()
    if RevisitHold.objects.filter(agency_id=customer.agency_id, customer=customer).exists():
        return 0
    held = Revisit.objects.filter(
        agency_id=customer.agency_id, customer=customer, status=RevisitStatus.HELD
    )
    return resume_held(held, now=timezone.now())


@transaction.atomic
def low_score_close_for_complaint(*, order: Order, actor: Actor, complaint_number: str) -> None:
    """The order's open low-score follow-up is done: it became complaint `complaint_number`."""
    follow_up = (
        Revisit.objects.select_for_update()
        .select_related("agency")
        .filter(
            agency_id=order.agency_id,
            order=order,
            kind=RevisitKind.LOW_SCORE,
            status=RevisitStatus.OPEN,
        )
        .first()
    )
    if follow_up is None:
        return
    follow_up.status = RevisitStatus.DONE
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor.user
    follow_up.next_step = f"→ {complaint_number}"
    follow_up.next_action_at = None
    follow_up.save(update_fields=["status", "done_at", "done_by", "next_step", "next_action_at"])
    audit_record(
        agency=follow_up.agency,
        actor=actor,
        action="revisit.to_complaint",
        target=follow_up,
        changes={"complaint": complaint_number},
    )


def complaint_follow_up_of(*, agency: Agency, source: str | None) -> Revisit | None:
    """The follow-up revisit a complaint's page and API show (None before it is resolved)."""
    if source is None:
        return None
    return (
        Revisit.objects.filter(agency=agency, source=source)
        .select_related("customer", "order", "assignee", "done_by")
        .first()
    )


@transaction.atomic
def complaint_follow_up_record(
    *, agency: Agency, source: str, actor: Actor, satisfaction: int, notes: str
) -> Revisit | None:
    """The follow-up call recorded from the complaint: the revisit is logged as reached,
    with the customer's score. None if there is no open one to log."""
    follow_up = (
        Revisit.objects.select_for_update()
        .filter(agency=agency, source=source, status=RevisitStatus.OPEN)
        .first()
    )
    if follow_up is None:
        return None
    return revisit_log(
        revisit=follow_up,
        actor=actor,
        outcome=RevisitOutcome.REACHED,
        notes=notes,
        satisfaction=satisfaction,
    )


def complaint_follow_up_drop(*, agency: Agency, source: str, reason: str) -> int:
    """A follow-up no longer owed (the complaint was closed or reopened before it)."""
    return Revisit.objects.filter(
        agency=agency, source=source, status__in=[RevisitStatus.OPEN, RevisitStatus.HELD]
    ).update(
        status=RevisitStatus.DROPPED,
        dropped_reason=reason[:300],
        next_action_at=None,
        done_at=timezone.now(),
    )


def complaint_follow_ups_done(*, sources: set[tuple[int, str]]) -> dict[tuple[int, str], Revisit]:
    """The done follow-ups among `sources`, (agency, source) pairs: the complaints' sweep
    reads them to mark their complaints followed up. Asked agency by agency, so that the
    unique index on (agency, source) serves each part."""
    by_agency: dict[int, list[str]] = {}
    for agency_id, source in sources:
        by_agency.setdefault(agency_id, []).append(source)
    if not by_agency:
        return {}
    match = reduce(or_, (Q(agency_id=a, source__in=s) for a, s in by_agency.items()))
    return {
        (revisit.agency_id, revisit.source): revisit
        for revisit in Revisit.objects.filter(
            match, kind=RevisitKind.COMPLAINT_FOLLOW_UP, status=RevisitStatus.DONE
        )
    }
