"""Complaints followed up in the revisit queue: one promise, one record.

A hard complaint's satisfaction follow-up is a revisit (`feedback.complaint_revisits`).
When the office logs that call in the revisit queue, feedback cannot tell complaints
(it is the lower app); the complaints' sweep picks the fact up instead (DESIGN.md,
"Architecture": events flow up through the higher app's sweep) and marks the complaint
followed up with what the call gave. The complaint's status is the marker: only
resolved hard complaints are looked at, so a run costs what is waiting.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from agency.audit import Actor
from complaints.lifecycle import complaint_transition
from complaints.models import Complaint, EventKind, Status, Tier
from complaints.services.shared import record_audit, record_event
from feedback.complaint_revisits import complaint_follow_ups_done
from feedback.models import Revisit, RevisitOutcome


def follow_ups_from_revisits(*, batch: int = 500) -> int:
    """Mark followed up each resolved hard complaint whose follow-up revisit is done; how
    many. Safe to run twice or concurrently (each complaint is locked and re-checked).

    Every waiting complaint is looked at, a batch at a time: one whose call is done may
    come after any number whose call is still due."""
    waiting = Complaint.objects.filter(
        status=Status.RESOLVED, tier=Tier.HARD, resolved_at__isnull=False
    ).only("pk", "agency_id", "resolved_at")
    followed, after = 0, 0
    while chunk := list(waiting.filter(pk__gt=after).order_by("pk")[:batch]):
        after = chunk[-1].pk
        by_source = {
            (complaint.agency_id, complaint.follow_up_source): complaint.pk
            for complaint in chunk
            if complaint.follow_up_source
        }
        done = complaint_follow_ups_done(sources=set(by_source))
        followed += sum(
            complaint_followed_up_by_revisit(complaint_id=by_source[key], revisit=revisit)
            for key, revisit in done.items()
        )
    return followed


@transaction.atomic
def complaint_followed_up_by_revisit(*, complaint_id: int, revisit: Revisit) -> bool:
    """The follow-up call was logged in the revisit queue: the complaint is followed up,
    with the score the customer gave on the phone (none if not reached or declined)."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency", "customer")
        .get(pk=complaint_id, agency_id=revisit.agency_id)
    )
    if complaint.status != Status.RESOLVED or complaint.follow_up_source != revisit.source:
        return False
    actor = Actor(user=revisit.done_by)
    complaint.satisfaction = revisit.satisfaction
    complaint_transition(complaint=complaint, to=Status.FOLLOWED_UP, also=["satisfaction"])
    outcome = RevisitOutcome(revisit.outcome).label if revisit.outcome else "—"
    text = _("Followed up on the revisit call: %(outcome)s.") % {"outcome": outcome}
    if revisit.satisfaction is not None:
        text += " " + _("Satisfaction %(score)s/5.") % {"score": revisit.satisfaction}
    record_event(complaint, EventKind.FOLLOW_UP, actor=actor, text=text)
    record_audit(complaint, actor, "complaint.follow_up", {"revisit": revisit.pk})
    return True
