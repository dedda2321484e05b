"""One promise, one record (issue 13.6): a hard complaint's follow-up is its revisit.

Until now a resolved hard complaint had a follow-up deadline and a revisit (source
"complaint-<pk>") that did not know each other. For each pair:

- the revisit is renamed to its resolution (`Complaint.follow_up_source`);
- a running deadline whose revisit was logged is met when the call was logged (late if
  after its due time) and the complaint followed up with the call's score; any other
  running one is cancelled: from now on the revisit alone is due (and escalated);
- a revisit still open whose deadline was met (followed up on the complaint's page) is
  done then, with the complaint's score; one whose deadline was cancelled (the
  complaint closed or reopened) is dropped.

And customers with a complaint being handled get their courtesy revisits held
(issue 13.7). Nothing is undone on the way back: the deadlines stay as they were left.
"""

from django.db import migrations
from django.utils import timezone

HANDLING = ("open", "responding", "reopened")
COURTESY = ("satisfaction_call", "thank_you_letter", "second_contact", "periodic")


def forwards(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    Deadline = apps.get_model("complaints", "Deadline")
    Revisit = apps.get_model("feedback", "Revisit")
    RevisitHold = apps.get_model("feedback", "RevisitHold")
    now = timezone.now()

    for deadline in Deadline.objects.filter(kind="follow_up").select_related("complaint"):
        complaint = deadline.complaint
        revisit = Revisit.objects.filter(
            agency_id=complaint.agency_id, source=f"complaint-{complaint.pk}"
        ).first()
        if revisit is None or complaint.resolved_at is None:
            continue
        revisit.source = f"complaint-{complaint.pk}-{int(complaint.resolved_at.timestamp())}"
        # A complaint's follow-up is escalated at its due time, like the deadline was.
        if revisit.status == "open" and revisit.escalated_at is None:
            revisit.next_action_at = revisit.due_at
        running = deadline.met_at is None and deadline.cancelled_at is None
        if running and revisit.status == "done":
            deadline.met_at = revisit.done_at
            if revisit.done_at > deadline.due_at and deadline.breached_at is None:
                deadline.breached_at = deadline.due_at
            deadline.next_escalation_at = None
            if complaint.status == "resolved":
                complaint.status = "followed_up"
                complaint.satisfaction = revisit.satisfaction
                complaint.save(update_fields=["status", "satisfaction"])
        elif running:
            deadline.cancelled_at = now
            deadline.next_escalation_at = None
        elif revisit.status == "open" and deadline.met_at is not None:
            revisit.status = "done"
            revisit.done_at = deadline.met_at
            revisit.outcome = "reached"
            revisit.satisfaction = complaint.satisfaction
            revisit.next_action_at = None
        elif revisit.status == "open":
            revisit.status = "dropped"
            revisit.dropped_reason = "complaint closed or reopened"
            revisit.done_at = deadline.cancelled_at
            revisit.next_action_at = None
        deadline.save()
        revisit.save()

    handling = Complaint.objects.filter(status__in=HANDLING) | Complaint.objects.filter(
        status="resolved", tier="hard"
    )
    for complaint in handling:
        RevisitHold.objects.get_or_create(
            agency_id=complaint.agency_id,
            source=f"complaint-{complaint.pk}",
            defaults={"customer_id": complaint.customer_id},
        )
        Revisit.objects.filter(
            agency_id=complaint.agency_id,
            customer_id=complaint.customer_id,
            kind__in=COURTESY,
            status="open",
        ).update(status="held", next_action_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_attachment_checked_and_renamed"),
        ("feedback", "0005_low_score_due_and_courtesy_holds"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
