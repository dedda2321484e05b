"""Who holds time in a window, per agency: the index matching reads (orders.staffing.matching).

The exclusion constraint's GiST index leads with (agency, staff): good for one
person's bookings, slow for "everyone booked in this window" (the ranking's
NOT EXISTS and its 14-day workload), which scanned the whole index. This one
leads with (agency, period) and carries staff_id for index-only scans.

Raw SQL without a state change, so the model needs no edit for it; it can move
into Assignment.Meta.indexes later as GistIndex(fields=["agency", "period"],
include=["staff"], condition=Q(status__in=HOLDING), name="assignment_holding_period")
with a state-only migration.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0006_staff_card_purpose"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX assignment_holding_period ON orders_assignment"
                " USING gist (agency_id, period) INCLUDE (staff_id)"
                " WHERE status IN ('proposed', 'confirmed')"
            ),
            reverse_sql="DROP INDEX assignment_holding_period",
        ),
    ]
